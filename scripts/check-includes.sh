#!/usr/bin/env bash
# Checks that no #include crosses the module graph the wrong way (docs/ARCHITECTURE.md):
#   core      includes nothing of ours
#   prompts, datasets, tracing, scorers   include core only
#   engine    includes core, prompts, datasets, tracing, scorers; inside engine, each subsystem folder includes
#             only itself and the folders engine/modules.txt lists for it (and no file sits in engine/ itself)
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
# Prints "file:line:target" for every quoted include of "target/..." in the .h and .cc files below $1.
includes_below() {
  grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^/"]+/' "$1" --include='*.h' --include='*.cc' 2>/dev/null |
    sed -E "s/^([^:]+):([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*\"(${2:-[^/\"]+})\/.*/\1:\2:\3/"
}
for module in $modules; do
  [ -d "$root/$module" ] || continue
  ok=$(allowed "$module")
  while IFS=: read -r file line target; do
    [ -n "$file" ] || continue
    case " $modules tests " in *" $target "*) ;; *) continue ;; esac
    case " $ok " in
      *" $target "*) ;;
      *) echo "${file#$root/}:$line: module '$module' may not include '$target' (allowed: $ok)"; bad=1 ;;
    esac
  done < <(includes_below "$root/$module")
done

# Inside engine: the subsystem graph of engine/modules.txt.
manifest="$root/engine/modules.txt"
if [ -d "$root/engine" ]; then
  for file in "$root"/engine/*.cc "$root"/engine/*.h; do
    [ -e "$file" ] || continue
    echo "${file#$root/}: code belongs in an engine subsystem folder (engine/modules.txt), not in engine/ itself"
    bad=1
  done
fi
if [ -f "$manifest" ]; then
  declare -A engine_allowed=()
  while IFS= read -r entry; do
    name=${entry%%:*}
    engine_allowed[$name]=" $name $(echo ${entry#*:}) "
  done < <(grep -E '^[a-z_]+:' "$manifest")
  for dir in "$root"/engine/*/; do
    sub=$(basename "$dir")
    [ -n "$(find "$dir" -maxdepth 1 \( -name '*.cc' -o -name '*.h' \) -print -quit)" ] || continue
    if [ -z "${engine_allowed[$sub]:-}" ]; then
      echo "engine/$sub: a folder of code that engine/modules.txt does not list"
      bad=1
      continue
    fi
    while IFS=: read -r file line target; do
      [ -n "$file" ] || continue
      case "$target" in engine/*) target=${target#engine/} ;; *) continue ;; esac
      case "${engine_allowed[$sub]}" in
        *" $target "*) ;;
        *) echo "${file#$root/}:$line: engine/$sub may not include engine/$target (allowed:${engine_allowed[$sub]% })"; bad=1 ;;
      esac
    done < <(includes_below "$dir" 'engine\/[^/"]+')
  done
fi
if [ $bad -eq 0 ]; then echo "include graph: clean"; fi
exit $bad
