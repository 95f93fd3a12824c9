#!/usr/bin/env bash
# The demo: installs what is missing, builds llmeval, and walks through the example project (examples/se-exam) on the
# built-in simulated model: no API key, no network. It works on a copy under build/demo/ with a fresh store there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh" --target llmeval not_too_many_words
llmeval="$root/build/cli/llmeval"
demo="$root/build/demo"
rm -rf "$demo"
mkdir -p "$demo"
export LLMEVAL_DB="$demo/llmeval.db"
# Work on a copy of the example, so the demo can edit a prompt the way a colleague's pull request would.
cp -r "$root/examples/se-exam" "$demo/se-exam"
sed -i "s|path: ../../build/examples/not_too_many_words.so|path: $root/build/examples/not_too_many_words.so|" \
  "$demo/se-exam/llmeval.yaml"
cd "$demo/se-exam"
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Register the prompt templates as immutable versions" "$llmeval" prompts register -m "demo"
step "Evaluate the basic prompt on 12 questions with the scenario's scorers (sim model, sim judge)" \
  "$llmeval" run --prompt basic --limit 12 --group-by category
step "Compare two prompts in one grid run" "$llmeval" run --prompt concise,academic --limit 6 --quiet
step "The web-search agent: tools on, offline corpus" "$llmeval" run --prompt basic --tools web_search --limit 3 --quiet
run_id=$("$llmeval" runs list --limit 1 | awk 'NR==2 {print $1}')
step "Traces of the agent run" "$llmeval" traces list --run "$run_id" --limit 3
trace_id=$("$llmeval" traces list --run "$run_id" --limit 1 | awk 'NR==2 {print $1}')
step "One trace as a timeline" "$llmeval" trace show "$trace_id" --width 110
step "Rerun: answered from the response cache" "$llmeval" run --prompt basic --limit 12 --quiet
step "Another prompt on the same questions" \
  "$llmeval" run --prompt concise --limit 12 --quiet
concise_id=$("$llmeval" runs list --limit 1 | awk 'NR==2 {print $1}')
step "Paired comparison: per-scorer deltas with 95% intervals and the flipped items" \
  "$llmeval" runs compare 1 "$concise_id"
step "Two-step workflow: generate answers, then evaluate them without calling the model" \
  "$llmeval" generate --prompt practical --limit 6 --quiet
gen_id=$("$llmeval" runs list --limit 1 | awk 'NR==2 {print $1}')
step "Evaluate the stored answers" "$llmeval" evaluate --run "$gen_id" --quiet
step "Human feedback on one answer, next to the judge's verdict" \
  "$llmeval" feedback add "$trace_id" --name relevance --value pass --rationale "checked by the teacher"
step "A self-contained HTML report of the first run (metadata, pass-rate charts, items, trace timelines)" \
  "$llmeval" report 1 -o "$demo/report-run-1.html"
step "The two prompts side by side in one report: paired deltas and flipped items" \
  "$llmeval" report 1 "$concise_id" -o "$demo/report-compare.html"
step "The agent run's report: open an item to see its tool calls on the timeline" \
  "$llmeval" report "$run_id" -o "$demo/report-agent.html"
step "Export the agent run's traces as OTLP/JSON (for Jaeger, Phoenix, Langfuse, MLflow)" \
  "$llmeval" traces export --run "$run_id" --format otlp-json -o "$demo/traces.otlp.jsonl"

"$llmeval" prompts alias basic production 1 >/dev/null
step "CI gate: the basic prompt against its production version (same text: passes, exit 0)" \
  "$llmeval" gate --prompt basic --quiet --markdown "$demo/gate.md"
set +e
echo "Answer in one word only." >> prompts/basic.txt
step "A colleague edits prompts/basic.txt; the CI gate compares it with basic@production (worse: exit 1)" \
  "$llmeval" gate --prompt basic --quiet
gate_rc=$?
set -e
echo "(gate exit code $gate_rc: 1 means a rule failed, as it should for this prompt)"

port_file="$demo/sim-server.port"
"$llmeval" sim-server --port 0 --latency-ms 20 --exit-after 120 >"$port_file" 2>"$demo/sim-server.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(head -n1 "$port_file")
step "The same over HTTP: the sim server on 127.0.0.1:$port as an OpenAI-compatible endpoint" \
  env OPENAI_BASE_URL="http://127.0.0.1:$port/v1" "$llmeval" run --model openai:sim --limit 8 --no-cache --quiet
step "--concurrency is what you get: 24 items over HTTP at --concurrency 24 (the summary shows the calls in flight)" \
  env OPENAI_BASE_URL="http://127.0.0.1:$port/v1" "$llmeval" run --model openai:sim --judge openai:sim --limit 8 \
  --repeat 3 --concurrency 24 --no-cache --quiet
step "The response cache in the store (llmeval cache clear empties it; runs keep their answers)" "$llmeval" cache stats
# The application itself as the system under test: the agent service of app/agent_app.py (its model: the sim server
# above), exporting its own spans to the OTLP port llmeval's run listens on (LLMEVAL_OTLP_PORT).
otlp_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$otlp_port" python3 app/agent_app.py \
  --model-url "http://127.0.0.1:$port/v1" --exit-after 120 >"$demo/agent-app.port" 2>"$demo/agent-app.log" &
agent_app=$!
trap 'kill $server $agent_app 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$demo/agent-app.port" ] && break; sleep 0.1; done
export AGENT_APP_PORT=$(head -n1 "$demo/agent-app.port")
step "Evaluate the agent application over HTTP (targets.agent_app): the app runs its own model and tool calls" \
  env LLMEVAL_OTLP_PORT="$otlp_port" "$llmeval" run --target agent_app --limit 3 --quiet
app_run=$("$llmeval" runs list --limit 1 | awk 'NR==2 {print $1}')
app_trace=$("$llmeval" traces list --run "$app_run" --limit 1 | awk 'NR==2 {print $1}')
step "The app's own spans ([se-exam-agent]) nested under the item's target span" \
  "$llmeval" trace show "$app_trace" --width 110 --no-details
kill "$agent_app" 2>/dev/null || true
step "Conversations: a simulated student asks follow-up questions until its goal is reached (at most 6 turns)" \
  "$llmeval" run --config conversations.yaml --quiet
conv_id=$("$llmeval" runs list --limit 1 | awk 'NR==2 {print $1}')
conv_trace=$("$llmeval" traces list --run "$conv_id" --limit 1 | awk 'NR==2 {print $1}')
step "One conversation as a trace: a conversation_turn span per turn, the student's and the tutor's chat calls" \
  "$llmeval" trace show "$conv_trace" --width 110
step "Agent trajectories: the web-search agent against expected tool sequences (failures name the first bad step)" \
  "$llmeval" run --config agent.yaml --quiet
collect_port_file="$demo/collect.port"
"$llmeval" collect --port 0 --exit-after 60 >"$collect_port_file" 2>"$demo/collect.log" &
collector=$!
trap 'kill $server $collector 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$collect_port_file" ] && break; sleep 0.1; done
collect_port=$(head -n1 "$collect_port_file")
step "Your application's traces: the example app (stdlib Python, OTLP/JSON) sends them to llmeval collect on 127.0.0.1:$collect_port" \
  python3 app/traced_app.py --endpoint "http://127.0.0.1:$collect_port" --repeat 4 --ago 3600
kill -INT "$collector"
wait "$collector" || true
step "Collected traces, searched like run traces" "$llmeval" traces list --service shop --since 2h --limit 4
step "Score the collected traces (GenAI, OpenInference and MLflow conventions) with the config's scorers" \
  "$llmeval" evaluate --traces "service=shop since=2h" --scorers enough_words,relevance --quiet
traces_run=$("$llmeval" runs list --limit 1 | awk 'NR==2 {print $1}')
step "A report of the collected traces' scores" "$llmeval" report "$traces_run" -o "$demo/report-traces.html"
"$llmeval" collect --port 0 --exit-after 60 >"$collect_port_file" 2>>"$demo/collect.log" &
collector=$!
for _ in $(seq 50); do [ -s "$collect_port_file" ] && break; sleep 0.1; done
collect_port=$(head -n1 "$collect_port_file")
step "A regressed release of the app answers 'no idea' to everything" \
  python3 app/traced_app.py --endpoint "http://127.0.0.1:$collect_port" --repeat 2 --answer "no idea"
kill -INT "$collector"
wait "$collector" || true
set +e
step "Monitoring: one pass scores what is new and tests its pass rate against the traces before it (drop: exit 1)" \
  "$llmeval" monitor --traces service=shop --once --scorers enough_words --window 18 --baseline-window 36 --min-samples 10
monitor_rc=$?
set -e
echo "(monitor exit code $monitor_rc: 1 means a scorer's pass rate dropped significantly, as it did here)"
step "All runs in the store" "$llmeval" runs list
echo
echo "Results are in $LLMEVAL_DB. Try: LLMEVAL_DB=$LLMEVAL_DB $llmeval runs show 2"
echo "Reports (open in any browser, no network needed):"
echo "  $demo/report-run-1.html"
echo "  $demo/report-compare.html"
echo "  $demo/report-agent.html"
echo "  $demo/report-traces.html"
echo "Browse every run live: LLMEVAL_DB=$LLMEVAL_DB $llmeval ui    (serves http://127.0.0.1 only)"
