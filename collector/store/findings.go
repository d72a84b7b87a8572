package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/auditlight/auditlight/collector/finding"
)

// Outcome says what UpsertFinding did with a match.
type Outcome int

// Outcomes of UpsertFinding.
const (
	// Created: the match became a new finding.
	Created Outcome = iota + 1
	// Merged: the match repeated an open finding of the same rule and key
	// within the rule's window; its count, time span and evidence grew.
	Merged
	// Unchanged: every evidence record was already used by this rule (a
	// replayed record, or the same correlation seen again): nothing changed.
	Unchanged
	// Suppressed: every value of the match is on the allow-list.
	Suppressed
)

// String names the outcome for logs.
func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case Merged:
		return "merged"
	case Unchanged:
		return "unchanged"
	case Suppressed:
		return "suppressed"
	}
	return fmt.Sprintf("outcome(%d)", int(o))
}

// findingColumns are the columns scanFinding reads, in order.
const findingColumns = `id, rule_id, rule_title, key, severity, status, first_seen, last_seen, detected_at,
	updated_at, count, evidence_count, what, why, steps, allow_kind, allow_values, backfill, note`

// UpsertFinding stores a rule match in one transaction: suppressed when all
// its AllowValues are allow-listed for the rule, unchanged when the rule has
// already used every evidence record (so a replayed record never fires
// twice), merged into an open finding of the same rule and key whose time
// span is within m.Window, otherwise created. The finding as stored is
// returned (zero for Suppressed).
func (s *Store) UpsertFinding(ctx context.Context, m finding.Match) (finding.Finding, Outcome, error) {
	got, err := s.UpsertFindings(ctx, []finding.Match{m})
	if err != nil {
		return finding.Finding{}, 0, err
	}
	return got[0].Finding, got[0].Outcome, nil
}

// Upserted is what UpsertFindings did with one match: the finding as
// stored (zero for Suppressed) and the outcome.
type Upserted struct {
	Finding finding.Finding
	Outcome Outcome
}

// UpsertFindings stores matches in order, each as UpsertFinding would, in
// one transaction: all of them or, on any error, none. A later match sees
// what an earlier one stored (its evidence, its finding to merge into).
// The detection engine stores a blob's matches this way: each transaction
// waits for the store's one writer connection, which the group commit
// holds (issue 12, round 8: 276 waits of 40 ms in a 200-user drain, one per
// match, inside the engine's lock).
func (s *Store) UpsertFindings(ctx context.Context, matches []finding.Match) (got []Upserted, err error) {
	for _, m := range matches {
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("storing finding: %w", err)
		}
	}
	if len(matches) == 0 {
		return nil, nil
	}
	op := "storing finding of rule " + matches[0].RuleID
	if len(matches) > 1 {
		op = fmt.Sprintf("storing %d findings (rule %s, …)", len(matches), matches[0].RuleID)
	}
	// Its statements run prepared (a backlog's drain upserts thousands of
	// findings; parsing their SQL each time was 0.45 s of a 200-user drain's
	// 26 s of CPU, issue 12 round 8). Prepared before BEGIN: the writer pool
	// has one connection, which the transaction then holds.
	s.stmts.prepareNoted(ctx, s.w)
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer func() {
		if err != nil {
			sqlTx.Rollback() //nolint:errcheck // the original error matters
		}
	}()
	tx := cachedTx{tx: sqlTx, cache: &s.stmts}
	got = make([]Upserted, len(matches))
	for i, m := range matches {
		f, out, err := s.upsertFinding(ctx, tx, m)
		if err != nil {
			return nil, wrap("storing finding of rule "+m.RuleID, err)
		}
		got[i] = Upserted{Finding: f, Outcome: out}
	}
	if err := sqlTx.Commit(); err != nil {
		return nil, wrap(op, err)
	}
	return got, nil
}

// upsertFinding is one match of UpsertFindings, in its transaction.
func (s *Store) upsertFinding(ctx context.Context, tx cachedTx, m finding.Match) (f finding.Finding, out Outcome, err error) {
	allowed, err := allAllowed(ctx, tx, m.RuleID, m.AllowValues)
	if err != nil {
		return finding.Finding{}, 0, err
	}
	if allowed {
		return finding.Finding{}, Suppressed, nil
	}
	fresh, holders, err := newEvidence(ctx, tx, m.RuleID, m.Evidence)
	if err != nil {
		return finding.Finding{}, 0, err
	}
	open, err := openFindingsNear(ctx, tx, m, holders)
	if err != nil {
		return finding.Finding{}, 0, err
	}
	if len(fresh) == 0 && len(open) <= 1 {
		holder := holders[0]
		if len(open) == 1 {
			holder = open[0]
		}
		f, err := findingByID(ctx, tx, holder)
		if err != nil {
			return finding.Finding{}, 0, err
		}
		return f, Unchanged, nil
	}
	now := ms(s.now())
	steps, _ := json.Marshal(nonNil(m.Steps))
	var id int64
	if len(open) == 0 {
		out = Created
		values, _ := json.Marshal(normalizedValues(nil, m.AllowValues))
		err = tx.QueryRowContext(ctx, `INSERT INTO findings (rule_id, rule_title, key, severity, status,
			first_seen, last_seen, detected_at, updated_at, count, evidence_count, what, why, steps,
			allow_kind, allow_values, backfill) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			m.RuleID, m.RuleTitle, m.Key, int(m.Severity), string(finding.StatusNew), ms(m.FirstSeen),
			ms(m.LastSeen), now, now, len(fresh), len(fresh), m.What, m.Why, string(steps), m.AllowKind,
			string(values), m.Backfill).Scan(&id)
		if err != nil {
			return finding.Finding{}, 0, err
		}
	} else {
		out = Merged
		if id, err = mergeFindings(ctx, tx, open, now); err != nil {
			return finding.Finding{}, 0, err
		}
		prev, err := findingByID(ctx, tx, id)
		if err != nil {
			return finding.Finding{}, 0, err
		}
		// The texts describe the latest match (a later one replaces them;
		// one that ends earlier, arriving late, does not).
		what, why, stepsDoc := prev.What, prev.Why, ""
		if !m.LastSeen.Before(prev.LastSeen) {
			what, why, stepsDoc = m.What, m.Why, string(steps)
		}
		values, _ := json.Marshal(normalizedValues(prev.AllowValues, m.AllowValues))
		if _, err := tx.ExecContext(ctx, `UPDATE findings SET first_seen = min(first_seen, ?),
			last_seen = max(last_seen, ?), updated_at = ?, count = evidence_count + ?,
			evidence_count = evidence_count + ?, severity = max(severity, ?), what = ?, why = ?,
			steps = coalesce(nullif(?, ''), steps), allow_values = ? WHERE id = ?`,
			ms(m.FirstSeen), ms(m.LastSeen), now, len(fresh), len(fresh), int(m.Severity), what, why,
			stepsDoc, string(values), id); err != nil {
			return finding.Finding{}, 0, err
		}
	}
	if err := addEvidence(ctx, tx, id, m.RuleID, fresh); err != nil {
		return finding.Finding{}, 0, err
	}
	if f, err = findingByID(ctx, tx, id); err != nil {
		return finding.Finding{}, 0, err
	}
	return f, out, nil
}

// allAllowed reports whether values is non-empty and every value is on the
// allow-list of rule (or of every rule).
func allAllowed(ctx context.Context, tx cachedTx, rule string, values []string) (bool, error) {
	if len(values) == 0 {
		return false, nil
	}
	for _, v := range values {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM allow_list WHERE value = ? AND rule_id IN (?, '')`,
			finding.NormalizeValue(v), rule).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("checking allow-list: %w", err)
		}
	}
	return true, nil
}

// newEvidence returns the record ids that rule has not used yet, and the
// findings that hold the used ones (ascending, no repeats).
func newEvidence(ctx context.Context, tx cachedTx, rule string, ids []string) (fresh []string, holders []int64, err error) {
	used := map[string]bool{}
	const chunk = 400
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, 0, len(part)+1)
		args = append(args, rule)
		for _, id := range part {
			args = append(args, id)
		}
		rows, err := tx.QueryContext(ctx, `SELECT record_id, finding_id FROM finding_evidence
			WHERE rule_id = ? AND record_id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("checking evidence: %w", err)
		}
		for rows.Next() {
			var rid string
			var holder int64
			if err := rows.Scan(&rid, &holder); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("checking evidence: %w", err)
			}
			used[rid] = true
			if i, found := slices.BinarySearch(holders, holder); !found {
				holders = slices.Insert(holders, i, holder)
			}
		}
		if err := errors.Join(rows.Close(), rows.Err()); err != nil {
			return nil, nil, fmt.Errorf("checking evidence: %w", err)
		}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !used[id] && !seen[id] {
			seen[id] = true
			fresh = append(fresh, id)
		}
	}
	return fresh, holders, nil
}

func addEvidence(ctx context.Context, tx cachedTx, findingID int64, rule string, ids []string) error {
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO finding_evidence (finding_id, rule_id, record_id)
		VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, findingID, rule, id); err != nil {
			return fmt.Errorf("adding evidence: %w", err)
		}
	}
	return nil
}

// normalizedValues merges allow values (normalised, unique, sorted: the
// same values give the same list whichever match came first).
func normalizedValues(a, b []string) []string {
	out := make([]string, 0, len(a)+len(b))
	for _, v := range slices.Concat(a, b) {
		if v = finding.NormalizeValue(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

func nonNil(steps []finding.Step) []finding.Step {
	if steps == nil {
		return []finding.Step{}
	}
	return steps
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func findingByID(ctx context.Context, q queryer, id int64) (finding.Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+findingColumns+` FROM findings WHERE id = ?`, id)
	if err != nil {
		return finding.Finding{}, fmt.Errorf("reading finding %d: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return finding.Finding{}, fmt.Errorf("reading finding %d: %w", id, err)
		}
		return finding.Finding{}, fmt.Errorf("finding %d: %w", id, ErrNotFound)
	}
	f, err := scanFinding(rows)
	if err != nil {
		return finding.Finding{}, fmt.Errorf("reading finding %d: %w", id, err)
	}
	return f, nil
}

func scanFinding(rows *sql.Rows) (finding.Finding, error) {
	var f finding.Finding
	var sev int
	var status, steps, values string
	var first, last, detected, updated int64
	if err := rows.Scan(&f.ID, &f.RuleID, &f.RuleTitle, &f.Key, &sev, &status, &first, &last, &detected,
		&updated, &f.Count, &f.EvidenceCount, &f.What, &f.Why, &steps, &f.AllowKind, &values, &f.Backfill,
		&f.Note); err != nil {
		return f, err
	}
	f.Severity, f.Status = finding.Severity(sev), finding.Status(status)
	f.FirstSeen, f.LastSeen, f.DetectedAt, f.UpdatedAt = fromMS(first), fromMS(last), fromMS(detected), fromMS(updated)
	if err := json.Unmarshal([]byte(steps), &f.Steps); err != nil {
		return f, fmt.Errorf("decoding steps: %w", err)
	}
	if err := json.Unmarshal([]byte(values), &f.AllowValues); err != nil {
		return f, fmt.Errorf("decoding allow values: %w", err)
	}
	return f, nil
}

// Findings returns the findings matching f, most recent (LastSeen) first,
// without their evidence (see Finding).
func (s *Store) Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error) {
	var where []string
	var args []any
	if len(f.Statuses) > 0 {
		where = append(where, "status IN ("+placeholders(len(f.Statuses))+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if f.MinSeverity > finding.Informational {
		where = append(where, "severity >= ?")
		args = append(args, int(f.MinSeverity))
	}
	if !f.Since.IsZero() {
		where = append(where, "last_seen >= ?")
		args = append(args, ms(f.Since))
	}
	if f.RuleID != "" {
		where = append(where, "rule_id = ?")
		args = append(args, f.RuleID)
	}
	if f.Key != "" {
		where = append(where, "lower(key) = ?")
		args = append(args, strings.ToLower(f.Key))
	}
	q := `SELECT ` + findingColumns + ` FROM findings`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY last_seen DESC, id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrap("listing findings", err)
	}
	defer rows.Close()
	var out []finding.Finding
	for rows.Next() {
		fd, err := scanFinding(rows)
		if err != nil {
			return nil, wrap("listing findings", err)
		}
		out = append(out, fd)
	}
	return out, wrap("listing findings", rows.Err())
}

// evidenceSQL lists a finding's evidence record Ids (finding id, first seen,
// last seen, limit), oldest record first. Evidence records lie within the
// finding's first and last seen: one range of events_time (the dedupe key;
// no index holds the Id alone) gives their times, read once. A record
// purged since (or outside the span) sorts first, as time 0.
const evidenceSQL = `WITH ev(record_id) AS MATERIALIZED (SELECT record_id FROM finding_evidence WHERE finding_id = ?),
	t(id, ct) AS MATERIALIZED (SELECT e.id, e.creation_time FROM events AS e INDEXED BY events_time
		WHERE e.creation_time BETWEEN ? AND ? AND e.id IN (SELECT record_id FROM ev))
	SELECT ev.record_id FROM ev LEFT JOIN t ON t.id = ev.record_id
	ORDER BY coalesce(t.ct, 0), ev.record_id LIMIT ?`

// Finding returns one finding with its evidence record ids (oldest record
// first, at most finding.MaxEvidence). Unknown ids wrap ErrNotFound.
func (s *Store) Finding(ctx context.Context, id int64) (finding.Finding, error) {
	f, err := findingByID(ctx, s.r, id)
	if err != nil {
		return finding.Finding{}, wrap("reading finding", err)
	}
	rows, err := s.r.QueryContext(ctx, evidenceSQL, id, ms(f.FirstSeen), ms(f.LastSeen), finding.MaxEvidence)
	if err != nil {
		return finding.Finding{}, wrap("reading evidence", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid string
		if err := rows.Scan(&rid); err != nil {
			return finding.Finding{}, wrap("reading evidence", err)
		}
		f.Evidence = append(f.Evidence, rid)
	}
	return f, wrap("reading evidence", rows.Err())
}

// SetFindingStatus changes a finding's status. With allow (only for
// StatusFalsePositive) the allow-list gains allow.Value for allow.RuleID
// (the finding's rule when empty, "*" for every rule), so later matches whose
// values are all allowed raise no finding. The updated finding is returned.
func (s *Store) SetFindingStatus(ctx context.Context, id int64, st finding.Status, allow *finding.Entry) (f finding.Finding, err error) {
	if _, err := finding.ParseStatus(string(st)); err != nil {
		return finding.Finding{}, fmt.Errorf("setting finding %d: %w", id, err)
	}
	if allow != nil && st != finding.StatusFalsePositive {
		return finding.Finding{}, fmt.Errorf("setting finding %d: an allow-list entry only goes with false-positive", id)
	}
	if allow != nil && finding.NormalizeValue(allow.Value) == "" {
		return finding.Finding{}, fmt.Errorf("setting finding %d: the allow-list value is empty", id)
	}
	op := fmt.Sprintf("setting finding %d to %s", id, st)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return finding.Finding{}, wrap(op, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback() //nolint:errcheck // the original error matters
		}
	}()
	cur, err := findingByID(ctx, tx, id)
	if err != nil {
		return finding.Finding{}, wrap(op, err)
	}
	now := ms(s.now())
	note := cur.Note
	if allow != nil {
		rule := allow.RuleID
		switch rule {
		case "":
			rule = cur.RuleID
		case "*":
			rule = ""
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO allow_list (rule_id, value, note, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (rule_id, value) DO UPDATE SET note = excluded.note`,
			rule, finding.NormalizeValue(allow.Value), allow.Note, now); err != nil {
			return finding.Finding{}, wrap(op+": adding allow-list entry", err)
		}
		note = allow.Note
	}
	if _, err := tx.ExecContext(ctx, `UPDATE findings SET status = ?, updated_at = ?, note = ? WHERE id = ?`,
		string(st), now, note, id); err != nil {
		return finding.Finding{}, wrap(op, err)
	}
	if f, err = findingByID(ctx, tx, id); err != nil {
		return finding.Finding{}, wrap(op, err)
	}
	return f, wrap(op, tx.Commit())
}

// AllowList returns every allow-list entry (RuleID "" = every rule).
func (s *Store) AllowList(ctx context.Context) ([]finding.Entry, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT rule_id, value, note, created_at FROM allow_list ORDER BY created_at, rule_id, value`)
	if err != nil {
		return nil, wrap("reading allow-list", err)
	}
	defer rows.Close()
	var out []finding.Entry
	for rows.Next() {
		var e finding.Entry
		var created int64
		if err := rows.Scan(&e.RuleID, &e.Value, &e.Note, &created); err != nil {
			return nil, wrap("reading allow-list", err)
		}
		e.CreatedAt = fromMS(created)
		out = append(out, e)
	}
	return out, wrap("reading allow-list", rows.Err())
}

// RemoveAllow deletes an allow-list entry (matching RuleID and Value).
func (s *Store) RemoveAllow(ctx context.Context, e finding.Entry) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM allow_list WHERE rule_id = ? AND value = ?`,
		e.RuleID, finding.NormalizeValue(e.Value))
	return wrap("removing allow-list entry", err)
}

// FindingSummary counts new and open findings (dashboard badge, tray line,
// the CLI's exit code).
func (s *Store) FindingSummary(ctx context.Context) (finding.Summary, error) {
	var sum finding.Summary
	var highest, lastDetected sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE status = 'new'),
		count(*) FILTER (WHERE status = 'new' AND severity >= ?),
		count(*) FILTER (WHERE status IN ('new', 'acknowledged')),
		max(severity) FILTER (WHERE status = 'new'),
		max(detected_at) FILTER (WHERE status = 'new')
		FROM findings`, int(finding.High)).Scan(&sum.New, &sum.NewHigh, &sum.Open, &highest, &lastDetected)
	if err != nil {
		return finding.Summary{}, wrap("summarising findings", err)
	}
	sum.Highest = finding.Severity(highest.Int64)
	sum.LastDetected = fromMS(lastDetected.Int64)
	return sum, nil
}
