package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
)

// damageProfile makes a configured profile whose store holds n events.
func damageProfile(t *testing.T, n int) (*cli, []string, profile.Profile) {
	t.Helper()
	p := profile.Profile{Dir: filepath.Join(t.TempDir(), "profile")}
	if err := profile.SaveConfig(p, profile.Config{Tenant: "contoso.onmicrosoft.com", ClientID: "11111111-2222-3333-4444-555555555555", Cloud: "commercial"}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := store.Open(ctx, p.StorePath(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 9, 3, 12, 0, 0, 0, time.UTC)
	for b := 0; b*100 < n; b++ {
		evs := make([]store.Event, 0, 100)
		for i := b * 100; i < min(n, (b+1)*100); i++ {
			id := fmt.Sprintf("%08x-0000-4000-8000-%012d", i*2654435761&0xffffffff, i)
			evs = append(evs, store.Event{ID: id, Workload: "Exchange", Operation: "MailItemsAccessed", UserID: fmt.Sprintf("user%d@contoso.com", i%40),
				ClientIP: fmt.Sprintf("203.0.%d.%d", i%250, i%200), CreationTime: t0.Add(-time.Duration(i) * time.Second),
				Raw: json.RawMessage(fmt.Sprintf(`{"Id":%q,"Operation":"MailItemsAccessed","Workload":"Exchange","UserId":"user%d@contoso.com","Folders":[{"Path":"\\Inbox\\%d","FolderItems":[{"InternetMessageId":"<%d@contoso.com>","SizeInBytes":%d}]}]}`, id, i%40, i%977, i*31, i*7))})
		}
		if _, err := s.CommitBlob(ctx, store.Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprint("blob-", b)}, evs, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return &cli{t: t, keys: &keychain.Memory{}, env: map[string]string{}}, []string{"--profile", p.Dir}, p
}

func statusOf(t *testing.T, c *cli, base []string) health.Status {
	t.Helper()
	code, stdout, stderr := c.run("", append(base, "status", "--json")...)
	var st health.Status
	if code != 0 || json.Unmarshal([]byte(stdout), &st) != nil {
		t.Fatalf("status --json exit %d: %s %s", code, stdout, stderr)
	}
	return st
}

// scribbleMidStore overwrites 64 KiB in the middle of the profile's store
// file, as a failing disk or a stray write would.
func scribbleMidStore(t *testing.T, p profile.Profile) {
	t.Helper()
	f, err := os.OpenFile(p.StorePath(), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5, 0x00, 0x5A, 0xFF}, 16<<10), fi.Size()/2); err != nil {
		t.Fatal(err)
	}
}

func countLines(s string) int {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		n++
	}
	return n
}

// TestDamagedStoreIsSaid: 64 KiB scribbled mid-store turns status red, events
// says so (non-zero exit) after printing what it could, and salvage keeps
// what is readable.
func TestDamagedStoreIsSaid(t *testing.T) {
	const total = 20000
	c, base, p := damageProfile(t, total)
	scribbleMidStore(t, p)

	if st := statusOf(t, c, base); st.Colour != "red" || !strings.Contains(st.Reason, "damaged") || !strings.Contains(st.Fix, "salvage") {
		t.Errorf("status of a damaged store: %s %q fix %q; want red, damaged, salvage", st.Colour, st.Reason, st.Fix)
	}
	code, stdout, stderr := c.run("", append(base, "events", "--limit", "0", "--json")...)
	if code == 0 && countLines(stdout) == total {
		t.Log("the scribble missed every page events reads") // still checked by status and salvage
	} else if code == 0 || !strings.Contains(stderr, "salvage") {
		t.Errorf("events on a damaged store: exit %d, stderr %q; want non-zero and the salvage hint", code, stderr)
	}
	code, stdout, stderr = c.run("", append(base, "salvage")...)
	if code != 0 || !strings.Contains(stdout, "Recovered") {
		t.Fatalf("salvage exit %d: %s %s", code, stdout, stderr)
	}
	code, stdout, stderr = c.run("", append(base, "events", "--limit", "0", "--json")...)
	got := countLines(stdout)
	if code != 0 || got == 0 || got >= total {
		t.Errorf("events after salvage: exit %d, %d of %d records (%s); want most but not all", code, got, total, stderr)
	}
	if st := statusOf(t, c, base); strings.Contains(st.Reason, "damaged") {
		t.Errorf("status after salvage still says %q", st.Reason)
	}
	kept, _ := filepath.Glob(p.StorePath() + ".damaged-*")
	if len(kept) == 0 {
		t.Error("the damaged file was not kept")
	}
}

// TestEmptyStoreIsSaid: a 0-byte events.db is reported, never replaced.
func TestEmptyStoreIsSaid(t *testing.T) {
	c, base, p := damageProfile(t, 10)
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(p.StorePath() + suffix)
	}
	if err := os.WriteFile(p.StorePath(), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if st := statusOf(t, c, base); st.Colour != "red" || !strings.Contains(st.Reason, "empty (0 bytes)") {
		t.Errorf("status of an empty store: %s %q; want red, empty (0 bytes)", st.Colour, st.Reason)
	}
	code, _, stderr := c.run("", append(base, "events")...)
	if code == 0 || !strings.Contains(stderr, "empty (0 bytes)") {
		t.Errorf("events on an empty store: exit %d, stderr %q", code, stderr)
	}
	if fi, err := os.Stat(p.StorePath()); err != nil || fi.Size() != 0 {
		t.Error("the empty store file was replaced")
	}
}
