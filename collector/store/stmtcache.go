package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmtCache keeps the group commit's statements prepared on the writer
// connection. modernc's SQLite parses every statement passed as text, and
// with the simulator's small blobs (~5 records) parsing the per-blob
// statements cost more than a tenth of the drain's CPU (issue 12's profile).
//
// The writer pool has one connection, which a transaction holds, so a
// statement cannot be prepared on the pool while a transaction runs: a
// statement met inside a transaction runs unprepared that once, is noted,
// and is prepared by prepareNoted before the next BEGIN. Any statement the
// commit runs through exec or queryRow is therefore parsed at most twice
// per store, whatever its text.
type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	noted map[string]struct{}
	// misses counts statements run unprepared (parsed for that one run).
	misses int
	// closed is set by close: no statement is cached after it.
	closed bool
}

// maxCachedStmts bounds the cache (the commit runs a few dozen distinct
// statements: the per-blob ones and a multi-row insert per tail length).
const maxCachedStmts = 256

// prepareNoted prepares, on db, the statements met in earlier transactions.
// Call it before BEGIN. A statement that fails to prepare stays unprepared
// (the transaction that runs it reports the error).
//
// The cache's lock is not held while a statement is prepared: preparing
// waits for the writer's one connection, and the transaction holding it
// (the group commit, or a finding's upsert on another goroutine) looks its
// statements up in this cache.
func (c *stmtCache) prepareNoted(ctx context.Context, db *sql.DB) {
	c.mu.Lock()
	queries := make([]string, 0, len(c.noted))
	for q := range c.noted {
		delete(c.noted, q)
		if len(c.stmts)+len(queries) < maxCachedStmts {
			queries = append(queries, q)
		}
	}
	c.mu.Unlock()
	for _, q := range queries {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, ok := c.stmts[q]; ok || c.closed {
			st.Close() //nolint:errcheck // a duplicate of one kept, or the cache is closed
		} else {
			if c.stmts == nil {
				c.stmts = map[string]*sql.Stmt{}
			}
			c.stmts[q] = st
		}
		c.mu.Unlock()
	}
}

// note counts a run of query unprepared and ensures it is prepared by the
// next prepareNoted.
func (c *stmtCache) note(query string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.misses++
	if _, ok := c.stmts[query]; ok {
		return
	}
	if c.noted == nil {
		c.noted = map[string]struct{}{}
	}
	c.noted[query] = struct{}{}
}

// lookup returns the prepared statement of query, or nil (then noting it).
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.Lock()
	st := c.stmts[query]
	c.mu.Unlock()
	if st == nil {
		c.note(query)
	}
	return st
}

// exec runs query in tx, prepared when it was met before.
func (c *stmtCache) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := c.lookup(query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// queryRow runs a one-row query in tx, prepared when it was met before.
func (c *stmtCache) queryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := c.lookup(query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// query runs a query in tx, prepared when it was met before.
func (c *stmtCache) query(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	if st := c.lookup(query); st != nil {
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, query, args...)
}

// cachedTx runs a transaction's statements through the cache: what a
// finding's upsert runs is parsed at most twice per store, like the group
// commit's statements.
type cachedTx struct {
	tx    *sql.Tx
	cache *stmtCache
}

// ExecContext runs query in the transaction, prepared when it was met before.
func (t cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.cache.exec(ctx, t.tx, query, args...)
}

// QueryContext runs query in the transaction, prepared when it was met before.
func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.cache.query(ctx, t.tx, query, args...)
}

// QueryRowContext runs a one-row query in the transaction, prepared when it
// was met before.
func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.cache.queryRow(ctx, t.tx, query, args...)
}

// close closes every prepared statement.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var first error
	for q, st := range c.stmts {
		if err := st.Close(); err != nil && first == nil {
			first = fmt.Errorf("closing a prepared statement: %w", err)
		}
		delete(c.stmts, q)
	}
	return first
}
