//go:build linux && cgo

package glwarm

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreloadLoadsTheGLDriver: after Preload, Mesa's GLX vendor library and
// its DRI driver are in the process, so the GUI's first window finds them
// loaded instead of loading them on the main thread. (This test binary
// links no GL library, so none is loaded before.)
func TestPreloadLoadsTheGLDriver(t *testing.T) {
	const vendor = "libGLX_mesa.so.0"
	if Loaded(vendor) {
		t.Fatalf("%s is loaded before Preload: the test proves nothing", vendor)
	}
	Preload(nil, os.Getenv)
	if !Loaded(vendor) {
		t.Skipf("%s is not installed here (no Mesa)", vendor)
	}
	dri := driDriver(os.Getenv)
	if dri == "" {
		t.Fatal("Mesa's GLX library is loaded but no DRI driver was found beside it")
	}
	if !Loaded(dri) {
		t.Fatalf("the DRI driver %s is not loaded after Preload", dri)
	}
}

// TestDRIDriverLocation: Mesa's driver directory is $LIBGL_DRIVERS_PATH's
// first entry when set, and a directory without a known driver yields none.
func TestDRIDriverLocation(t *testing.T) {
	withDriver := t.TempDir()
	if err := os.WriteFile(filepath.Join(withDriver, "iris_dri.so"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	tests := []struct {
		name, path, want string
	}{
		{"first entry holds a driver", withDriver + ":" + empty, filepath.Join(withDriver, "iris_dri.so")},
		{"only the first entry counts", empty + ":" + withDriver, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "LIBGL_DRIVERS_PATH" {
					return tc.path
				}
				return ""
			}
			if got := driDriver(getenv); got != tc.want {
				t.Fatalf("driDriver = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestMappedPath finds a library's file in a /proc/PID/maps listing by its
// soname, which maps shows with the file's full version.
func TestMappedPath(t *testing.T) {
	maps := `7f00 r--p 00000000 fe:01 1 /usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0
7f01 r--p 00000000 fe:01 2 /usr/lib/x86_64-linux-gnu/libGLX.so.0.0.0
7f02 rw-p 00000000 00:00 0 [heap]
7f03 r--p 00000000 fe:01 3 /opt/gl/libGLX_mesa.so.01
`
	tests := []struct{ soname, want string }{
		{"libGLX_mesa.so.0", "/usr/lib/x86_64-linux-gnu/libGLX_mesa.so.0.0.0"},
		{"libGLX.so.0", "/usr/lib/x86_64-linux-gnu/libGLX.so.0.0.0"},
		{"libGLX.so.1", ""},
		{"libGLX_mesa.so.01", "/opt/gl/libGLX_mesa.so.01"},
	}
	for _, tc := range tests {
		if got := mappedPath(bufio.NewScanner(strings.NewReader(maps)), tc.soname); got != tc.want {
			t.Errorf("mappedPath(%q) = %q, want %q", tc.soname, got, tc.want)
		}
	}
}
