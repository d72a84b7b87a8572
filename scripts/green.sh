#!/usr/bin/env bash
# Launch to green in `auditlight --demo` (issue 12: <= 1 s): the time from
# starting the process to its log line `msg=status state=healthy` (written
# when the green status reached the tray and the window), and the CPU the
# process used by then, with the main thread's share (Fyne's GL windows).
# Xvfb with a tray host (benchmarks/traywatcher), a fresh HOME per run.
# REPEAT runs (default 3); with BASE=another binary the two are alternated
# in the same run, so machine load hits both alike.
# Mesa keeps its shader cache under the account's home (found through the
# password database, not $HOME), so a fresh HOME still finds the shaders
# compiled by earlier launches: these are second launches. COLD=1 gives
# each run an empty shader cache of its own (MESA_SHADER_CACHE_DIR), as on
# a machine's very first launch with software GL.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/trayhost.sh # BIN, WATCHER, the app's environment
bins=("$BIN")
[ -n "${BASE:-}" ] && bins+=("$BASE")
for r in $(seq 1 "${REPEAT:-3}"); do
  for b in "${bins[@]}"; do
    work=$(mktemp -d)
    if [ -n "${COLD:-}" ]; then export MESA_SHADER_CACHE_DIR="$work/mesa-shader-cache"; fi
    HOME="$work" B="$b" work="$work" dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
      set -euo pipefail
      : >"$work/watcher.log"; : >"$work/app.log"
      "$WATCHER" >"$work/watcher.log" 2>&1 & watcher=$!
      until grep -q ready "$work/watcher.log"; do sleep 0.02; done
      start=$(date +%s%N)
      "$B" --demo >"$work/app.log" 2>&1 & pid=$!
      until grep -q "state=healthy" "$work/app.log"; do kill -0 $pid; sleep 0.01; done
      ms=$(( ($(date +%s%N) - start) / 1000000 ))
      cpu=$(awk "{printf \"%.2f\", (\$14+\$15)/$(getconf CLK_TCK)}" /proc/$pid/stat)
      main=$(awk "{printf \"%.2f\", (\$14+\$15)/$(getconf CLK_TCK)}" /proc/$pid/task/$pid/stat)
      echo "run '"$r"' $B: launch to green ${ms} ms, ${cpu} s CPU by then (${main} s on the main thread)"
      kill -TERM $pid; wait $pid || true
      kill $watcher; wait $watcher 2>/dev/null || true
    ' 2> >(grep -v "dbus-daemon" >&2)
    rm -rf "$work"
  done
done
