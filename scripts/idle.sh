#!/usr/bin/env bash
# Launch-to-green and idle cost of the real app, measured apart from the
# simulator: `auditlight simulate` runs as its own process, the app is
# configured against it (secret in a real gnome-keyring) and started hidden
# in the tray under Xvfb. After the 7-day backfill it is left alone for 60 s.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/auditlight}
[ -x "$BIN" ] || go build -tags migrated_fynedo -o "$BIN" .
# The baseline measured beside the app in the same run (issue 12): a Fyne
# hello world with a tray menu and a hidden window (benchmarks/helloworld).
HELLO=${HELLO:-build/helloworld}
[ -x "$HELLO" ] || go build -tags migrated_fynedo -o "$HELLO" ./benchmarks/helloworld
# The tray host (a StatusNotifierWatcher): without one AuditLight shows its
# window although --hidden was given (it never runs invisibly), and the
# hello world's tray icon is not registered either.
WATCHER=${WATCHER:-build/traywatcher}
[ -x "$WATCHER" ] || go build -o "$WATCHER" ./benchmarks/traywatcher
. scripts/appenv.sh # the toolchain's GOMEMLIMIT is not the app's
export BIN HELLO WATCHER LANG=en_US.UTF-8
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export work HOME="$work/home"
mkdir -p -m 700 "$HOME/.cache" "$HOME/.local/share/keyrings"
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  set -euo pipefail
  echo -n idle-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  : >"$work/watcher.log"; : >"$work/app.log"
  "$WATCHER" >"$work/watcher.log" 2>&1 & watcher=$!
  until grep -q ready "$work/watcher.log"; do kill -0 $watcher || { cat "$work/watcher.log"; exit 1; }; sleep 0.05; done
  "$BIN" simulate --listen 127.0.0.1:0 --requests-per-minute 1000000 --json --ca-file "$work/ca.pem" >"$work/sim.json" 2>/dev/null & sim=$!
  for _ in $(seq 1 100); do [ -s "$work/sim.json" ] && break; sleep 0.05; done
  f() { python3 -c "import json; print(json.load(open(\"$work/sim.json\"))[\"$1\"])"; }
  f clientSecret | "$BIN" --profile "$work/p" configure --cloud custom --tenant "$(f tenantDomain)" --client-id "$(f clientId)" \
    --login-url "$(f loginUrl)" --api-url "$(f apiUrl)" --graph-url "$(f graphUrl)" --ca-file "$work/ca.pem" \
    --requests-per-minute 60000 --secret-stdin >/dev/null
  "$HELLO" >/dev/null 2>&1 & hello=$!
  start=$(date +%s%N)
  "$BIN" --profile "$work/p" ${MODE:---hidden} >"$work/app.log" 2>&1 & pid=$!
  until grep -q "state=healthy" "$work/app.log"; do sleep 0.05; done
  echo "launch to green: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  if grep -q "no system tray" "$work/app.log"; then echo "idle: the app found no tray host and showed its window"; exit 1; fi
  until "$BIN" --profile "$work/p" status --json | grep -q "\"backfillPercent\": 100"; do sleep 1; done
  echo "7-day backfill complete after $(( ($(date +%s%N) - start) / 1000000 )) ms"
  sleep 5
  hz=$(getconf CLK_TCK)
  cpu() { awk "{print \$14+\$15}" /proc/$1/stat; }
  rss() { awk "/VmRSS/ {print \$2/1024}" /proc/$1/status; }
  t0=$(cpu $pid); h0=$(cpu $hello)
  sleep 60
  t1=$(cpu $pid); h1=$(cpu $hello)
  awk -v a=$t0 -v b=$t1 -v c=$h0 -v d=$h1 -v hz=$hz -v r=$(rss $pid) -v hr=$(rss $hello) -v mode="${MODE:---hidden}" "BEGIN {
    app = (b-a)/hz/60*100; hw = (d-c)/hz/60*100
    printf \"idle over the same 60 s: %s %.2f %% CPU, %.0f MB RSS | hello world with tray, window hidden: %.2f %% CPU, %.0f MB RSS\\n\", mode, app, r, hw, hr
    if (mode == \"collect\") printf \"  headless collect RSS %.0f MB (target <= 60 MB)\\n\", r
    else printf \"  app - hello world: %+.2f CPU points (target <= +0.2), %+.0f MB RSS (target <= +40 MB)\\n\", app-hw, r-hr
  }"
  echo "peak RSS: $(awk "/VmHWM/ {printf \"%.0f MB\", \$2/1024}" /proc/$pid/status)"
  kill $hello 2>/dev/null || true
  kill -TERM $pid; wait $pid || true
  kill $sim; wait $sim 2>/dev/null || true
  kill $watcher; wait $watcher 2>/dev/null || true
' 2> >(grep -v "dbus-daemon" >&2)
