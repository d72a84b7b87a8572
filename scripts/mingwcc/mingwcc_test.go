// Package mingwcc tests scripts/mingw-cc.sh.
//
// mingw-cc.sh is the C compiler of the Windows cross build (scripts/windows.sh): mingw-w64 gcc,
// except that clang answers cgo's kind probe. These tests hold it to what that promises: the same
// answers as gcc on the probe, every other call handed to gcc untouched, and gcc again whenever
// clang cannot answer. They need x86_64-w64-mingw32-gcc and clang (both installed by
// `WITH_MINGW=1 scripts/deps.sh`) and are skipped without them.
package mingwcc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const mingwGCC = "x86_64-w64-mingw32-gcc"

// kindsPreamble declares one name of every kind cgo tells apart, plus the look-alikes where
// compilers could plausibly disagree: const-qualified variables (not constants in C), an
// enumerator, a function-like macro, a struct tag and a builtin.
const kindsPreamble = `
#include <stdlib.h>
#include <windows.h>
typedef int T;
typedef void (*FP)(int);
typedef struct S { int a; } S;
#define ICONST 3
#define NEGCONST (-7LL)
#define UINTCONST 0xFFFFFFFFu
#define HUGECONST 0xFFFFFFFFFFFFFFFFull
#define CHARCONST 'a'
#define FCONST 1.5
#define SLIT "text"
#define EXPR (ICONST * 2)
#define FNMACRO(x) ((x) + 1)
enum { ENUMERATOR = 4 };
static int var;
static const int constint = 3;
static const double constdouble = 2.0;
static const char conststr[] = "x";
static const char *const constptr = "y";
extern int array[4];
int fn(int);
static void staticfn(FP f) { f(1); }
`

var kindsNames = []string{"T", "FP", "S", "ICONST", "NEGCONST", "UINTCONST", "HUGECONST", "CHARCONST", "FCONST", "SLIT", "EXPR", "FNMACRO",
	"ENUMERATOR", "var", "constint", "constdouble", "conststr", "constptr", "array", "fn", "staticfn", "undeclared_name",
	"malloc", "size_t", "DWORD", "HANDLE", "MAX_PATH", "GetLastError", "WINAPI", "TRUE", "NULL"}

// glPreamble is go-gl/gl's shape: <windows.h>, then many function-pointer typedefs and static
// wrappers, which are what made gcc's spelling suggestions expensive.
func glPreamble(n int) (string, []string) {
	var b strings.Builder
	b.WriteString("#define WIN32_LEAN_AND_MEAN 1\n#include <windows.h>\n#define APIENTRY __stdcall\n")
	var names []string
	for i := range n {
		fmt.Fprintf(&b, "typedef void (APIENTRY *GPFUNC%d)(unsigned int a, int b);\n", i)
		fmt.Fprintf(&b, "static void glowFunc%d(GPFUNC%d fnptr, unsigned int a, int b) { (*fnptr)(a, b); }\n", i, i)
		fmt.Fprintf(&b, "#define GL_CONST_%d 0x%04X\n", i, i)
		names = append(names, fmt.Sprintf("glowFunc%d", i), fmt.Sprintf("GPFUNC%d", i), fmt.Sprintf("GL_CONST_%d", i))
	}
	return b.String(), names
}

// cgoProbe is the input cgo's guessKinds writes (cmd/cgo/gcc.go): the preamble, five lines per
// name that fail for all but some kinds, and a last line that always fails.
func cgoProbe(preamble string, names []string) []byte {
	var b bytes.Buffer
	b.WriteString(preamble)
	for i, n := range names {
		fmt.Fprintf(&b, "#line %d \"not-declared\"\n"+
			"void __cgo_f_%d_1(void) { __typeof__(%s) *__cgo_undefined__1; }\n"+
			"#line %d \"not-type\"\n"+
			"void __cgo_f_%d_2(void) { %s *__cgo_undefined__2; }\n"+
			"#line %d \"not-int-const\"\n"+
			"void __cgo_f_%d_3(void) { enum { __cgo_undefined__3 = (%s)*1 }; }\n"+
			"#line %d \"not-num-const\"\n"+
			"void __cgo_f_%d_4(void) { static const double __cgo_undefined__4 = (%s); }\n"+
			"#line %d \"not-str-lit\"\n"+
			"void __cgo_f_%d_5(void) { static const char __cgo_undefined__5[] = (%s); }\n",
			i+1, i+1, n, i+1, i+1, n, i+1, i+1, n, i+1, i+1, n, i+1, i+1, n)
	}
	b.WriteString("#line 1 \"completed\"\nint __cgo__1 = __cgo__2;\n")
	return b.Bytes()
}

// probeArgs are the arguments cgo's gccErrors passes (gccCmd, optimisation forced to -O0,
// -fdiagnostics-color=never, the input as a .c file: cmd/cgo/util.go).
func probeArgs(dir, input string) []string {
	return []string{"-w", "-Wno-error", "-o" + filepath.Join(dir, "_cgo_1.o"), "-gdwarf-2", "-c",
		"-I", dir, "-m64", "-fno-lto", "-O0", "-fdiagnostics-color=never", "-I", ".", input}
}

var probeLine = regexp.MustCompile(`^(not-declared|not-type|not-int-const|not-num-const|not-str-lit|completed):(\d+):.*: error:`)

// answers is what cgo reads from the probe's errors: which probe lines failed.
func answers(stderr string) []string {
	var out []string
	for _, line := range strings.Split(stderr, "\n") {
		if m := probeLine.FindStringSubmatch(line); m != nil {
			out = append(out, m[1]+":"+m[2])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func needCompilers(t testing.TB) string {
	t.Helper()
	for _, c := range []string{mingwGCC, "clang"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Skipf("%s not installed (WITH_MINGW=1 scripts/deps.sh installs it)", c)
		}
	}
	script, err := filepath.Abs(filepath.Join("..", "mingw-cc.sh"))
	if err != nil {
		t.Fatal(err)
	}
	return script
}

// run runs a compiler with extra environment and returns its standard error.
func run(t testing.TB, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	_ = cmd.Run() // the probe always fails; its errors are the answer
	return stderr.String()
}

func writeProbe(t testing.TB, preamble string, names []string) (dir, input string) {
	t.Helper()
	dir = t.TempDir()
	input = filepath.Join(dir, "probe.c")
	if err := os.WriteFile(input, cgoProbe(preamble, names), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, input
}

// TestMingwCCAnswersCgoProbeLikeGCC: on cgo's probe, the wrapper reports errors on exactly the
// lines gcc does, so cgo infers the same kind for every name, and clang gave that answer.
func TestMingwCCAnswersCgoProbeLikeGCC(t *testing.T) {
	script := needCompilers(t)
	gl, glNames := glPreamble(100)
	for _, tc := range []struct {
		name     string
		preamble string
		names    []string
	}{
		{"every kind", kindsPreamble, kindsNames},
		{"go-gl/gl-shaped, 100 functions", gl, glNames},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, input := writeProbe(t, tc.preamble, tc.names)
			want := answers(run(t, nil, mingwGCC, probeArgs(dir, input)...))
			if !slices.Contains(want, "completed:1") || len(want) < len(tc.names) {
				t.Fatalf("gcc's own answer looks wrong (%d lines): %v", len(want), want)
			}
			// A gcc that cannot run: the answer must be clang's.
			got := answers(run(t, []string{"MINGW_GCC=/nonexistent/gcc"}, script, probeArgs(dir, input)...))
			if !slices.Equal(got, want) {
				t.Errorf("mingw-cc.sh and gcc disagree on the probe:\n only wrapper: %v\n only gcc: %v",
					minus(got, want), minus(want, got))
			}
		})
	}
}

// TestMingwCCFallsBackToGCC: when clang is missing or fails, gcc answers the probe.
func TestMingwCCFallsBackToGCC(t *testing.T) {
	script := needCompilers(t)
	dir, input := writeProbe(t, kindsPreamble, kindsNames)
	want := answers(run(t, nil, mingwGCC, probeArgs(dir, input)...))
	for _, tc := range []struct{ name, clang, note string }{
		{"clang fails", "false", "did not finish cgo's probe"},
		{"clang missing", "/nonexistent/clang", ""},
		{"clang switched off", "none", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stderr := run(t, []string{"MINGW_PROBE_CLANG=" + tc.clang}, script, probeArgs(dir, input)...)
			if got := answers(stderr); !slices.Equal(got, want) {
				t.Errorf("answers differ from gcc's:\n only wrapper: %v\n only gcc: %v", minus(got, want), minus(want, got))
			}
			if !strings.Contains(stderr, tc.note) {
				t.Errorf("stderr lacks %q", tc.note)
			}
		})
	}
}

// TestMingwCCLeavesOtherCallsToGCC: anything but the probe (compiles, the DWARF type probe, the
// macro dump, links) is gcc's, byte for byte.
func TestMingwCCLeavesOtherCallsToGCC(t *testing.T) {
	script := needCompilers(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "x.c")
	if err := os.WriteFile(src, []byte(kindsPreamble+"int use(void) { return ICONST + var + fn(constint); }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A clang that leaves a mark: none of these calls may reach it.
	spy := filepath.Join(dir, "clang-spy")
	mark := filepath.Join(dir, "clang-was-called")
	if err := os.WriteFile(spy, []byte("#!/bin/sh\ntouch '"+mark+"'\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"object, -O2 -g", []string{"-O2", "-g", "-c", "-o", "OUT", src}},
		{"cgo's DWARF probe (-O0, no -fdiagnostics-color)", []string{"-w", "-Wno-error", "-oOUT", "-gdwarf-2", "-c", "-O0", src}},
		{"macro dump", []string{"-E", "-dM", "-m64", "-o", "OUT", src}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var outs [2][]byte
			for i, cc := range []string{mingwGCC, script} {
				out := filepath.Join(dir, fmt.Sprintf("out%d", i))
				args := slices.Clone(tc.args)
				for j, a := range args {
					args[j] = strings.ReplaceAll(a, "OUT", out)
				}
				cmd := exec.Command(cc, args...)
				cmd.Env = append(os.Environ(), "MINGW_PROBE_CLANG="+spy)
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s: %v\n%s", cc, err, b)
				}
				var err error
				if outs[i], err = os.ReadFile(out); err != nil {
					t.Fatal(err)
				}
			}
			if len(outs[0]) == 0 || !bytes.Equal(outs[0], outs[1]) {
				t.Errorf("outputs differ: gcc %d bytes, wrapper %d bytes", len(outs[0]), len(outs[1]))
			}
			if _, err := os.Stat(mark); err == nil {
				t.Errorf("the wrapper called clang for %v", tc.args)
			}
		})
	}
}

// BenchmarkCgoProbe: gcc and the wrapper on a go-gl/gl-shaped probe (<windows.h>, 300 GL
// functions). go-gl/gl's real probe has ~5,700 names and runs twice per cold build.
func BenchmarkCgoProbe(b *testing.B) {
	script := needCompilers(b)
	gl, names := glPreamble(300)
	dir, input := writeProbe(b, gl, names)
	for _, cc := range []string{mingwGCC, script} {
		b.Run(filepath.Base(cc), func(b *testing.B) {
			for b.Loop() {
				if got := answers(run(b, nil, cc, probeArgs(dir, input)...)); !slices.Contains(got, "completed:1") {
					b.Fatalf("no answer: %v", got)
				}
			}
		})
	}
}

// minus lists the elements of a (sorted) that are not in b (sorted).
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if _, found := slices.BinarySearch(b, s); !found {
			out = append(out, s)
		}
	}
	return out
}
