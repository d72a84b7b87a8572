package store

import (
	"context"
	"runtime"
)

// ReleaseMemory gives back what the store holds only for writing and
// searching while collection is idle (issue 12: a tray app's idle RSS):
// the compressors (made again by the next commit), the decompressed chunks
// cached for readers, the writer's SQLite page
// cache (PRAGMA shrink_memory) and the idle reader connections with their
// caches (opened again by the next query). Nothing stored changes.
func (s *Store) ReleaseMemory(ctx context.Context) error {
	s.codec.release()
	s.chunks.clear()
	if !s.readOnly {
		if _, err := s.w.ExecContext(ctx, `PRAGMA shrink_memory`); err != nil {
			return wrap("releasing the store's memory", err)
		}
	}
	idle := max(2, runtime.GOMAXPROCS(0))
	if s.readOnly {
		idle = 2
	}
	s.r.SetMaxIdleConns(0) // closes the idle readers now
	s.r.SetMaxIdleConns(idle)
	return nil
}
