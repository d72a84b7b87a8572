package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// rowRaws returns every event row's stored raw value by record Id.
func rowRaws(t *testing.T, s *Store) map[string][]byte {
	t.Helper()
	rows, err := s.r.Query(`SELECT id, raw FROM events`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]byte{}
	for rows.Next() {
		var id string
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			t.Fatal(err)
		}
		out[id] = raw
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// chunkRefs returns the chunks table's refs.
func chunkRefs(t *testing.T, s *Store) []int64 {
	t.Helper()
	rows, err := s.r.Query(`SELECT ref FROM chunks ORDER BY ref`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var refs []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	return refs
}

// danglingRows returns the Ids of rows whose raw points at a chunk that is
// not stored.
func danglingRows(t *testing.T, s *Store) []string {
	t.Helper()
	have := map[int64]bool{}
	for _, r := range chunkRefs(t, s) {
		have[r] = true
	}
	var out []string
	for id, raw := range rowRaws(t, s) {
		if kindOf(raw) != rawChunkRef {
			continue
		}
		c, err := parseChunkRef(raw)
		if err != nil || !have[c.ref] {
			out = append(out, id)
		}
	}
	return out
}

// readsBack checks that every record of want reads back exactly through
// Get, a whole export (ForEach) and a feed page (Query).
func readsBack(t *testing.T, s *Store, want []Event) {
	t.Helper()
	ctx := context.Background()
	byID := map[string][]byte{}
	for _, e := range want {
		byID[e.ID] = e.Raw
	}
	for _, e := range want {
		got, err := s.Get(ctx, e.ID, e.CreationTime)
		if err != nil {
			t.Fatalf("Get %s: %v", e.ID, err)
		}
		if !bytes.Equal(got.Raw, e.Raw) {
			t.Fatalf("Get %s = %s, want %s", e.ID, got.Raw, e.Raw)
		}
	}
	n := 0
	if err := s.ForEach(ctx, Filter{}, func(e Event) error {
		if w, ok := byID[e.ID]; ok {
			n++
			if !bytes.Equal(e.Raw, w) {
				return fmt.Errorf("export of %s = %s, want %s", e.ID, e.Raw, w)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Errorf("export holds %d of the %d records", n, len(want))
	}
	page, err := s.Query(ctx, Filter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page {
		if w, ok := byID[e.ID]; ok && !bytes.Equal(e.Raw, w) {
			t.Fatalf("feed shows %s as %s, want %s", e.ID, e.Raw, w)
		}
	}
}

// TestBlobRecordsShareChunks: a blob's records are stored as few zstd
// frames (one per content type and chunkMaxRaw of JSON), each row holds
// only a reference into its chunk, every record reads back exactly, and
// the records take less room than one frame each did.
func TestBlobRecordsShareChunks(t *testing.T) {
	bigRaw := func(evs []Event) []Event { // ~9 KiB records: a blob of 40 spans several chunks
		evs = withRealisticRaw(evs)
		for i := range evs {
			parts := make([]string, 7)
			for k := range parts {
				parts[k] = string(realisticRaw(evs[(i+k)%len(evs)], i*7+k))
			}
			evs[i].Raw = []byte(fmt.Sprintf(`{"Id":%q,"Items":[%s]}`, evs[i].ID, strings.Join(parts, ",")))
		}
		return evs
	}
	tests := []struct {
		name       string
		evs        []Event
		sameType   bool // one content type for the whole blob
		wantChunks int
	}{
		{"one record", withRealisticRaw(genEvents(1, t0, "one-")), true, 1},
		{"a blob of 30", withRealisticRaw(genEvents(30, t0, "b30-")), true, 1},
		{"records of four content types", withRealisticRaw(genEvents(30, t0, "mix-")), false, 4},
		{"more than one chunk of JSON", bigRaw(genEvents(40, t0, "big-")), true, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t, Options{})
			if tc.sameType {
				for i := range tc.evs {
					tc.evs[i].ContentType = "Audit.Exchange"
				}
			}
			if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "blob-1"}, tc.evs, nil); err != nil {
				t.Fatal(err)
			}
			if tc.wantChunks < 0 { // as many as chunkMaxRaw-sized runs of whole records
				size := 0
				tc.wantChunks = 1
				for _, e := range tc.evs {
					if size > 0 && size+len(e.Raw) > chunkMaxRaw {
						tc.wantChunks++
						size = 0
					}
					size += len(e.Raw)
				}
				if tc.wantChunks < 3 {
					t.Fatalf("test data fits %d chunks", tc.wantChunks)
				}
			}
			if got := len(chunkRefs(t, s)); got != tc.wantChunks {
				t.Errorf("%d chunks stored, want %d", got, tc.wantChunks)
			}
			raws := rowRaws(t, s)
			refBytes := 0
			for id, raw := range raws {
				if kindOf(raw) != rawChunkRef || len(raw) > 16 {
					t.Errorf("row %s stores %d bytes %x, want a chunk reference", id, len(raw), raw[:min(8, len(raw))])
				}
				refBytes += len(raw)
			}
			readsBack(t, s, tc.evs)

			var chunkBytes, frameBytes int
			if err := s.r.QueryRow(`SELECT sum(length(data)) FROM chunks`).Scan(&chunkBytes); err != nil {
				t.Fatal(err)
			}
			for _, e := range tc.evs {
				enc, err := s.codec.encoder(ctx, s.w, e.ContentType, nil)
				if err != nil {
					t.Fatal(err)
				}
				frameBytes += len(compress(enc, e.Raw))
			}
			if len(tc.evs) >= 30 && chunkBytes+refBytes >= frameBytes {
				t.Errorf("chunks take %d + %d bytes, one frame per record %d: no smaller", chunkBytes, refBytes, frameBytes)
			}
		})
	}
}

// TestChunkReferenceRejectsDamage: a reference that does not parse, or
// points outside its chunk or at no chunk, reads as store damage, never as
// another record's bytes.
func TestChunkReferenceRejectsDamage(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	evs := withRealisticRaw(genEvents(5, t0, "ref-"))
	for i := range evs {
		evs[i].ContentType = "Audit.Exchange"
	}
	if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "b"}, evs, nil); err != nil {
		t.Fatal(err)
	}
	ref := chunkRefs(t, s)[0]
	tests := []struct {
		name string
		raw  []byte
	}{
		{"truncated", []byte{chunkRefMark, 0x81}},
		{"trailing bytes", append(appendChunkRef(nil, chunkRef{ref: ref, off: 0, n: 10}), 0)},
		{"ref zero", appendChunkRef(nil, chunkRef{ref: 0, off: 0, n: 10})},
		{"past the chunk's end", appendChunkRef(nil, chunkRef{ref: ref, off: 1 << 20, n: 10})},
		{"longer than the chunk", appendChunkRef(nil, chunkRef{ref: ref, off: 10, n: 1 << 40})},
		{"missing chunk", appendChunkRef(nil, chunkRef{ref: ref + 1000, off: 0, n: 10})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tx, err := s.readTx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			got, err := s.recordJSON(ctx, tx, tc.raw)
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("recordJSON(%x) = %q, %v; want ErrCorrupt", tc.raw, got, err)
			}
		})
	}
	// And a sound reference round-trips.
	c := chunkRef{ref: 1 << 40, off: 300, n: 1 << 20}
	if got, err := parseChunkRef(appendChunkRef(nil, c)); err != nil || got != c {
		t.Errorf("parseChunkRef(appendChunkRef(%+v)) = %+v, %v", c, got, err)
	}
}

// openSchema5Fixture copies testdata/schema5.db.gz, a store written by
// main's schema-5 code (75499a5: one zstd frame per record), to a
// temporary file and returns its path and the records it holds: 600
// created 95 days before t0 and 600 up to t0, in blobs of 40.
func openSchema5Fixture(t *testing.T) (string, []Event, []Event) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "schema5.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "events.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	oldA := withRealisticRaw(genEvents(600, t0.Add(-95*24*time.Hour), "old-a-"))
	oldB := withRealisticRaw(genEvents(600, t0, "old-b-"))
	return path, oldA, oldB
}

// TestSchema5StoreKeepsItsFramesBesideNewChunks: a store written by main's
// schema-5 code upgrades to schema 6 without rewriting the events table
// (same root page, every row's raw bytes unchanged); its old rows and the
// rows written after the upgrade both read, search, export, salvage and
// purge correctly in the one store.
func TestSchema5StoreKeepsItsFramesBesideNewChunks(t *testing.T) {
	ctx := context.Background()
	path, oldA, oldB := openSchema5Fixture(t)
	old := append(slices.Clone(oldA), oldB...)
	var rootBefore int64
	{
		s, err := OpenReadOnly(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.r.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'events'`).Scan(&rootBefore); err != nil {
			t.Fatal(err)
		}
		readsBack(t, s, old) // the new code reads the old store as it is
		s.Close()
	}
	before := func() map[string][]byte {
		s, err := OpenReadOnly(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return rowRaws(t, s)
	}()

	clock := &fakeClock{t: t0.Add(time.Hour)}
	s, err := Open(ctx, path, Options{Clock: clock.Now})
	if err != nil {
		t.Fatalf("Open of a schema-5 store: %v", err)
	}
	defer func() { s.Close() }()
	var version int
	var rootAfter int64
	if err := s.r.QueryRow(`SELECT version FROM schema_version`).Scan(&version); err != nil || version != len(migrations()) {
		t.Fatalf("schema version %d (%v), want %d", version, err, len(migrations()))
	}
	if err := s.r.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'events'`).Scan(&rootAfter); err != nil {
		t.Fatal(err)
	}
	if rootAfter != rootBefore {
		t.Errorf("events table moved from page %d to %d: the upgrade copied it", rootBefore, rootAfter)
	}
	for id, raw := range rowRaws(t, s) {
		if kindOf(raw) != rawFrame || !bytes.Equal(raw, before[id]) {
			t.Fatalf("row %s rewritten by the upgrade", id)
		}
	}

	recent := withRealisticRaw(genEvents(600, t0.Add(time.Hour), "new-"))
	commitAll(t, s, recent, 40)
	kinds := map[rawKind]int{}
	for _, raw := range rowRaws(t, s) {
		kinds[kindOf(raw)]++
	}
	if kinds[rawFrame] != len(old) || kinds[rawChunkRef] != len(recent) {
		t.Errorf("stored kinds = %v, want %d frames (old rows) and %d chunk references", kinds, len(old), len(recent))
	}
	all := append(slices.Clone(old), recent...)
	readsBack(t, s, all)

	// Text search and a finding's evidence reach both kinds.
	for _, f := range []Filter{
		{Text: "jonas inboxrule"},
		{Text: "salaries", Since: t0.Add(-2 * time.Hour), Until: t0.Add(2 * time.Hour)},
		{IDs: []string{oldB[3].ID, recent[7].ID}, Since: t0.Add(-24 * time.Hour), Until: t0.Add(2 * time.Hour)},
	} {
		f.Limit = MaxLimit
		got, err := s.Query(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := expect(all, f)
		if !slices.Equal(ids(got), ids(want)) {
			t.Errorf("Query(%+v) = %d records, want %d", f, len(got), len(want))
		}
		for i := range got {
			if i < len(want) && !bytes.Equal(got[i].Raw, want[i].Raw) {
				t.Fatalf("Query(%+v) shows %s differently", f, got[i].ID)
			}
		}
	}

	// Salvage (of a copy) recovers every record of both kinds.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "copy.db")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cp, data, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := Salvage(ctx, cp, Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Recovered != int64(len(all)) || res.Unreadable != 0 {
		t.Errorf("salvage recovered %d, %d unreadable; want %d, 0", res.Recovered, res.Unreadable, len(all))
	}
	salvaged, err := Open(ctx, cp, Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	readsBack(t, salvaged, all)
	salvaged.Close()

	// Purge: the 95-day-old records go (frames), the rest of both kinds stay.
	if s, err = Open(ctx, path, Options{Clock: clock.Now}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Purge(ctx, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(oldA)) {
		t.Errorf("purge deleted %d, want the %d old records", n, len(oldA))
	}
	readsBack(t, s, append(slices.Clone(oldB), recent...))
	if d := danglingRows(t, s); len(d) != 0 {
		t.Errorf("%d rows point at a missing chunk after the purge", len(d))
	}
	// Past everything's retention: every record and every chunk go.
	if _, err := s.Purge(ctx, t0.Add(200*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if total, _ := s.Total(ctx); total != 0 {
		t.Errorf("%d events left", total)
	}
	if refs := chunkRefs(t, s); len(refs) != 0 {
		t.Errorf("chunks %v left after every record was purged", refs)
	}
}

// TestPurgeDropsAChunkWithItsNewestRecord: a blob's records span hours;
// purging part of them keeps the chunk (and every remaining record reads),
// purging the newest drops it. A re-delivered blob, all of whose records
// are duplicates, leaves its bytes in a chunk no row uses until the purge
// passes its newest record.
func TestPurgeDropsAChunkWithItsNewestRecord(t *testing.T) {
	// genEvents(n, end): record i is i/2 minutes before end, so 240 records
	// span t0-119m..t0, small enough for one chunk per blob.
	tests := []struct {
		name       string
		cutoff     time.Time // retention is 24 h: purged at cutoff + 24 h
		wantLeft   int
		wantChunks int // the blob's and its re-delivery's
	}{
		{"nothing old enough", t0.Add(-3 * time.Hour), 240, 2},
		{"the older half", t0.Add(-time.Hour), 122, 2},
		{"all but the newest minute", t0.Add(-30 * time.Second), 2, 2},
		{"every record", t0.Add(time.Hour), 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t, Options{Retention: 24 * time.Hour})
			evs := genEvents(240, t0, "span-")
			for i := range evs {
				evs[i].ContentType = "Audit.Exchange"
			}
			if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "b"}, evs, nil); err != nil {
				t.Fatal(err)
			}
			// Microsoft re-delivers the blob under another content id.
			if n, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "b-again"}, evs, nil); err != nil || n != 0 {
				t.Fatalf("re-delivery stored %d (%v), want 0", n, err)
			}
			if _, err := s.Purge(ctx, tc.cutoff.Add(24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			var left []Event
			for _, e := range evs {
				if !e.CreationTime.Before(tc.cutoff) {
					left = append(left, e)
				}
			}
			if len(left) != tc.wantLeft {
				t.Fatalf("test data: %d records newer than the cutoff, want %d", len(left), tc.wantLeft)
			}
			if total, _ := s.Total(ctx); total != int64(tc.wantLeft) {
				t.Errorf("%d records left, want %d", total, tc.wantLeft)
			}
			readsBack(t, s, left)
			if got := len(chunkRefs(t, s)); got != tc.wantChunks {
				t.Errorf("%d chunks left, want %d", got, tc.wantChunks)
			}
			if d := danglingRows(t, s); len(d) != 0 {
				t.Errorf("rows %v point at a missing chunk", d)
			}
		})
	}
}

// TestReadKeepsItsSnapshotWhilePurgeDropsChunks: an export that started
// before a purge reads every record it lists, although the purge dropped
// the chunks they lie in meanwhile: rows and chunks come from one snapshot.
func TestReadKeepsItsSnapshotWhilePurgeDropsChunks(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{Retention: 24 * time.Hour, BusyTimeout: 50 * time.Millisecond})
	evs := withRealisticRaw(genEvents(600, t0, "snap-"))
	commitAll(t, s, evs, 40)
	byID := map[string][]byte{}
	for _, e := range evs {
		byID[e.ID] = e.Raw
	}
	n := 0
	purged := false
	err := s.ForEach(ctx, Filter{}, func(e Event) error {
		if !purged {
			purged = true
			if _, err := s.Purge(ctx, t0.Add(100*24*time.Hour)); err != nil {
				return err
			}
			if refs := chunkRefs(t, s); len(refs) != 0 {
				return fmt.Errorf("purge left chunks %v", refs)
			}
			s.chunks.clear() // nothing read so far may help the rest
		}
		if !bytes.Equal(e.Raw, byID[e.ID]) {
			return fmt.Errorf("record %s read as %s", e.ID, e.Raw)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatalf("export during a purge: %v", err)
	}
	if n != len(evs) {
		t.Errorf("export read %d of %d records", n, len(evs))
	}
}

// TestExportDecompressesEachChunkOnce: a whole export (feed order) reads
// each chunk from the file once, and the cache never holds more than its
// budget, also when the budget is smaller than the working set (then the
// records still read correctly).
func TestExportDecompressesEachChunkOnce(t *testing.T) {
	tests := []struct {
		name      string
		limit     int
		maxMisses func(chunks int) int
	}{
		{"default budget", chunkCacheBytes, func(chunks int) int { return chunks }},
		{"budget of one chunk", 40 << 10, func(chunks int) int { return 1 << 30 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t, Options{})
			evs := withRealisticRaw(genEvents(3000, t0, "exp-"))
			commitAll(t, s, evs, 100)
			chunks := len(chunkRefs(t, s))
			s.chunks = newChunkCache(tc.limit)
			byID := map[string][]byte{}
			for _, e := range evs {
				byID[e.ID] = e.Raw
			}
			n := 0
			if err := s.ForEach(ctx, Filter{}, func(e Event) error {
				n++
				if !bytes.Equal(e.Raw, byID[e.ID]) {
					return fmt.Errorf("record %s read as %s", e.ID, e.Raw)
				}
				s.chunks.mu.Lock()
				size := s.chunks.size
				s.chunks.mu.Unlock()
				if size > tc.limit {
					return fmt.Errorf("cache holds %d bytes, budget %d", size, tc.limit)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if n != len(evs) {
				t.Fatalf("export read %d of %d", n, len(evs))
			}
			hits, misses := s.chunks.stats()
			if misses > int64(tc.maxMisses(chunks)) {
				t.Errorf("%d chunk reads for %d chunks (%d hits)", misses, chunks, hits)
			}
		})
	}
}

// TestSalvageRecoversEveryRecordOutsideADamagedChunk: a chunk whose bytes
// rotted loses its own records only: Salvage recovers every other record,
// byte for byte, and counts the lost ones unreadable. Readers get
// ErrCorrupt for the damaged records, never wrong bytes.
func TestSalvageRecoversEveryRecordOutsideADamagedChunk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "events.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs := withRealisticRaw(genEvents(1200, t0, "rot-"))
	commitAll(t, s, evs, 100)
	refs := chunkRefs(t, s)
	victim := refs[len(refs)/2]
	var lost []string
	for id, raw := range rowRaws(t, s) {
		if c, err := parseChunkRef(raw); err == nil && c.ref == victim {
			lost = append(lost, id)
		}
	}
	if len(lost) < 2 {
		t.Fatalf("chunk %d holds %d records", victim, len(lost))
	}
	// Flip bytes in the middle of the chunk's frame (the b-tree stays sound).
	if _, err := s.w.Exec(`UPDATE chunks SET data = substr(data, 1, length(data) / 2) || x'DEADBEEF' || substr(data, length(data) / 2 + 5) WHERE ref = ?`, victim); err != nil {
		t.Fatal(err)
	}
	var damaged Event
	for _, e := range evs {
		if e.ID == lost[0] {
			damaged = e
		}
	}
	if got, err := s.Get(ctx, damaged.ID, damaged.CreationTime); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Get of a record in a damaged chunk = %q, %v; want ErrCorrupt", got.Raw, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := Salvage(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Recovered != int64(len(evs)-len(lost)) || res.Unreadable != int64(len(lost)) {
		t.Errorf("salvage recovered %d, %d unreadable; want %d, %d", res.Recovered, res.Unreadable, len(evs)-len(lost), len(lost))
	}
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var kept []Event
	for _, e := range evs {
		if !slices.Contains(lost, e.ID) {
			kept = append(kept, e)
		}
	}
	readsBack(t, s, kept)
}

// TestListWithoutRawReadsNoChunk: a page of the feed, a text search and an
// export asked WithoutRaw return every column but no record, read no chunk,
// and still list the rows of a damaged chunk (whose records Get reports as
// ErrCorrupt), where the same queries with the record fail.
func TestListWithoutRawReadsNoChunk(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	evs := withRealisticRaw(genEvents(600, t0, "lst-"))
	commitAll(t, s, evs, 100)
	byID := map[string]Event{}
	newest := evs[0]
	for _, e := range evs {
		byID[e.ID] = e
		if e.CreationTime.After(newest.CreationTime) {
			newest = e
		}
	}
	victim, err := parseChunkRef(rowRaws(t, s)[newest.ID]) // the first page's
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`UPDATE chunks SET data = substr(data, 1, length(data) / 2) || x'DEADBEEF' || substr(data, length(data) / 2 + 5) WHERE ref = ?`, victim.ref); err != nil {
		t.Fatal(err)
	}
	s.ReleaseMemory(ctx) // no chunk cached from the commits
	tests := []struct {
		name string
		f    Filter
		read func(Filter) ([]Event, error)
	}{
		{"feed page", Filter{Limit: 200}, func(f Filter) ([]Event, error) { return s.Query(ctx, f) }},
		{"text search", Filter{Text: newest.UserID, Limit: 200}, func(f Filter) ([]Event, error) { return s.Query(ctx, f) }},
		{"all rows", Filter{}, func(f Filter) ([]Event, error) {
			var out []Event
			err := s.ForEach(ctx, f, func(e Event) error { out = append(out, e); return nil })
			return out, err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.read(tc.f); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("with the records: err %v, want ErrCorrupt (the newest chunk is damaged)", err)
			}
			_, missesBefore := s.chunks.stats()
			f := tc.f
			f.WithoutRaw = true
			got, err := tc.read(f)
			if err != nil {
				t.Fatalf("without the records: %v", err)
			}
			if len(got) == 0 {
				t.Fatal("no rows")
			}
			for _, e := range got {
				want := byID[e.ID]
				if e.Raw != nil || e.UserID != want.UserID || e.Operation != want.Operation || !e.CreationTime.Equal(want.CreationTime) {
					t.Fatalf("row %s: raw %d bytes, %s %s %v; want no raw, %s %s %v", e.ID, len(e.Raw), e.UserID, e.Operation,
						e.CreationTime, want.UserID, want.Operation, want.CreationTime)
				}
			}
			if _, misses := s.chunks.stats(); misses != missesBefore {
				t.Errorf("listing without the records read %d chunks", misses-missesBefore)
			}
		})
	}
}
