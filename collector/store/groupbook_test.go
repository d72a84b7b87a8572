package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// bookkeepingGroup makes commit requests that exercise every per-blob
// record a group transaction keeps beside the events: a blob twice in one
// group (the later one's record count stays), cursors that move forwards and
// would move backwards, a blob that was dead-lettered, a blob without
// records (a gap's), two content types, and a salvaged blob whose events
// name other blobs.
func bookkeepingGroup(ctx context.Context, t *testing.T, s *Store) []*commitReq {
	t.Helper()
	type spec struct {
		id, ct string
		n      int
		cur    *Cursor
		prefix string
		other  bool // events name blobs of their own
	}
	specs := []spec{
		{id: "ex-1", ct: "Audit.Exchange", n: 7, cur: &Cursor{ContentType: "Audit.Exchange", Next: t0.Add(-2 * time.Hour)}, prefix: "a-"},
		{id: "sp-1", ct: "Audit.SharePoint", n: 4, prefix: "b-"},
		{id: "ex-1", ct: "Audit.Exchange", n: 3, cur: &Cursor{ContentType: "Audit.Exchange", Next: t0.Add(-5 * time.Hour)}, prefix: "c-"},
		{id: "ex-gap", ct: "Audit.Exchange"},
		{id: "sp-2", ct: "Audit.SharePoint", n: 5, cur: &Cursor{ContentType: "Audit.SharePoint", Next: t0.Add(-time.Hour)}, prefix: "a-"},
		{id: "salvaged", ct: "Audit.General", n: 6, prefix: "d-", other: true},
	}
	var reqs []*commitReq
	for i, sp := range specs {
		b := Blob{ContentType: sp.ct, ContentID: sp.id, Created: t0.Add(-time.Duration(10-i) * time.Hour),
			Expiration: t0.Add(time.Duration(150+i) * time.Hour)}
		var evs []Event
		if sp.n > 0 {
			evs = withRealisticRaw(genEvents(sp.n, t0.Add(-time.Duration(i%4)*time.Hour), sp.prefix)) // sp-2 repeats records of ex-1
		}
		for k := range evs {
			evs[k].ContentType, evs[k].ContentID = "", ""
			if sp.other {
				evs[k].ContentType = []string{"Audit.Exchange", "Audit.AzureActiveDirectory"}[k%2]
				evs[k].ContentID = fmt.Sprintf("old-blob-%d", k%3)
			}
		}
		packed, err := s.pack(ctx, b, evs)
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, &commitReq{ctx: ctx, blob: b, evs: evs, packed: packed, cur: sp.cur, done: make(chan struct{})})
	}
	return reqs
}

// bookkeeping dumps every table a commit writes besides the chunks, with
// each event's blob by its key (refs are numbered in the order blobs were
// first met).
func bookkeeping(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range map[string]string{
		"content":      `SELECT content_id, content_type, created, expiration, fetched_at, records FROM content ORDER BY content_id`,
		"type_stats":   `SELECT content_type, total, last_record, last_content FROM type_stats ORDER BY content_type`,
		"dead_letters": `SELECT content_id FROM dead_letters ORDER BY content_id`,
		"cursors":      `SELECT content_type, next_start, updated_at FROM cursors ORDER BY content_type`,
		"blobs":        `SELECT content_id, content_type, max_ct FROM blobs ORDER BY content_id, content_type`,
		"events": `SELECT e.id, b.content_id, b.content_type, e.creation_time FROM events AS e JOIN blobs AS b ON b.ref = e.blob
			ORDER BY e.id, e.creation_time`,
		"hourly":       `SELECT hour, content_type, workload, count FROM hourly ORDER BY 1, 2, 3`,
		"user_domains": `SELECT domain FROM user_domains ORDER BY domain`,
	} {
		rows, err := s.w.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out[name] = append(out[name], strings.TrimSuffix(fmt.Sprintln(vals...), "\n"))
		}
		if err := rows.Close(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return out
}

// TestGroupBookkeepingMatchesBlobByBlob: a group transaction records its
// blobs (content, counters, dead letters, cursors, blob refs) in a few
// statements for the whole group; what it leaves is exactly what committing
// the same blobs one transaction each leaves, and each blob's inserted count
// is the same.
func TestGroupBookkeepingMatchesBlobByBlob(t *testing.T) {
	ctx := context.Background()
	stores := map[string]*Store{}
	inserted := map[string][]int{}
	for _, mode := range []string{"one group", "blob by blob"} {
		s, _ := openTest(t, Options{})
		stores[mode] = s
		// A blob committed before, so some keys already exist.
		if _, err := s.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "old-blob-1"},
			withRealisticRaw(genEvents(3, t0.Add(-30*time.Hour), "z-")), &Cursor{ContentType: "Audit.Exchange", Next: t0.Add(-3 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"sp-1", "ex-gap", "not-in-the-group"} {
			if err := s.AddDeadLetter(ctx, Blob{ContentType: "Audit.SharePoint", ContentID: id}, "503", t0); err != nil {
				t.Fatal(err)
			}
		}
		reqs := bookkeepingGroup(ctx, t, s)
		if mode == "one group" {
			if err := s.commitTx(reqs); err != nil {
				t.Fatal(err)
			}
		} else {
			for _, r := range reqs {
				if err := s.commitTx([]*commitReq{r}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, r := range reqs {
			inserted[mode] = append(inserted[mode], r.inserted)
		}
	}
	group, single := bookkeeping(t, stores["one group"]), bookkeeping(t, stores["blob by blob"])
	for table := range single {
		if !reflect.DeepEqual(group[table], single[table]) {
			t.Errorf("%s after one group:\n%s\nafter blob by blob:\n%s", table,
				strings.Join(group[table], "\n"), strings.Join(single[table], "\n"))
		}
	}
	if got := inserted["blob by blob"]; len(single["content"]) != 6 || len(single["dead_letters"]) != 1 ||
		len(single["cursors"]) != 2 || got[4] != 0 || got[2] != 3 {
		t.Errorf("the fixture lost its shape: %d content rows, dead letters %v, cursors %v, inserted %v",
			len(single["content"]), single["dead_letters"], single["cursors"], got)
	}
	// What each blob-level record must say, as the statements per blob said it.
	g := stores["one group"]
	for _, c := range []struct {
		what, query string
		want        int64
	}{
		{"records of a blob committed twice (the later one's)", `SELECT records FROM content WHERE content_id = 'ex-1'`, 3},
		{"the Exchange cursor (never moved backwards)", `SELECT next_start FROM cursors WHERE content_type = 'Audit.Exchange'`, ms(t0.Add(-2 * time.Hour))},
		{"the SharePoint cursor", `SELECT next_start FROM cursors WHERE content_type = 'Audit.SharePoint'`, ms(t0.Add(-time.Hour))},
		{"the newest Exchange blob", `SELECT last_content FROM type_stats WHERE content_type = 'Audit.Exchange'`, ms(t0.Add(-7 * time.Hour))},
		{"dead letters of the group's blobs left", `SELECT count(*) FROM dead_letters WHERE content_id <> 'not-in-the-group'`, 0},
		{"the dead letter of another blob kept", `SELECT count(*) FROM dead_letters WHERE content_id = 'not-in-the-group'`, 1},
		{"blobs the salvaged events name", `SELECT count(*) FROM blobs WHERE content_id LIKE 'old-blob-%'`, 6},
	} {
		var got int64
		if err := g.w.QueryRow(c.query).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if got != c.want {
			t.Errorf("%s = %d, want %d", c.what, got, c.want)
		}
	}
	if !reflect.DeepEqual(inserted["one group"], inserted["blob by blob"]) {
		t.Errorf("inserted per blob: one group %v, blob by blob %v", inserted["one group"], inserted["blob by blob"])
	}
}
