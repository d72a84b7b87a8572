// Package glwarm loads the system's OpenGL driver libraries on a
// background thread while the GUI starts, before its first window asks for
// them (issue 12: launch to green).
//
// Fyne's first window (the tray's hidden one) makes the process's first GL
// context on the main thread. On Linux that loads libGLX's vendor library
// and then Mesa's DRI driver, which pulls in LLVM: ~0.1 s of the main
// thread's CPU spent relocating symbols (measured on Xvfb/llvmpipe). Loaded
// here first, with the flags the GL loaders use, those later loads only
// take a reference on the already loaded objects, and the relocation work
// has run on another core beside the main thread's start.
//
// Only the GUI commands call it: a headless `collect` never maps the GL
// driver. Elsewhere than Linux with cgo, Preload does nothing.
package glwarm

import (
	"log/slog"
	"path/filepath"
	"strings"
	"time"
)

// Library is one library Preload loads.
type Library struct {
	// Name is what is passed to dlopen: a soname, or a path for the DRI
	// driver.
	Name string
	// Now says whether to bind every symbol at once (RTLD_NOW|RTLD_GLOBAL,
	// as Mesa's loader opens a DRI driver) rather than lazily (RTLD_LAZY,
	// as libglvnd and GLFW open theirs). A library opened lazily first
	// would do its binding later, on the main thread.
	Now bool
}

// Preload loads the GL libraries (see Libraries) and logs what it loaded
// and how long it took; a library that is not installed is skipped. Before
// the first, it makes SpareThreads threads for the Go scheduler (see
// there). It blocks: call it on its own goroutine. log may be nil.
func Preload(log *slog.Logger, getenv func(string) string) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := time.Now()
	libs := Libraries(getenv)
	if len(libs) > 0 {
		spareThreads(SpareThreads)
	}
	var loaded []string
	for _, l := range libs {
		if l.Name == "" {
			l.Name = driDriver(getenv)
			if l.Name == "" {
				continue
			}
		}
		if err := open(l); err != nil {
			log.Debug("GL library not preloaded", "library", l.Name, "err", err)
			continue
		}
		loaded = append(loaded, filepath.Base(l.Name))
	}
	if len(loaded) > 0 {
		log.Debug("GL libraries preloaded", "libraries", strings.Join(loaded, " "), "took", time.Since(start).Round(time.Millisecond))
	}
}

// Libraries returns what Preload loads, in order: libglvnd's GLX
// dispatcher, Mesa's GLX vendor library and (Name empty: found once the
// vendor library is loaded) Mesa's DRI driver. None on systems where
// Preload does nothing.
func Libraries(getenv func(string) string) []Library {
	if !supported {
		return nil
	}
	return []Library{
		{Name: "libGLX.so.0"},
		{Name: "libGLX_mesa.so.0"},
		{Now: true}, // the DRI driver, which links LLVM
	}
}

// driNames are Mesa's DRI drivers in the order tried. Mesa builds them all
// as one "megadriver" file with a hard link per name, so loading one loads
// the code every name shares.
var driNames = [...]string{"swrast_dri.so", "kms_swrast_dri.so", "iris_dri.so", "radeonsi_dri.so", "nouveau_dri.so"}

// driDriver returns the path of the DRI driver to preload, or "" when
// none is found: in $LIBGL_DRIVERS_PATH's first directory when set (Mesa
// honours it), else in the "dri" directory beside the loaded Mesa GLX
// library.
func driDriver(getenv func(string) string) string {
	dir := ""
	if p := getenv("LIBGL_DRIVERS_PATH"); p != "" {
		dir, _, _ = strings.Cut(p, ":")
	} else if lib := loadedPath("libGLX_mesa.so.0"); lib != "" {
		dir = filepath.Join(filepath.Dir(lib), "dri")
	}
	if dir == "" {
		return ""
	}
	for _, n := range driNames {
		if p := filepath.Join(dir, n); exists(p) {
			return p
		}
	}
	return ""
}
