package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/auditlight/auditlight/collector/finding"
)

// openFindingsNear lists the open findings a match belongs to: those of its
// rule and key whose time span comes within m.Window of the match's, and
// those of its rule and key that already hold some of its evidence. They
// come oldest first (first seen, then id). More than one means the match
// bridges them: they become one finding (mergeFindings), so the findings
// of a set of matches do not depend on the order the matches come in.
func openFindingsNear(ctx context.Context, tx cachedTx, m finding.Match, holders []int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, first_seen FROM findings
		WHERE rule_id = ? AND key = ? AND status IN (?, ?) AND last_seen >= ? AND first_seen <= ?`,
		m.RuleID, m.Key, string(finding.StatusNew), string(finding.StatusAcknowledged),
		ms(m.FirstSeen.Add(-m.Window)), ms(m.LastSeen.Add(m.Window)))
	if err != nil {
		return nil, fmt.Errorf("looking for findings to merge into: %w", err)
	}
	type near struct{ id, first int64 }
	var found []near
	for rows.Next() {
		var n near
		if err := rows.Scan(&n.id, &n.first); err != nil {
			rows.Close()
			return nil, fmt.Errorf("looking for findings to merge into: %w", err)
		}
		found = append(found, n)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("looking for findings to merge into: %w", err)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("looking for findings to merge into: %w", err)
	}
	for _, h := range holders {
		if slices.ContainsFunc(found, func(n near) bool { return n.id == h }) {
			continue
		}
		var first int64
		err := tx.QueryRowContext(ctx, `SELECT first_seen FROM findings WHERE id = ? AND rule_id = ? AND key = ?
			AND status IN (?, ?)`, h, m.RuleID, m.Key, string(finding.StatusNew),
			string(finding.StatusAcknowledged)).Scan(&first)
		if err == nil {
			found = append(found, near{h, first})
		} else if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("reading a finding that holds the evidence: %w", err)
		}
	}
	slices.SortFunc(found, func(a, b near) int {
		if a.first != b.first {
			return compareInt(a.first, b.first)
		}
		return compareInt(a.id, b.id)
	})
	ids := make([]int64, len(found))
	for i, n := range found {
		ids[i] = n.id
	}
	return ids, nil
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mergeFindings makes the open findings ids (oldest first) one: the oldest
// keeps its id, status and note (or takes a note it lacks), and gains the
// others' evidence, time span and highest severity; the texts are those of
// the finding seen last; the others are deleted. It returns the id kept.
func mergeFindings(ctx context.Context, tx cachedTx, ids []int64, now int64) (int64, error) {
	keep := ids[0]
	for _, other := range ids[1:] {
		into, err := findingByID(ctx, tx, keep)
		if err != nil {
			return 0, err
		}
		f, err := findingByID(ctx, tx, other)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE finding_evidence SET finding_id = ? WHERE finding_id = ?`,
			keep, other); err != nil {
			return 0, fmt.Errorf("moving evidence of finding %d into %d: %w", other, keep, err)
		}
		latest := into
		if f.LastSeen.After(into.LastSeen) {
			latest = f
		}
		steps, _ := json.Marshal(nonNil(latest.Steps))
		values, _ := json.Marshal(normalizedValues(into.AllowValues, f.AllowValues))
		note := into.Note
		if note == "" {
			note = f.Note
		}
		if _, err := tx.ExecContext(ctx, `UPDATE findings SET first_seen = min(first_seen, ?),
			last_seen = max(last_seen, ?), updated_at = ?, evidence_count = evidence_count + ?,
			count = evidence_count + ?, severity = max(severity, ?), what = ?, why = ?, steps = ?,
			allow_values = ?, backfill = min(backfill, ?), note = ? WHERE id = ?`,
			ms(f.FirstSeen), ms(f.LastSeen), now, f.EvidenceCount, f.EvidenceCount, int(f.Severity),
			latest.What, latest.Why, string(steps), string(values), f.Backfill, note, keep); err != nil {
			return 0, fmt.Errorf("merging finding %d into %d: %w", other, keep, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM findings WHERE id = ?`, other); err != nil {
			return 0, fmt.Errorf("deleting finding %d merged into %d: %w", other, keep, err)
		}
	}
	return keep, nil
}
