# AuditLight — the two commands of the README's quick start are `make demo`
# and `make test`; each installs what it needs first (scripts/deps.sh).
GO       ?= go
TAGS     ?= migrated_fynedo
BIN      ?= build/auditlight
# The version from FyneApp.toml, stamped into every binary (auditlight version).
VERSION  := $(shell scripts/version.sh)
LDFLAGS  := -X github.com/auditlight/auditlight/app.Version=$(VERSION)
export LANG := en_US.UTF-8
# Compile memory ≤ 4 GB and CPU on 2 cores (issue 11; the same as scripts/goenv.sh, which the
# scripts source, and which says why): msgraph-sdk-go's `models` (linked into no binary) is compiled
# unoptimised on one backend worker; it peaked at 5.0 GB with the defaults.
# The limit is the toolchain's, not the app's: set here, it is named in AUDITLIGHT_BUILD_GOMEMLIMIT
# too, and whatever runs the app (demo, the benchmark and smoke scripts) drops it, since an
# inherited GOMEMLIMIT switches off the app's own memory pacer (internal/memlimit).
ifeq ($(origin GOMEMLIMIT),undefined)
export GOMEMLIMIT := 3400MiB
export AUDITLIGHT_BUILD_GOMEMLIMIT := 3400MiB
endif
export GOFLAGS += "-gcflags=github.com/microsoftgraph/msgraph-sdk-go/models=-N -l -c=1"

.PHONY: demo test deps build windows sign wine release macos bench fuzz clean

## demo: run the app on the built-in Microsoft 365 simulator (throwaway profile, in-memory secret)
demo: deps
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .
	. scripts/appenv.sh && exec $(BIN) --demo

## test: run every test: unit, simulator, collector, UI (headless), real keychain, GUI smoke under Xvfb
test: deps
	scripts/test.sh

deps:
	@scripts/deps.sh

## build: the desktop binary for this machine
build: deps
	$(GO) build -tags $(TAGS) -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) .

## windows: build/windows/auditlight.exe (GUI) + auditlight-cli.exe (console) with icon, version
## and manifest, and the per-user installer build/AuditLight-Setup-VERSION.exe (signed when
## SIGN_PKCS12 or SIGN_CERT+SIGN_KEY is set; see scripts/sign.sh)
windows:
	@WITH_MINGW=1 scripts/deps.sh
	scripts/windows.sh

## sign: Authenticode-sign the exes of `make windows`, rebuild the installer around them and sign it
sign:
	scripts/sign.sh build/windows/auditlight.exe build/windows/auditlight-cli.exe
	scripts/installer.sh

## wine: install the Windows build under Wine and run it (scripts/wine-check.sh), and run the
## Windows-only code paths' unit tests under Wine (scripts/wine-unit.sh)
wine:
	@WITH_WINE=1 scripts/deps.sh
	scripts/wine-check.sh
	scripts/wine-unit.sh

## macos: on a Mac, build/macos/AuditLight.app (universal) and build/AuditLight-VERSION.dmg, signed and
## notarized when MACOS_SIGN_IDENTITY / NOTARY_* are set (scripts/macos.sh)
macos:
	scripts/macos.sh

## release: the Linux .deb (scripts/release.sh; the macOS .app/.dmg are built by .github/workflows/release.yml)
release: deps
	scripts/release.sh

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
