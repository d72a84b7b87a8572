#!/usr/bin/env bash
# The benchmarks recorded in BENCHMARKS.md (README: `make bench`).
#   BENCH_USERS=715 (default) drains ~1,000,000 records; set fewer for a quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=en_US.UTF-8
TAGS=migrated_fynedo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version)"

echo "== parser (collector/auditrec)"
go test -run '^$' -bench . -benchtime 2s ./collector/auditrec/
echo "== store: insert rate and feed queries at 1,000,000 rows (collector/store)"
go test -run '^$' -bench 'CommitBlob|QueryNewest200|Dashboard' -benchtime 20x -timeout 30m ./collector/store/
echo "== collector: drain of a 7-day backlog from the local simulator"
AUDITLIGHT_BENCH_USERS=${BENCH_USERS:-715} go test -run '^$' -bench DrainBacklog -benchtime 1x -timeout 60m ./collector/

if [ "$(uname -s)" = Linux ]; then
  echo "== app: launch to green, then idle CPU and RSS with the window hidden for 60 s (Xvfb)"
  go build -tags "$TAGS" -o build/auditlight .
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
    log=build/idle.log
    start=$(date +%s%N)
    build/auditlight --demo --hidden >"$log" 2>&1 & pid=$!
    until grep -q "state=healthy" "$log"; do sleep 0.05; done
    echo "launch to green: $(( ($(date +%s%N) - start) / 1000000 )) ms"
    # let the 7-day backfill finish before measuring idle
    for _ in $(seq 1 600); do grep -q "reason=\"Online and logging. Last poll" "$log" && break; sleep 0.5; done
    sleep 5
    t0=$(awk "{print \$14+\$15}" /proc/$pid/stat)
    sleep 60
    t1=$(awk "{print \$14+\$15}" /proc/$pid/stat)
    hz=$(getconf CLK_TCK)
    echo "idle CPU over 60 s: $(awk -v a=$t0 -v b=$t1 -v hz=$hz "BEGIN {printf \"%.2f %%\", (b-a)/hz/60*100}")"
    echo "RSS: $(awk "/VmRSS/ {printf \"%.0f MB\", \$2/1024}" /proc/$pid/status), peak $(awk "/VmHWM/ {printf \"%.0f MB\", \$2/1024}" /proc/$pid/status)"
    kill -TERM $pid; wait $pid || true
  '
fi
