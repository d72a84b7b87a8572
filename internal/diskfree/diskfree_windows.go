//go:build windows

package diskfree

import (
	"fmt"

	"golang.org/x/sys/windows"
)

func bytesFree(path string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0, fmt.Errorf("reading the free space at %s: %w", path, err)
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, fmt.Errorf("reading the free space at %s: %w", path, err)
	}
	return avail, nil
}
