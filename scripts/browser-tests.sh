#!/usr/bin/env bash
# Drives `llmeval report` and `llmeval ui` in headless Chromium (Debian `chromium`, through the npm package
# playwright-core, which never downloads a browser here) and asserts on the rendered DOM: tests/browser/*.test.js,
# run by tests/browser/run.js. Each test saves a full-page screenshot into the artifacts folder.
#
# Usage: scripts/browser-tests.sh --llmeval BIN [--artifacts DIR] [--keep] [TEST...]
#   BIN        the llmeval binary under test
#   DIR        where screenshots and the generated reports go (default: ./test-artifacts/browser)
#   --keep     keep the scratch project (its path is printed)
#   TEST       run only these tests (file names without .test.js, e.g. report_one compare)
# The scratch project: 130 questions in 5 categories (the first one malicious: <script> and an onerror <img>), a
# prompt carrying the same payload, code scorers, sim judges, a command scorer quoting the answer in its rationale and
# a command tool whose results carry the payload. Runs: 1 = basic (130 items), 2 = concise (130 items, compared with
# run 1), 3 = basic with the tool (6 items, the first the malicious one).
# playwright-core is installed once into ${LLMEVAL_PLAYWRIGHT_CACHE:-~/.cache/llmeval/playwright-core-VERSION}.
# Exit: 0 all passed, 1 a test failed, 2 usage, 77 skipped (no node, npm, chromium, or the package cannot be had).
set -euo pipefail

version="1.65.1"  # playwright-core, pinned by tests/browser/package.json and package-lock.json.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tests_dir="$here/tests/browser"
cache="${LLMEVAL_PLAYWRIGHT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llmeval/playwright-core-$version}"
chromium="${LLMEVAL_CHROMIUM:-/usr/bin/chromium}"

skip() { echo "SKIPPED: $*" >&2; exit 77; }

llmeval=""
artifacts="$PWD/test-artifacts/browser"
keep=0
selected=()
while [ $# -gt 0 ]; do
  case "$1" in
    --llmeval) llmeval="${2:?--llmeval needs the binary}"; shift 2 ;;
    --artifacts) artifacts="${2:?--artifacts needs a folder}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "unknown flag: $1" >&2; exit 2 ;;
    *) selected+=("$1"); shift ;;
  esac
done
if [ -z "$llmeval" ]; then
  echo "usage: scripts/browser-tests.sh --llmeval BIN [--artifacts DIR] [--keep] [TEST...]" >&2
  exit 2
fi
for name in "${selected[@]}"; do
  [ -f "$tests_dir/$name.test.js" ] || { echo "no such test: $tests_dir/$name.test.js" >&2; exit 2; }
done
llmeval="$(cd "$(dirname "$llmeval")" && pwd)/$(basename "$llmeval")"
[ -x "$llmeval" ] || { echo "not an executable: $llmeval" >&2; exit 2; }

command -v node >/dev/null || skip "node is not installed"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || skip "node $node_major is too old for playwright-core $version (needs 20)"
[ -x "$chromium" ] || skip "$chromium is not installed (Debian package chromium; scripts/install-deps.sh)"
module="$cache/node_modules/playwright-core"
if [ ! -f "$module/package.json" ]; then
  command -v npm >/dev/null || skip "npm is not installed"
  mkdir -p "$(dirname "$cache")"
  staging="$(mktemp -d "$cache.tmp.XXXXXX")"
  echo "installing playwright-core@$version into $cache" >&2
  cp "$tests_dir/package.json" "$tests_dir/package-lock.json" "$staging/"
  # npm ci: exactly the locked version and integrity; never a browser download (nor any install script).
  if ! (cd "$staging" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 300 npm ci --ignore-scripts --no-audit \
        --no-fund --loglevel=error >&2); then
    rm -rf "$staging"
    skip "cannot install playwright-core@$version from the npm registry"
  fi
  rm -rf "$cache"
  mv "$staging" "$cache" 2>/dev/null || rm -rf "$staging"  # Another run may have won the race; either copy works.
fi

# The scratch project.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/llmeval-browser.XXXXXX")"
if [ "$keep" = 1 ]; then echo "scratch project: $scratch" >&2; else trap 'rm -rf "$scratch"' EXIT; fi
project="$scratch/project"
mkdir -p "$project/prompts" "$project/tools" "$project/scorers"
script='<script>window.__pwned=1</script>'
img='"><img src=x onerror="window.__pwned=1">'
{
  printf 'Category,Question\r\n'
  # CSV quoting: the field in double quotes, inner quotes doubled.
  printf 'Security,"Is %s safe to show? %s"\r\n' "$script" "${img//\"/\"\"}"
  categories=(Git Testing DDD Terminal Security)
  topics=("git rebase" "git stash" "the HEAD reference" "merge conflicts" "unit tests" "mocks and stubs"
          "test fixtures" "property based testing" "bounded contexts" "aggregate roots" "domain events"
          "value objects" "shell pipelines" "file permissions" "environment variables" "process signals"
          "SQL injection" "cross site scripting" "password hashing" "the quokka pattern" "code review"
          "continuous integration" "semantic versioning" "dependency injection" "technical debt" "refactoring")
  forms=("What is %s?" "Why does %s matter?" "How would you explain %s to a junior developer?"
         "What are common mistakes with %s?" "When should a team avoid %s?")
  n=1
  for form in "${forms[@]}"; do
    for topic in "${topics[@]}"; do
      [ "$n" -ge 130 ] && break 2
      # shellcheck disable=SC2059
      printf '%s,"%s"\r\n' "${categories[$((n % 5))]}" "$(printf "$form" "$topic")"
      n=$((n + 1))
    done
  done
} >"$project/questions.csv"
printf 'You are a professor preparing model answers for a software engineering exam.\n' >"$project/prompts/system.txt"
printf 'You have a lookup tool. Use it before you answer and cite what it returns as Markdown links.\n' \
  >"$project/prompts/tools.txt"
cat >"$project/prompts/basic.txt" <<EOF
Category: {category}
Question: {question}

Write a clear, accurate answer suitable for an exam.
Reviewer note (must render as text): $script $img
EOF
cat >"$project/prompts/concise.txt" <<EOF
Category: {category}
Question: {question}

Answer in a concise way, two sentences at most.
Reviewer note (must render as text): $script $img
EOF
# The tool's results carry the payload in a link title; the sim model cites the titles in its answer.
cat >"$project/tools/lookup.sh" <<'EOF'
#!/bin/sh
cat >/dev/null
printf '%s\n' '1. [<script>window.__pwned=1</script> Testing guide "><img src=x onerror="window.__pwned=1">](https://example.com/guide) - a guide'
printf '%s\n' '2. [Testing basics](https://example.com/basics) - the basics'
EOF
# A persistent command scorer: passes when the answer cites a link; its rationale quotes the cited titles.
cat >"$project/scorers/cites.py" <<'EOF'
import json, re, sys
for line in sys.stdin:
    if not line.strip():
        continue
    request = json.loads(line)
    output = request.get("output") or ""
    titles = re.findall(r"\[([^\]\n]+)\]\(", output)
    rationale = ("cites: " + " | ".join(titles)) if titles else "cites nothing"
    print(json.dumps({"id": request.get("id"), "value": bool(titles), "rationale": rationale}), flush=True)
EOF
cat >"$project/llmeval.yaml" <<'EOF'
experiment: browser-tests
dataset: questions.csv
system_prompt: system
tools_addendum: tools
prompt: basic
model: sim
judge: sim
concurrency: 8
temperature: 0.2
tools:
  lookup:
    kind: command
    description: Look a topic up; returns Markdown links.
    parameters: {type: object, properties: {query: {type: string}}, required: [query]}
    command: [sh, tools/lookup.sh]
scorers:
  - {name: enough_words, type: word_count, min: 25}
  - {name: english, type: guidelines, guidelines: ["The answer should be in English."]}
  - {name: relevance, type: relevance_to_query}
  - {name: cites, type: command, command: [python3, scorers/cites.py], timeout_ms: 5000}
EOF
(
  cd "$project"
  "$llmeval" run --prompt basic --quiet >/dev/null
  "$llmeval" run --prompt concise --quiet >/dev/null
  "$llmeval" run --prompt basic --tools lookup --limit 6 --quiet >/dev/null
) || { echo "setting up the scratch project failed (see above)" >&2; exit 1; }

mkdir -p "$artifacts"
export LLMEVAL_BINARY="$llmeval" LLMEVAL_PROJECT="$project" LLMEVAL_ARTIFACTS="$artifacts" \
  LLMEVAL_CHROMIUM="$chromium" LLMEVAL_PLAYWRIGHT="$module"
node "$tests_dir/run.js" "${selected[@]}"
