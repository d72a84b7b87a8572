package app

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
)

// TestRestartKeepsCorrelationWindows: half a password spray is collected,
// AuditLight restarts (the correlator's memory is gone), the other half
// arrives: re-reading recent history at start-up still finds the spray.
func TestRestartKeepsCorrelationWindows(t *testing.T) {
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	failures := func(from, to int) []store.Event {
		var evs []store.Event
		for i := from; i < to; i++ {
			at := now.Add(-30*time.Minute + time.Duration(i)*20*time.Second)
			id := fmt.Sprintf("spray-%02d", i)
			user := fmt.Sprintf("user%02d@contoso.example", i)
			raw := fmt.Sprintf(`{"Id":%q,"CreationTime":%q,"Operation":"UserLoginFailed","RecordType":15,"Workload":"AzureActiveDirectory","UserId":%q,"ClientIP":"95.165.12.77","ErrorNumber":"50126","ResultStatus":"Success"}`,
				id, at.Format("2006-01-02T15:04:05"), user)
			evs = append(evs, store.Event{ID: id, Workload: "AzureActiveDirectory", Operation: "UserLoginFailed", UserID: user,
				ClientIP: "95.165.12.77", ResultStatus: "Success", RecordType: 15, CreationTime: at, Raw: []byte(raw)})
		}
		return evs
	}
	commit := func(st *store.Store, eng *detect.Engine, blob string, evs []store.Event) {
		if _, err := st.CommitBlob(ctx, store.Blob{ContentType: "Audit.AzureActiveDirectory", ContentID: blob}, evs, nil); err != nil {
			t.Fatal(err)
		}
		if err := eng.Process(ctx, evs, false); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		warm bool
		want int
	}{
		{"without re-reading history the spray is split and missed", false, 0},
		{"with the start-up re-read it is found", true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "events.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			eng1, err := detect.New(ctx, detect.Options{Store: st})
			if err != nil {
				t.Fatal(err)
			}
			commit(st, eng1, "b1", failures(0, 6))
			eng2, err := detect.New(ctx, detect.Options{Store: st}) // restart
			if err != nil {
				t.Fatal(err)
			}
			if tt.warm {
				if err := scanHistory(ctx, st, eng2, now.Add(-warmHistory), now.Add(time.Minute)); err != nil {
					t.Fatal(err)
				}
			}
			commit(st, eng2, "b2", failures(6, 12))
			fs, err := st.Findings(ctx, finding.Filter{Key: "95.165.12.77"})
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != tt.want {
				t.Errorf("%d spray findings, want %d", len(fs), tt.want)
			}
		})
	}
}
