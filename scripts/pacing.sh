#!/usr/bin/env bash
# Pacing report (issue 12): how long a 7-day catch-up takes against
# Microsoft's 2,000 requests/min budget, for a 50-user and a 500-user tenant.
# The simulator (own process) serves each tenant's 7-day backlog; the
# discard-only drain counts the Management API requests a catch-up needs
# (every blob GET + listing pages + starts); the floor is requests ÷ budget.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/auditlight}
mkdir -p build
[ -x "$BIN" ] || go build -tags migrated_fynedo -o "$BIN" .
go build -o build/discarddrain ./benchmarks/discarddrain
for users in ${PACING_USERS:-50 500}; do
  work=$(mktemp -d)
  "$BIN" simulate --listen 127.0.0.1:0 --users "$users" --requests-per-minute 1000000000 --json \
    --ca-file "$work/ca.pem" >"$work/sim.json" 2>/dev/null & sim=$!
  for _ in $(seq 1 200); do [ -s "$work/sim.json" ] && break; sleep 0.05; done
  f() { python3 -c "import json; print(json.load(open('$work/sim.json'))['$1'])"; }
  echo "== $users-user tenant, 7 days"
  AUDITLIGHT_CLIENT_SECRET=$(f clientSecret) build/discarddrain --login-url "$(f loginUrl)" --api-url "$(f apiUrl)" \
    --tenant "$(f tenantDomain)" --tenant-id "$(f tenantId)" --client-id "$(f clientId)" --ca-file "$work/ca.pem"
  kill $sim; wait $sim 2>/dev/null || true
  rm -rf "$work"
done
