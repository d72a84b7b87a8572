package uigate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// moduleRoot is the directory of the go.mod above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// bypasses lists, in the Go file at path, every call that hands work to
// the Fyne goroutine without a Gate: fyne.Do, fyne.DoAndWait (whatever the
// name fyne.io/fyne/v2 is imported as), and any DoFromGoroutine (the
// driver method both of them call).
func bypasses(fset *token.FileSet, f *ast.File) []string {
	var fyneNames []string
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "fyne.io/fyne/v2" {
			name := "fyne"
			if imp.Name != nil {
				name = imp.Name.Name
			}
			fyneNames = append(fyneNames, name)
		}
	}
	var found []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, isIdent := sel.X.(*ast.Ident)
		switch {
		case sel.Sel.Name == "DoFromGoroutine",
			isIdent && slices.Contains(fyneNames, x.Name) && (sel.Sel.Name == "Do" || sel.Sel.Name == "DoAndWait"):
			found = append(found, fset.Position(sel.Pos()).String())
		}
		return true
	})
	return found
}

// TestOnlyTheGateCallsFyneDo walks every non-test Go file of the module:
// only this package may hand work to the Fyne goroutine directly; the
// screens (ui/...) and the app go through a Gate, so no widget work runs
// on a caller's goroutine once the app's quit has begun.
func TestOnlyTheGateCallsFyneDo(t *testing.T) {
	root := moduleRoot(t)
	self, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := 0
	var found []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || filepath.Dir(path) == self {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		found = append(found, bypasses(fset, f)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("walked only %d Go files under %s: not the module", files, root)
	}
	for _, at := range found {
		t.Errorf("%s: widget work handed to Fyne without the gate; use a *uigate.Gate (Options.Gate in ui/...)", at)
	}
}

// TestGuardSeesEveryWayToFyneDo checks the guard itself on small sources.
func TestGuardSeesEveryWayToFyneDo(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"fyne.Do", `package p; import "fyne.io/fyne/v2"; func f() { fyne.Do(nil) }`, 1},
		{"fyne.DoAndWait", `package p; import "fyne.io/fyne/v2"; func f() { fyne.DoAndWait(nil) }`, 1},
		{"fyne.Do as a value", `package p; import "fyne.io/fyne/v2"; var d = fyne.Do`, 1},
		{"renamed import", `package p; import f2 "fyne.io/fyne/v2"; func f() { f2.Do(nil) }`, 1},
		{"the driver's method", `package p; import "fyne.io/fyne/v2"; func f() { fyne.CurrentApp().Driver().DoFromGoroutine(nil, false) }`, 1},
		{"a gate's Do", `package p; func f(g interface{ Do(func()) }) { g.Do(nil) }`, 0},
		{"sync.Once's Do", `package p; import "sync"; func f(o *sync.Once) { o.Do(func() {}) }`, 0},
		{"another package named fyne", `package p; import fyne "example.com/fyne"; func f() { fyne.Do(nil) }`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "x.go", tt.src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if got := bypasses(fset, f); len(got) != tt.want {
				t.Errorf("found %v, want %d", got, tt.want)
			}
		})
	}
}
