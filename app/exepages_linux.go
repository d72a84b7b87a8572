package app

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// prSetTHPDisable is prctl's PR_SET_THP_DISABLE (linux/prctl.h).
const prSetTHPDisable = 41

// shrinkExecutablePages keeps the executable's own pages resident only
// where the process touches them (issue 12). On a file system whose page
// cache holds the binary in 2 MB folios (ext4 since Linux 6.16, XFS, ...),
// the kernel maps its code and read-only data by whole huge pages: a
// 1 M-record drain had 20 of its 30 MB of executable pages mapped so, most
// of them never read. With transparent huge pages off for this process the
// kernel maps 4 KiB pages (plus its fault-around) instead, and the huge
// mappings the runtime's start made are dropped; they are clean, read-only
// file pages, faulted in again when used. Mappings holding private changes
// (relocations of a dynamically linked build) are left alone. It reports how
// many bytes of mappings it dropped.
func shrinkExecutablePages() (int64, error) {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetTHPDisable, 1, 0); errno != 0 {
		return 0, fmt.Errorf("turning transparent huge pages off: %w", errno)
	}
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, fmt.Errorf("finding the executable: %w", err)
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, fmt.Errorf("reading the process's mappings: %w", err)
	}
	var dropped int64
	for _, m := range hugeCleanMappings(smaps, exe) {
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, m.start, m.end-m.start, syscall.MADV_DONTNEED); errno != 0 {
			return dropped, fmt.Errorf("dropping executable pages %#x-%#x: %w", m.start, m.end, errno)
		}
		dropped += int64(m.end - m.start)
	}
	return dropped, nil
}

// mapping is one address range of /proc/PID/smaps.
type mapping struct{ start, end uintptr }

// hugeCleanMappings returns the mappings of file path in smaps that are
// read-only, hold no anonymous (privately changed) page and are mapped,
// at least in part, by huge pages.
func hugeCleanMappings(smaps []byte, path string) []mapping {
	var out []mapping
	var cur mapping
	var ours bool
	anon, huge := int64(-1), int64(0)
	flush := func() {
		if ours && anon == 0 && huge > 0 {
			out = append(out, cur)
		}
		ours, anon, huge = false, -1, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if r, ok := parseRange(f[0]); ok && len(f) >= 5 {
			flush()
			cur = r
			ours = len(f) >= 6 && strings.Join(f[5:], " ") == path && len(f[1]) == 4 && f[1][1] == '-'
			continue
		}
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "Anonymous:":
			anon, _ = strconv.ParseInt(f[1], 10, 64)
		case "FilePmdMapped:":
			huge, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	flush()
	return out
}

// parseRange parses smaps' "start-end" (hexadecimal) address range.
func parseRange(s string) (mapping, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return mapping{}, false
	}
	start, err1 := strconv.ParseUint(a, 16, 64)
	end, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil || end <= start {
		return mapping{}, false
	}
	return mapping{uintptr(start), uintptr(end)}, true
}
