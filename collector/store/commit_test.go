package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func TestCommitBlobDedupe(t *testing.T) {
	evs := genEvents(30, t0, "")
	tests := []struct {
		name         string
		blobs        [][]Event
		wantInserted []int
		wantTotal    int64
	}{
		{"same record twice in one blob", [][]Event{{evs[0], evs[0], evs[1]}}, []int{2}, 2},
		{"blob replayed", [][]Event{evs[:10], evs[:10]}, []int{10, 0}, 10},
		{"overlapping blobs", [][]Event{evs[:10], evs[5:20]}, []int{10, 10}, 20},
		{"empty blob", [][]Event{nil, evs[:3]}, []int{0, 3}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			ctx := context.Background()
			for i, blob := range tt.blobs {
				b := Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprintf("blob-%d", i), Created: t0}
				n, err := s.CommitBlob(ctx, b, blob, nil)
				if err != nil {
					t.Fatal(err)
				}
				if n != tt.wantInserted[i] {
					t.Errorf("blob %d inserted %d, want %d", i, n, tt.wantInserted[i])
				}
			}
			for _, count := range []func() (int64, error){
				func() (int64, error) { return s.Total(ctx) },
				func() (int64, error) { return s.Count(ctx, Filter{}) },
			} {
				got, err := count()
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.wantTotal {
					t.Errorf("stored %d events, want %d", got, tt.wantTotal)
				}
			}
		})
	}
}

func TestCommitBlobStoresEverything(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	b := Blob{ContentType: "Audit.SharePoint", ContentID: "blob-1", ContentURI: "https://x/blob-1", Created: t0.Add(-time.Hour), Expiration: t0.Add(6 * 24 * time.Hour)}
	if err := s.AddDeadLetter(ctx, b, "HTTP 500", t0); err != nil {
		t.Fatal(err)
	}
	evs := genEvents(4, t0, "")
	evs[0].ContentType, evs[0].ContentID = "", ""
	cur := &Cursor{ContentType: "Audit.SharePoint", Next: t0.Add(-30 * time.Minute)}
	if _, err := s.CommitBlob(ctx, b, evs, cur); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, evs[0].ID, evs[0].CreationTime)
	if err != nil {
		t.Fatal(err)
	}
	want := evs[0]
	want.ContentType, want.ContentID = b.ContentType, b.ContentID
	if got.ID != want.ID || got.ContentType != want.ContentType || got.ContentID != want.ContentID ||
		got.Operation != want.Operation || got.UserID != want.UserID || got.ClientIP != want.ClientIP ||
		got.ObjectID != want.ObjectID || got.Result != want.Result || got.ResultStatus != want.ResultStatus ||
		got.Workload != want.Workload || got.RecordType != want.RecordType || !got.CreationTime.Equal(want.CreationTime) ||
		string(got.Raw) != string(want.Raw) {
		t.Errorf("Get =\n%+v\nwant\n%+v", got, want)
	}
	seen, err := s.SeenContent(ctx, []string{"blob-1", "blob-2"})
	if err != nil {
		t.Fatal(err)
	}
	if !seen["blob-1"] || seen["blob-2"] {
		t.Errorf("SeenContent = %v, want only blob-1", seen)
	}
	dl, err := s.DeadLetters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(dl) != 0 {
		t.Errorf("dead letter still present after commit: %+v", dl)
	}
	curs, err := s.Cursors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !curs["Audit.SharePoint"].Next.Equal(cur.Next) {
		t.Errorf("cursor = %v, want %v", curs["Audit.SharePoint"].Next, cur.Next)
	}
	if _, err := s.Get(ctx, "no-such-id", evs[0].CreationTime); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get unknown id: %v, want ErrNotFound", err)
	}
}

func TestCommitBlobCursorNeverMovesBack(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	ct := "Audit.Exchange"
	steps := []struct {
		next time.Time
		want time.Time
	}{
		{t0, t0},
		{t0.Add(-time.Hour), t0}, // a late, older blob must not rewind
		{t0.Add(time.Hour), t0.Add(time.Hour)},
	}
	for i, st := range steps {
		if _, err := s.CommitBlob(ctx, Blob{ContentType: ct, ContentID: fmt.Sprint(i)}, nil, &Cursor{ContentType: ct, Next: st.next}); err != nil {
			t.Fatal(err)
		}
		curs, err := s.Cursors(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !curs[ct].Next.Equal(st.want) {
			t.Errorf("step %d: cursor %v, want %v", i, curs[ct].Next, st.want)
		}
	}
	if err := s.SetCursor(ctx, Cursor{ContentType: ct, Next: t0.Add(-48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	curs, _ := s.Cursors(ctx)
	if !curs[ct].Next.Equal(t0.Add(-48 * time.Hour)) {
		t.Errorf("SetCursor did not rewind: %v", curs[ct].Next)
	}
}

// TestCommitBlobAtomic makes a commit fail part-way through and checks that
// nothing of it is visible: no events, blob not seen, dead letter kept,
// cursor unchanged.
func TestCommitBlobAtomic(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		prepare func(t *testing.T, s *Store, evs []Event) (context.Context, []Event)
		wantErr error
	}{
		{"invalid record mid-blob", func(t *testing.T, s *Store, evs []Event) (context.Context, []Event) {
			evs[150].ID = "" // violates the CHECK constraint after 150 rows went in
			return ctx, evs
		}, nil},
		{"disk full mid-blob", func(t *testing.T, s *Store, evs []Event) (context.Context, []Event) {
			var pages int64
			if err := s.w.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
				t.Fatal(err)
			}
			// Room for a few more pages only: the big blob cannot fit.
			if _, err := s.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+8)); err != nil {
				t.Fatal(err)
			}
			// Incompressible records: compression must not let the blob fit.
			rnd := rand.New(rand.NewPCG(1, 2))
			for i := range evs {
				evs[i].Raw = make([]byte, 2000)
				for j := range evs[i].Raw {
					evs[i].Raw[j] = byte(rnd.Uint32())
				}
				copy(evs[i].Raw, `{}`)
			}
			return ctx, evs
		}, ErrDiskFull},
		{"cancelled context", func(t *testing.T, s *Store, evs []Event) (context.Context, []Event) {
			c, cancel := context.WithCancel(ctx)
			cancel()
			return c, evs
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			ct := "Audit.Exchange"
			before := Cursor{ContentType: ct, Next: t0.Add(-time.Hour)}
			if _, err := s.CommitBlob(ctx, Blob{ContentType: ct, ContentID: "first"}, genEvents(10, t0, "first-"), &before); err != nil {
				t.Fatal(err)
			}
			b := Blob{ContentType: ct, ContentID: "second", Created: t0}
			if err := s.AddDeadLetter(ctx, b, "timeout", t0); err != nil {
				t.Fatal(err)
			}
			cctx, evs := tt.prepare(t, s, genEvents(300, t0, "second-"))
			n, err := s.CommitBlob(cctx, b, evs, &Cursor{ContentType: ct, Next: t0})
			if err == nil {
				t.Fatal("CommitBlob succeeded, want failure")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if n != 0 {
				t.Errorf("inserted = %d on failure", n)
			}
			if got, _ := s.Count(ctx, Filter{}); got != 10 {
				t.Errorf("%d events stored, want the 10 of the first blob only", got)
			}
			if got, _ := s.Total(ctx); got != 10 {
				t.Errorf("Total = %d, want 10", got)
			}
			seen, _ := s.SeenContent(ctx, []string{"second"})
			if seen["second"] {
				t.Error("failed blob recorded as seen")
			}
			dl, _ := s.DeadLetters(ctx)
			if len(dl) != 1 || dl[0].ContentID != "second" {
				t.Errorf("dead letters = %+v, want the failed blob kept", dl)
			}
			curs, _ := s.Cursors(ctx)
			if !curs[ct].Next.Equal(before.Next) {
				t.Errorf("cursor moved to %v on failure", curs[ct].Next)
			}
			// The store keeps working after the failure.
			if _, err := s.w.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
				t.Fatal(err)
			}
			if n, err := s.CommitBlob(ctx, b, genEvents(300, t0, "second-"), nil); err != nil || n != 300 {
				t.Errorf("retry: inserted %d, err %v", n, err)
			}
		})
	}
}

func TestReadOnlyDatabase(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	// query_only makes SQLite refuse writes exactly as for a read-only file
	// (file permissions do not stop root, which runs CI).
	if _, err := s.w.ExecContext(ctx, `PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}
	ops := []struct {
		name string
		run  func() error
	}{
		{"CommitBlob", func() error {
			_, err := s.CommitBlob(ctx, Blob{ContentType: "a", ContentID: "b"}, genEvents(2, t0, ""), nil)
			return err
		}},
		{"SetCursor", func() error { return s.SetCursor(ctx, Cursor{ContentType: "a", Next: t0}) }},
		{"SetMeta", func() error { return s.SetMeta(ctx, "k", "v") }},
		{"AddDeadLetter", func() error { return s.AddDeadLetter(ctx, Blob{ContentID: "x"}, "e", t0) }},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			err := op.run()
			if !errors.Is(err, ErrReadOnly) {
				t.Errorf("error = %v, want ErrReadOnly", err)
			}
		})
	}
}

func TestDeadLetters(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	a := Blob{ContentType: "Audit.Exchange", ContentID: "a", ContentURI: "https://x/a", Created: t0.Add(-time.Hour), Expiration: t0.Add(24 * time.Hour)}
	b := Blob{ContentType: "Audit.General", ContentID: "b", ContentURI: "https://x/b", Created: t0.Add(-time.Hour), Expiration: t0.Add(24 * time.Hour)}
	expired := Blob{ContentType: "Audit.General", ContentID: "old", Created: t0.Add(-8 * 24 * time.Hour), Expiration: t0.Add(-time.Hour)}
	steps := []struct {
		blob Blob
		err  string
		next time.Time
	}{
		{a, "HTTP 500", t0.Add(time.Minute)},
		{a, "HTTP 503", t0.Add(5 * time.Minute)},
		{b, "truncated JSON", t0.Add(-time.Minute)},
		{expired, "HTTP 500", t0.Add(-time.Minute)},
	}
	for _, st := range steps {
		if err := s.AddDeadLetter(ctx, st.blob, st.err, st.next); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.DeadLetters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]DeadLetter{}
	for _, d := range all {
		byID[d.ContentID] = d
	}
	if d := byID["a"]; d.Attempts != 2 || d.LastError != "HTTP 503" || !d.NextRetry.Equal(t0.Add(5*time.Minute)) || d.ContentURI != a.ContentURI {
		t.Errorf("dead letter a = %+v, want 2 attempts, last error and retry of the second failure", d)
	}
	tests := []struct {
		now  time.Time
		want []string
	}{
		{t0.Add(-2 * time.Minute), nil},
		// The expired blob is due too: the collector records it as a gap.
		{t0, []string{"b", "old"}},
		{t0.Add(10 * time.Minute), []string{"b", "old", "a"}},
	}
	for _, tt := range tests {
		due, err := s.DueDeadLetters(ctx, tt.now)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids2(due)) != fmt.Sprint(tt.want) {
			t.Errorf("due at %v = %v, want %v", tt.now, ids2(due), tt.want)
		}
	}
	if err := s.RemoveDeadLetter(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	all, _ = s.DeadLetters(ctx)
	if len(all) != 2 {
		t.Errorf("after remove: %d dead letters, want 2", len(all))
	}
	// Committing the expired blob (as a gap, without events) clears it.
	if _, err := s.CommitBlob(ctx, expired, nil, nil); err != nil {
		t.Fatal(err)
	}
	all, _ = s.DeadLetters(ctx)
	if len(all) != 1 || all[0].ContentID != "a" {
		t.Errorf("after committing the expired blob: %+v, want only a", all)
	}
}

func ids2(d []DeadLetter) []string {
	out := make([]string, len(d))
	for i := range d {
		out[i] = d[i].ContentID
	}
	return out
}

func TestGapsMetaUsers(t *testing.T) {
	clk := &fakeClock{t: t0}
	s, _ := openTest(t, Options{Clock: clk.Now})
	ctx := context.Background()
	g := Gap{ContentType: "Audit.Exchange", From: t0.Add(-9 * 24 * time.Hour), To: t0.Add(-8 * 24 * time.Hour), Reason: "offline longer than 7 days"}
	if err := s.AddGap(ctx, g); err != nil {
		t.Fatal(err)
	}
	gaps, err := s.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g.RecordedAt = t0
	if len(gaps) != 1 || gaps[0] != g {
		t.Errorf("Gaps = %+v, want %+v", gaps, g)
	}

	if _, ok, err := s.Meta(ctx, "missing"); ok || err != nil {
		t.Errorf("Meta(missing) ok=%v err=%v", ok, err)
	}
	for _, v := range []string{"one", "two"} {
		if err := s.SetMeta(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := s.Meta(ctx, "k"); got != v || !ok || err != nil {
			t.Errorf("Meta = %q %v %v, want %q", got, ok, err, v)
		}
	}

	names := map[string]string{"Jonas.Berg@northwind-lab.onmicrosoft.com": "Jonas Berg", "mira.okafor@northwind-lab.onmicrosoft.com": "Mira Okafor"}
	if err := s.SetUserNames(ctx, names); err != nil {
		t.Fatal(err)
	}
	got, at, err := s.UserNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["Jonas.Berg@northwind-lab.onmicrosoft.com"] != "Jonas Berg" || !at.Equal(t0) {
		t.Errorf("UserNames = %v at %v", got, at)
	}
	if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "x"}, genEvents(5, t0, ""), nil); err != nil {
		t.Fatal(err)
	}
	evs, err := s.Query(ctx, Filter{User: "jonas.berg@northwind-lab.onmicrosoft.com"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 || evs[0].UserDisplay != "Jonas Berg" {
		t.Errorf("UserDisplay not joined case-insensitively: %+v", evs)
	}
	// A refresh replaces the cache.
	clk.t = t0.Add(time.Hour)
	if err := s.SetUserNames(ctx, map[string]string{"mira.okafor@northwind-lab.onmicrosoft.com": "Mira O."}); err != nil {
		t.Fatal(err)
	}
	got, at, _ = s.UserNames(ctx)
	if len(got) != 1 || got["mira.okafor@northwind-lab.onmicrosoft.com"] != "Mira O." || !at.Equal(clk.t) {
		t.Errorf("after refresh UserNames = %v at %v", got, at)
	}
}
