#!/usr/bin/env bash
# The C compiler of the Windows cross build (scripts/windows.sh sets CC to this script): mingw-w64
# gcc for everything, except cgo's "kind probe", which clang answers (issue 11, build cost).
#
# Why. To learn whether each C.name a package uses is a type, an integer, float or string constant,
# or a function/variable, cgo compiles the package's preamble followed by five one-line functions per
# name, each of which is an error for all but some kinds, and reads back only *which lines* failed
# (cmd/cgo/gcc.go, guessKinds; the one call to the C compiler that passes -fdiagnostics-color=never).
# For every "undeclared identifier" error gcc computes a "did you mean" suggestion: the edit distance
# to every name in scope and every macro (c-decl.cc, lookup_name_fuzzy), with no flag to turn it off.
# go-gl/gl's preamble declares ~8,600 GL names and includes <windows.h>, and it asks about ~5,700
# names, ~3,700 of them functions: ~50 ms per error, one core, and cgo runs the probe twice (a second
# round for the typedefs the first revealed): 168 + 193 CPU-seconds, the longest step of a cold
# `make windows` (BENCHMARKS.md, "Binary size and Windows build cost"). clang has -fno-spell-checking
# and answers the same probe in about a second.
#
# What clang decides is only which probe lines are errors, which C's rules fix; everything cgo
# compiles and everything linked (the DWARF type probes, the macro dump, the package's C files, the
# link) is still done by gcc, so the binaries are byte-identical to an all-gcc build (checked for the
# exes; scripts/mingwcc_test.go checks the answers against gcc's). If clang is missing or does not
# finish the probe (no error at "completed:1", the line cgo requires), gcc answers as before.
# MINGW_GCC / MINGW_PROBE_CLANG name the compilers; MINGW_PROBE_CLANG=none always uses gcc.
set -uo pipefail
gcc=${MINGW_GCC:-x86_64-w64-mingw32-gcc}
clang=${MINGW_PROBE_CLANG:-clang}

# cgo's kind probe: gccErrors adds -fdiagnostics-color=never to its gccCmd (-w -Wno-error -o…_cgo_N.o
# -gdwarf-2 -c …) and forces -O0.
probe=0 quiet=0 o0=0
for a in "$@"; do
  case $a in
  -fdiagnostics-color=never) probe=1 ;;
  -w) quiet=1 ;;
  -O0) o0=1 ;;
  esac
done
if [ $((probe & quiet & o0)) = 0 ] || [ "$clang" = none ] || ! command -v "$clang" >/dev/null 2>&1; then
  exec "$gcc" "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mingw-cc.XXXXXX") || exec "$gcc" "$@"
trap 'rm -rf "$tmp"' EXIT
# The probe may come on standard input ("-"); keep it so that gcc can be given it again.
cat >"$tmp/stdin"
# -ferror-limit=0: every error, not the first 20 (cgo passes it when CC itself is clang).
# -Werror=gnu-folding-constant: clang folds `static const int n = 3;` into an integer constant
# expression (enum { x = (n)*1 }) as a GNU extension, with only a warning; gcc rejects it, so
# cgo (from gcc) calls n a variable, and so must we. clang's -w would silence that error too,
# hence -Wno-everything instead of -w.
args=()
for a in "$@"; do [ "$a" = -w ] || args+=("$a"); done
"$clang" --target=x86_64-w64-mingw32 -ferror-limit=0 -fno-spell-checking -Qunused-arguments \
  -Wno-everything -Werror=gnu-folding-constant "${args[@]}" <"$tmp/stdin" >"$tmp/out" 2>"$tmp/err"
if grep -q '^completed:1:[0-9]*: error:' "$tmp/err"; then
  cat "$tmp/out"
  cat "$tmp/err" >&2
  exit 1 # like gcc: the probe always has errors
fi
echo "mingw-cc: $clang did not finish cgo's probe; asking $gcc (slower)" >&2
"$gcc" "$@" <"$tmp/stdin"
