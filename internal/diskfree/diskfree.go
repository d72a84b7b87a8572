// Package diskfree reports the free space of the file system holding a
// path, so a full disk can be reported as "N MB free at PATH".
package diskfree

// Bytes returns the bytes available to this user on the file system that
// holds path (a file or directory).
func Bytes(path string) (uint64, error) { return bytesFree(path) }
