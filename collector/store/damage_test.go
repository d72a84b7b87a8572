package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// buildStore makes a closed store at path holding n realistic events.
func buildStore(t *testing.T, path string, n int) []Event {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs := withRealisticRaw(genEvents(n, t0, ""))
	commitAll(t, s, evs, 100)
	if err := s.SetMeta(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return evs
}

// scribble overwrites n bytes with garbage, starting at the middle leaf
// page of the events table (so the damage always hits stored events, as
// it did in the issue, whatever the file's layout).
func scribble(t *testing.T, path string, n int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var page, size int64
	err = db.QueryRow(`SELECT pageno, pgsize FROM dbstat WHERE name = 'events' AND pagetype = 'leaf'
		ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = 'events' AND pagetype = 'leaf')`).Scan(&page, &size)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	garbage := bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF}, n/4)
	if _, err := f.WriteAt(garbage, (page-1)*size); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedStore: 64 KiB scribbled mid-file is found by QuickCheck
// (status can turn red), and Salvage keeps what is readable in a new store
// that passes the check, keeping the damaged file.
func TestDamagedStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "events.db")
	evs := buildStore(t, path, 6000)
	if fileSize(t, path) < 1<<20 {
		t.Fatalf("store too small (%d bytes) for a meaningful scribble", fileSize(t, path))
	}
	scribble(t, path, 64<<10)

	s, err := Open(ctx, path, Options{})
	if err == nil {
		err = s.QuickCheck(ctx)
		s.Close()
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open + QuickCheck of a scribbled store = %v, want ErrCorrupt", err)
	}

	res, err := Salvage(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Salvage: %v", err)
	}
	if res.Recovered == 0 || res.Recovered >= int64(len(evs)) {
		t.Errorf("recovered %d of %d events: want most but not all", res.Recovered, len(evs))
	}
	if res.Unreadable == 0 {
		t.Error("no unreadable rows reported")
	}
	if fileSize(t, res.DamagedPath) == 0 {
		t.Errorf("damaged file not kept at %s", res.DamagedPath)
	}
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("opening the salvaged store: %v", err)
	}
	defer s.Close()
	if err := s.QuickCheck(ctx); err != nil {
		t.Errorf("salvaged store: %v", err)
	}
	want := map[string][]byte{}
	for _, e := range evs {
		want[e.ID] = e.Raw
	}
	n := int64(0)
	if err := s.ForEach(ctx, Filter{}, func(e Event) error {
		n++
		if !bytes.Equal(e.Raw, want[e.ID]) {
			return fmt.Errorf("recovered record %s differs from the original", e.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != res.Recovered {
		t.Errorf("salvaged store holds %d events, Salvage said %d", n, res.Recovered)
	}
	if total, _ := s.Total(ctx); total != n {
		t.Errorf("Total = %d, want %d", total, n)
	}
	if v, ok, _ := s.Meta(ctx, "salvaged"); !ok || v == "" {
		t.Error("salvage not recorded in the new store")
	}
	// Blobs are not marked fetched: the collector fetches them again.
	if seen, _ := s.SeenContent(ctx, []string{evs[0].ContentID}); len(seen) != 0 {
		t.Error("a blob of the damaged store is marked fetched in the new one")
	}
}

func TestQuickCheckHealthy(t *testing.T) {
	s, _ := openTest(t, Options{})
	commitAll(t, s, withRealisticRaw(genEvents(500, t0, "")), 100)
	if err := s.QuickCheck(context.Background()); err != nil {
		t.Errorf("QuickCheck of a healthy store: %v", err)
	}
}

// TestEmptyStoreFileIsSaid: a 0-byte store file is reported, never silently
// replaced by a new store.
func TestEmptyStoreFileIsSaid(t *testing.T) {
	ctx := context.Background()
	opens := []struct {
		name string
		open func(path string) (*Store, error)
	}{
		{"Open", func(p string) (*Store, error) { return Open(ctx, p, Options{}) }},
		{"OpenReadOnly", func(p string) (*Store, error) { return OpenReadOnly(ctx, p, Options{}) }},
	}
	for _, o := range opens {
		t.Run(o.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "events.db")
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := o.open(path)
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, ErrEmpty) {
				t.Errorf("open of a 0-byte store = %v, want ErrEmpty", err)
			}
			if fileSize(t, path) != 0 {
				t.Error("the empty file was replaced")
			}
		})
	}
}

// TestOpenReadOnly reads a store without changing it, beside a live writer
// and on a directory that cannot be written.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "events.db")
	evs := buildStore(t, path, 300)

	w, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	more := withRealisticRaw(genEvents(10, t0, "live-"))
	if _, err := w.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "live"}, more, nil); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(ctx, path, Options{})
	if err != nil {
		t.Fatalf("OpenReadOnly beside a writer: %v", err)
	}
	if n, _ := ro.Count(ctx, Filter{}); n != int64(len(evs)+len(more)) {
		t.Errorf("read-only store sees %d events, want %d (including the writer's)", n, len(evs)+len(more))
	}
	if _, err := ro.CommitBlob(ctx, Blob{ContentType: "Audit.Exchange", ContentID: "x"}, genEvents(1, t0, "x-"), nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("CommitBlob on a read-only store = %v, want ErrReadOnly", err)
	}
	if err := ro.SetMeta(ctx, "a", "b"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetMeta on a read-only store = %v, want ErrReadOnly", err)
	}
	ro.Close()
	w.Close()

	// A read-only copy (a backup): the file is not changed, no -wal/-shm appear.
	backup := filepath.Join(t.TempDir(), "backup")
	if err := os.Mkdir(backup, 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bpath := filepath.Join(backup, "events.db")
	if err := os.WriteFile(bpath, b, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(backup, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(backup, 0o700) })
	ro, err = OpenReadOnly(ctx, bpath, Options{})
	if err != nil {
		t.Fatalf("OpenReadOnly of a read-only copy: %v", err)
	}
	defer ro.Close()
	if n, _ := ro.Count(ctx, Filter{}); n != int64(len(evs)+len(more)) {
		t.Errorf("read-only copy shows %d events, want %d", n, len(evs)+len(more))
	}
	if got, _ := os.ReadFile(bpath); !bytes.Equal(got, b) {
		t.Error("OpenReadOnly changed the file")
	}
	if _, err := OpenReadOnly(ctx, filepath.Join(backup, "missing.db"), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenReadOnly of a missing file = %v, want fs.ErrNotExist", err)
	}
}
