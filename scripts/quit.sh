#!/usr/bin/env bash
# Quitting on SIGTERM: N launches of `auditlight --demo` under Xvfb with a
# tray host; each waits for the green, a random 0-0.9 s more, then sends
# SIGTERM and times the exit. Prints per launch the exit code, the time to
# exit, whether the collector logged "collector stopped cleanly", and
# whether the app had to exit without Fyne ("did not finish quitting": its
# event loop never returned, app/loopwatch.go). A launch still running 15 s
# after SIGTERM is counted as hung, its goroutines dumped (SIGQUIT) into
# build/quit-hung-N.log, and it is killed. N (default 10); BASE=another
# binary alternates the two in the same run.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/trayhost.sh # BIN, WATCHER, the app's environment
bins="$BIN"
[ -n "${BASE:-}" ] && bins="$BIN $BASE"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
HOME="$work" bins="$bins" N="${N:-10}" work="$work" out="$PWD/build" dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  : >"$work/watcher.log"
  "$WATCHER" >"$work/watcher.log" 2>&1 & watcher=$!
  until grep -q ready "$work/watcher.log"; do sleep 0.02; done
  for i in $(seq 1 "$N"); do
    for b in $bins; do
      log="$work/app.log"; : >"$log"
      "$b" --demo >"$log" 2>&1 & pid=$!
      until grep -q "state=healthy" "$log"; do kill -0 $pid 2>/dev/null || break; sleep 0.01; done
      sleep "0.$((RANDOM % 10))"
      t0=$(date +%s%N); kill -TERM $pid
      for _ in $(seq 1 150); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
      state=exited
      if kill -0 $pid 2>/dev/null; then
        state=HUNG; kill -QUIT $pid; sleep 1; cp "$log" "$out/quit-hung-$i.log"; kill -9 $pid 2>/dev/null
      fi
      wait $pid 2>/dev/null; rc=$?
      ms=$(( ($(date +%s%N) - t0) / 1000000 ))
      echo "launch $i $b: $state, exit $rc after ${ms} ms; collector stopped: $(grep -c "collector stopped cleanly" "$log"); exited without Fyne: $(grep -c "did not finish quitting" "$log")"
    done
  done
  kill $watcher; wait $watcher 2>/dev/null || true
' 2> >(grep -v dbus-daemon >&2)
