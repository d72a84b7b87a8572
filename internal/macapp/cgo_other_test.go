//go:build !(darwin && cgo)

package macapp

const isDarwinCgo = false
