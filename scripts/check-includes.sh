#!/usr/bin/env bash
# Checks that no #include crosses the module graph the wrong way (docs/ARCHITECTURE.md):
#   core      includes nothing of ours
#   prompts, datasets, tracing, scorers   include core only
#   engine    includes core, prompts, datasets, tracing, scorers
#   cli       includes anything but tests
# Usage: scripts/check-includes.sh [ROOT]   Exit 0 when clean, 1 with one line per offending include.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
allowed() {
  case $1 in
    core) echo "core" ;;
    prompts|datasets|tracing|scorers) echo "core $1" ;;
    engine) echo "core prompts datasets tracing scorers engine" ;;
    cli) echo "core prompts datasets tracing scorers engine cli" ;;
  esac
}
modules="core prompts datasets tracing scorers engine cli"
bad=0
for module in $modules; do
  [ -d "$root/$module" ] || continue
  ok=$(allowed "$module")
  while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    file=${hit%%:*}
    rest=${hit#*:}
    line=${rest%%:*}
    target=$(printf '%s' "$rest" | sed -E 's/^[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]*"([^/"]+)\/.*/\1/')
    case " $modules tests " in *" $target "*) ;; *) continue ;; esac
    case " $ok " in
      *" $target "*) ;;
      *) echo "${file#$root/}:$line: module '$module' may not include '$target' (allowed: $ok)"; bad=1 ;;
    esac
  done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^/"]+/' "$root/$module" --include='*.h' --include='*.cc' 2>/dev/null)
done
if [ $bad -eq 0 ]; then echo "include graph: clean"; fi
exit $bad
