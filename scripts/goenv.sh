# Sourced by the build scripts (and mirrored in the Makefile) so that every build path compiles
# within 4 GB (issue 11). msgraph-sdk-go's `models` package (3,510 files; imported by the request
# builders collector/graph uses, although the linker then drops it) is the one compile that needs
# more: 5.0 GB peak with the defaults on this 2-core machine. Levers, measured with a fresh cache on
# that package alone (BENCHMARKS.md):
#   -c=1 for that package only: one backend worker, so fewer functions' SSA live at once;
#   GOMEMLIMIT: the Go runtime of every tool (compiler, linker) collects harder only near the
#   limit, so nothing else changes (tests and the app stay far below it).
export GOMEMLIMIT=${GOMEMLIMIT:-3400MiB}
case " ${GOFLAGS:-} " in
  *"msgraph-sdk-go/models="*) ;;
  *) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-gcflags=github.com/microsoftgraph/msgraph-sdk-go/models=-c=1" ;;
esac
