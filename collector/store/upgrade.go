package store

import (
	"context"
	"fmt"
	"time"

	"github.com/klauspost/compress/zstd"
)

// upgradeBatch is how many rows one recompression transaction rewrites.
const upgradeBatch = 2000

// upgradeLegacy converts a store created before schema 2, once: raw
// records written uncompressed are recompressed, then a VACUUM switches the
// file to auto_vacuum=incremental (so purges give space back) and returns
// the space the compression freed. New stores are created incremental and
// skip all of it. It is restartable: a crash part-way redoes only what is
// left.
func (s *Store) upgradeLegacy(ctx context.Context) error {
	var mode int
	if err := s.w.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return wrap("reading auto_vacuum", err)
	}
	if mode == 2 { // incremental: created by this version or already upgraded
		return nil
	}
	start := time.Now()
	rewritten, err := s.recompressLegacy(ctx)
	if err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, `PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
		return wrap("enabling incremental vacuum", err)
	}
	if _, err := s.w.ExecContext(ctx, `VACUUM`); err != nil {
		return wrap("compacting the store", err)
	}
	s.log.Info("store upgraded: records compressed, space returned", "records", rewritten, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// recompressLegacy compresses every uncompressed raw record, in batches
// walking the ingest sequence.
func (s *Store) recompressLegacy(ctx context.Context) (int, error) {
	var last int64
	total := 0
	for {
		batch, next, err := s.legacyBatch(ctx, last)
		if err != nil {
			return total, err
		}
		if next == last { // walked past the newest row
			return total, nil
		}
		last = next
		if len(batch) == 0 {
			continue
		}
		// Encoders first: learning a dictionary writes on the writer
		// connection, which the transaction below holds.
		samples := map[string][][]byte{}
		for _, r := range batch {
			samples[r.ct] = append(samples[r.ct], r.raw)
		}
		enc := map[string]*zstd.Encoder{}
		for ct, sample := range samples {
			e, err := s.codec.encoder(ctx, s.w, ct, sample)
			if err != nil {
				return total, err
			}
			enc[ct] = e
		}
		if err := s.rewriteRaw(ctx, batch, enc); err != nil {
			return total, err
		}
		total += len(batch)
		if total%(50*upgradeBatch) < len(batch) {
			s.log.Info("compressing stored records", "done", total)
		}
	}
}

// legacyRow is a stored record still uncompressed.
type legacyRow struct {
	seq int64
	ct  string
	raw []byte
}

// legacyBatch reads the next upgradeBatch rows after seq last and returns
// the uncompressed ones and the last seq read (last when there was none).
func (s *Store) legacyBatch(ctx context.Context, last int64) ([]legacyRow, int64, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT e.seq, b.content_type, e.raw FROM events AS e JOIN blobs AS b ON b.ref = e.blob
		WHERE e.seq > ? ORDER BY e.seq LIMIT ?`, last, upgradeBatch)
	if err != nil {
		return nil, last, wrap("reading records to compress", err)
	}
	defer rows.Close()
	var batch []legacyRow
	for rows.Next() {
		var r legacyRow
		if err := rows.Scan(&r.seq, &r.ct, &r.raw); err != nil {
			return nil, last, wrap("reading records to compress", err)
		}
		last = r.seq
		if kindOf(r.raw) == rawJSON {
			batch = append(batch, r)
		}
	}
	return batch, last, wrap("reading records to compress", rows.Err())
}

// rewriteRaw stores the compressed form of batch in one transaction.
func (s *Store) rewriteRaw(ctx context.Context, batch []legacyRow, enc map[string]*zstd.Encoder) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return wrap("compressing records", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback() //nolint:errcheck // the original error matters
		}
	}()
	stmt, err := tx.PrepareContext(ctx, `UPDATE events SET raw = ? WHERE seq = ?`)
	if err != nil {
		return wrap("compressing records", err)
	}
	defer stmt.Close()
	for _, r := range batch {
		if _, err := stmt.ExecContext(ctx, compress(enc[r.ct], r.raw), r.seq); err != nil {
			return wrap(fmt.Sprintf("compressing record %d", r.seq), err)
		}
	}
	return wrap("compressing records", tx.Commit())
}
