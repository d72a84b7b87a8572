package collector

import (
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/activity"
)

// TestRecordWithoutIdKeepsItsOwnFields: a record lacking Id is shown with its
// own CreationTime, operation and user, not as "(unparsed record)" at the
// blob's time; only something that is not a record at all is kept raw.
func TestRecordWithoutIdKeepsItsOwnFields(t *testing.T) {
	blobTime := time.Date(2026, 11, 28, 5, 0, 0, 0, time.UTC)
	b := activity.Content{ContentType: activity.AuditExchange, ContentID: "c1", Created: blobTime}
	cases := []struct {
		name      string
		record    string
		operation string
		user      string
		created   time.Time
	}{
		{"no Id", `{"CreationTime":"2026-11-27T22:15:00","Operation":"New-InboxRule","UserId":"ann@contoso.com","Workload":"Exchange"}`,
			"New-InboxRule", "ann@contoso.com", time.Date(2026, 11, 27, 22, 15, 0, 0, time.UTC)},
		{"empty Id", `{"Id":"","CreationTime":"2026-11-26T01:02:03Z","Operation":"Set-Mailbox","UserId":"bob@contoso.com"}`,
			"Set-Mailbox", "bob@contoso.com", time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC)},
		{"Id, bad CreationTime", `{"Id":"r1","CreationTime":"yesterday","Operation":"MailItemsAccessed","UserId":"cy@contoso.com"}`,
			"MailItemsAccessed", "cy@contoso.com", blobTime},
		{"not an object", `"just text"`, "(unparsed record)", "", blobTime},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			evs, err := toEvents(b, []byte("["+tc.record+"]"))
			if err != nil || len(evs) != 1 {
				t.Fatalf("toEvents: %d events, %v", len(evs), err)
			}
			ev := evs[0]
			if ev.Operation != tc.operation || ev.UserID != tc.user || !ev.CreationTime.Equal(tc.created) {
				t.Fatalf("got op %q user %q time %v; want %q %q %v", ev.Operation, ev.UserID, ev.CreationTime, tc.operation, tc.user, tc.created)
			}
			if ev.ID == "" || (tc.name != "Id, bad CreationTime" && !strings.HasPrefix(ev.ID, "sha256:")) {
				t.Fatalf("id %q", ev.ID)
			}
			if string(ev.Raw) != tc.record {
				t.Fatalf("raw record not kept as sent: %s", ev.Raw)
			}
		})
	}
}
