package store

import (
	"context"
	"fmt"
	"time"
)

// purgeBatch bounds each purge transaction so the collector's writes are
// never blocked for long.
const purgeBatch = 5000

// Purge deletes events whose CreationTime is older than the retention period
// before now, and forgets blob ids whose expiration is more than 8 days
// before now (the listing window is 7 days, so such blobs cannot be listed
// again). It works in small transactions and returns the events deleted.
func (s *Store) Purge(ctx context.Context, now time.Time) (deleted int64, err error) {
	cutoff := now.Add(-s.retention).UnixMilli()
	for {
		n, err := s.purgeBatch(ctx, cutoff)
		deleted += n
		if err != nil {
			return deleted, err
		}
		if n < purgeBatch {
			break
		}
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM seq_blocks WHERE max_ct < ?`, cutoff); err != nil {
		return deleted, wrap("purging search blocks", err)
	}
	if err := s.purgeBlobs(ctx, cutoff); err != nil {
		return deleted, err
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM content WHERE expiration < ?`, now.Add(-contentKeep).UnixMilli()); err != nil {
		return deleted, wrap("purging seen content", err)
	}
	if deleted > 0 {
		s.log.Info("purged old events", "deleted", deleted, "retention", s.retention)
	}
	if err := s.giveSpaceBack(ctx); err != nil {
		return deleted, err
	}
	return deleted, nil
}

// giveSpaceBack returns the file's free pages to the file system: the store
// is auto_vacuum=incremental, so incremental_vacuum moves them to the end
// and truncates; the checkpoint makes the smaller file real (in WAL mode
// the truncation happens when the WAL is copied back). A checkpoint that
// readers keep from finishing is simply completed by a later one.
func (s *Store) giveSpaceBack(ctx context.Context) error {
	var free int64
	if err := s.w.QueryRowContext(ctx, `PRAGMA freelist_count`).Scan(&free); err != nil {
		return wrap("reading free pages", err)
	}
	if free == 0 {
		return nil
	}
	if _, err := s.w.ExecContext(ctx, `PRAGMA incremental_vacuum`); err != nil {
		return wrap("returning free space", err)
	}
	if _, err := s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return wrap("returning free space: checkpoint", err)
	}
	s.log.Info("returned free space to the file system", "pages", free)
	return nil
}

// purgeBatch deletes up to purgeBatch of the oldest expired events and keeps
// the per content type counters exact, in one transaction; the last batch
// (fewer than purgeBatch) also drops the chunks whose records are all gone.
func (s *Store) purgeBatch(ctx context.Context, cutoff int64) (n int64, err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap("purging events", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback() //nolint:errcheck // the original error matters
		}
	}()
	rows, err := tx.QueryContext(ctx, `DELETE FROM events WHERE seq IN (
		SELECT seq FROM events WHERE creation_time < ? ORDER BY creation_time LIMIT ?)
		RETURNING blob, workload, (creation_time / 3600000) * 3600000`,
		cutoff, purgeBatch)
	if err != nil {
		return 0, wrap("purging events", err)
	}
	type hourKey struct {
		hour     int64
		blob     int64
		workload string
	}
	perHour := map[hourKey]int64{}
	for rows.Next() {
		var k hourKey
		if err := rows.Scan(&k.blob, &k.workload, &k.hour); err != nil {
			rows.Close()
			return 0, wrap("purging events", err)
		}
		perHour[k]++
		n++
	}
	if err := rows.Close(); err != nil {
		return 0, wrap("purging events", err)
	}
	if err := rows.Err(); err != nil {
		return 0, wrap("purging events", err)
	}
	types := map[int64]string{}
	for k := range perHour {
		types[k.blob] = ""
	}
	if err := blobContentTypes(ctx, tx, types); err != nil {
		return 0, wrap("purging events", err)
	}
	type typeHour struct {
		hour              int64
		contentType, work string
	}
	perType := map[string]int64{}
	perTypeHour := map[typeHour]int64{}
	for k, c := range perHour {
		perType[types[k.blob]] += c
		perTypeHour[typeHour{k.hour, types[k.blob], k.workload}] += c
	}
	for ct, k := range perType {
		if _, err := tx.ExecContext(ctx, `UPDATE type_stats SET total = max(total - ?, 0) WHERE content_type = ?`, k, ct); err != nil {
			return 0, wrap(fmt.Sprintf("purging events: updating %s counter", ct), err)
		}
	}
	for k, c := range perTypeHour {
		if _, err := tx.ExecContext(ctx, `UPDATE hourly SET count = count - ? WHERE hour = ? AND content_type = ? AND workload = ?`,
			c, k.hour, k.contentType, k.work); err != nil {
			return 0, wrap("purging events: updating hourly counts", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM hourly WHERE count <= 0`); err != nil {
		return 0, wrap("purging events: updating hourly counts", err)
	}
	if n < purgeBatch {
		// No event older than cutoff is left in this transaction, and
		// every event of a chunk is no newer than its max_time: a chunk
		// older than cutoff has no event left. In the same transaction, so
		// an old record committed since cannot lose its chunk.
		if _, err := tx.ExecContext(ctx, `DELETE FROM chunks WHERE max_time < ?`, cutoff); err != nil {
			return 0, wrap("purging events: dropping their records", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, wrap("purging events", err)
	}
	return n, nil
}
