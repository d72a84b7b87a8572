#!/usr/bin/env bash
# The benchmarks recorded in BENCHMARKS.md (README: `make bench`).
#   BENCH_USERS=715 (default) drains ~1,000,000 records; set fewer for a quick run.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=en_US.UTF-8
TAGS=migrated_fynedo
echo "machine: $(nproc) cores ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version)"
echo "(shared 2-core machines are noisy: every figure below is printed beside its reference from the same run)"

echo "== parser (collector/auditrec)"
go test -run '^$' -bench . -benchtime 2s ./collector/auditrec/
echo "== ui: a label's text changing, cut to fit (uikit.CutLabel) beside Fyne's own ellipsis label (ui/internal/uikit)"
go test -tags "$TAGS" -run '^$' -bench LabelRefresh ./ui/internal/uikit/
mkdir -p build && go build -tags "$TAGS" -o build/auditlight-bench .
echo "== store: insert rate and feed queries at 1,000,000 rows (collector/store)"
go test -run '^$' -bench 'CommitBlob|QueryNewest200|Dashboard' -benchtime 20x -timeout 30m ./collector/store/
echo "== store: newest 200 for a text search at 3,000,000 rows, block walk beside the previous plan (target <= 200 ms)"
AUDITLIGHT_BENCH_ROWS=3000000 go test -run '^$' -bench 'QueryNewest200' -benchtime 5x -timeout 60m ./collector/store/
echo "== drain: collect --once beside a discard-only drain of the same standalone simulator (scripts/drain.sh)"
BIN=build/auditlight-bench scripts/drain.sh
echo "== drain of ~1,000,000 records (715 users): peak RSS of collect --once (target <= 150 MB), one round (~5 min idle)"
BENCH_DRAIN_USERS=715 REPEAT=1 BIN=build/auditlight-bench scripts/drain.sh
echo "== pacing: 7-day catch-up at Microsoft's 2,000 requests/min (scripts/pacing.sh)"
BIN=build/auditlight-bench scripts/pacing.sh
echo "== collector: drain of a 7-day backlog from the in-process simulator"
AUDITLIGHT_BENCH_USERS=${BENCH_USERS:-715} go test -run '^$' -bench DrainBacklog -benchtime 1x -timeout 60m ./collector/

if [ "$(uname -s)" = Linux ]; then
  echo "== app: launch to green, then idle CPU and RSS with the window hidden for 60 s beside a Fyne hello world with a tray (Xvfb with a tray host; simulator in its own process)"
  go build -tags "$TAGS" -o build/auditlight .
  go build -tags "$TAGS" -o build/helloworld ./benchmarks/helloworld
  go build -o build/traywatcher ./benchmarks/traywatcher
  scripts/idle.sh
  echo "== app: launch to green in --demo (target <= 1 s), fresh HOME each run, with the CPU and main thread's share by then (scripts/green.sh)"
  REPEAT=3 scripts/green.sh
  echo "== app: launch to green on a machine's very first launch: an empty Mesa shader cache each run (COLD=1 scripts/green.sh)"
  COLD=1 REPEAT=3 scripts/green.sh
  echo "== app: quitting on SIGTERM, 10 --demo launches: time to exit, collector stopped, none hung (scripts/quit.sh)"
  scripts/quit.sh
  echo "== the same profile headless (auditlight collect), for comparison"
  MODE=collect scripts/idle.sh
  echo "== app: click latency while the window is shown during a 7-day backfill of ${BENCH_USERS:-715} users, beside the same clicks after it (scripts/clicks.sh)"
  USERS=${BENCH_USERS:-715} scripts/clicks.sh
fi
