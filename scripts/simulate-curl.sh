#!/usr/bin/env bash
# Proves `auditlight simulate --json` is usable from plain curl: a
# client-credentials token, a subscription start, a content listing and the
# ground truth, all over HTTPS trusting only the printed CA file.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/auditlight}
[ -x "$BIN" ] || go build -tags migrated_fynedo -o "$BIN" .
out=$(mktemp)
"$BIN" simulate --listen 127.0.0.1:0 --scenario healthy --json >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 1 100); do [ -s "$out" ] && break; sleep 0.05; done
field() { python3 -c "import json,sys; print(json.load(open('$out'))['$1'])"; }
ca=$(field caFile); tid=$(field tenantId); api=$(field apiUrl)
token=$(curl -sf --cacert "$ca" -d grant_type=client_credentials -d client_id="$(field clientId)" \
  --data-urlencode client_secret="$(field clientSecret)" --data-urlencode scope="$(field apiScope)" "$(field tokenUrl)" |
  python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])")
feed="$api/api/v1.0/$tid/activity/feed"
curl -sf --cacert "$ca" -X POST -H "Authorization: Bearer $token" "$feed/subscriptions/start?contentType=Audit.General&PublisherIdentifier=$tid" >/dev/null
start=$(date -u -d '-6 hours' +%Y-%m-%dT%H:%M:%S); end=$(date -u +%Y-%m-%dT%H:%M:%S)
blobs=$(curl -sf --cacert "$ca" -H "Authorization: Bearer $token" \
  "$feed/subscriptions/content?contentType=Audit.General&startTime=$start&endTime=$end&PublisherIdentifier=$tid" |
  python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
ids=$(curl -sf --cacert "$ca" "$(field groundTruthUrl)" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['count'] if d['count']==len(d['ids']) else -1)")
# Without the CA, TLS verification must fail.
if curl -s -o /dev/null "$(field tokenUrl)"; then echo "simulate-curl: TLS accepted without the CA"; exit 1; fi
[ "$blobs" -gt 0 ] && [ "$ids" -gt 0 ] || { echo "simulate-curl: blobs=$blobs ids=$ids"; exit 1; }
echo "simulate-curl: token OK, $blobs blobs listed in the last 6 h, ground truth lists $ids record ids"
