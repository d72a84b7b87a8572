package store

import (
	"context"
	"time"
)

// HourlyCounts returns the number of events per UTC hour and workload with
// since <= CreationTime < until, in hour then workload order. Hours without
// events are absent.
func (s *Store) HourlyCounts(ctx context.Context, since, until time.Time) ([]HourCount, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT (creation_time / 3600000) * 3600000 AS hour, workload, count(*)
		FROM events WHERE creation_time >= ? AND creation_time < ?
		GROUP BY hour, workload ORDER BY hour, workload`, since.UnixMilli(), until.UnixMilli())
	if err != nil {
		return nil, wrap("counting events per hour", err)
	}
	defer rows.Close()
	var out []HourCount
	for rows.Next() {
		var h HourCount
		var hour int64
		if err := rows.Scan(&hour, &h.Workload, &h.Count); err != nil {
			return nil, wrap("counting events per hour", err)
		}
		h.Hour = time.UnixMilli(hour).UTC()
		out = append(out, h)
	}
	return out, wrap("counting events per hour", rows.Err())
}

// WorkloadStats summarises each content type that has ever committed a blob:
// newest record and blob, records in the 24 hours before now, total stored.
func (s *Store) WorkloadStats(ctx context.Context, now time.Time) (map[string]WorkloadStat, error) {
	out := map[string]WorkloadStat{}
	rows, err := s.r.QueryContext(ctx, `SELECT content_type, total, last_record, last_content FROM type_stats`)
	if err != nil {
		return nil, wrap("reading workload stats", err)
	}
	defer rows.Close()
	for rows.Next() {
		var w WorkloadStat
		var lastRecord, lastContent int64
		if err := rows.Scan(&w.ContentType, &w.Total, &lastRecord, &lastContent); err != nil {
			return nil, wrap("reading workload stats", err)
		}
		w.LastRecord, w.LastContent = fromMS(lastRecord), fromMS(lastContent)
		out[w.ContentType] = w
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("reading workload stats", err)
	}
	recent, err := s.r.QueryContext(ctx, `SELECT content_type, count(*) FROM events
		WHERE creation_time >= ? AND creation_time <= ? GROUP BY content_type`,
		now.Add(-24*time.Hour).UnixMilli(), now.UnixMilli())
	if err != nil {
		return nil, wrap("counting recent records", err)
	}
	defer recent.Close()
	for recent.Next() {
		var ct string
		var n int64
		if err := recent.Scan(&ct, &n); err != nil {
			return nil, wrap("counting recent records", err)
		}
		w := out[ct]
		w.ContentType = ct
		w.Records24h = n
		out[ct] = w
	}
	return out, wrap("counting recent records", recent.Err())
}

// Total returns the number of stored events.
func (s *Store) Total(ctx context.Context) (int64, error) {
	var n int64
	if err := s.r.QueryRowContext(ctx, `SELECT coalesce(sum(total), 0) FROM type_stats`).Scan(&n); err != nil {
		return 0, wrap("counting events", err)
	}
	return n, nil
}
