package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// realisticRaw is an audit record shaped like Microsoft's (~1.2 KB).
func realisticRaw(e Event, i int) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"CreationTime":%q,"Id":%q,"Operation":%q,"OrganizationId":"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21","RecordType":%d,"ResultStatus":%q,"UserKey":"%08x-1c3b-4f5a-8e6d-2b0c9f1e7a33","UserType":0,"Version":1,"Workload":%q,"ClientIP":%q,"ObjectId":%q,"UserId":%q,"AzureActiveDirectoryEventType":1,"ExtendedProperties":[{"Name":"ResultStatusDetail","Value":"Success"},{"Name":"UserAgent","Value":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36"},{"Name":"RequestType","Value":"OAuth2:Authorize"}],"ModifiedProperties":[],"Actor":[{"ID":"%08x-1c3b-4f5a-8e6d-2b0c9f1e7a33","Type":0},{"ID":%q,"Type":5}],"ActorContextId":"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21","ActorIpAddress":%q,"InterSystemsId":"%08x-0a1c-4e3b-9d5f-7c8e1a2b3c4d","IntraSystemId":"%08x-6a5f-4e3d-2c1b-a0f9e8d7c600","SupportTicketId":"","Target":[{"ID":"00000003-0000-0000-c000-000000000000","Type":0}],"TargetContextId":"6f2b4c1e-93a7-4d2b-8c55-1e0f7a9b3d21","ApplicationId":"d3590ed6-52b3-4102-aeff-aad2292ab01c","DeviceProperties":[{"Name":"OS","Value":"Windows 10"},{"Name":"BrowserType","Value":"Chrome"},{"Name":"SessionId","Value":"%08x-77aa-4b2c-9d11-0e5f6a7b8c9d"}],"ErrorNumber":"0"}`,
		e.CreationTime.Format("2006-01-02T15:04:05"), e.ID, e.Operation, e.RecordType, e.ResultStatus, i*7919, e.Workload, e.ClientIP, e.ObjectID, e.UserID,
		i*7919, e.UserID, e.ClientIP, i*104729, i*15485863, i*32452843))
}

// writeSchema1 creates a store exactly as schema 1 wrote it (uncompressed
// raw, all six feed indexes, auto_vacuum off) holding evs, as an existing
// profile's events.db.
func writeSchema1(t *testing.T, path string, evs []Event) {
	t.Helper()
	writeSchema(t, path, evs, 1)
}

// writeSchema creates a store as schema version (1 to 3, which share the
// events table) wrote it; from schema 2 on the file is auto_vacuum=incremental
// as those versions created it.
func writeSchema(t *testing.T, path string, evs []Event, version int) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	stmts := []string{`PRAGMA journal_mode = WAL`, `CREATE TABLE schema_version (version INTEGER NOT NULL)`,
		fmt.Sprintf(`INSERT INTO schema_version (version) VALUES (%d)`, version)}
	if version > 1 {
		stmts = append([]string{`PRAGMA auto_vacuum = INCREMENTAL`}, stmts...)
	}
	for _, m := range migrations()[:version] { // schemas 1 to 3 copy nothing
		stmts = append(stmts, m.before)
	}
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q[:min(len(q), 40)], err)
		}
	}
	for i, e := range evs {
		if _, err := db.ExecContext(ctx, `INSERT INTO events (`+schema1Columns+`) VALUES (`+placeholders(14)+`)`,
			e.ID, e.ContentType, e.ContentID, e.Workload, e.Operation, e.UserID, e.ClientIP, e.Result, e.ResultStatus,
			e.ObjectID, e.RecordType, ms(e.CreationTime), ms(t0), []byte(e.Raw)); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO events_fts (rowid, user_id, operation, client_ip, object_id)
		SELECT seq, user_id, operation, client_ip, object_id FROM events`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO type_stats (content_type, total, last_record, last_content)
		SELECT content_type, count(*), max(creation_time), 0 FROM events GROUP BY content_type`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO cursors VALUES ('Audit.Exchange', ?, ?)`, ms(t0), ms(t0)); err != nil {
		t.Fatal(err)
	}
}

// schema1Columns are the event columns schemas 1 to 3 had.
const schema1Columns = `id, content_type, content_id, workload, operation, user_id,
	client_ip, result, result_status, object_id, record_type, creation_time, ingested_at, raw`

func withRealisticRaw(evs []Event) []Event {
	for i := range evs {
		evs[i].Raw = realisticRaw(evs[i], i)
	}
	return evs
}

// TestSchema1ProfileMigrates opens a store written by the previous schema:
// every event, its exact raw record, the counters and the cursor survive;
// the raw records are compressed, the unused indexes are gone and the file
// is smaller and gives space back from now on.
func TestSchema1ProfileMigrates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.db")
	evs := withRealisticRaw(genEvents(3000, t0, ""))
	writeSchema1(t, path, evs)
	before := fileSize(t, path) + fileSize(t, path+"-wal")

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open of a schema-1 store: %v", err)
	}
	defer s.Close()
	got := map[string][]byte{}
	if err := s.ForEach(ctx, Filter{}, func(e Event) error { got[e.ID] = e.Raw; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(evs) {
		t.Fatalf("%d events after migration, want %d", len(got), len(evs))
	}
	for _, e := range evs {
		if !bytes.Equal(got[e.ID], e.Raw) {
			t.Fatalf("raw record %s changed by the migration", e.ID)
		}
	}
	if n, _ := s.Total(ctx); n != int64(len(evs)) {
		t.Errorf("Total = %d, want %d", n, len(evs))
	}
	if curs, _ := s.Cursors(ctx); !curs["Audit.Exchange"].Next.Equal(t0) {
		t.Errorf("cursor = %v, want %v", curs["Audit.Exchange"].Next, t0)
	}
	if res, _ := s.Query(ctx, Filter{Text: "jonas", Limit: 5}); len(res) != 5 {
		t.Errorf("text search after migration found %d, want 5", len(res))
	}
	checks := []struct {
		name, q string
		want    int64
	}{
		{"uncompressed rows", `SELECT count(*) FROM events WHERE substr(raw, 1, 4) <> x'28b52ffd'`, 0},
		{"events_ip index", `SELECT count(*) FROM sqlite_master WHERE name = 'events_ip'`, 0},
		{"events_result index", `SELECT count(*) FROM sqlite_master WHERE name = 'events_result'`, 0},
		{"auto_vacuum", `PRAGMA auto_vacuum`, 2},
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
	if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	if after := fileSize(t, path); after*2 > before {
		t.Errorf("store is %d bytes after migration, was %d: want less than half", after, before)
	}
}

// TestRawRoundTrip checks that every record comes back byte for byte, before
// and after its content type has learned a dictionary, and across reopen.
func TestRawRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t, Options{})
	tests := []struct {
		name string
		evs  []Event
	}{
		{"tiny blob, no dictionary yet", withRealisticRaw(genEvents(3, t0, "a-"))},
		{"big blob learns dictionaries", withRealisticRaw(genEvents(600, t0, "b-"))},
		{"with dictionary", withRealisticRaw(genEvents(50, t0, "c-"))},
		{"unusual bytes", func() []Event {
			evs := genEvents(4, t0, "d-")
			evs[0].Raw = json.RawMessage(`{"Id":"x","Text":"ünïcødé \u0000 ` + strings.Repeat("z", 70000) + `"}`)
			evs[1].Raw = json.RawMessage(`{}`)
			evs[2].Raw = json.RawMessage(` {"leading":"space"}`)
			evs[3].Raw = json.RawMessage("[1,2,3]")
			return evs
		}()},
	}
	want := map[string][]byte{}
	for i, tt := range tests {
		if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: fmt.Sprint("blob-", i)}, tt.evs, nil); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for _, e := range tt.evs {
			want[e.ID] = e.Raw
		}
	}
	check := func(s *Store, when string) {
		n := 0
		if err := s.ForEach(ctx, Filter{}, func(e Event) error {
			n++
			if !bytes.Equal(e.Raw, want[e.ID]) {
				t.Errorf("%s: raw of %s = %.60q, want %.60q", when, e.ID, e.Raw, want[e.ID])
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if n != len(want) {
			t.Errorf("%s: %d events, want %d", when, n, len(want))
		}
	}
	check(s, "same session")
	var dicts int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM zdicts`).Scan(&dicts); err != nil || dicts == 0 {
		t.Errorf("zdicts = %d (%v): no dictionary learned", dicts, err)
	}
	s.Close()
	s2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	check(s2, "after reopen")
	ro, err := OpenReadOnly(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	check(ro, "read-only")
}

// TestPurgeGivesSpaceBack: after retention deletes most events, the file
// shrinks.
func TestPurgeGivesSpaceBack(t *testing.T) {
	ctx := context.Background()
	clk := &fakeClock{t: t0}
	s, path := openTest(t, Options{Clock: clk.Now, Retention: 24 * time.Hour})
	old := withRealisticRaw(genEvents(4000, t0.Add(-48*time.Hour), "old-"))
	recent := withRealisticRaw(genEvents(200, t0, "new-"))
	commitAll(t, s, old, 200)
	commitAll(t, s, recent, 200)
	if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	full := fileSize(t, path)
	n, err := s.Purge(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(old)) {
		t.Fatalf("purged %d, want %d", n, len(old))
	}
	after := fileSize(t, path)
	if after*3 > full {
		t.Errorf("file is %d bytes after purging 95 %% of the events, was %d: space not given back", after, full)
	}
	if got, _ := s.Count(ctx, Filter{}); got != int64(len(recent)) {
		t.Errorf("%d events left, want %d", got, len(recent))
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
