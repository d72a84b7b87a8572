//go:build !(linux && cgo)

package glwarm

// supported is false: the GL libraries are preloaded only on Linux.
const supported = false

func open(Library) error { return nil }

// Loaded reports false: nothing is preloaded on this system.
func Loaded(string) bool { return false }

func loadedPath(string) string { return "" }

func exists(string) bool { return false }
