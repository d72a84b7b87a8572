package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
)

// ExitNewHigh is the exit code of `auditlight findings` when new findings of
// high (or critical) severity exist, for scripts and RMM tools.
const ExitNewHigh = 3

const findingsUsage = `findings [--json] [--status new|acknowledged|resolved|false-positive|open|all] [--since D] [--severity S] [--limit N]
       auditlight findings show ID [--json]
       auditlight findings ack|resolve ID
       auditlight findings false-positive ID [--allow VALUE] [--note TEXT]
       auditlight findings rules [--disable ID | --enable ID]

Exit code 3 when new findings of high or critical severity exist.`

// openProfileStore opens the profile's event store for a command.
func (e *env) openProfileStore(ctx context.Context) (*store.Store, error) {
	p, err := e.resolve()
	if err != nil {
		return nil, err
	}
	cfg, err := profile.LoadConfig(p)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, p.StorePath(), store.Options{Retention: cfg.Retention()})
	if err != nil {
		return nil, fmt.Errorf("opening the event store: %w", err)
	}
	return s, nil
}

func runFindings(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "show":
			return runFindingShow(ctx, e, args[1:])
		case "ack", "acknowledge", "resolve", "false-positive":
			return runFindingStatus(ctx, e, args[0], args[1:])
		case "rules":
			return runFindingRules(ctx, e, args[1:])
		}
		return fmt.Errorf("unknown findings action %q: use show, ack, resolve, false-positive or rules (or no action to list)", args[0])
	}
	fs := newFlags(e, "findings", findingsUsage)
	asJSON := fs.Bool("json", false, "print a JSON array (with evidence record ids)")
	status := fs.String("status", "new", "new, acknowledged, resolved, false-positive, open (new + acknowledged) or all")
	since := fs.String("since", "", "only findings seen at or after this time (RFC 3339, YYYY-MM-DD, or ago: 24h, 7d)")
	sev := fs.String("severity", "", "only findings at or above this severity (low, medium, high, critical)")
	limit := fs.Int("limit", 0, "at most this many findings (0 = all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see auditlight findings -h)", fs.Arg(0))
	}
	f := finding.Filter{Limit: *limit}
	switch st := strings.ToLower(*status); st {
	case "all":
	case "open":
		f.Statuses = []finding.Status{finding.StatusNew, finding.StatusAcknowledged}
	default:
		s, err := finding.ParseStatus(st)
		if err != nil {
			return fmt.Errorf("--status: %w", err)
		}
		f.Statuses = []finding.Status{s}
	}
	var err error
	if f.Since, err = parseSince(*since, time.Now()); err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	if *sev != "" {
		if f.MinSeverity, err = finding.ParseSeverity(*sev); err != nil {
			return fmt.Errorf("--severity: %w", err)
		}
	}
	s, err := e.openProfileStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Findings(ctx, f)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(e.stdout)
	if *asJSON {
		out := make([]findingJSON, 0, len(list))
		for _, fd := range list {
			full, err := s.Finding(ctx, fd.ID)
			if err != nil {
				return err
			}
			out = append(out, toFindingJSON(full))
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		printFindings(w, list)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return newHighExit(ctx, s)
}

// newHighExit returns the exit-code-3 error when new high findings exist.
func newHighExit(ctx context.Context, s *store.Store) error {
	sum, err := s.FindingSummary(ctx)
	if err != nil {
		return err
	}
	if sum.NewHigh > 0 {
		return &exitError{code: ExitNewHigh, err: fmt.Errorf("%d new finding(s) of high severity need attention", sum.NewHigh)}
	}
	return nil
}

// parseSince is parseWhen plus whole days ("7d").
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	return parseWhen(s, now)
}

func printFindings(w io.Writer, list []finding.Finding) {
	if len(list) == 0 {
		fmt.Fprintln(w, "(no findings match)")
		return
	}
	fmt.Fprintf(w, "%-6s  %-8s  %-14s  %-16s  %-7s  %s\n", "ID", "SEVERITY", "STATUS", "LAST SEEN", "RECORDS", "FINDING")
	for _, f := range list {
		fmt.Fprintf(w, "%-6d  %-8s  %-14s  %-16s  %-7d  %s\n", f.ID, f.Severity.Label(), f.Status.Label(),
			f.LastSeen.Local().Format("2006-01-02 15:04"), f.Count, clip(f.Title(), 90))
	}
}

// findingJSON is the CLI's JSON shape of a finding.
type findingJSON struct {
	ID          int64          `json:"id"`
	RuleID      string         `json:"ruleId"`
	Rule        string         `json:"rule"`
	Key         string         `json:"key"`
	Severity    string         `json:"severity"`
	Status      string         `json:"status"`
	FirstSeen   time.Time      `json:"firstSeen"`
	LastSeen    time.Time      `json:"lastSeen"`
	DetectedAt  time.Time      `json:"detectedAt"`
	Count       int            `json:"count"`
	What        string         `json:"what"`
	Why         string         `json:"why"`
	Steps       []finding.Step `json:"steps"`
	AllowKind   string         `json:"allowKind,omitempty"`
	AllowValues []string       `json:"allowValues,omitempty"`
	Evidence    []string       `json:"evidence"`
	EvidenceAll int            `json:"evidenceCount"`
	Backfill    bool           `json:"backfill"`
	Note        string         `json:"note,omitempty"`
}

func toFindingJSON(f finding.Finding) findingJSON {
	return findingJSON{ID: f.ID, RuleID: f.RuleID, Rule: f.RuleTitle, Key: f.Key, Severity: f.Severity.String(),
		Status: string(f.Status), FirstSeen: f.FirstSeen, LastSeen: f.LastSeen, DetectedAt: f.DetectedAt, Count: f.Count,
		What: f.What, Why: f.Why, Steps: f.Steps, AllowKind: f.AllowKind, AllowValues: f.AllowValues,
		Evidence: f.Evidence, EvidenceAll: f.EvidenceCount, Backfill: f.Backfill, Note: f.Note}
}

// parseIDArgs parses flags placed before or after the one ID argument.
func parseIDArgs(fs *flag.FlagSet, args []string) (int64, error) {
	if err := fs.Parse(args); err != nil {
		return 0, err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return 0, errors.New("missing the finding ID (see `auditlight findings`)")
	}
	idText := rest[0]
	if err := fs.Parse(rest[1:]); err != nil {
		return 0, err
	}
	if fs.NArg() > 0 {
		return 0, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a finding ID (a positive number from `auditlight findings`)", idText)
	}
	return id, nil
}

// openFinding opens the profile's store and reads finding id from it; the
// caller closes the store. An unknown id is said as such.
func (e *env) openFinding(ctx context.Context, id int64) (*store.Store, finding.Finding, error) {
	s, err := e.openProfileStore(ctx)
	if err != nil {
		return nil, finding.Finding{}, err
	}
	f, err := s.Finding(ctx, id)
	if err != nil {
		s.Close()
		if errors.Is(err, store.ErrNotFound) {
			return nil, finding.Finding{}, fmt.Errorf("no finding has the ID %d", id)
		}
		return nil, finding.Finding{}, err
	}
	return s, f, nil
}

func runFindingShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "findings show", "findings show ID [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	id, err := parseIDArgs(fs, args)
	if err != nil {
		return err
	}
	s, f, err := e.openFinding(ctx, id)
	if err != nil {
		return err
	}
	defer s.Close()
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(toFindingJSON(f))
	}
	fmt.Fprintf(w, "%s (#%d)\nSeverity: %s   Status: %s   %d record(s), %s – %s\n\n",
		f.Title(), f.ID, f.Severity.Label(), f.Status.Label(), f.Count,
		f.FirstSeen.Local().Format("2006-01-02 15:04"), f.LastSeen.Local().Format("2006-01-02 15:04"))
	fmt.Fprintf(w, "What happened: %s\n\nWhy it matters: %s\n\nWhat to do:\n", f.What, f.Why)
	for i, st := range f.Steps {
		fmt.Fprintf(w, "  %d. %s\n", i+1, st.Text)
		if st.Link != "" {
			fmt.Fprintf(w, "     %s\n", st.Link)
		}
	}
	fmt.Fprintf(w, "\nEvidence (%d records; `auditlight events --search ID`):\n", f.EvidenceCount)
	for _, r := range f.Evidence {
		fmt.Fprintf(w, "  %s\n", r)
	}
	if f.AllowKind != "" && len(f.AllowValues) > 0 {
		fmt.Fprintf(w, "\nIf this is fine: auditlight findings false-positive %d --allow %s   (%s)\n", f.ID, f.AllowValues[0], f.AllowKind)
	}
	return nil
}

func runFindingStatus(ctx context.Context, e *env, action string, args []string) error {
	fs := newFlags(e, "findings "+action, "findings "+action+" ID"+map[bool]string{true: " [--allow VALUE] [--note TEXT]"}[action == "false-positive"])
	var allow, note *string
	if action == "false-positive" {
		allow = fs.String("allow", "", "also allow-list this value (one of the finding's allow values, e.g. a forwarding domain or IP) so it raises no more findings")
		note = fs.String("note", "", "why this is fine (kept with the allow-list entry)")
	}
	id, err := parseIDArgs(fs, args)
	if err != nil {
		return err
	}
	st := map[string]finding.Status{"ack": finding.StatusAcknowledged, "acknowledge": finding.StatusAcknowledged,
		"resolve": finding.StatusResolved, "false-positive": finding.StatusFalsePositive}[action]
	s, cur, err := e.openFinding(ctx, id)
	if err != nil {
		return err
	}
	defer s.Close()
	var entry *finding.Entry
	if allow != nil && strings.TrimSpace(*allow) != "" {
		v := finding.NormalizeValue(*allow)
		switch {
		case cur.AllowKind == "" || len(cur.AllowValues) == 0:
			return fmt.Errorf("finding %d (%s) has nothing to allow-list; mark it false-positive without --allow", id, cur.RuleTitle)
		case !slices.Contains(cur.AllowValues, v):
			return fmt.Errorf("--allow %q is not a %s of finding %d (choose one of: %s)", *allow, cur.AllowKind, id, strings.Join(cur.AllowValues, ", "))
		}
		entry = &finding.Entry{Value: v, Note: *note}
	}
	f, err := s.SetFindingStatus(ctx, id, st, entry)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Finding %d is now %s.", f.ID, strings.ToLower(f.Status.Label()))
	if entry != nil {
		msg += fmt.Sprintf(" %s %s is allow-listed for %q.", strings.ToUpper(cur.AllowKind[:1])+cur.AllowKind[1:], entry.Value, cur.RuleTitle)
	}
	fmt.Fprintln(e.stdout, msg)
	return nil
}

// runFindingRules lists the detection rules (built-in and the profile's
// rules folder), the files that did not load and why, and turns rules on/off.
func runFindingRules(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "findings rules", "findings rules [--disable ID | --enable ID]")
	disable := fs.String("disable", "", "turn this rule off (persisted)")
	enable := fs.String("enable", "", "turn this rule back on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || (*disable != "" && *enable != "") {
		return errors.New("usage: auditlight findings rules [--disable ID | --enable ID]")
	}
	p, err := e.resolve()
	if err != nil {
		return err
	}
	s, err := e.openProfileStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	eng, err := detect.New(ctx, detect.Options{Store: s, RulesDir: p.RulesDir()})
	if err != nil {
		return err
	}
	switch {
	case *disable != "":
		if err := eng.SetRuleEnabled(ctx, *disable, false); err != nil {
			return err
		}
	case *enable != "":
		if err := eng.SetRuleEnabled(ctx, *enable, true); err != nil {
			return err
		}
	}
	w := bufio.NewWriter(e.stdout)
	defer w.Flush()
	fmt.Fprintf(w, "%-36s  %-3s  %-13s  %-16s  %-9s  %s\n", "ID", "ON", "SEVERITY", "KIND", "SOURCE", "TITLE")
	for _, r := range eng.Rules() {
		on := "yes"
		if !r.Enabled {
			on = "no"
		}
		sev := r.Severity.Label()
		if r.FeedsOnly {
			sev = "(feeds)"
		}
		src := "built-in"
		if r.Source != "built-in" {
			src = "yours"
		}
		fmt.Fprintf(w, "%-36s  %-3s  %-13s  %-16s  %-9s  %s\n", r.ID, on, sev, r.Kind, src, r.Title)
	}
	fmt.Fprintf(w, "\nYour rules folder: %s\n", p.RulesDir())
	if errs := eng.LoadErrors(); len(errs) > 0 {
		fmt.Fprintf(w, "\nNot loaded (%d):\n", len(errs))
		for _, le := range errs {
			fmt.Fprintf(w, "  %s\n", le.Error())
		}
	}
	return nil
}
