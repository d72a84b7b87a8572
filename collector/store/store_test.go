package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestOpenCreatesPrivateFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix permissions")
	}
	s, path := openTest(t, Options{})
	if _, err := s.CommitBlob(context.Background(), Blob{ContentType: "Audit.Exchange", ContentID: "c1"}, genEvents(3, t0, ""), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want os.FileMode
	}{
		{filepath.Dir(path), 0o700},
		{path, 0o600},
		{path + "-wal", 0o600},
		{path + "-shm", 0o600},
	}
	for _, tt := range tests {
		fi, err := os.Stat(tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if got := fi.Mode().Perm(); got != tt.want {
			t.Errorf("%s mode = %v, want %v", filepath.Base(tt.path), got, tt.want)
		}
	}
}

func TestOpenTightensExistingFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix permissions")
	}
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
}

func TestPragmas(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		for name, db := range map[string]*sql.DB{"writer": s.w, "reader": s.r} {
			var got string
			if err := db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s %s = %q, want %q", name, tt.pragma, got, tt.want)
			}
		}
	}
}

func TestCursorsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Cursor{
		"Audit.Exchange":             {ContentType: "Audit.Exchange", Next: t0.Add(-3 * time.Hour)},
		"Audit.AzureActiveDirectory": {ContentType: "Audit.AzureActiveDirectory", Next: t0.Add(-90 * time.Minute)},
	}
	if err := s.SetCursor(ctx, want["Audit.Exchange"]); err != nil {
		t.Fatal(err)
	}
	c := want["Audit.AzureActiveDirectory"]
	if _, err := s.CommitBlob(ctx, Blob{ContentType: c.ContentType, ContentID: "b1"}, genEvents(5, t0, ""), &c); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta(ctx, "tenant", "6f2b4c1e"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	got, err := s.Cursors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("cursors = %v, want %v", got, want)
	}
	for k, w := range want {
		if !got[k].Next.Equal(w.Next) || got[k].ContentType != w.ContentType {
			t.Errorf("cursor %s = %+v, want %+v", k, got[k], w)
		}
	}
	if v, ok, err := s.Meta(ctx, "tenant"); err != nil || !ok || v != "6f2b4c1e" {
		t.Errorf("meta after reopen = %q %v %v", v, ok, err)
	}
	if n, err := s.Total(ctx); err != nil || n != 5 {
		t.Errorf("Total after reopen = %d %v, want 5", n, err)
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t, Options{})
	if _, err := s.w.ExecContext(ctx, `UPDATE schema_version SET version = 999`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path, Options{}); err == nil {
		t.Fatal("Open accepted a database from a newer version")
	}
}

func TestOpenUnwritableLocation(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// A path below a regular file can never be created, even by root.
	_, err := Open(context.Background(), filepath.Join(blocker, "sub", "x.db"), Options{})
	if err == nil {
		t.Fatal("Open succeeded below a regular file")
	}
	if !strings.Contains(err.Error(), "creating data directory") {
		t.Errorf("error does not say what failed: %v", err)
	}
}

// TestWriterMemoryBudget: the writer maps none of the file and caches at
// most 8 MiB of pages, ~16 MB of RSS in modernc's allocator (its reads go
// all over a large file, and mapped pages count in the RSS of a drain: issue
// 12's 150 MB budget); readers keep their map and
// cache 2 MiB beyond it (the drain's seen-content lookups filled 8 MiB each).
func TestWriterMemoryBudget(t *testing.T) {
	s, _ := openTest(t, Options{})
	ctx := context.Background()
	tests := []struct {
		name   string
		db     *sql.DB
		pragma string
		want   int64
	}{
		{"writer map", s.w, "mmap_size", 0},
		{"writer cache (KiB, negative)", s.w, "cache_size", -8192},
		{"reader map", s.r, "mmap_size", 64 << 20},
		{"reader cache (KiB, negative)", s.r, "cache_size", -2048},
	}
	for _, tt := range tests {
		var got int64
		if err := tt.db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s: %s = %d, want %d", tt.name, tt.pragma, got, tt.want)
		}
	}
}
