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
}

// maxCachedStmts bounds the cache (the commit runs a few dozen distinct
// statements: the per-blob ones and a multi-row insert per tail length).
const maxCachedStmts = 256

// prepareNoted prepares, on db, the statements met in earlier transactions.
// Call it before BEGIN. A statement that fails to prepare stays unprepared
// (the transaction that runs it reports the error).
func (c *stmtCache) prepareNoted(ctx context.Context, db *sql.DB) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.noted {
		delete(c.noted, q)
		if len(c.stmts) >= maxCachedStmts {
			continue
		}
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		if c.stmts == nil {
			c.stmts = map[string]*sql.Stmt{}
		}
		c.stmts[q] = st
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

// close closes every prepared statement.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for q, st := range c.stmts {
		if err := st.Close(); err != nil && first == nil {
			first = fmt.Errorf("closing a prepared statement: %w", err)
		}
		delete(c.stmts, q)
	}
	return first
}
