package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// Each event refers to its blob (content id and content type) by a small
// integer, blobs.ref, instead of repeating the ~94-byte content id on every
// row (schema 4).

// blobKey is the content id and type an event is stored under.
type blobKey struct {
	contentID, contentType string
}

// blobKey returns e's blob: its own content id and type where set (a
// salvaged event keeps the blob it came from), else the committed blob's.
func (r *commitReq) blobKey(e *Event) blobKey {
	k := blobKey{contentID: e.ContentID, contentType: e.ContentType}
	if k.contentID == "" {
		k.contentID = r.blob.ContentID
	}
	if k.contentType == "" {
		k.contentType = r.blob.ContentType
	}
	return k
}

// blobRefs returns the blobs.ref of every blob the events of reqs are
// stored under, adding the blobs not yet known and raising max_ct to the
// newest creation time among their events, in transaction tx: one
// statement for the whole group, whose rows name their key, so no order is
// assumed. It was one statement per blob: with the drain's ~30-record blobs
// the per-statement cost of the serial writer was ~1/20 of its CPU (issue
// 12, round 10).
func (s *Store) blobRefs(ctx context.Context, tx *sql.Tx, reqs []*commitReq) (map[blobKey]int64, error) {
	newest := map[blobKey]int64{}
	var order []blobKey
	for _, r := range reqs {
		for i := range r.evs {
			k := r.blobKey(&r.evs[i])
			ct := ms(r.evs[i].CreationTime)
			cur, ok := newest[k]
			if !ok {
				order = append(order, k)
			}
			if !ok || ct > cur {
				newest[k] = ct
			}
		}
	}
	refs := make(map[blobKey]int64, len(newest))
	if len(order) == 0 {
		return refs, nil
	}
	rows := make([][3]any, len(order))
	for i, k := range order {
		rows[i] = [3]any{k.contentID, k.contentType, newest[k]}
	}
	arg, err := json.Marshal(rows)
	if err != nil {
		return nil, fmt.Errorf("recording blobs: %w", err)
	}
	res, err := s.stmts.query(ctx, tx, `INSERT INTO blobs (content_id, content_type, max_ct)
		SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true
		ON CONFLICT (content_id, content_type) DO UPDATE SET max_ct = max(max_ct, excluded.max_ct)
		RETURNING ref, content_id, content_type`, string(arg))
	if err != nil {
		return nil, fmt.Errorf("recording blobs (%s, …): %w", order[0].contentID, err)
	}
	defer res.Close()
	for res.Next() {
		var ref int64
		var k blobKey
		if err := res.Scan(&ref, &k.contentID, &k.contentType); err != nil {
			return nil, fmt.Errorf("recording blobs: %w", err)
		}
		refs[k] = ref
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("recording blobs: %w", err)
	}
	if err := res.Close(); err != nil {
		return nil, fmt.Errorf("recording blobs: %w", err)
	}
	for _, k := range order {
		if _, ok := refs[k]; !ok {
			return nil, fmt.Errorf("recording blob %s: no ref returned", k.contentID)
		}
	}
	return refs, nil
}

// blobContentTypes returns the content type of each of refs, in tx.
func blobContentTypes(ctx context.Context, tx *sql.Tx, refs map[int64]string) error {
	for ref := range refs {
		var ct string
		err := tx.QueryRowContext(ctx, `SELECT content_type FROM blobs WHERE ref = ?`, ref).Scan(&ct)
		if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("reading blob %d: %w", ref, err)
		}
		refs[ref] = ct
	}
	return nil
}

// purgeBlobs forgets the blobs whose events have all been purged: every
// event is newer than cutoff after a purge, so a blob whose newest event is
// older is unreferenced (the NOT EXISTS guards an old event committed
// since, which the next purge removes first).
func (s *Store) purgeBlobs(ctx context.Context, cutoff int64) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM blobs WHERE max_ct < ?1
		AND NOT EXISTS (SELECT 1 FROM events AS e WHERE e.creation_time < ?1 AND e.blob = blobs.ref)`, cutoff)
	return wrap("purging blob ids", err)
}
