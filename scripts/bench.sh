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
  echo "== app: launch to green, then idle CPU and RSS with the window hidden for 60 s (Xvfb; simulator in its own process)"
  go build -tags "$TAGS" -o build/auditlight .
  scripts/idle.sh
  echo "== the same profile headless (auditlight collect), for comparison"
  MODE=collect scripts/idle.sh
  echo "== a bare Fyne app with one hidden window (the GUI toolkit's own idle cost)"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cat >"$tmp/main.go" <<'GO'
package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.auditlight.idleprobe")
	a.NewWindow("probe").SetContent(widget.NewLabel("idle"))
	a.Run()
}
GO
  mkdir -p build/idleprobe && cp "$tmp/main.go" build/idleprobe/main.go
  go build -tags "$TAGS" -o build/idleprobe/idleprobe ./build/idleprobe
  dbus-run-session -- xvfb-run -a bash -c 'build/idleprobe/idleprobe & pid=$!; sleep 5
    t0=$(awk "{print \$14+\$15}" /proc/$pid/stat); sleep 60; t1=$(awk "{print \$14+\$15}" /proc/$pid/stat)
    echo "bare Fyne idle CPU: $(awk -v a=$t0 -v b=$t1 -v hz=$(getconf CLK_TCK) "BEGIN {printf \"%.2f %%\", (b-a)/hz/60*100}"), RSS $(awk "/VmRSS/ {printf \"%.0f MB\", \$2/1024}" /proc/$pid/status)"
    kill $pid' 2> >(grep -v dbus-daemon >&2)
fi
