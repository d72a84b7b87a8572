#!/usr/bin/env bash
# Drain benchmark (issue 12), reference beside it in the same run:
#   discard — benchmarks/discarddrain lists and GETs every blob of the 7-day
#             backlog with 8 fetchers (the collector's concurrency) and drops it;
#   collect — `auditlight collect --once` on a fresh profile: the same lists and
#             GETs plus parse, dedupe, compress, store, index and detect.
# Both drain the same standalone simulator process (`auditlight simulate`,
# budget lifted), alternately, REPEAT times. Prints wall time, the ratio and
# each process's peak RSS, the store's bytes per record, and the machine's
# floor for the drain: the CPU that collect and the simulator spent during it,
# divided by the cores (no scheduling of that work can end sooner).
#   BENCH_DRAIN_USERS=200 (default: ~281 k records); 715 gives ~1 M.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${BENCH_DRAIN_USERS:-200}
REPEAT=${REPEAT:-2}
BIN=${BIN:-build/auditlight}
mkdir -p build
[ -x "$BIN" ] || go build -tags migrated_fynedo -o "$BIN" .
go build -o build/discarddrain ./benchmarks/discarddrain
. scripts/appenv.sh # the toolchain's GOMEMLIMIT is not the app's
work=$(mktemp -d)
cleanup() { [ -n "${sim:-}" ] && kill "$sim" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP_LOG:-}" ] && trap 'cp "$work/collect.log" "$KEEP_LOG"; [ -n "${KEEP_DB:-}" ] && cp "$work/p/data/events.db" "$KEEP_DB"; cleanup' EXIT
"$BIN" simulate --listen 127.0.0.1:0 --users "$USERS" --requests-per-minute 1000000000 --json \
  --ca-file "$work/ca.pem" >"$work/sim.json" 2>/dev/null & sim=$!
for _ in $(seq 1 200); do [ -s "$work/sim.json" ] && break; sleep 0.05; done
f() { python3 -c "import json; print(json.load(open('$work/sim.json'))['$1'])"; }
export AUDITLIGHT_CLIENT_SECRET; AUDITLIGHT_CLIENT_SECRET=$(f clientSecret)
profile() { # a configured profile without a keychain (the secret comes from the environment)
  mkdir -p -m 700 "$1"
  python3 - "$1" "$work/sim.json" "$work/ca.pem" <<'PY'
import json, os, sys
d, sim, ca = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
cfg = {"tenant": sim["tenantDomain"], "tenantId": sim["tenantId"], "clientId": sim["clientId"], "cloud": "custom",
       "loginUrl": sim["loginUrl"], "apiUrl": sim["apiUrl"], "graphUrl": sim["graphUrl"], "caFile": ca,
       "requestsPerMinute": 1000000000}
p = os.path.join(d, "config.json")
with open(p, "w") as fh: json.dump(cfg, fh)
os.chmod(p, 0o600)
PY
}
tck=$(getconf CLK_TCK)
simcpu() { awk -v t="$tck" '{printf "%.2f", ($14+$15)/t}' "/proc/$sim/stat"; }
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); simulator: $USERS users x 7 days (own process)"
for r in $(seq 1 "$REPEAT"); do
  s0=$(simcpu)
  /usr/bin/time -f "%e %M %U %S" -o "$work/t.discard" build/discarddrain --login-url "$(f loginUrl)" --api-url "$(f apiUrl)" \
    --tenant "$(f tenantDomain)" --tenant-id "$(f tenantId)" --client-id "$(f clientId)" --ca-file "$work/ca.pem" >"$work/discard.out"
  s1=$(simcpu)
  rm -rf "$work/p"; profile "$work/p"
  /usr/bin/time -f "%e %M %U %S" -o "$work/t.collect" "$BIN" --profile "$work/p" collect --once >"$work/collect.log" 2>&1
  s2=$(simcpu)
  read -r dw drss du ds <"$work/t.discard"; read -r cw crss cu cs <"$work/t.collect"
  recs=$("$BIN" --profile "$work/p" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["totalRecords"])')
  db=$(find "$work/p" -name 'events.db*' -printf '%s\n' | awk '{s+=$1} END {print s}')
  echo "round $r: $(cat "$work/discard.out")"
  awk -v s0="$s0" -v s1="$s1" -v s2="$s2" -v cores="$(nproc)" -v dcpu="$du $ds" -v ccpu="$cu $cs" -v dw="$dw" -v cw="$cw" -v drss="$drss" -v crss="$crss" -v n="$recs" -v db="$db" 'BEGIN {
    printf "  drain wall: collect --once %.2f s vs discard-only %.2f s = %.2fx (target <= 1.3x)\n", cw, dw, cw/dw
    split(ccpu, c, " "); split(dcpu, d, " "); sd = s1 - s0; sc = s2 - s1
    printf "  CPU (user+sys): collect --once %.2f s vs discard-only %.2f s; the simulator meanwhile %.2f s vs %.2f s\n", c[1]+c[2], d[1]+d[2], sc, sd
    fl = (c[1]+c[2]+sc)/cores
    printf "  floor on %d cores: (collect + simulator CPU) / cores = %.2f s = %.2fx the discard-only wall\n", cores, fl, fl/dw
    printf "  records %d: %.0f records/s stored\n", n, n/cw
    printf "  peak RSS: collect --once %.0f MB, discard-only %.0f MB (target <= 150 MB during a 1 M-record drain)\n", crss/1024, drss/1024
    printf "  store: %.0f bytes per record = %.0f MB per million (target <= 800)\n", db/n, db/n
  }'
done
