package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// expect applies f to evs in Go, independently of the SQL, in feed order.
func expect(evs []Event, f Filter) []Event {
	var out []Event
	for _, e := range evs {
		if len(f.Workloads) > 0 && !slices.Contains(f.Workloads, e.Workload) ||
			len(f.ContentTypes) > 0 && !slices.Contains(f.ContentTypes, e.ContentType) ||
			f.Result != "" && e.Result != f.Result ||
			!f.Since.IsZero() && e.CreationTime.Before(f.Since) ||
			!f.Until.IsZero() && !e.CreationTime.Before(f.Until) ||
			f.Operation != "" && e.Operation != f.Operation ||
			f.User != "" && e.UserID != f.User ||
			f.Text != "" && !matchesText(e, f.Text) ||
			f.IDs != nil && !slices.Contains(f.IDs, e.ID) {
			continue
		}
		out = append(out, e)
	}
	feedSort(out)
	return out
}

func TestQueryFilters(t *testing.T) {
	evs := genEvents(600, t0, "")
	tests := []struct {
		name string
		f    Filter
	}{
		{"all", Filter{Limit: MaxLimit}},
		{"one workload", Filter{Workloads: []string{"Exchange"}, Limit: MaxLimit}},
		{"two workloads", Filter{Workloads: []string{"Exchange", "SharePoint"}, Limit: MaxLimit}},
		{"content type", Filter{ContentTypes: []string{"Audit.AzureActiveDirectory"}, Limit: MaxLimit}},
		{"failures", Filter{Result: "failure", Limit: MaxLimit}},
		{"time range", Filter{Since: t0.Add(-2 * time.Hour), Until: t0.Add(-time.Hour), Limit: MaxLimit}},
		{"operation", Filter{Operation: "New-InboxRule", Limit: MaxLimit}},
		{"user", Filter{User: "mira.okafor@northwind-lab.onmicrosoft.com", Limit: MaxLimit}},
		{"combined", Filter{Workloads: []string{"AzureActiveDirectory"}, Result: "failure", Since: t0.Add(-3 * time.Hour), Limit: MaxLimit}},
		{"text user word", Filter{Text: "jonas", Limit: MaxLimit}},
		{"text later word of upn", Filter{Text: "berg", Limit: MaxLimit}},
		{"text case-insensitive", Filter{Text: "ANA.LIMA", Limit: MaxLimit}},
		{"text ip prefix", Filter{Text: "203.0.2.1", Limit: MaxLimit}},
		{"text exact ip", Filter{Text: "203.0.1.19", Limit: MaxLimit}},
		{"text operation part", Filter{Text: "inboxrule", Limit: MaxLimit}},
		{"text object", Filter{Text: "Q3-salaries", Limit: MaxLimit}},
		{"text two terms", Filter{Text: "mira  FileDownloaded", Limit: MaxLimit}},
		{"text backslash user", Filter{Text: `authority\system`, Limit: MaxLimit}},
		{"text glob metachars", Filter{Text: "sal*ries", Limit: MaxLimit}},
		{"text mid-word does not match", Filter{Text: "onas", Limit: MaxLimit}},
		{"text punctuation only", Filter{Text: "@", Limit: MaxLimit}},
		{"text no match", Filter{Text: "nobody-here", Limit: MaxLimit}},
		{"text and workload", Filter{Text: "jonas", Workloads: []string{"Exchange"}, Limit: MaxLimit}},
		{"default limit", Filter{}},
		{"small limit", Filter{Limit: 7}},
	}
	for _, plan := range []struct {
		name         string
		rare, window int
		blockShift   int // 0: no block walk
	}{
		{"window", rareMatches, textWindow, 0},
		{"small-window", rareMatches, 37, 0},
		{"index-driven", 1 << 30, 0, 0},
		{"scan-driven", 0, 0, 0},
		{"block-walk", rareMatches, 0, blockShift},
		{"block-walk-small-blocks", rareMatches, 0, 3},
		{"window-then-small-blocks", rareMatches, 37, 4},
	} {
		s, _ := openTest(t, Options{})
		s.rareMatches, s.textWindow = plan.rare, plan.window
		s.blockWalk, s.blockShift = plan.blockShift > 0, max(plan.blockShift, 1)
		commitAll(t, s, evs, 100)
		ctx := context.Background()
		for _, tt := range tests {
			t.Run(plan.name+"/"+tt.name, func(t *testing.T) {
				want := expect(evs, tt.f)
				limit := tt.f.Limit
				if limit == 0 {
					limit = DefaultLimit
				}
				wantPage := want[:min(limit, len(want))]
				got, err := s.Query(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), ids(wantPage)) {
					t.Errorf("Query returned %d events, want %d\n got %v\nwant %v", len(got), len(wantPage), head(ids(got)), head(ids(wantPage)))
				}
				n, err := s.Count(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if n != int64(len(want)) {
					t.Errorf("Count = %d, want %d", n, len(want))
				}
				var streamed []string
				ff := tt.f
				ff.Limit = 0
				if err := s.ForEach(ctx, ff, func(e Event) error { streamed = append(streamed, e.ID); return nil }); err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(streamed, ids(want)) {
					t.Errorf("ForEach streamed %d events, want %d", len(streamed), len(want))
				}
			})
		}
	}
}

func head(s []string) []string { return s[:min(len(s), 5)] }

func TestKeysetPagingVisitsEveryRowOnce(t *testing.T) {
	evs := genEvents(1000, t0, "") // pairs share a CreationTime: ties are broken by id
	tests := []struct {
		name string
		f    Filter
		page int
	}{
		{"all, pages of 64", Filter{}, 64},
		{"all, pages of 1", Filter{Workloads: []string{"Exchange"}}, 1},
		{"text, pages of 50", Filter{Text: "jonas"}, 50},
		{"failures, pages of 33", Filter{Result: "failure"}, 33},
	}
	s, _ := openTest(t, Options{})
	s.textWindow = 100 // pages both inside and beyond the text window
	commitAll(t, s, evs, 250)
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := ids(expect(evs, tt.f))
			var got []string
			f := tt.f
			f.Limit = tt.page
			for {
				page, err := s.Query(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(page) == 0 {
					break
				}
				got = append(got, ids(page)...)
				last := page[len(page)-1].Pos()
				f.Before = &last
			}
			if !slices.Equal(got, want) {
				t.Errorf("paged %d rows, want %d (every row exactly once, in feed order)", len(got), len(want))
			}
			seen := map[string]bool{}
			for _, id := range got {
				if seen[id] {
					t.Fatalf("row %s returned twice", id)
				}
				seen[id] = true
			}
		})
	}
	t.Run("offset paging agrees", func(t *testing.T) {
		page1, _ := s.Query(ctx, Filter{Limit: 10})
		page2, _ := s.Query(ctx, Filter{Limit: 10, Offset: 10})
		all, _ := s.Query(ctx, Filter{Limit: 20})
		if !slices.Equal(append(ids(page1), ids(page2)...), ids(all)) {
			t.Error("Offset pages do not concatenate to the first 20 rows")
		}
	})
}

func TestForEachStopsOnError(t *testing.T) {
	s, _ := openTest(t, Options{})
	commitAll(t, s, genEvents(50, t0, ""), 50)
	stop := errors.New("stop")
	n := 0
	err := s.ForEach(context.Background(), Filter{}, func(Event) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("ForEach = %v after %d events, want the callback's error after 3", err, n)
	}
}

func TestNewestSince(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	seq, err := s.IngestSeq(ctx)
	if err != nil || seq != 0 {
		t.Fatalf("IngestSeq on empty store = %d, %v", seq, err)
	}
	batches := [][]Event{genEvents(5, t0, "a-"), genEvents(3, t0.Add(-48*time.Hour), "b-"), nil, genEvents(12, t0, "c-")}
	for i, batch := range batches {
		if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprint(i)}, batch, nil); err != nil {
			t.Fatal(err)
		}
		got, next, err := s.NewestSince(ctx, seq, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := min(len(batch), 10)
		if len(got) != want {
			t.Errorf("batch %d: %d new events, want %d", i, len(got), want)
		}
		// Most recently stored first: the newest of the batch, even when
		// its records are old (a late backfill still shows up live).
		if len(batch) > 0 && got[0].ID != batch[len(batch)-1].ID {
			t.Errorf("batch %d: first new event %s, want %s", i, got[0].ID, batch[len(batch)-1].ID)
		}
		if len(batch) == 0 && next != seq {
			t.Errorf("sequence moved without new events: %d -> %d", seq, next)
		}
		seq = next
	}
	if again, _, _ := s.NewestSince(ctx, seq, 10); len(again) != 0 {
		t.Errorf("%d events returned twice", len(again))
	}
}

func TestHourlyCountsAndStats(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	evs := genEvents(600, t0, "") // 300 minutes back from t0
	var blobs []Blob
	for i, ct := range []string{"Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint", "Audit.General"} {
		var mine []Event
		for _, e := range evs {
			if e.ContentType == ct {
				mine = append(mine, e)
			}
		}
		b := Blob{ContentType: ct, ContentID: ct, Created: t0.Add(-time.Duration(i) * time.Hour)}
		blobs = append(blobs, b)
		if _, err := s.CommitBlob(ctx, b, mine, nil); err != nil {
			t.Fatal(err)
		}
	}
	ranges := []struct {
		name         string
		since, until time.Time
	}{
		{"whole hours", t0.Add(-3 * time.Hour), t0.Add(time.Hour)},
		{"partial hours at both ends", t0.Add(-161 * time.Minute), t0.Add(-17 * time.Minute)},
		{"inside one hour", t0.Add(-100 * time.Minute), t0.Add(-70 * time.Minute)},
		{"everything", t0.Add(-24 * time.Hour), t0.Add(24 * time.Hour)},
	}
	for _, r := range ranges {
		want := map[string]int64{}
		for _, e := range evs {
			if !e.CreationTime.Before(r.since) && e.CreationTime.Before(r.until) {
				want[e.CreationTime.Truncate(time.Hour).Format(time.RFC3339)+" "+e.Workload]++
			}
		}
		hc, err := s.HourlyCounts(ctx, r.since, r.until)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for i, h := range hc {
			got[h.Hour.Format(time.RFC3339)+" "+h.Workload] = h.Count
			if i > 0 && h.Hour.Before(hc[i-1].Hour) {
				t.Errorf("%s: hours out of order at %d", r.name, i)
			}
			if h.Hour.Location() != time.UTC || !h.Hour.Equal(h.Hour.Truncate(time.Hour)) {
				t.Errorf("%s: hour %v is not a UTC hour boundary", r.name, h.Hour)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: HourlyCounts = %v\nwant %v", r.name, got, want)
		}
	}

	for _, now := range []time.Time{t0.Add(20 * time.Hour), t0.Add(20*time.Hour + 37*time.Minute)} {
		stats, err := s.WorkloadStats(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range blobs {
			var total, recent int64
			var last time.Time
			for _, e := range evs {
				if e.ContentType != b.ContentType {
					continue
				}
				total++
				if !e.CreationTime.Before(now.Add(-24 * time.Hour)) {
					recent++
				}
				if e.CreationTime.After(last) {
					last = e.CreationTime
				}
			}
			w := stats[b.ContentType]
			if w.Total != total || w.Records24h != recent || !w.LastRecord.Equal(last) || !w.LastContent.Equal(b.Created) {
				t.Errorf("%s stats = %+v, want total %d, 24h %d, last record %v, last content %v", b.ContentType, w, total, recent, last, b.Created)
			}
		}
	}
}

func TestPurge(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{Retention: 24 * time.Hour})
	old := genEvents(40, t0.Add(-30*time.Hour), "old-")
	recent := genEvents(40, t0, "new-")
	if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "gone", Created: t0.Add(-17 * 24 * time.Hour), Expiration: t0.Add(-10 * 24 * time.Hour)}, old, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "kept", Created: t0.Add(-12 * 24 * time.Hour), Expiration: t0.Add(-5 * 24 * time.Hour)}, recent, nil); err != nil {
		t.Fatal(err)
	}
	n, err := s.Purge(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(old)) {
		t.Errorf("Purge deleted %d, want %d", n, len(old))
	}
	left, _ := s.Query(ctx, Filter{Limit: MaxLimit})
	if !slices.Equal(ids(left), ids(expect(recent, Filter{}))) {
		t.Errorf("after purge %d events left, want the %d recent ones", len(left), len(recent))
	}
	if total, _ := s.Total(ctx); total != int64(len(recent)) {
		t.Errorf("Total after purge = %d, want %d", total, len(recent))
	}
	hc, err := s.HourlyCounts(ctx, t0.Add(-48*time.Hour), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var charted int64
	for _, h := range hc {
		charted += h.Count
	}
	if charted != int64(len(recent)) {
		t.Errorf("hourly chart counts %d events after purge, want %d", charted, len(recent))
	}
	// Purged rows leave the text index too.
	if c, _ := s.Count(ctx, Filter{Text: "jonas"}); c != int64(len(expect(recent, Filter{Text: "jonas"}))) {
		t.Errorf("text search finds %d rows, want only the recent ones", c)
	}
	var ftsRows int64
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM events_fts`).Scan(&ftsRows); err != nil {
		t.Fatal(err)
	}
	if ftsRows != int64(len(recent)) {
		t.Errorf("text index holds %d rows, want %d", ftsRows, len(recent))
	}
	seen, _ := s.SeenContent(ctx, []string{"gone", "kept"})
	if seen["gone"] || !seen["kept"] {
		t.Errorf("seen content after purge = %v, want only the blob expired < 8 days ago", seen)
	}
	if n, _ := s.Purge(ctx, t0); n != 0 {
		t.Errorf("second purge deleted %d", n)
	}
}
