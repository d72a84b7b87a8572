# shellcheck shell=bash
# Sourced by the build scripts (and mirrored in the Makefile) so that every build path compiles
# within 4 GB and as little CPU as it can (issue 11). msgraph-sdk-go's `models` package (3,510 files)
# is compiled only because the request builders collector/graph uses (users, applicationswithappid,
# domains) import it; the linker then drops it from every binary (collector/graph parses responses
# into its own shapes; `go tool nm` lists no models symbol). Its code never runs, so it is compiled
# without optimisation and inlining, on one backend worker (BENCHMARKS.md, "Binary size and Windows
# build cost"):
#   -N -l: no SSA optimisation passes, no inlining (less CPU and memory; the binaries are unchanged);
#   -c=1:  one backend worker, so fewer functions' SSA live at once;
#   GOMEMLIMIT: the Go runtime of every tool (compiler, linker) collects harder only near the
#   limit, so nothing else changes (tests and the app stay far below it).
# GOFLAGS entries are split like a shell line (cmd/go's quoted.Split), hence the quotes.
# The limit is the toolchain's: AUDITLIGHT_BUILD_GOMEMLIMIT names it so that scripts/appenv.sh can
# drop it before running the app (an inherited GOMEMLIMIT switches off the app's memory pacer).
if [ -z "${GOMEMLIMIT:-}" ]; then
  export GOMEMLIMIT=3400MiB AUDITLIGHT_BUILD_GOMEMLIMIT=3400MiB
fi
case " ${GOFLAGS:-} " in
  *"msgraph-sdk-go/models="*) ;;
  *) export GOFLAGS="${GOFLAGS:+$GOFLAGS }\"-gcflags=github.com/microsoftgraph/msgraph-sdk-go/models=-N -l -c=1\"" ;;
esac
