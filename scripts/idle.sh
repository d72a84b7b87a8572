#!/usr/bin/env bash
# Launch-to-green and idle cost of the real app, measured apart from the
# simulator: `auditlight simulate` runs as its own process, the app is
# configured against it (secret in a real gnome-keyring) and started hidden
# in the tray under Xvfb. After the 7-day backfill it is left alone for 60 s.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/auditlight}
[ -x "$BIN" ] || go build -tags migrated_fynedo -o "$BIN" .
export BIN LANG=en_US.UTF-8
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export work HOME="$work/home"
mkdir -p -m 700 "$HOME/.cache" "$HOME/.local/share/keyrings"
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  set -euo pipefail
  echo -n idle-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$BIN" simulate --listen 127.0.0.1:0 --requests-per-minute 1000000 --json --ca-file "$work/ca.pem" >"$work/sim.json" 2>/dev/null & sim=$!
  for _ in $(seq 1 100); do [ -s "$work/sim.json" ] && break; sleep 0.05; done
  f() { python3 -c "import json; print(json.load(open(\"$work/sim.json\"))[\"$1\"])"; }
  f clientSecret | "$BIN" --profile "$work/p" configure --cloud custom --tenant "$(f tenantDomain)" --client-id "$(f clientId)" \
    --login-url "$(f loginUrl)" --api-url "$(f apiUrl)" --graph-url "$(f graphUrl)" --ca-file "$work/ca.pem" \
    --requests-per-minute 60000 --secret-stdin >/dev/null
  start=$(date +%s%N)
  "$BIN" --profile "$work/p" ${MODE:---hidden} >"$work/app.log" 2>&1 & pid=$!
  until grep -q "state=healthy" "$work/app.log"; do sleep 0.05; done
  echo "launch to green: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  until "$BIN" --profile "$work/p" status --json | grep -q "\"backfillPercent\": 100"; do sleep 1; done
  echo "7-day backfill complete after $(( ($(date +%s%N) - start) / 1000000 )) ms"
  sleep 5
  hz=$(getconf CLK_TCK)
  t0=$(awk "{print \$14+\$15}" /proc/$pid/stat)
  sleep 60
  t1=$(awk "{print \$14+\$15}" /proc/$pid/stat)
  echo "idle CPU over 60 s (window hidden): $(awk -v a=$t0 -v b=$t1 -v hz=$hz "BEGIN {printf \"%.2f %%\", (b-a)/hz/60*100}")"
  echo "RSS: $(awk "/VmRSS/ {printf \"%.0f MB\", \$2/1024}" /proc/$pid/status) (peak $(awk "/VmHWM/ {printf \"%.0f MB\", \$2/1024}" /proc/$pid/status))"
  kill -TERM $pid; wait $pid || true
  kill $sim; wait $sim 2>/dev/null || true
' 2> >(grep -v "dbus-daemon" >&2)
