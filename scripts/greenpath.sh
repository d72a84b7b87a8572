#!/usr/bin/env bash
# One launch of `auditlight --demo` to green, recorded for its critical path
# (issue 12, BENCHMARKS "Launch to green: the critical path, round 9"): the
# same set-up as green.sh (Xvfb, the tray host, a fresh HOME), with an
# execution trace (AUDITLIGHT_TRACE) and the main thread sampled every 2 ms
# (benchmarks/mainthread). Prints the main thread's states, the per-thread
# CPU at green, then the timeline (scripts/greenpath.py). OUT (default a
# new temporary directory, kept) gets app.log, trace.out and the reports.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/trayhost.sh # BIN, WATCHER, the app's environment
SAMPLER=${SAMPLER:-build/mainthread}
[ -x "$SAMPLER" ] || go build -o "$SAMPLER" ./benchmarks/mainthread
OUT=${OUT:-$(mktemp -d /tmp/greenpath.XXXXXX)}
mkdir -p "$OUT"
work=$(mktemp -d)
HOME="$work" OUT="$OUT" SAMPLER="$SAMPLER" work="$work" dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  set -euo pipefail
  : >"$work/watcher.log"
  "$WATCHER" >"$work/watcher.log" 2>&1 & watcher=$!
  until grep -q ready "$work/watcher.log"; do sleep 0.02; done
  date +%s%N >"$OUT/start"
  AUDITLIGHT_TRACE="$OUT/trace.out" "$SAMPLER" "$OUT/app.log" "$BIN" --demo >"$OUT/mainthread.txt"
  kill $watcher; wait $watcher 2>/dev/null || true
' 2> >(grep -v "dbus-daemon" >&2)
rm -rf "$work"
cat "$OUT/mainthread.txt"
python3 scripts/greenpath.py "$OUT/trace.out" "$(cat "$OUT/start")" | tee "$OUT/timeline.txt"
echo "greenpath: $OUT"
