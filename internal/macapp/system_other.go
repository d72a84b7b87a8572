//go:build !(darwin && cgo)

package macapp

// System returns nil: only macOS has an activation policy and a reopen event.
func System() Native { return nil }
