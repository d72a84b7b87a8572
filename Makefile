# AuditLight — the two commands of the README's quick start are `make demo`
# and `make test`; each installs what it needs first (scripts/deps.sh).
GO       ?= go
TAGS     ?= migrated_fynedo
BIN      ?= build/auditlight
export LANG := en_US.UTF-8

.PHONY: demo test deps build windows bench fuzz clean

## demo: run the app on the built-in Microsoft 365 simulator (throwaway profile, in-memory secret)
demo: deps
	$(GO) run -tags $(TAGS) . --demo

## test: run every test: unit, simulator, collector, UI (headless), real keychain, GUI smoke under Xvfb
test: deps
	scripts/test.sh

deps:
	@scripts/deps.sh

## build: the desktop binary for this machine
build: deps
	$(GO) build -tags $(TAGS) -trimpath -o $(BIN) .

## windows: cross-compile the Windows GUI executable with mingw-w64
windows:
	@WITH_MINGW=1 scripts/deps.sh
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		$(GO) build -tags $(TAGS) -trimpath -ldflags "-H=windowsgui -s -w" -o build/auditlight.exe .

## bench: the benchmarks recorded in BENCHMARKS.md
bench:
	scripts/bench.sh

## fuzz: a short run of every fuzz target
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse$$ -fuzztime 30s ./collector/auditrec/
	$(GO) test -run '^$$' -fuzz FuzzParseBlob -fuzztime 30s ./collector/auditrec/
	$(GO) test -run '^$$' -fuzz FuzzParseContentList -fuzztime 30s ./collector/activity/

clean:
	rm -rf build
