#!/usr/bin/env bash
# The whole test suite (README: `make test`). Fails on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/goenv.sh # compile memory ≤ 4 GB (issue 11)
export LANG=en_US.UTF-8
TAGS=migrated_fynedo
t0=$(date +%s)
step() { echo; echo "== $* ($(( $(date +%s) - t0 )) s)"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt wants to reformat:"; echo "$unformatted"; exit 1; fi

step "build the desktop binary (cgo GL driver)"
go build -tags "$TAGS" -o build/auditlight .

step "go vet"
go vet -tags "$TAGS" ./...

step "tests: simulator, collector, store, check, app, UI (headless Fyne driver)"
go test -tags "$TAGS" -count=1 -timeout 25m ./...

step "race detector on the concurrent parts (-short: smaller simulated tenants)"
go test -race -short -tags "$TAGS" -count=1 -timeout 15m ./collector/ ./collector/health/ ./collector/activity/ ./app/instance/ ./app/reminders/
# The quit: no widget work once it began (the gate), the collector stopped after the UI, whichever way it comes.
go test -race -short -tags "$TAGS" -count=1 -timeout 10m ./ui/uigate/
go test -race -short -tags "$TAGS" -count=1 -timeout 10m -run 'TestSIGTERMStopsTheCollectorWhenFyneNeverReturns|TestDemoTenantOutlivesSIGTERM|TestLoopWatch|TestQuitCommand|TestNoWidgetWorkAfterTheQuitBegins' ./app/ ./ui/

if [ "$(uname -s)" = Linux ]; then
  step "real OS keychain: GNOME Keyring's Secret Service under dbus-run-session"
  scripts/keyring-test.sh
  step "simulator from curl: auditlight simulate --json"
  scripts/simulate-curl.sh
  step "GUI smoke: the real binary in --demo mode under Xvfb"
  scripts/smoke.sh
fi
step "all tests passed"
