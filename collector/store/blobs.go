package store

import (
	"context"
	"database/sql"
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

// blobRefs returns the blobs.ref of every blob r's events are stored under,
// adding the blobs not yet known and raising max_ct to the newest creation
// time among r's events, in transaction tx.
func (s *Store) blobRefs(ctx context.Context, tx *sql.Tx, r *commitReq) (map[blobKey]int64, error) {
	newest := map[blobKey]int64{}
	for i := range r.evs {
		k := r.blobKey(&r.evs[i])
		ct := ms(r.evs[i].CreationTime)
		if cur, ok := newest[k]; !ok || ct > cur {
			newest[k] = ct
		}
	}
	refs := make(map[blobKey]int64, len(newest))
	for k, ct := range newest {
		var ref int64
		if err := s.stmts.queryRow(ctx, tx, `INSERT INTO blobs (content_id, content_type, max_ct) VALUES (?, ?, ?)
			ON CONFLICT (content_id, content_type) DO UPDATE SET max_ct = max(max_ct, excluded.max_ct)
			RETURNING ref`, k.contentID, k.contentType, ct).Scan(&ref); err != nil {
			return nil, fmt.Errorf("recording blob %s: %w", k.contentID, err)
		}
		refs[k] = ref
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
