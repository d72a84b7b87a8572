//go:build linux && cgo

package glwarm

/*
#cgo LDFLAGS: -ldl
#include <dlfcn.h>
#include <stdlib.h>

static void *glwarm_open(const char *name, int now) {
	return dlopen(name, now ? (RTLD_NOW | RTLD_GLOBAL) : RTLD_LAZY);
}

static int glwarm_loaded(const char *name) {
	void *h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
	if (h == NULL) {
		return 0;
	}
	dlclose(h); // drops only the reference RTLD_NOLOAD took
	return 1;
}
*/
import "C"

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"unsafe"
)

const supported = true

// open loads l for the life of the process (it is never closed: the GL
// driver that loads it next keeps using it).
func open(l Library) error {
	name := C.CString(l.Name)
	defer C.free(unsafe.Pointer(name))
	now := C.int(0)
	if l.Now {
		now = 1
	}
	if C.glwarm_open(name, now) == nil {
		return fmt.Errorf("loading %s: %s", l.Name, C.GoString(C.dlerror()))
	}
	return nil
}

// Loaded reports whether the library name (a soname or a path) is loaded
// in this process.
func Loaded(name string) bool {
	n := C.CString(name)
	defer C.free(unsafe.Pointer(n))
	return C.glwarm_loaded(n) != 0
}

// loadedPath returns the file a loaded library was mapped from, read from
// /proc/self/maps, or "" when it is not loaded.
func loadedPath(soname string) string {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return ""
	}
	defer f.Close()
	return mappedPath(bufio.NewScanner(f), soname)
}

// mappedPath returns the first path in a /proc/PID/maps listing whose file
// name is soname or soname with a longer version (the soname is usually a
// symbolic link to libX.so.0.0.0, and maps shows the file itself).
func mappedPath(s *bufio.Scanner, soname string) string {
	for s.Scan() {
		line := s.Text()
		i := strings.IndexByte(line, '/')
		if i < 0 {
			continue
		}
		p := line[i:]
		if base := p[strings.LastIndexByte(p, '/')+1:]; base == soname || strings.HasPrefix(base, soname+".") {
			return p
		}
	}
	return ""
}

func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
