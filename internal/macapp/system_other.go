//go:build !(darwin && cgo)

package macapp

// System returns nil: only macOS has an activation policy and a reopen event.
func System() Native { return nil }

// KeepWorking does nothing: only macOS naps apps without a visible window.
func KeepWorking(reason string) (release func()) { return func() {} }
