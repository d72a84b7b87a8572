package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
)

// Raw records are stored several to a zstd frame (schema 6, issue 12): the
// records of one blob and content type, concatenated, are compressed as
// one chunk (table chunks), and each event's raw column holds only where
// its record lies in the decompressed chunk (a chunk reference). Compressing
// each record as its own frame reset the encoder's 256 KiB match table and
// built fresh entropy tables for every record; a chunk pays that once for
// ~30 records, and the records of one blob, which share most of their
// structure, compress better together.
//
// A stored raw value is one of three kinds, told apart by its first byte:
//   - a chunk reference: chunkRefMark, then the chunk's ref, the record's
//     offset and its length in the decompressed chunk, each a uvarint;
//   - a zstd frame of the record alone (schemas 3 to 5; zstdMagic);
//   - the record's JSON itself (schema 1; '{').
//
// Rows written before schema 6 keep their frames: the schema only adds the
// chunks table, it never rewrites the events table.

// chunkRefMark starts a chunk reference. JSON cannot start with it and a
// zstd frame starts with 0x28.
const chunkRefMark = 0x01

// chunkMaxRaw caps the records (JSON bytes) one chunk holds. A reader that
// needs one record decompresses its whole chunk (~80 µs for the simulator's
// ~35 KB blobs, at ~440 MB/s), and a page of rare search results lies in a
// different chunk per row, so the cap bounds that page's extra work (200
// chunks: +20 ms at 35 KB) for Microsoft's bigger blobs. Beyond the first
// few KiB a chunk gains little ratio from more records.
const chunkMaxRaw = 64 << 10

// chunkCacheBytes bounds the decompressed chunks a store keeps for its
// readers: the feed and an export read records in creation-time order, in
// which the records of a few chunks per content type interleave.
const chunkCacheBytes = 4 << 20

// rawKind is what a stored raw value holds.
type rawKind int

const (
	rawJSON     rawKind = iota // the record itself (schema 1)
	rawFrame                   // the record as its own zstd frame (schemas 3–5)
	rawChunkRef                // where the record is in a chunk (schema 6)
)

// kindOf tells what the stored raw value raw holds.
func kindOf(raw []byte) rawKind {
	switch {
	case isCompressed(raw):
		return rawFrame
	case len(raw) > 0 && raw[0] == chunkRefMark:
		return rawChunkRef
	}
	return rawJSON
}

// chunkRef is where one record lies: bytes off to off+n of chunk ref,
// decompressed.
type chunkRef struct {
	ref    int64
	off, n uint64
}

// appendChunkRef appends the stored form of c to dst.
func appendChunkRef(dst []byte, c chunkRef) []byte {
	dst = append(dst, chunkRefMark)
	dst = binary.AppendUvarint(dst, uint64(c.ref))
	dst = binary.AppendUvarint(dst, c.off)
	return binary.AppendUvarint(dst, c.n)
}

// parseChunkRef reads a stored chunk reference.
func parseChunkRef(raw []byte) (chunkRef, error) {
	bad := errors.New("malformed chunk reference")
	if len(raw) == 0 || raw[0] != chunkRefMark {
		return chunkRef{}, bad
	}
	rest := raw[1:]
	var v [3]uint64
	for i := range v {
		x, k := binary.Uvarint(rest)
		if k <= 0 {
			return chunkRef{}, bad
		}
		v[i], rest = x, rest[k:]
	}
	if len(rest) != 0 || v[0] == 0 || v[0] > 1<<62 {
		return chunkRef{}, bad
	}
	return chunkRef{ref: int64(v[0]), off: v[1], n: v[2]}, nil
}

// packedChunk is one compressed chunk of a blob, ready to be stored.
type packedChunk struct {
	data    []byte // the zstd frame
	maxTime int64  // newest creation time (unix ms) of its records: Purge drops the chunk after it
}

// recordLoc is where one event's record lies among a blob's chunks.
type recordLoc struct {
	chunk  int // index in packedBlob.chunks
	off, n int
}

// packedBlob is the raw records of one CommitBlob call, compressed.
type packedBlob struct {
	chunks []packedChunk
	locs   []recordLoc // one per event
}

// pack compresses the raw records of a blob into chunks (in the caller's
// goroutine, so concurrent fetchers compress in parallel): the records of
// each content type in the blob's order, up to chunkMaxRaw bytes a chunk.
func (s *Store) pack(ctx context.Context, b Blob, evs []Event) (packedBlob, error) {
	var p packedBlob
	if len(evs) == 0 {
		return p, nil
	}
	// A blob holds one content type; a salvaged group may hold several.
	order := []string{}
	byType := map[string][]int{}
	for i := range evs {
		ct := evs[i].ContentType
		if ct == "" {
			ct = b.ContentType
		}
		if _, ok := byType[ct]; !ok {
			order = append(order, ct)
		}
		byType[ct] = append(byType[ct], i)
	}
	p.locs = make([]recordLoc, len(evs))
	buf := s.packBuf()
	defer s.packBufs.Put(buf)
	for _, ct := range order {
		idx := byType[ct]
		sample := make([][]byte, len(idx))
		for k, i := range idx {
			sample[k] = evs[i].Raw
		}
		enc, err := s.codec.encoder(ctx, s.w, ct, sample)
		if err != nil {
			return packedBlob{}, err
		}
		for start := 0; start < len(idx); {
			*buf = (*buf)[:0]
			var newest int64
			end := start
			for end < len(idx) && (end == start || len(*buf)+len(evs[idx[end]].Raw) <= chunkMaxRaw) {
				e := &evs[idx[end]]
				p.locs[idx[end]] = recordLoc{chunk: len(p.chunks), off: len(*buf), n: len(e.Raw)}
				*buf = append(*buf, e.Raw...)
				newest = max(newest, ms(e.CreationTime))
				end++
			}
			p.chunks = append(p.chunks, packedChunk{data: compress(enc, *buf), maxTime: newest})
			start = end
		}
	}
	return p, nil
}

// packBuf returns a buffer for a chunk's records from the store's pool.
func (s *Store) packBuf() *[]byte {
	if b, ok := s.packBufs.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, chunkMaxRaw)
	return &b
}

// writeChunks stores r's chunks in tx and sets r.raws, the chunk reference
// each event's row stores: the chunks and the rows pointing into them are
// committed together or not at all.
func (s *Store) writeChunks(ctx context.Context, tx *sql.Tx, r *commitReq) error {
	if len(r.packed.locs) == 0 {
		r.raws = nil
		return nil
	}
	refs := make([]int64, len(r.packed.chunks))
	for i, c := range r.packed.chunks {
		if err := s.stmts.queryRow(ctx, tx, `INSERT INTO chunks (max_time, data) VALUES (?, ?) RETURNING ref`,
			c.maxTime, c.data).Scan(&refs[i]); err != nil {
			return fmt.Errorf("storing the records of blob %s: %w", r.blob.ContentID, err)
		}
	}
	// One buffer holds every reference (~8 bytes each); each row's value is
	// a capacity-capped slice of it.
	buf := make([]byte, 0, len(r.packed.locs)*(1+3*binary.MaxVarintLen32))
	r.raws = make([][]byte, len(r.packed.locs))
	for i, l := range r.packed.locs {
		start := len(buf)
		buf = appendChunkRef(buf, chunkRef{ref: refs[l.chunk], off: uint64(l.off), n: uint64(l.n)})
		r.raws[i] = buf[start:len(buf):len(buf)]
	}
	return nil
}

// querier runs a one-row query: the read transaction whose rows are being
// scanned, so a record's chunk is read from the same snapshot as its row.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readTx begins the read transaction of one read of events: its rows and
// the chunks their records lie in come from one snapshot, so a purge
// committed meanwhile (which drops a chunk with its last rows) can never
// leave a row read without its chunk. Close it with Rollback.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	return s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// recordJSON returns the JSON of a stored raw value of any kind: the one
// place every reader of raw records goes through. q reads a chunk the
// cache does not hold. The result is the caller's own copy. A value that
// cannot be decoded is store damage (ErrCorrupt).
func (s *Store) recordJSON(ctx context.Context, q querier, raw []byte) ([]byte, error) {
	switch kindOf(raw) {
	case rawFrame:
		out, err := s.codec.decode(raw)
		if err != nil {
			return nil, corrupt(err)
		}
		return out, nil
	case rawJSON:
		return raw, nil
	}
	c, err := parseChunkRef(raw)
	if err != nil {
		return nil, corrupt(err)
	}
	data, err := s.chunk(ctx, q, c.ref)
	if err != nil {
		return nil, err
	}
	if c.off > uint64(len(data)) || c.n > uint64(len(data))-c.off {
		return nil, corrupt(fmt.Errorf("record at %d+%d lies outside chunk %d (%d bytes)", c.off, c.n, c.ref, len(data)))
	}
	out := make([]byte, c.n)
	copy(out, data[c.off:c.off+c.n])
	return out, nil
}

// chunk returns chunk ref decompressed, from the cache or read with q.
// Its bytes are shared: never modify them. A chunk that is missing or does
// not decompress is store damage (ErrCorrupt).
func (s *Store) chunk(ctx context.Context, q querier, ref int64) ([]byte, error) {
	if d, ok := s.chunks.get(ref); ok {
		return d, nil
	}
	var data []byte
	err := q.QueryRowContext(ctx, `SELECT data FROM chunks WHERE ref = ?`, ref).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, corrupt(fmt.Errorf("chunk %d is missing", ref))
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("reading chunk %d", ref), err)
	}
	if !isCompressed(data) {
		return nil, corrupt(fmt.Errorf("chunk %d is not a zstd frame", ref))
	}
	d, err := s.codec.decode(data)
	if err != nil {
		return nil, corrupt(fmt.Errorf("chunk %d: %w", ref, err))
	}
	s.chunks.put(ref, d)
	return d, nil
}

// eachEvent runs query, which selects eventColumns and then the columns
// extra scans into, in one read transaction, and calls fn with each event
// (extra holds that row's other columns meanwhile). fn's error stops the
// walk and is returned as it is.
func (s *Store) eachEvent(ctx context.Context, query string, args []any, extra []any, fn func(Event) error) (err error) {
	tx, err := s.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := s.scanEvent(ctx, tx, rows, extra...)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
