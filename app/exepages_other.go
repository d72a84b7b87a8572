//go:build !linux

package app

// shrinkExecutablePages is Linux's answer to its page cache mapping the
// executable by huge pages; elsewhere there is nothing to do.
func shrinkExecutablePages() (int64, error) { return 0, nil }
