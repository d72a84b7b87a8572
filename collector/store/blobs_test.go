package store

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// ftsRows returns the record ids the word index finds for each query.
func ftsRows(t *testing.T, db *sql.DB, queries []string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, q := range queries {
		rows, err := db.Query(`SELECT e.id FROM events_fts AS f JOIN events AS e ON e.seq = f.rowid
			WHERE events_fts MATCH ? ORDER BY e.id`, q)
		if err != nil {
			t.Fatalf("fts %q: %v", q, err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out[q] = append(out[q], id)
		}
		rows.Close()
	}
	return out
}

// TestSchema3ProfileMigratesToBlobRefs opens a store of schema 3 (content id
// and type on every event) at schema 4 (a reference to a blobs row): every
// event comes back byte-identical with its own content id and type, the
// word index finds the same rows, the ingest sequence keeps its high-water
// mark, counters and content filters still hold, and the per-row columns
// are gone.
func TestSchema3ProfileMigratesToBlobRefs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.db")
	evs := withRealisticRaw(genEvents(3000, t0, ""))
	// A salvaged event keeps a content id of its own within its blob.
	evs[7].ContentID = "salvaged-from-blob-x"
	writeSchema(t, path, evs, 3)
	queries := []string{`"jonas"`, `"203" AND "0" AND "2"`, `"salaries"`, `"userloginfailed"`, `"nt" AND "authority"`}
	old, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	// The newest event was purged or never committed: the high-water mark
	// is above every stored seq and must stay there.
	if _, err := old.Exec(`DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)`); err != nil {
		t.Fatal(err)
	}
	var highWater int64
	if err := old.QueryRow(`SELECT seq FROM sqlite_sequence WHERE name = 'events'`).Scan(&highWater); err != nil {
		t.Fatal(err)
	}
	want := ftsRows(t, old, queries)
	old.Close()
	wantEvs := map[string]Event{}
	pairs := map[[2]string]bool{}
	for _, e := range evs[:len(evs)-1] {
		wantEvs[e.ID] = e
		pairs[[2]string{e.ContentID, e.ContentType}] = true
	}

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open of a schema-3 store: %v", err)
	}
	defer s.Close()
	n := 0
	if err := s.ForEach(ctx, Filter{}, func(e Event) error {
		w, ok := wantEvs[e.ID]
		switch {
		case !ok:
			t.Errorf("unexpected event %s", e.ID)
		case !bytes.Equal(e.Raw, w.Raw):
			t.Errorf("raw record %s changed by the migration", e.ID)
		case e.ContentID != w.ContentID || e.ContentType != w.ContentType:
			t.Errorf("event %s is in blob %s/%s, want %s/%s", e.ID, e.ContentType, e.ContentID, w.ContentType, w.ContentID)
		case e.UserID != w.UserID || e.Operation != w.Operation || e.ObjectID != w.ObjectID || !e.CreationTime.Equal(w.CreationTime):
			t.Errorf("event %s fields changed: %+v", e.ID, e)
		}
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != len(wantEvs) {
		t.Fatalf("%d events after migration, want %d", n, len(wantEvs))
	}
	got := ftsRows(t, s.w, queries)
	for _, q := range queries {
		if len(want[q]) == 0 || !slices.Equal(got[q], want[q]) {
			t.Errorf("word index %s finds %d rows after migration, %d before", q, len(got[q]), len(want[q]))
		}
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO events_fts (events_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("FTS integrity after migration: %v", err)
	}
	page, err := s.Query(ctx, Filter{Text: "jonas", ContentTypes: []string{"Audit.Exchange"}, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	wantN := 0
	for _, e := range wantEvs {
		if e.ContentType == "Audit.Exchange" && matchesText(e, "jonas") {
			wantN++
		}
	}
	if len(page) != wantN || wantN == 0 {
		t.Errorf("text + content type search found %d, want %d", len(page), wantN)
	}
	// A new event gets a seq above the old high-water mark.
	next := genEvents(1, t0.Add(time.Hour), "new-")
	next[0].ContentID, next[0].ContentType = "", ""
	if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "blob-new"}, next, nil); err != nil {
		t.Fatal(err)
	}
	var seq int64
	if err := s.w.QueryRowContext(ctx, `SELECT seq FROM events WHERE id = ?`, next[0].ID).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if seq <= highWater {
		t.Errorf("new event seq %d reuses the ingest sequence (high-water mark %d)", seq, highWater)
	}
	checks := []struct {
		name, q string
		want    int64
	}{
		{"content_id column", `SELECT count(*) FROM pragma_table_info('events') WHERE name IN ('content_id', 'content_type', 'ingested_at')`, 0},
		{"content_expiration index", `SELECT count(*) FROM sqlite_master WHERE name = 'content_expiration'`, 0},
		{"blobs", `SELECT count(*) FROM blobs`, int64(len(pairs) + 1)}, // + blob-new
		{"free pages", `PRAGMA freelist_count`, 0},
		{"schema version", `SELECT version FROM schema_version`, int64(len(migrations()))},
	}
	for _, c := range checks {
		var v int64
		if err := s.w.QueryRowContext(ctx, c.q).Scan(&v); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if v != c.want {
			t.Errorf("%s = %d, want %d", c.name, v, c.want)
		}
	}
}

// TestPurgeForgetsBlobsWithTheirEvents: once every event of a blob is
// purged, its blobs row goes too; a blob with a remaining event stays.
func TestPurgeForgetsBlobsWithTheirEvents(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{Retention: 24 * time.Hour})
	old := genEvents(10, t0.Add(-72*time.Hour), "old-")
	recent := genEvents(10, t0, "new-")
	mixed := append(genEvents(1, t0.Add(-72*time.Hour), "mixold-"), genEvents(1, t0, "mixnew-")...)
	for _, c := range []struct {
		id  string
		evs []Event
	}{{"old", old}, {"recent", recent}, {"mixed", mixed}} {
		for i := range c.evs {
			c.evs[i].ContentID, c.evs[i].ContentType = "", ""
		}
		if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: c.id}, c.evs, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Purge(ctx, t0); err != nil {
		t.Fatal(err)
	}
	rows, err := s.w.QueryContext(ctx, `SELECT content_id FROM blobs ORDER BY content_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var left []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		left = append(left, id)
	}
	if !slices.Equal(left, []string{"mixed", "recent"}) {
		t.Errorf("blobs after purge = %v, want [mixed recent]", left)
	}
	evs, err := s.Query(ctx, Filter{ContentTypes: []string{"Audit.Exchange"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 11 {
		t.Errorf("%d events after purge, want 11", len(evs))
	}
	for _, e := range evs {
		if e.ContentID == "" || e.ContentType != "Audit.Exchange" {
			t.Errorf("event %s lost its blob: %q/%q", e.ID, e.ContentType, e.ContentID)
		}
	}
}
