package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// fakeClock is a settable clock for tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

var t0 = time.Date(2026, 9, 3, 12, 0, 0, 0, time.UTC)

func openTest(t testing.TB, opt Options) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "auditlight.db")
	if opt.Clock == nil {
		c := &fakeClock{t: t0}
		opt.Clock = c.Now
	}
	s, err := Open(context.Background(), path, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// genEvents makes n varied, deterministic events; event i is created i
// minutes before end (several share a timestamp to exercise id tie-breaks).
func genEvents(n int, end time.Time, prefix string) []Event {
	workloads := []struct{ ct, wl, op string }{
		{"Audit.AzureActiveDirectory", "AzureActiveDirectory", "UserLoggedIn"},
		{"Audit.AzureActiveDirectory", "AzureActiveDirectory", "UserLoginFailed"},
		{"Audit.Exchange", "Exchange", "New-InboxRule"},
		{"Audit.Exchange", "Exchange", "Set-Mailbox"},
		{"Audit.SharePoint", "SharePoint", "FileDownloaded"},
		{"Audit.General", "SecurityComplianceCenter", "AlertTriggered"},
	}
	users := []string{"jonas.berg@northwind-lab.onmicrosoft.com", "mira.okafor@northwind-lab.onmicrosoft.com",
		"Ana.Lima@Northwind-Lab.onmicrosoft.com", "SecurityComplianceAlerts", `NT AUTHORITY\SYSTEM (w3wp)`}
	evs := make([]Event, n)
	for i := range evs {
		w := workloads[i%len(workloads)]
		result := "success"
		if w.op == "UserLoginFailed" || i%11 == 0 {
			result = "failure"
		}
		id := fmt.Sprintf("%s%08x-0000-4000-8000-%012d", prefix, (i*2654435761)&0xffffffff, i)
		evs[i] = Event{
			ID: id, ContentType: w.ct, ContentID: fmt.Sprintf("blob-%d", i/50), Workload: w.wl, Operation: w.op,
			UserID: users[i%len(users)], ClientIP: fmt.Sprintf("203.0.%d.%d", i%3, i%200),
			Result: result, ResultStatus: "Succeeded", ObjectID: fmt.Sprintf("https://northwindlab.sharepoint.com/sites/Finance/Q%d-salaries-%d.xlsx", i%4, i%37),
			RecordType: 6, CreationTime: end.Add(-time.Duration(i/2) * time.Minute),
			Raw: json.RawMessage(fmt.Sprintf(`{"Id":%q,"n":%d}`, id, i)),
		}
	}
	return evs
}

// commitAll stores evs in blobs of size per, one blob per content type chunk.
func commitAll(t testing.TB, s *Store, evs []Event, per int) int {
	t.Helper()
	total := 0
	for start := 0; start < len(evs); start += per {
		chunk := evs[start:min(start+per, len(evs))]
		b := Blob{ContentType: "Audit.Mixed", ContentID: fmt.Sprintf("c-%s-%d", chunk[0].ID, start), Created: t0, Expiration: t0.Add(7 * 24 * time.Hour)}
		n, err := s.CommitBlob(context.Background(), b, chunk, nil)
		if err != nil {
			t.Fatalf("CommitBlob: %v", err)
		}
		total += n
	}
	return total
}

// feedSort orders events like the feed: newest first, then id descending.
func feedSort(evs []Event) {
	sort.Slice(evs, func(i, j int) bool {
		if !evs[i].CreationTime.Equal(evs[j].CreationTime) {
			return evs[i].CreationTime.After(evs[j].CreationTime)
		}
		return evs[i].ID > evs[j].ID
	})
}

// matchesText is an independent implementation of Filter.Text semantics:
// each term occurs in a field, ASCII case-insensitively, at a word start.
func matchesText(e Event, text string) bool {
	for _, term := range strings.Fields(text) {
		lt := asciiLower(term)
		found := false
		for _, field := range []string{e.UserID, e.Operation, e.ClientIP, e.ObjectID} {
			lf := asciiLower(field)
			for off := 0; off <= len(lf)-len(lt) && !found; off++ {
				if !strings.HasPrefix(lf[off:], lt) {
					continue
				}
				startsWord := !isWordRune([]rune(lt)[0]) || off == 0 || !isWordByte(lf[off-1])
				found = startsWord
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func isWordByte(b byte) bool {
	return b >= 0x80 || ('a' <= b && b <= 'z') || ('0' <= b && b <= '9')
}

func ids(evs []Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}
