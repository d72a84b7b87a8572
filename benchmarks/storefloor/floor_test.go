// Package storefloor measures the least a store of one SQLite row per audit
// record can cost per record in this project's SQLite (modernc, pure Go),
// with the store's own settings (WAL, synchronous NORMAL, 8 MiB cache),
// 256 records per transaction: the floor under collector/store's writer,
// which also keeps the word index, the workload index and the chunks.
//
//	go test -run '^$' -bench . -benchtime 300000x -count 3 ./benchmarks/storefloor/
//
// BENCHMARKS.md ("What 1.3× would take") sets these beside the budget the
// drain target leaves per record.
package storefloor

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// Row shapes: the dedupe key with an 8-byte chunk reference (what any
// exactly-once store of rows must write), and that plus the columns the
// feed and detections read.
const (
	keyOnly = `CREATE TABLE ev (seq INTEGER PRIMARY KEY, creation_time INTEGER NOT NULL, id TEXT NOT NULL,
		raw BLOB NOT NULL)`
	withColumns = `CREATE TABLE ev (seq INTEGER PRIMARY KEY, creation_time INTEGER NOT NULL, id TEXT NOT NULL,
		raw BLOB NOT NULL, content_type TEXT, workload TEXT, operation TEXT, user_id TEXT, client_ip TEXT,
		result TEXT, result_status TEXT, object_id TEXT, record_type INTEGER, ingested_at INTEGER)`
	dedupeIndex = `CREATE UNIQUE INDEX ev_time ON ev (creation_time DESC, id DESC)`
)

// BenchmarkRowFloor inserts rows the way the store does (prepared statements
// in a transaction of 256 records), one or 32 rows per statement.
func BenchmarkRowFloor(b *testing.B) {
	cases := []struct {
		name    string
		schema  []string
		columns bool
		perStmt int
	}{
		{"key/no-index/32-per-insert", []string{keyOnly}, false, 32},
		{"key+dedupe-index/1-per-insert", []string{keyOnly, dedupeIndex}, false, 1},
		{"key+dedupe-index/32-per-insert", []string{keyOnly, dedupeIndex}, false, 32},
		{"columns+dedupe-index/1-per-insert", []string{withColumns, dedupeIndex}, true, 1},
		{"columns+dedupe-index/32-per-insert", []string{withColumns, dedupeIndex}, true, 32},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { insertRows(b, c.schema, c.columns, c.perStmt) })
	}
}

func insertRows(b *testing.B, schema []string, columns bool, perStmt int) {
	const perTx = 256
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "floor.db")+
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-8192)&_pragma=wal_autocheckpoint(32768)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, s := range schema {
		if _, err := db.ExecContext(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	cols := 4
	if columns {
		cols = 14
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	insert := "INSERT INTO ev VALUES " + strings.TrimSuffix(strings.Repeat(row+",", perStmt), ",")

	// Record Ids are GUIDs in no order; times advance as in a backfill.
	ids := make([]string, b.N+perTx)
	for k := range ids {
		ids[k] = fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(k*2654435761), k%0xffff, k%0xfff, (k*7)%0xfff, k*40503)
	}
	users := make([]string, 200)
	for k := range users {
		users[k] = fmt.Sprintf("user%d@contoso.onmicrosoft.com", k)
	}
	ref := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	args := make([]any, 0, cols*perStmt)

	b.ResetTimer()
	n := 0
	for n < b.N {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < perTx; i += perStmt {
			args = args[:0]
			for j := 0; j < perStmt; j++ {
				k := n + i + j
				args = append(args, nil, start+int64(k)*37, ids[k], ref)
				if columns {
					args = append(args, "Audit.Exchange", "Exchange", "MailItemsAccessed", users[k%len(users)],
						"203.0.113.7", "Succeeded", "", "", 2, start)
				}
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				b.Fatal(err)
			}
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		n += perTx
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n)/1000, "µs/record")
}
