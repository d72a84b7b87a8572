//go:build unix

package diskfree

import (
	"fmt"
	"syscall"
)

func bytesFree(path string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, fmt.Errorf("reading the free space at %s: %w", path, err)
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}
