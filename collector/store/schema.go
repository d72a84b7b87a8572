package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// migration is one schema step, run in one transaction: DDL, and for the
// steps that rebuild the events table, a copy of its rows between two
// blocks of DDL. The copy is an INSERT … SELECT over events AS e whose
// WHERE clause takes a range of the ingest sequence (e.seq > ? AND e.seq <=
// ?): applyMigration runs it batch by batch, in seq order, so a long
// upgrade can say how far it got. Running it whole or in batches writes the
// same rows.
type migration struct {
	before string // DDL run first
	copy   string // the batched copy of events, or "" for none
	after  string // DDL run after the copy
}

// migrations are applied in order; schema_version holds how many ran. Never
// change what a shipped migration does: append a new one.
func migrations() []migration {
	return []migration{
		// 1: initial schema.
		{before: `
CREATE TABLE events (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT, -- monotonic ingest sequence for the live feed
	id            TEXT    NOT NULL UNIQUE CHECK (id <> ''), -- audit record Id: the dedupe key
	content_type  TEXT    NOT NULL,
	content_id    TEXT    NOT NULL,
	workload      TEXT    NOT NULL,
	operation     TEXT    NOT NULL,
	user_id       TEXT    NOT NULL,
	client_ip     TEXT    NOT NULL,
	result        TEXT    NOT NULL,
	result_status TEXT    NOT NULL,
	object_id     TEXT    NOT NULL,
	record_type   INTEGER NOT NULL,
	creation_time INTEGER NOT NULL, -- unix ms, UTC
	ingested_at   INTEGER NOT NULL, -- unix ms
	raw           BLOB    NOT NULL
);
CREATE INDEX events_time      ON events (creation_time DESC, id DESC);
CREATE INDEX events_workload  ON events (workload, creation_time);
-- operation/user/ip carry creation_time too, so "newest events of this user"
-- is an ordered index range instead of a fetch-all-and-sort.
CREATE INDEX events_operation ON events (operation, creation_time);
CREATE INDEX events_user      ON events (user_id, creation_time);
CREATE INDEX events_ip        ON events (client_ip, creation_time);
CREATE INDEX events_result    ON events (result, creation_time);

-- Word index for the free-text search. Contentless (the text lives in
-- events) and detail=none (rowids only): the smallest and cheapest FTS5
-- index; exact matching is re-checked against events.
CREATE VIRTUAL TABLE events_fts USING fts5 (
	user_id, operation, client_ip, object_id,
	content = '', contentless_delete = 1, detail = none,
	tokenize = 'unicode61 remove_diacritics 0'
);
-- Rows are added to events_fts by CommitBlob in one statement per blob, not
-- by a trigger: FTS5 flushes its buffer at every statement savepoint, so a
-- per-row trigger would write one tiny index segment per event.
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
	DELETE FROM events_fts WHERE rowid = old.seq;
END;

-- Per content type counters, maintained in the same transactions as events.
CREATE TABLE type_stats (
	content_type TEXT PRIMARY KEY,
	total        INTEGER NOT NULL DEFAULT 0,
	last_record  INTEGER NOT NULL DEFAULT 0,
	last_content INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Events per UTC hour, content type and workload, maintained with events:
-- the dashboard chart and the 24 h counts read this instead of the events.
CREATE TABLE hourly (
	hour         INTEGER NOT NULL, -- unix ms of the hour start
	content_type TEXT    NOT NULL,
	workload     TEXT    NOT NULL,
	count        INTEGER NOT NULL,
	PRIMARY KEY (hour, content_type, workload)
) WITHOUT ROWID;

CREATE TABLE content (
	content_id   TEXT PRIMARY KEY,
	content_type TEXT    NOT NULL,
	created      INTEGER NOT NULL,
	expiration   INTEGER NOT NULL,
	fetched_at   INTEGER NOT NULL,
	records      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX content_expiration ON content (expiration);

CREATE TABLE cursors (
	content_type TEXT PRIMARY KEY,
	next_start   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE dead_letters (
	content_id   TEXT PRIMARY KEY,
	content_type TEXT    NOT NULL,
	content_uri  TEXT    NOT NULL,
	created      INTEGER NOT NULL,
	expiration   INTEGER NOT NULL,
	attempts     INTEGER NOT NULL,
	last_error   TEXT    NOT NULL,
	next_retry   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX dead_letters_next_retry ON dead_letters (next_retry);

CREATE TABLE gaps (
	content_type TEXT    NOT NULL,
	from_time    INTEGER NOT NULL,
	to_time      INTEGER NOT NULL,
	reason       TEXT    NOT NULL,
	recorded_at  INTEGER NOT NULL
);

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
	user_key     TEXT PRIMARY KEY, -- lower(UPN): audit records and Graph disagree on case
	user_id      TEXT NOT NULL,
	display_name TEXT NOT NULL,
	refreshed_at INTEGER NOT NULL
) WITHOUT ROWID;
`},
		// 2: detections (findings_schema.go).
		{before: findingsSchema},
		// 3: a smaller store (issue 9). Raw records are zstd-compressed with a
		// dictionary per content type (zdicts); rows of schema 1 stay readable
		// and are recompressed once by Open. The client-IP and result indexes
		// go: no query filters on client_ip (IP search reads events_fts) and
		// failures are common enough (~10 %) that the feed index finds a page
		// of them at once.
		{before: `
DROP INDEX events_ip;
DROP INDEX events_result;
CREATE TABLE zdicts (
	id           INTEGER PRIMARY KEY, -- the zstd dictionary id in each frame
	content_type TEXT NOT NULL,
	dict         BLOB NOT NULL
);
-- Creation-time range of each block of 4,096 ingest sequence numbers: a
-- text search visits the word index's candidates block by block, newest
-- block first, and stops when no older block can hold a newer match.
CREATE TABLE seq_blocks (
	block  INTEGER PRIMARY KEY, -- seq >> 12
	min_ct INTEGER NOT NULL,
	max_ct INTEGER NOT NULL
);
INSERT INTO seq_blocks (block, min_ct, max_ct)
	SELECT seq >> 12, min(creation_time), max(creation_time) FROM events GROUP BY seq >> 12;
`},
		// 4: each blob's content id and type once (blobs), not on every
		// event (−110 bytes per record: the ~94-byte content id was the
		// largest column); ingested_at, which nothing read, goes; and
		// content_expiration goes: Purge is the only query on expiration and
		// the content table holds about 16 days of blobs, a scan of which is
		// cheaper than keeping a second copy of every content id. The
		// events are copied row by row (seq, id and raw bytes unchanged, so
		// events_fts, keyed by seq, stays valid) and the ingest sequence's
		// high-water mark is kept.
		{before: `
CREATE TABLE blobs (
	ref          INTEGER PRIMARY KEY,
	content_id   TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	max_ct       INTEGER NOT NULL -- newest creation time of its events: Purge forgets the blob after it
);
CREATE UNIQUE INDEX blobs_key ON blobs (content_id, content_type);
INSERT INTO blobs (content_id, content_type, max_ct)
	SELECT content_id, content_type, max(creation_time) FROM events GROUP BY content_id, content_type ORDER BY min(seq);
CREATE TABLE events4 (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT, -- monotonic ingest sequence for the live feed
	id            TEXT    NOT NULL UNIQUE CHECK (id <> ''), -- audit record Id: the dedupe key
	blob          INTEGER NOT NULL, -- blobs.ref: content id and content type
	workload      TEXT    NOT NULL,
	operation     TEXT    NOT NULL,
	user_id       TEXT    NOT NULL,
	client_ip     TEXT    NOT NULL,
	result        TEXT    NOT NULL,
	result_status TEXT    NOT NULL,
	object_id     TEXT    NOT NULL,
	record_type   INTEGER NOT NULL,
	creation_time INTEGER NOT NULL, -- unix ms, UTC
	raw           BLOB    NOT NULL
);
`,
			copy: `INSERT INTO events4 (seq, id, blob, workload, operation, user_id, client_ip, result, result_status, object_id,
		record_type, creation_time, raw)
	SELECT e.seq, e.id, b.ref, e.workload, e.operation, e.user_id, e.client_ip, e.result, e.result_status,
		e.object_id, e.record_type, e.creation_time, e.raw
	FROM events AS e JOIN blobs AS b ON b.content_id = e.content_id AND b.content_type = e.content_type
	WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq`,
			after: `
-- DROP TABLE deletes the sqlite_sequence row of events and RENAME renames
-- that of events4: move the high-water mark over first.
DELETE FROM sqlite_sequence WHERE name = 'events4';
UPDATE sqlite_sequence SET name = 'events4' WHERE name = 'events';
DROP TABLE events;
ALTER TABLE events4 RENAME TO events;
CREATE INDEX events_time      ON events (creation_time DESC, id DESC);
CREATE INDEX events_workload  ON events (workload, creation_time);
CREATE INDEX events_operation ON events (operation, creation_time);
CREATE INDEX events_user      ON events (user_id, creation_time);
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
	DELETE FROM events_fts WHERE rowid = old.seq;
END;
DROP INDEX content_expiration;
`},
		// 5: the dedupe key becomes (creation_time, id), local in time (issue
		// 12). A duplicate delivery of a record carries the same Id and the
		// same CreationTime (Microsoft re-sends the record itself), so the
		// feed index, made UNIQUE, still drops it; the separate UNIQUE(id)
		// index, keyed on random GUIDs, dirtied one leaf per inserted
		// record (most of a drain's WAL writes) and goes. A store of schema
		// 4 holds no two rows with one id, hence none with one (time, id):
		// the copy keeps every row (seq, id and raw bytes unchanged, so
		// events_fts stays valid) and the sequence's high-water mark.
		// Lookups by id alone are bounded by a time span instead (a
		// finding's first/last seen, Store.Get's creation time).
		{before: `
CREATE TABLE events5 (
	seq           INTEGER PRIMARY KEY AUTOINCREMENT, -- monotonic ingest sequence for the live feed
	id            TEXT    NOT NULL CHECK (id <> ''), -- audit record Id: with creation_time, the dedupe key (events_time)
	blob          INTEGER NOT NULL, -- blobs.ref: content id and content type
	workload      TEXT    NOT NULL,
	operation     TEXT    NOT NULL,
	user_id       TEXT    NOT NULL,
	client_ip     TEXT    NOT NULL,
	result        TEXT    NOT NULL,
	result_status TEXT    NOT NULL,
	object_id     TEXT    NOT NULL,
	record_type   INTEGER NOT NULL,
	creation_time INTEGER NOT NULL, -- unix ms, UTC
	raw           BLOB    NOT NULL
);
`,
			copy: `INSERT INTO events5 (seq, id, blob, workload, operation, user_id, client_ip, result, result_status, object_id,
		record_type, creation_time, raw)
	SELECT seq, id, blob, workload, operation, user_id, client_ip, result, result_status, object_id,
		record_type, creation_time, raw
	FROM events AS e WHERE e.seq > ? AND e.seq <= ? ORDER BY e.seq`,
			after: `
DELETE FROM sqlite_sequence WHERE name = 'events5';
UPDATE sqlite_sequence SET name = 'events5' WHERE name = 'events';
DROP TABLE events;
ALTER TABLE events5 RENAME TO events;
CREATE UNIQUE INDEX events_time ON events (creation_time DESC, id DESC);
CREATE INDEX events_workload  ON events (workload, creation_time);
CREATE INDEX events_operation ON events (operation, creation_time);
CREATE INDEX events_user      ON events (user_id, creation_time);
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
	DELETE FROM events_fts WHERE rowid = old.seq;
END;
`},
		// 6: raw records several to a zstd frame (issue 12, chunks.go): a
		// new row's raw holds a reference into a chunk of its blob's
		// records. The events table is not touched (rewriting it would
		// hold up the first start of a million-record store for ~40 s):
		// rows written before keep their own frame and are read as before.
		// AUTOINCREMENT: a ref is never used twice, so a reader's cached
		// chunk can never be mistaken for a later one. Purge drops a chunk
		// once its newest record (max_time) is gone.
		{before: `
CREATE TABLE chunks (
	ref      INTEGER PRIMARY KEY AUTOINCREMENT,
	max_time INTEGER NOT NULL, -- newest creation time (unix ms) of its records
	data     BLOB    NOT NULL  -- one zstd frame: the records, concatenated
);
CREATE INDEX chunks_time ON chunks (max_time);
`},
		// 7: no index on the user (issue 12). events_user cost about half
		// of the writer's CPU per record (55 % of a drain's WAL frames);
		// Filter.User is answered from the word index instead
		// (usersearch.go), and UserDomains from user_domains, which the
		// writer keeps (userdomains.go) and this step fills from the
		// stored records (one scan of the events).
		{before: `
CREATE TABLE user_domains (
	domain TEXT PRIMARY KEY -- lower-cased, from a UPN of a stored Exchange or Entra record (not a failed sign-in)
) WITHOUT ROWID;
INSERT OR IGNORE INTO user_domains (domain)
	SELECT DISTINCT lower(substr(user_id, instr(user_id, '@') + 1)) AS d FROM events
	WHERE user_id LIKE '%_@_%' AND operation <> 'UserLoginFailed' AND workload IN ('Exchange', 'AzureActiveDirectory')
		AND d <> '';
DROP INDEX events_user;
`},
	}
}

// migrate brings the schema to the newest version, one transaction per step.
// Upgrading an existing store (not creating a new one) is logged with how
// long each step took, and the steps that copy the events table (4, 5), tens
// of seconds on a store of a million records, report their progress to
// report (nil = none); creating a new store reports nothing.
func migrate(ctx context.Context, db *sql.DB, log *slog.Logger, report func(Progress)) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return wrap("creating schema_version", err)
	}
	var version int
	err := db.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version)
	switch {
	case err == sql.ErrNoRows:
		if _, err := db.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (0)`); err != nil {
			return wrap("initialising schema_version", err)
		}
	case err != nil:
		return wrap("reading schema version", err)
	}
	steps := migrations()
	if version > len(steps) {
		return fmt.Errorf("database schema version %d is newer than this program (%d): upgrade AuditLight", version, len(steps))
	}
	if report == nil || version == 0 {
		// A new store's steps copy no rows: there is nothing to upgrade
		// and nothing to say.
		report = func(Progress) {}
	}
	for i := version; i < len(steps); i++ {
		start := time.Now()
		if err := applyMigration(ctx, db, i+1, steps[i], report); err != nil {
			return err
		}
		if version > 0 {
			log.Info("store schema upgraded", "from", i, "to", i+1, "took", time.Since(start).Round(time.Millisecond))
		}
	}
	return nil
}

// copyBatch is how many ingest sequence numbers one batch of a migration's
// copy covers: ~20 progress reports for a store of a million records.
const copyBatch = 50_000

func applyMigration(ctx context.Context, db *sql.DB, version int, m migration, report func(Progress)) error {
	what := fmt.Sprintf("migrating to schema %d", version)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return wrap(what, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if _, err := tx.ExecContext(ctx, m.before); err != nil {
		return wrap(what, err)
	}
	if m.copy != "" {
		if err := copyEvents(ctx, tx, m.copy, copyBatch, func(p Progress) { p.Schema = version; report(p) }); err != nil {
			return wrap(what, err)
		}
	}
	if m.after != "" {
		if _, err := tx.ExecContext(ctx, m.after); err != nil {
			return wrap(what, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, version); err != nil {
		return wrap(fmt.Sprintf("recording schema %d", version), err)
	}
	return wrap(fmt.Sprintf("committing schema %d", version), tx.Commit())
}

// copyEvents runs a migration's copy of the events table, stmt (an INSERT
// … SELECT taking a seq range), in batches of batch sequence numbers in seq
// order. It reports the rows copied of the rows there are after each batch,
// then that the step is finishing (its indexes are built after the copy).
func copyEvents(ctx context.Context, tx *sql.Tx, stmt string, batch int64, report func(Progress)) error {
	var lo, hi sql.NullInt64
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT min(seq), max(seq), count(*) FROM events`).Scan(&lo, &hi, &total); err != nil {
		return fmt.Errorf("counting records to copy: %w", err)
	}
	report(Progress{Total: total})
	var done int64
	for from := lo.Int64 - 1; lo.Valid && from < hi.Int64; from += batch {
		res, err := tx.ExecContext(ctx, stmt, from, min(from+batch, hi.Int64))
		if err != nil {
			return fmt.Errorf("copying records after seq %d: %w", from, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("copying records after seq %d: %w", from, err)
		}
		done += n
		report(Progress{Done: done, Total: total})
	}
	report(Progress{Done: done, Total: total, Finishing: true})
	return nil
}
