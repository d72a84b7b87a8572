package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"
)

// Raw records are stored zstd-compressed. Audit records are small JSON
// objects (0.5–3 KB) that repeat the same keys, tenant ids and user agents,
// so each content type gets a raw-content dictionary learned from its first
// records: with it a record alone shrinks ~5×, without it ~1.6×. Since
// schema 6 a blob's records are compressed together (chunks.go), where the
// dictionary still pays: 200-user simulator drain, 281 k records, 1.2 KB
// each, 7.8× with it, 6.4× without, at the same CPU. Rows written before
// compression (schema 1) start with '{' and are read as they are; zstd frames
// start with the magic 28 B5 2F FD, so the two never collide.

// zstdMagic starts every zstd frame.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// dictMinBytes is how much raw JSON of a content type one commit must bring
// before a dictionary is learned from it; dictMaxBytes caps its size.
const (
	dictMinBytes = 8 << 10
	// 64 KiB. Tried 32 KiB for issue 12: no CPU saved (EncodeAll's
	// per-record reset is the copy of the 256 KiB match table of the
	// dictionary, not of the dictionary itself) and ~4 % larger records.
	dictMaxBytes = 64 << 10
)

// isCompressed reports whether a stored raw value is a zstd frame.
func isCompressed(raw []byte) bool { return bytes.HasPrefix(raw, zstdMagic) }

// codec compresses raw records for the writer and decompresses them for
// every reader. Encoders (one per dictionary) are only used by the single
// writer; the decoder is shared and safe for concurrent use.
type codec struct {
	mu    sync.Mutex
	enc   map[string]*zstd.Encoder // content type → encoder with its dictionary
	plain *zstd.Encoder            // before a content type has a dictionary; nil until needed
	ids   map[string]uint32        // content type → dictionary id
	dicts map[uint32][]byte
	// pending holds records of content types without a dictionary yet.
	pending     map[string][][]byte
	pendingSize map[string]int
	dec         atomic.Pointer[zstd.Decoder]
}

// encoderOptions are every encoder's. Concurrency 1: EncodeAll keeps that
// many encoders per zstd.Encoder, each with its own match tables and their
// copy primed with the dictionary (~0.8 MB), and hands them out in turn, so
// with 2 every content type held two even when one fetcher at a time
// compressed it (issue 12, TestCompressorsHoldOneEncoderPerContentType).
// Fetchers of different content types still compress in parallel. Each
// frame carries its checksum (4 bytes a chunk of ~30 records since schema
// 6): a damaged chunk reads as damage, never as other bytes.
func encoderOptions() []zstd.EOption {
	return []zstd.EOption{zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true),
		zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithWindowSize(1 << 17), zstd.WithEncoderCRC(true)}
}

// newCodec loads the dictionaries stored in db (table zdicts).
func newCodec(ctx context.Context, db *sql.DB) (*codec, error) {
	c := &codec{enc: map[string]*zstd.Encoder{}, ids: map[string]uint32{}, dicts: map[uint32][]byte{},
		pending: map[string][][]byte{}, pendingSize: map[string]int{}}
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'zdicts'`).Scan(&tables); err != nil {
		return nil, wrap("loading compression dictionaries", err)
	}
	if tables == 0 { // a schema-1 store opened read-only: nothing is compressed
		return c, c.rebuildDecoder()
	}
	rows, err := db.QueryContext(ctx, `SELECT id, content_type, dict FROM zdicts ORDER BY id`)
	if err != nil {
		return nil, wrap("loading compression dictionaries", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint32
		var ct string
		var d []byte
		if err := rows.Scan(&id, &ct, &d); err != nil {
			return nil, wrap("loading compression dictionaries", err)
		}
		c.dicts[id] = d
		c.ids[ct] = id
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("loading compression dictionaries", err)
	}
	if err := c.rebuildDecoder(); err != nil {
		return nil, err
	}
	return c, nil
}

// rebuildDecoder makes a decoder that knows every dictionary.
func (c *codec) rebuildDecoder() error {
	opts := []zstd.DOption{zstd.WithDecoderConcurrency(0), zstd.WithDecoderLowmem(true), zstd.WithDecoderMaxMemory(64 << 20)}
	for id, d := range c.dicts {
		opts = append(opts, zstd.WithDecoderDictRaw(id, d))
	}
	dec, err := zstd.NewReader(nil, opts...)
	if err != nil {
		return fmt.Errorf("creating decompressor: %w", err)
	}
	// Readers may still be decoding with the previous decoder (DecodeAll on
	// a closed one fails), so it is left to the garbage collector; this
	// happens once per content type in a store's life.
	c.dec.Store(dec)
	return nil
}

// decode returns the JSON of a stored raw value (compressed or not).
func (c *codec) decode(raw []byte) ([]byte, error) {
	if !isCompressed(raw) {
		return raw, nil
	}
	out, err := c.dec.Load().DecodeAll(raw, nil)
	if err != nil {
		return nil, fmt.Errorf("decompressing record: %w", err)
	}
	return out, nil
}

// encoder returns the encoder for content type ct. When ct has no
// dictionary yet and sample (raw records of ct about to be stored) is big
// enough, a dictionary is learned from it and stored first, in its own
// statement on the writer connection db: a dictionary row that no event uses
// (the events' transaction rolled back) is harmless.
func (c *codec) encoder(ctx context.Context, db *sql.DB, ct string, sample [][]byte) (*zstd.Encoder, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.enc[ct]; ok {
		return e, nil
	}
	id, ok := c.ids[ct]
	if !ok {
		// Small commits add up: keep copies until there is enough to learn from.
		for _, r := range sample {
			if c.pendingSize[ct] >= dictMaxBytes {
				break
			}
			c.pending[ct] = append(c.pending[ct], bytes.Clone(r))
			c.pendingSize[ct] += len(r)
		}
		d := learnDict(c.pending[ct])
		if d == nil {
			if c.plain == nil {
				plain, err := zstd.NewWriter(nil, encoderOptions()...)
				if err != nil {
					return nil, fmt.Errorf("creating compressor: %w", err)
				}
				c.plain = plain
			}
			return c.plain, nil
		}
		delete(c.pending, ct)
		delete(c.pendingSize, ct)
		if err := db.QueryRowContext(ctx, `INSERT INTO zdicts (content_type, dict) VALUES (?, ?) RETURNING id`, ct, d).Scan(&id); err != nil {
			return nil, wrap("storing compression dictionary", err)
		}
		c.dicts[id] = d
		c.ids[ct] = id
		if err := c.rebuildDecoder(); err != nil {
			return nil, err
		}
	}
	e, err := zstd.NewWriter(nil, append(encoderOptions(), zstd.WithEncoderDictRaw(id, c.dicts[id]))...)
	if err != nil {
		return nil, fmt.Errorf("creating compressor: %w", err)
	}
	c.enc[ct] = e
	return e, nil
}

// release drops the encoders; the next commit creates them again. Each
// holds several MB of match tables that an idle collector does not need
// (issue 12). An encoder a commit is still using stays valid: only the
// codec's references go.
func (c *codec) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.enc)
	c.plain = nil
}

// learnDict builds a raw-content dictionary from sample records: the
// records themselves, most varied first, up to dictMaxBytes. nil when the
// sample is too small to be representative.
func learnDict(sample [][]byte) []byte {
	total := 0
	for _, s := range sample {
		total += len(s)
	}
	if total < dictMinBytes {
		return nil
	}
	// Records spread over the sample (not only the first ones) so several
	// operations are represented; zstd favours the end of a dictionary, so
	// the first records of the sample go last.
	step := max(1, total/dictMaxBytes)
	var picked [][]byte
	size := 0
	for i := 0; i < len(sample) && size < dictMaxBytes; i += step {
		if size+len(sample[i]) > dictMaxBytes {
			continue
		}
		picked = append(picked, sample[i])
		size += len(sample[i])
	}
	d := make([]byte, 0, size)
	for i := len(picked) - 1; i >= 0; i-- {
		d = append(d, picked[i]...)
	}
	return d
}

// compress returns the stored form of raw with encoder e.
func compress(e *zstd.Encoder, raw []byte) []byte {
	return e.EncodeAll(raw, make([]byte, 0, len(raw)/3+16))
}
