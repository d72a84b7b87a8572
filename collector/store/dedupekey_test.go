package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
)

// writeSchema4 creates a store as schema 4 left it (UNIQUE(id) on events)
// holding evs, by running the shipped migrations 1 to 4 on a schema-3 file.
func writeSchema4(t *testing.T, path string, evs []Event) {
	t.Helper()
	writeSchema(t, path, evs, 3)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := applyMigration(context.Background(), db, 4, migrations()[3], func(Progress) {}); err != nil {
		t.Fatal(err)
	}
}

// TestSchema4StoreUpgradesToTimeKey: a store of schema 4 upgrades in place
// to the (creation time, Id) dedupe key, keeping every record with its seq
// and raw bytes, and the sequence's high-water mark; the random Id index is
// gone; a re-delivered record is still dropped after the upgrade.
func TestSchema4StoreUpgradesToTimeKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.db")
	evs := withRealisticRaw(genEvents(2500, t0, ""))
	writeSchema4(t, path, evs)
	type row struct {
		id  string
		ct  int64
		raw []byte
	}
	before := map[int64]row{}
	{
		db, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := db.Query(`SELECT seq, id, creation_time, raw FROM events`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var seq int64
			var r row
			if err := rows.Scan(&seq, &r.id, &r.ct, &r.raw); err != nil {
				t.Fatal(err)
			}
			before[seq] = r
		}
		rows.Close()
		db.Close()
	}
	if len(before) != len(evs) {
		t.Fatalf("schema-4 store holds %d rows, want %d", len(before), len(evs))
	}

	var logged bytes.Buffer
	var heard []Progress
	s, err := Open(ctx, path, Options{Logger: slog.New(slog.NewTextHandler(&logged, nil)),
		OnUpgrade: func(p Progress) { heard = append(heard, p) }})
	if err != nil {
		t.Fatalf("Open of a schema-4 store: %v", err)
	}
	defer s.Close()
	// Whoever waits on Open hears the copy start, end and the step finish.
	want := []Progress{{Schema: 5, Total: 2500}, {Schema: 5, Done: 2500, Total: 2500},
		{Schema: 5, Done: 2500, Total: 2500, Finishing: true}}
	if !slices.Equal(heard, want) {
		t.Errorf("upgrade progress heard %+v, want %+v", heard, want)
	}
	// The copy takes tens of seconds at a million records: the log says why.
	if !strings.Contains(logged.String(), `msg="store schema upgraded" from=4 to=5`) {
		t.Errorf("the upgrade is not logged:\n%s", logged.String())
	}
	after := map[int64]row{}
	rows, err := s.w.QueryContext(ctx, `SELECT seq, id, creation_time, raw FROM events`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var seq int64
		var r row
		if err := rows.Scan(&seq, &r.id, &r.ct, &r.raw); err != nil {
			t.Fatal(err)
		}
		after[seq] = r
	}
	rows.Close()
	if len(after) != len(before) {
		t.Fatalf("%d rows after the upgrade, want %d", len(after), len(before))
	}
	for seq, b := range before {
		a, ok := after[seq]
		if !ok || a.id != b.id || a.ct != b.ct || !bytes.Equal(a.raw, b.raw) {
			t.Fatalf("row seq %d changed by the upgrade: %v (present %v)", seq, a.id, ok)
		}
	}
	var unique int
	if err := s.w.QueryRowContext(ctx, `SELECT "unique" FROM pragma_index_list('events') WHERE name = 'events_time'`).Scan(&unique); err != nil {
		t.Fatal(err)
	}
	if unique != 1 {
		t.Errorf("events_time unique = %d, want 1: it is the dedupe key", unique)
	}
	// No index whose first column is id: such an index is keyed on random
	// GUIDs and costs a dirtied leaf per inserted record.
	idx, err := s.w.QueryContext(ctx, `SELECT il.name FROM pragma_index_list('events') AS il
		JOIN pragma_index_info(il.name) AS ii WHERE ii.seqno = 0 AND ii.name = 'id'`)
	if err != nil {
		t.Fatal(err)
	}
	var byID []string
	for idx.Next() {
		var n string
		if err := idx.Scan(&n); err != nil {
			t.Fatal(err)
		}
		byID = append(byID, n)
	}
	idx.Close()
	if len(byID) != 0 {
		t.Errorf("indexes led by the record Id after the upgrade: %v", byID)
	}

	// Re-delivered records are dropped; a new one gets a seq above the old
	// high-water mark (AUTOINCREMENT's sqlite_sequence row moved over).
	var top int64
	for seq := range before {
		top = max(top, seq)
	}
	fresh := genEvents(1, t0.Add(time.Hour), "new-")
	n, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "again"}, append(append([]Event(nil), evs[:200]...), fresh...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("re-delivery of 200 stored records plus 1 new one inserted %d, want 1", n)
	}
	var seq int64
	if err := s.w.QueryRowContext(ctx, `SELECT seq FROM events WHERE creation_time = ? AND id = ?`,
		ms(fresh[0].CreationTime), fresh[0].ID).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if seq <= top {
		t.Errorf("new record got seq %d, want above the upgraded store's %d", seq, top)
	}
	if res, _ := s.Query(ctx, Filter{Text: "jonas", Limit: 5}); len(res) != 5 {
		t.Errorf("text search after the upgrade found %d, want 5", len(res))
	}
}

// TestDedupeKeyIsIDAndCreationTime: a duplicate delivery (same Id, same
// CreationTime, in another blob or the same one) is stored once; the key
// is the pair, so the same Id at another time is another record.
func TestDedupeKeyIsIDAndCreationTime(t *testing.T) {
	evs := genEvents(40, t0, "")
	sameBlobDup := append(append([]Event(nil), evs[:10]...), evs[0])
	moved := evs[5]
	moved.CreationTime = moved.CreationTime.Add(time.Second)
	tests := []struct {
		name  string
		first []Event
		again []Event
		want  int // records inserted by the second blob
		total int64
	}{
		{"re-delivered in another blob", evs, evs[:20], 0, 40},
		{"twice in one blob", sameBlobDup, nil, 0, 10},
		{"same Id at another time", evs[:10], []Event{moved}, 1, 11},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTest(t, Options{})
			ctx := context.Background()
			if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "b1"}, tc.first, nil); err != nil {
				t.Fatal(err)
			}
			if tc.again != nil {
				n, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "b2"}, tc.again, nil)
				if err != nil {
					t.Fatal(err)
				}
				if n != tc.want {
					t.Errorf("second blob inserted %d, want %d", n, tc.want)
				}
			}
			if got, _ := s.Total(ctx); got != tc.total {
				t.Errorf("Total = %d, want %d", got, tc.total)
			}
			if got, _ := s.Count(ctx, Filter{Since: t0.Add(-time.Hour), Until: t0.Add(time.Hour)}); got != tc.total {
				t.Errorf("stored rows = %d, want %d", got, tc.total)
			}
		})
	}
}

// TestGetByIDAndTime: Get finds a record by its dedupe key and only by it.
func TestGetByIDAndTime(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	evs := genEvents(30, t0, "")
	commitAll(t, s, evs, 10)
	tests := []struct {
		name  string
		id    string
		at    time.Time
		found bool
	}{
		{"stored record", evs[7].ID, evs[7].CreationTime, true},
		{"stored Id, other time", evs[7].ID, evs[7].CreationTime.Add(time.Minute), false},
		{"unknown Id", "no-such-id", evs[7].CreationTime, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Get(ctx, tc.id, tc.at)
			if !tc.found {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("Get = %v, %v; want ErrNotFound", got.ID, err)
				}
				return
			}
			if err != nil || got.ID != tc.id || string(got.Raw) != string(evs[7].Raw) {
				t.Errorf("Get = %q %s, %v; want %q", got.ID, got.Raw, err, tc.id)
			}
		})
	}
}

// TestFindingEvidenceReadsOneTimeRange: a finding's evidence is ordered by
// the records' times through one range of events_time (the finding's first
// to last seen), never a scan of the whole store or an index built per
// query.
func TestFindingEvidenceReadsOneTimeRange(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	evs := genEvents(600, t0, "")
	commitAll(t, s, evs, 100)
	// evidence: three records of one minute, given newest first
	ev := []Event{evs[21], evs[20], evs[22]}
	m := finding.Match{RuleID: "r1", RuleTitle: "Rule", Key: "k", Severity: finding.High,
		FirstSeen: evs[22].CreationTime, LastSeen: evs[20].CreationTime,
		Evidence: []string{ev[0].ID, ev[1].ID, ev[2].ID, "purged-record"}, What: "w", Window: time.Hour}
	f, _, err := s.UpsertFinding(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Finding(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	// oldest first (ties by Id), the purged record (no time) before them
	want := []string{"purged-record"}
	older := []Event{evs[22], evs[21], evs[20]}
	feedSort(older)
	for i := len(older) - 1; i >= 0; i-- {
		want = append(want, older[i].ID)
	}
	if strings.Join(got.Evidence, ",") != strings.Join(want, ",") {
		t.Errorf("evidence = %v, want %v", got.Evidence, want)
	}
	plan := queryPlan(t, s, `EXPLAIN QUERY PLAN `+evidenceSQL, f.ID, ms(f.FirstSeen), ms(f.LastSeen), finding.MaxEvidence)
	if !strings.Contains(plan, "INDEX events_time (creation_time>? AND creation_time<?)") {
		t.Errorf("evidence plan does not read a range of events_time:\n%s", plan)
	}
	for _, line := range strings.Split(plan, "\n") {
		// the events table itself is never scanned nor indexed per query
		// (an automatic index on the few materialized times is fine)
		if strings.HasPrefix(line, "SCAN e ") || line == "SCAN e" || strings.HasPrefix(line, "SEARCH e USING AUTOMATIC") {
			t.Errorf("evidence plan has %q:\n%s", line, plan)
		}
	}
}

// queryPlan returns EXPLAIN QUERY PLAN's details, one per line.
func queryPlan(t *testing.T, s *Store, q string, args ...any) string {
	t.Helper()
	rows, err := s.r.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// TestCopyEventsInBatches: a migration's copy walks the ingest sequence in
// batches, across gaps left by purges, copies every row once and reports
// each batch's progress in order, so a long upgrade can show how far it got.
func TestCopyEventsInBatches(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "copy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, v TEXT); CREATE TABLE copied (seq INTEGER PRIMARY KEY, v TEXT)`); err != nil {
		t.Fatal(err)
	}
	// seq 1–10 and 31–35: a purged gap between them.
	for _, seq := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 31, 32, 33, 34, 35} {
		if _, err := db.Exec(`INSERT INTO events VALUES (?, ?)`, seq, fmt.Sprint("row", seq)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		batch int64
		done  []int64 // Done of each report after the first
	}{
		{batch: 4, done: []int64{4, 8, 10, 10, 10, 10, 10, 12, 15, 15}},
		{batch: 100, done: []int64{15, 15}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint("batch ", tc.batch), func(t *testing.T) {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback() //nolint:errcheck // each case starts from the same table
			var heard []Progress
			err = copyEvents(ctx, tx, `INSERT INTO copied SELECT seq, v FROM events AS e WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq`,
				tc.batch, func(p Progress) { heard = append(heard, p) })
			if err != nil {
				t.Fatal(err)
			}
			var n int
			var same bool
			if err := tx.QueryRow(`SELECT count(*), (SELECT group_concat(v) FROM events) = (SELECT group_concat(v) FROM copied) FROM copied`).Scan(&n, &same); err != nil {
				t.Fatal(err)
			}
			if n != 15 || !same {
				t.Errorf("copied %d rows (same as the source: %v), want all 15", n, same)
			}
			if len(heard) != len(tc.done)+1 || heard[0] != (Progress{Total: 15}) {
				t.Fatalf("heard %+v, want a start then %d reports", heard, len(tc.done))
			}
			for i, d := range tc.done {
				p := heard[i+1]
				if p.Done != d || p.Total != 15 || p.Finishing != (i == len(tc.done)-1) {
					t.Errorf("report %d = %+v, want done %d of 15 (finishing only last)", i+1, p, d)
				}
			}
		})
	}
}

// TestNewStoreReportsNoUpgrade: creating a store runs every migration, but
// the copies of steps 4 and 5 have no rows to copy: nothing is upgraded, so
// nothing is reported (the GUI showed "Upgrading the event store" amber at
// a first connection) nor logged as an upgrade.
func TestNewStoreReportsNoUpgrade(t *testing.T) {
	var logged bytes.Buffer
	var heard []Progress
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "events.db"), Options{
		Logger:    slog.New(slog.NewTextHandler(&logged, nil)),
		OnUpgrade: func(p Progress) { heard = append(heard, p) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(heard) != 0 {
		t.Errorf("a new store reported upgrade progress %+v", heard)
	}
	if strings.Contains(logged.String(), "upgraded") {
		t.Errorf("a new store logged an upgrade:\n%s", logged.String())
	}
}
