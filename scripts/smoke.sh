#!/usr/bin/env bash
# Starts the real binary in --demo mode under Xvfb (with a D-Bus session),
# waits for the status light to turn green (must be within 10 s), saves a
# screenshot of the main window to build/screenshots/main.png and quits;
# then runs --demo --scenario attack and saves attack-status.png and
# attack-findings.png (the findings beside the light and in their tab).
# Prints the time from launch to green.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/auditlight}
[ -x "$BIN" ] || go build -tags migrated_fynedo -o "$BIN" .
mkdir -p build/screenshots
log=build/smoke.log
rm -f "$log" build/screenshots/main.png
export LANG=en_US.UTF-8 BIN log
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  set -u
  start=$(date +%s%N)
  "$BIN" --demo >"$log" 2>&1 &
  pid=$!
  green=""
  for _ in $(seq 1 200); do
    if grep -q "state=healthy" "$log"; then green=$(date +%s%N); break; fi
    if ! kill -0 $pid 2>/dev/null; then break; fi
    sleep 0.05
  done
  if [ -z "$green" ]; then
    echo "smoke: the demo did not turn green within 10 s"; cat "$log"; kill $pid 2>/dev/null; exit 1
  fi
  ms=$(( (green - start) / 1000000 ))
  echo "smoke: launch to green in ${ms} ms"
  echo "$ms" > build/smoke-green-ms
  sleep 3
  import -window root build/screenshots/main.png
  kill -TERM $pid
  for _ in $(seq 1 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  if kill -0 $pid 2>/dev/null; then echo "smoke: the app did not quit on SIGTERM"; kill -9 $pid; exit 1; fi
  grep -q "collector stopped cleanly" "$log" || { echo "smoke: no clean shutdown in the log"; cat "$log"; exit 1; }
'
test -s build/screenshots/main.png
echo "smoke: screenshot saved to build/screenshots/main.png"

# Findings: the attack scenario on the Status tab (the Tenant safety line
# beside the light, the tray badge) and on the Findings tab (list + detail).
rm -f build/screenshots/attack-status.png build/screenshots/attack-findings.png
for tab in status findings; do
  export tab
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
    set -u
    alog=build/smoke-attack-$tab.log
    "$BIN" --demo --scenario attack --tab "$tab" --size 1240x860 >"$alog" 2>&1 &
    pid=$!
    found=""
    for _ in $(seq 1 300); do
      if grep -q "state=healthy" "$alog" && grep -qi "finding" "$alog"; then found=1; break; fi
      if ! kill -0 $pid 2>/dev/null; then break; fi
      sleep 0.1
    done
    [ -n "$found" ] || { echo "smoke: attack demo raised no finding within 30 s"; cat "$alog"; kill $pid 2>/dev/null; exit 1; }
    sleep 4
    import -window root "build/screenshots/attack-$tab.png"
    kill -TERM $pid
    for _ in $(seq 1 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    kill -0 $pid 2>/dev/null && { kill -9 $pid; exit 1; }
    exit 0
  '
  test -s "build/screenshots/attack-$tab.png"
  echo "smoke: screenshot saved to build/screenshots/attack-$tab.png"
done
