package store

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// BenchmarkReadsOfADrainedStore reads the raw records of a store a real
// drain wrote (AUDITLIGHT_BENCH_STORE: e.g. `KEEP_DB=/tmp/new.db
// scripts/drain.sh`'s events.db, opened read-only): event detail, feed
// pages, a rare user's search (its records lie in a different chunk
// each) and a whole export; the two pages also as the GUI reads them,
// columns only (Filter.WithoutRaw). Run it on a store of main's schema 5 (a frame
// per record) and one of schema 6 (chunks), same simulator data, to
// compare the two representations. Skipped without the variable.
func BenchmarkReadsOfADrainedStore(b *testing.B) {
	path := os.Getenv("AUDITLIGHT_BENCH_STORE")
	if path == "" {
		b.Skip("AUDITLIGHT_BENCH_STORE names no store")
	}
	ctx := context.Background()
	s, err := OpenReadOnly(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	type key struct {
		id string
		at time.Time
	}
	var keys []key
	var user string
	rows, err := s.r.QueryContext(ctx, `SELECT id, creation_time, user_id FROM events ORDER BY seq`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var k key
		var ct int64
		if err := rows.Scan(&k.id, &ct, &user); err != nil {
			b.Fatal(err)
		}
		k.at = fromMS(ct)
		keys = append(keys, k)
	}
	rows.Close()
	// The user with the fewest records (a rare search term), not a service account.
	if err := s.r.QueryRowContext(ctx, `SELECT user_id FROM events WHERE user_id LIKE '%@%'
		GROUP BY user_id ORDER BY count(*) LIMIT 1`).Scan(&user); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	sample := make([]key, 200)
	for i := range sample {
		sample[i] = keys[rng.IntN(len(keys))]
	}
	cases := []struct {
		name string
		run  func() (int, error)
	}{
		{"detail-200-random", func() (int, error) { // 200 event details, cache cold
			for _, k := range sample {
				if _, err := s.Get(ctx, k.id, k.at); err != nil {
					return 0, err
				}
			}
			return len(sample), nil
		}},
		{"feed-newest-200", func() (int, error) {
			evs, err := s.Query(ctx, Filter{Limit: 200})
			return len(evs), err
		}},
		{"rare-user-search-200", func() (int, error) {
			evs, err := s.Query(ctx, Filter{Text: user, Limit: 200})
			return len(evs), err
		}},
		{"feed-newest-200-columns", func() (int, error) { // the GUI's feed page (Filter.WithoutRaw)
			evs, err := s.Query(ctx, Filter{Limit: 200, WithoutRaw: true})
			return len(evs), err
		}},
		{"rare-user-search-200-columns", func() (int, error) { // the GUI's search page
			evs, err := s.Query(ctx, Filter{Text: user, Limit: 200, WithoutRaw: true})
			return len(evs), err
		}},
		{"export-all", func() (int, error) {
			n := 0
			err := s.ForEach(ctx, Filter{}, func(Event) error { n++; return nil })
			return n, err
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				s.chunks.clear() // every round reads cold, like a first look
				var err error
				if n, err = c.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			b.ReportMetric(float64(n), "records")
		})
	}
}
