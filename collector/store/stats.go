package store

import (
	"context"
	"time"
)

// HourlyCounts returns the number of events per UTC hour and workload with
// since <= CreationTime < until, in hour then workload order. Hours without
// events are absent. Whole hours come from the hourly rollup; partial hours
// at either end are counted exactly from the events.
func (s *Store) HourlyCounts(ctx context.Context, since, until time.Time) ([]HourCount, error) {
	from, to := since.UnixMilli(), until.UnixMilli()
	// [fullFrom, fullTo) is the range of whole hours inside [from, to).
	fullFrom := ceilHour(from)
	fullTo := floorHour(to)
	if fullTo < fullFrom {
		fullFrom, fullTo = to, to // no whole hour inside: count everything exactly
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT hour, workload, sum(n) FROM (
			SELECT hour, workload, count AS n FROM hourly WHERE hour >= ?1 AND hour < ?2
			UNION ALL
			SELECT (creation_time / 3600000) * 3600000, workload, 1 FROM events
				WHERE (creation_time >= ?3 AND creation_time < ?1) OR (creation_time >= ?2 AND creation_time < ?4)
		) GROUP BY hour, workload HAVING sum(n) > 0 ORDER BY hour, workload`, fullFrom, fullTo, from, to)
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

const hourMS = int64(time.Hour / time.Millisecond)

// floorHour rounds unix ms down to the hour (correct for negative values too).
func floorHour(v int64) int64 {
	h := v / hourMS * hourMS
	if h > v {
		h -= hourMS
	}
	return h
}

// ceilHour rounds unix ms up to the hour.
func ceilHour(v int64) int64 {
	h := floorHour(v)
	if h < v {
		h += hourMS
	}
	return h
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
	// Records in [now-24h, now]: whole hours from the rollup, the partial
	// hours at both ends exactly from the events.
	from, to := now.Add(-24*time.Hour).UnixMilli(), now.UnixMilli()+1
	fullFrom, fullTo := ceilHour(from), floorHour(to)
	recent, err := s.r.QueryContext(ctx, `
		SELECT content_type, sum(n) FROM (
			SELECT content_type, count AS n FROM hourly WHERE hour >= ?1 AND hour < ?2
			UNION ALL
			SELECT b.content_type, 1 FROM events AS e JOIN blobs AS b ON b.ref = e.blob
				WHERE (e.creation_time >= ?3 AND e.creation_time < ?1) OR (e.creation_time >= ?2 AND e.creation_time < ?4)
		) GROUP BY content_type`, fullFrom, fullTo, from, to)
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
