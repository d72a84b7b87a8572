package app

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// prGetTHPDisable is prctl's PR_GET_THP_DISABLE (linux/prctl.h).
const prGetTHPDisable = 42

// After shrinkExecutablePages no part of the executable is mapped by huge
// pages, so what stays resident is what the process reads (a drain read
// ~10 of the 30 MB mapped; issue 12), and the process keeps running the
// code it dropped.
func TestShrinkExecutablePagesMapsTheBinaryByPage(t *testing.T) {
	if _, err := shrinkExecutablePages(); err != nil {
		t.Fatalf("shrinkExecutablePages: %v", err)
	}
	on, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prGetTHPDisable, 0, 0)
	if errno != 0 || on != 1 {
		t.Errorf("PR_GET_THP_DISABLE = %d (%v), want 1", on, errno)
	}
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	// Run code from the whole binary again (formatting, parsing, the
	// runtime) before looking: it comes back mapped by 4 KiB pages.
	if got := strconv.Quote(strings.Repeat("é", 3)); got != `"ééé"` {
		t.Fatalf("Quote = %s", got)
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	if huge := hugeCleanMappings(smaps, exe); len(huge) != 0 {
		t.Errorf("%d mappings of %s are still mapped by huge pages: %v", len(huge), exe, huge)
	}
}

func TestHugeCleanMappingsPicksOnlyCleanReadOnlyMappingsOfTheFile(t *testing.T) {
	const exe = "/opt/auditlight/auditlight"
	entry := func(rng, perms, path string, anon, huge int) string {
		return rng + " " + perms + " 00003000 fe:00 11354582                           " + path + "\n" +
			"Size:              13464 kB\nRss:               13364 kB\n" +
			"Anonymous:         " + strconv.Itoa(anon) + " kB\nFilePmdMapped:     " + strconv.Itoa(huge) + " kB\n" +
			"VmFlags: rd ex mr mw me \n"
	}
	tests := []struct {
		name  string
		smaps string
		want  []mapping
	}{
		{"code mapped by huge pages", entry("00403000-01129000", "r-xp", exe, 0, 10240), []mapping{{0x403000, 0x1129000}}},
		{"read-only data too", entry("00403000-01129000", "r-xp", exe, 0, 2048) + entry("01129000-01ecc000", "r--p", exe, 0, 10240),
			[]mapping{{0x403000, 0x1129000}, {0x1129000, 0x1ecc000}}},
		{"no huge page", entry("00403000-01129000", "r-xp", exe, 0, 0), nil},
		{"writable data is never dropped", entry("01ecf000-02acf000", "rw-p", exe, 0, 2048), nil},
		{"relocated read-only data holds private changes", entry("01ecf000-02acf000", "r--p", exe, 360, 2048), nil},
		{"another file", entry("7f0000000000-7f0000200000", "r-xp", "/usr/lib/libGL.so.1", 0, 2048), nil},
		{"anonymous", "7f0000000000-7f0000200000 rw-p 00000000 00:00 0 \nAnonymous: 2048 kB\nFilePmdMapped: 0 kB\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hugeCleanMappings([]byte(tt.smaps), exe)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("mapping %d = %#x-%#x, want %#x-%#x", i, got[i].start, got[i].end, tt.want[i].start, tt.want[i].end)
				}
			}
		})
	}
}
