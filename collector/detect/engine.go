package detect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
)

// Store is what the engine needs from the database; *store.Store has it.
type Store interface {
	UpsertFinding(ctx context.Context, m finding.Match) (finding.Finding, store.Outcome, error)
	UserCountries(ctx context.Context) (map[string][]string, error)
	AddUserCountry(ctx context.Context, user, country string, t time.Time) error
	UserDomains(ctx context.Context) ([]string, error)
	Meta(ctx context.Context, key string) (string, bool, error)
	SetMeta(ctx context.Context, key, value string) error
}

// Notice reports a finding the engine created or grew.
type Notice struct {
	Finding  finding.Finding
	Outcome  store.Outcome // store.Created or store.Merged
	Backfill bool          // raised while catching up (digest, not one notification each)
}

// Options configure an Engine. Store is required.
type Options struct {
	Store Store
	// RulesDir is the profile's folder of the admin's own rules ("" = none).
	RulesDir string
	// Builtin is the rule pack; nil = BuiltinRules().
	Builtin fs.FS
	// Locate maps IPs to countries; nil = OfflineLocator.
	Locate Locator
	// Lateness is how long correlation state is kept beyond a rule's
	// timespan, for records Microsoft delivers late; 0 = 26 hours.
	Lateness time.Duration
	// OnFinding is called (synchronously, so it must not block) for every
	// finding created or merged.
	OnFinding func(Notice)
	Logger    *slog.Logger
}

// metaDisabled is the store setting listing turned-off rule ids (JSON).
const metaDisabled = "detect.disabled"

// Engine evaluates records against the rules and stores findings. It is
// safe for concurrent use (Process calls are serialised).
type Engine struct {
	opt      Options
	log      *slog.Logger
	locate   Locator
	rules    []*Rule
	loadErrs []LoadError
	byOp     map[string][]*Rule // lower-cased operation -> single-event rules
	anyOp    []*Rule            // single-event rules without an operation set

	mu        sync.Mutex
	disabled  map[string]bool
	tenant    Domains // from Graph; nil = learn from UPNs
	learned   Domains
	countries map[string]map[string]bool // lower(UPN) -> countries
	corr      map[*Rule]map[string]*group
	newest    map[*Rule]time.Time // per correlation, the latest signal time fed to it
	fed       int                 // signals fed since the last sweep
	pending   []pendingMatch      // matches evaluated, waiting for flush
	light     Event               // the record being evaluated, from the store's columns (lightEvent)
	opRules   map[string][]*Rule  // candidates' answers by operation; nil after a rule is turned on or off
	// lastDomain is the UPN domain learnDomain saw last (learned already).
	lastDomain string

	// flushMu is held while matches are stored (flush): one flush at a
	// time, so findings are stored in the order their matches were made.
	flushMu sync.Mutex
}

// pendingMatch is a match waiting for flush.
type pendingMatch struct {
	m        finding.Match
	backfill bool
}

// BatchStore is a Store that can store several matches in one transaction
// (*store.Store can). The engine then stores the matches queued meanwhile
// together (flush): every transaction waits for the store's one writer
// connection, which the group commit holds (issue 12, round 8: 276 waits
// of 40 ms each in a 200-user drain, one per match, inside the engine's
// lock).
type BatchStore interface {
	UpsertFindings(ctx context.Context, ms []finding.Match) ([]store.Upserted, error)
}

// sweepEvery is how many signals go by between sweeps of every correlation
// group (sweep): often enough to bound memory, rare enough to cost nothing.
const sweepEvery = 4096

// New loads the rules, the turned-off list, the learned domains and the
// users' sign-in countries.
func New(ctx context.Context, opt Options) (*Engine, error) {
	if opt.Store == nil {
		return nil, errors.New("detect: a Store is required")
	}
	if opt.Builtin == nil {
		opt.Builtin = BuiltinRules()
	}
	if opt.Lateness <= 0 {
		opt.Lateness = 26 * time.Hour
	}
	e := &Engine{opt: opt, log: opt.Logger, locate: opt.Locate, byOp: map[string][]*Rule{},
		disabled: map[string]bool{}, learned: Domains{}, countries: map[string]map[string]bool{},
		corr: map[*Rule]map[string]*group{}, newest: map[*Rule]time.Time{}}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.locate == nil {
		e.locate = OfflineLocator
	}
	e.rules, e.loadErrs = LoadRules(opt.Builtin, opt.RulesDir)
	plan(e.rules)
	for _, le := range e.loadErrs {
		e.log.Warn("detection rule not loaded", "file", le.File, "err", le.Err)
	}
	for _, r := range e.rules {
		if r.Kind != SingleEvent {
			continue
		}
		if r.ops == nil {
			e.anyOp = append(e.anyOp, r)
			continue
		}
		for _, op := range r.ops {
			e.byOp[op] = append(e.byOp[op], r)
		}
	}
	if v, ok, err := opt.Store.Meta(ctx, metaDisabled); err != nil {
		return nil, fmt.Errorf("loading turned-off rules: %w", err)
	} else if ok {
		var ids []string
		if err := json.Unmarshal([]byte(v), &ids); err != nil {
			e.log.Warn("ignoring an unreadable list of turned-off rules", "err", err)
		}
		for _, id := range ids {
			e.disabled[id] = true
		}
	}
	ds, err := opt.Store.UserDomains(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading user domains: %w", err)
	}
	e.learned = NewDomains(ds)
	uc, err := opt.Store.UserCountries(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading sign-in countries: %w", err)
	}
	for u, cs := range uc {
		set := map[string]bool{}
		for _, c := range cs {
			set[c] = true
		}
		e.countries[u] = set
	}
	return e, nil
}

// LoadErrors lists the rule files that could not be used, with why.
func (e *Engine) LoadErrors() []LoadError { return slices.Clone(e.loadErrs) }

// RuleInfo describes a loaded rule for the rules list.
type RuleInfo struct {
	ID, Title, Description string
	Kind                   Kind
	Severity               finding.Severity
	Source                 string // "built-in" or the file path
	Enabled                bool
	// FeedsOnly is true for rules that only feed a correlation (they raise
	// no finding of their own).
	FeedsOnly bool
}

// Rules lists the loaded rules in load order.
func (e *Engine) Rules() []RuleInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]RuleInfo, len(e.rules))
	for i, r := range e.rules {
		out[i] = RuleInfo{ID: r.ID, Title: r.Title, Description: strings.TrimSpace(r.Description), Kind: r.Kind,
			Severity: r.Severity, Source: r.Source, Enabled: !e.disabled[r.ID], FeedsOnly: !r.generates()}
	}
	return out
}

// SetRuleEnabled turns a rule on or off (persisted in the store).
func (e *Engine) SetRuleEnabled(ctx context.Context, id string, on bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !slices.ContainsFunc(e.rules, func(r *Rule) bool { return r.ID == id }) {
		return fmt.Errorf("no detection rule has the id %q", id)
	}
	next := map[string]bool{}
	for k := range e.disabled {
		next[k] = true
	}
	if on {
		delete(next, id)
	} else {
		next[id] = true
	}
	ids := make([]string, 0, len(next))
	for k := range next {
		ids = append(ids, k)
	}
	slices.Sort(ids)
	doc, _ := json.Marshal(ids)
	if err := e.opt.Store.SetMeta(ctx, metaDisabled, string(doc)); err != nil {
		return fmt.Errorf("saving turned-off rules: %w", err)
	}
	e.disabled = next
	e.opRules = nil
	return nil
}

// SetTenantDomains sets the tenant's own domains (from Microsoft Graph's
// /domains). Until it is called, the domains of the UPNs seen are used.
func (e *Engine) SetTenantDomains(domains []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(domains) == 0 {
		e.tenant = nil
		return
	}
	e.tenant = NewDomains(domains)
}

// ownDomains is the set used to judge "external" (under e.mu).
func (e *Engine) ownDomains() Domains {
	if e.tenant != nil {
		return e.tenant
	}
	return e.learned
}

// learnDomain adds the UPN domain of a record's user (under e.mu).
func (e *Engine) learnDomain(ev *store.Event) {
	if ev.Operation == "UserLoginFailed" || (ev.Workload != "Exchange" && ev.Workload != "AzureActiveDirectory") {
		return
	}
	i := strings.LastIndexByte(ev.UserID, '@')
	if i <= 0 || i == len(ev.UserID)-1 {
		return
	}
	d := ev.UserID[i+1:]
	if d == e.lastDomain { // most records are of the tenant's one domain
		return
	}
	if !e.learned[d] {
		if l := strings.ToLower(d); !e.learned[l] {
			e.learned[l] = true
		}
	}
	e.lastDomain = strings.Clone(d)
}

// Process evaluates freshly stored records. backfill marks records of the
// first catch-up (their findings are digested, not notified one by one).
// A record given twice never raises a finding twice. Errors of one record
// are logged and skipped; only a failing store is returned.
func (e *Engine) Process(ctx context.Context, evs []store.Event, backfill bool) error {
	errs, matched := e.evaluate(ctx, evs, backfill)
	if matched { // else nothing of this call waits to be stored
		errs = append(errs, e.flush(ctx))
	}
	return errors.Join(errs...)
}

// evaluate runs the rules over evs under the engine's lock and queues their
// matches (upsert); flush stores them once the lock is released. matched
// reports whether any was queued.
func (e *Engine) evaluate(ctx context.Context, evs []store.Event, backfill bool) (errs []error, matched bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	before := len(e.pending)
	defer func() { matched = len(e.pending) > before }()
	for i := range evs {
		if err := ctx.Err(); err != nil {
			return append(errs, err), false
		}
		if err := e.processOne(ctx, &evs[i], backfill); err != nil {
			errs = append(errs, err)
			if len(errs) > 3 {
				break
			}
		}
	}
	return errs, false
}

// flush stores every queued match, in the order queued, outside the
// engine's lock: a finding transaction waits for the store's one writer
// connection, which the group commit holds, and the next blob's evaluation
// goes on meanwhile. Matches queued by several Process calls while a flush
// waited go in the next one together. When flush returns, the caller's
// matches are stored: either it took them itself, or a flush that took
// them held flushMu until they were stored. In one transaction when the
// store can, else (or when that transaction fails) one by one, so a match
// the store refuses costs only itself.
func (e *Engine) flush(ctx context.Context) error {
	e.flushMu.Lock()
	defer e.flushMu.Unlock()
	e.mu.Lock()
	batch := e.pending
	e.pending = nil
	e.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	// The batch may hold other Process calls' matches: a caller that is
	// stopping still stores them (one transaction; the store outlives the
	// collector's stop).
	ctx = context.WithoutCancel(ctx)
	if bs, ok := e.opt.Store.(BatchStore); ok && len(batch) > 1 {
		ms := make([]finding.Match, len(batch))
		for i, p := range batch {
			ms[i] = p.m
		}
		if got, err := bs.UpsertFindings(ctx, ms); err == nil {
			for i, p := range batch {
				e.stored(got[i].Finding, got[i].Outcome, p.backfill)
			}
			return nil
		}
	}
	var errs []error
	for _, p := range batch {
		f, out, err := e.opt.Store.UpsertFinding(ctx, p.m)
		if err != nil {
			errs = append(errs, fmt.Errorf("storing a finding of %q: %w", p.m.RuleTitle, err))
			continue
		}
		e.stored(f, out, p.backfill)
	}
	return errors.Join(errs...)
}

// candidates returns the enabled single-event rules that can match op. The
// answer for each operation seen is kept (opRules) until a rule is turned
// on or off: looking it up cost a lower-casing and two map probes, and a
// turned-off check per rule, for every record.
func (e *Engine) candidates(op string) []*Rule {
	if rs, ok := e.opRules[op]; ok {
		return rs
	}
	rs, ok := e.byOp[op]
	if !ok {
		rs = e.byOp[strings.ToLower(op)]
	}
	var out []*Rule
	for _, list := range [2][]*Rule{rs, e.anyOp} {
		for _, r := range list {
			if !e.disabled[r.ID] {
				out = append(out, r)
			}
		}
	}
	if e.opRules == nil {
		e.opRules = map[string][]*Rule{}
	}
	if len(e.opRules) < maxOpRules {
		e.opRules[strings.Clone(op)] = out
	}
	return out
}

// maxOpRules bounds opRules: a tenant has a few hundred operations; records
// with more distinct ones are looked up each time.
const maxOpRules = 4096

const opSignIn = "UserLoggedIn"

func (e *Engine) processOne(ctx context.Context, ev *store.Event, backfill bool) error {
	e.learnDomain(ev)
	cands := e.candidates(ev.Operation)
	signIn := ev.Operation == opSignIn
	if len(cands) == 0 && !signIn {
		return nil
	}
	if e.light == nil {
		e.light = make(Event, 16)
	}
	light := lightEvent(e.light, ev)
	e.enrichLight(ctx, light, ev)
	var full Event
	decoded := false
	// fullEvent decodes the record once, on first need; nil when it cannot be.
	fullEvent := func() Event {
		if !decoded {
			decoded = true
			nev, err := Normalize(ev.Raw)
			if err != nil {
				e.log.Debug("record not decoded for detection", "id", ev.ID, "err", err)
				return nil
			}
			for _, k := range [...]string{FieldIP, FieldCountry, FieldNewCountry, FieldKnownCountries} {
				if v, ok := light[k]; ok {
					nev[k] = v
				}
			}
			if _, ok := nev[FieldIP]; !ok { // no ClientIP column: Entra's ActorIpAddress
				if a, ok := ParseIP(nev.String("ActorIpAddress")); ok {
					nev[FieldIP] = a.String()
					if c := e.locate(a); c != "" {
						nev[FieldCountry] = c
					}
				}
			}
			externalRecipients(nev, e.ownDomains())
			full = nev
		}
		return full
	}
	for _, r := range cands {
		evt := light
		if r.matchFull {
			if evt = fullEvent(); evt == nil {
				continue
			}
		}
		var ok bool
		var err error
		if r.plain != nil {
			ok = r.matchesPlain(evt)
		} else {
			ok, err = matches(ctx, r, evt)
		}
		if err != nil {
			e.log.Warn("rule failed on a record", "rule", r.Title, "id", ev.ID, "err", err)
			continue
		}
		if !ok {
			continue
		}
		if (r.textFull || r.signalFull) && !r.matchFull {
			if f := fullEvent(); f != nil {
				evt = f
			}
		}
		if err := e.fire(ctx, r, evt, ev, backfill); err != nil {
			return err
		}
	}
	return nil
}

// matches evaluates one rule, turning a panic of the library into an error.
func matches(ctx context.Context, r *Rule, ev Event) (ok bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			ok, err = false, fmt.Errorf("sigma evaluation failed: %v", p)
		}
	}()
	res, err := r.eval.Matches(ctx, map[string]any(ev))
	return res.Match, err
}

// enrichLight adds the IP, country and new-country fields from the store's
// columns, and records the sign-in country in the user's history.
func (e *Engine) enrichLight(ctx context.Context, ev Event, rec *store.Event) {
	a, ok := ParseIP(rec.ClientIP)
	if !ok {
		return
	}
	ev[FieldIP] = a.String()
	c := e.locate(a)
	if c == "" {
		return
	}
	ev[FieldCountry] = c
	if rec.Operation != opSignIn || rec.UserID == "" {
		return
	}
	user := strings.ToLower(rec.UserID)
	known := e.countries[user]
	if known[c] {
		return
	}
	if len(known) > 0 {
		ev[FieldNewCountry] = "true"
		list := make([]string, 0, len(known))
		for k := range known {
			list = append(list, k)
		}
		slices.Sort(list)
		ev[FieldKnownCountries] = strings.Join(list, ", ")
	}
	if known == nil {
		known = map[string]bool{}
		e.countries[user] = known
	}
	known[c] = true
	if err := e.opt.Store.AddUserCountry(ctx, user, c, rec.CreationTime); err != nil {
		e.log.Warn("could not record a sign-in country", "err", err)
	}
}

// fire handles a single-event match: a finding when the rule generates one,
// and a signal for each correlation that references the rule.
func (e *Engine) fire(ctx context.Context, r *Rule, nev Event, ev *store.Event, backfill bool) error {
	if r.generates() {
		key := keyOf(r.Meta.Key, nev, []string{"UserId"})
		m := e.match(r, nev, key, ev.CreationTime, ev.CreationTime, []string{ev.ID},
			map[string]string{"key": key, "count": "1"}, backfill)
		e.upsert(m, backfill)
	}
	sig := signal{at: ev.CreationTime, id: ev.ID, rule: r, ev: nev}
	for _, c := range r.usedBy {
		if err := e.feed(ctx, c, sig, backfill); err != nil {
			return err
		}
	}
	return nil
}

// sweep drops, every sweepEvery signals, what no correlation can use any
// more: signals older than their correlation's timespan plus the lateness
// before the newest signal fed to that correlation, and groups left empty.
// A group was pruned only when its own key fired again, so every IP that
// failed one sign-in (and every user, every file) kept its signals, with
// their records, for as long as the process ran: the heap grew with the
// records drained. The horizon is each correlation's own: content types are
// collected side by side, and a backfill of SharePoint days ahead of the
// sign-ins' (round 9) swept sign-in groups whose hour had not all arrived,
// so a spray's findings depended on which content type ran ahead.
func (e *Engine) sweep(c *Rule, at time.Time) {
	if at.After(e.newest[c]) {
		e.newest[c] = at
	}
	if e.fed++; e.fed < sweepEvery {
		return
	}
	e.fed = 0
	for c, groups := range e.corr {
		horizon := e.newest[c].Add(-c.corr.Timespan - e.opt.Lateness)
		for k, g := range groups {
			g.prune(horizon)
			if len(g.sigs) == 0 {
				delete(groups, k)
			}
		}
	}
}

// feed adds a signal to correlation c and fires it when its condition holds.
func (e *Engine) feed(ctx context.Context, c *Rule, sig signal, backfill bool) error {
	if e.disabled[c.ID] {
		return nil
	}
	if c.corr.Type == ValueCount && sig.ev.String(c.corr.Field) == "" {
		return nil
	}
	gk, ok := c.corr.groupKey(sig.ev)
	if !ok {
		return nil
	}
	e.sweep(c, sig.at) // before the group is looked up: a sweep deletes empty groups
	groups := e.corr[c]
	if groups == nil {
		groups = map[string]*group{}
		e.corr[c] = groups
	}
	g := groups[gk]
	if g == nil {
		g = &group{}
		groups[gk] = g
	}
	at, added := g.add(c.corr.hold(sig))
	if !added {
		return nil
	}
	if n := len(g.sigs); n > 0 {
		horizon := g.sigs[n-1].at.Add(-c.corr.Timespan - e.opt.Lateness)
		if g.sigs[at].at.Before(horizon) { // too late for this group's state
			g.prune(horizon)
			return nil
		}
		g.prune(horizon)
		at -= n - len(g.sigs) // the signals pruned were before it
	}
	if c.generates() {
		if w, ok := c.corr.evaluate(g, at); ok {
			e.upsert(e.correlationMatch(c, g.sigs[w.lo:w.hi+1], backfill), backfill)
		}
	}
	if len(c.usedBy) == 0 {
		return nil
	}
	for _, out := range c.pointSignals(g, at) {
		for _, next := range c.usedBy {
			if err := e.feed(ctx, next, out, backfill); err != nil {
				return err
			}
		}
	}
	return nil
}

// correlationMatch builds the match of a correlation's span of signals
// that meets its condition: its records, first seen at the oldest, last
// seen at the span's newest signal, texts from that signal's fields.
func (e *Engine) correlationMatch(c *Rule, span []held, backfill bool) finding.Match {
	evidence, first := evidenceOf(span)
	values := map[string]bool{}
	for i := range span {
		if v := c.corr.value(&span[i]); v != "" {
			values[strings.ToLower(v)] = true
		}
	}
	last := &span[len(span)-1]
	lastEv := c.corr.event(last)
	key := keyOf(c.corr.GroupBy, lastEv, nil)
	extra := map[string]string{"key": key, "count": fmt.Sprint(len(span)), "distinct": fmt.Sprint(len(values)),
		"timespan": c.corr.Timespan.String()}
	return e.match(c, lastEv, key, first, last.at, evidence, extra, backfill)
}

// keyOf joins the values of fields (def when fields is empty).
func keyOf(fields []string, ev Event, def []string) string {
	if len(fields) == 0 {
		fields = def
	}
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		if v := ev.String(f); v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 && len(def) > 0 {
		return keyOf(def, ev, nil)
	}
	return strings.Join(parts, " / ")
}

// match builds the finding.Match of a firing rule.
func (e *Engine) match(r *Rule, ev Event, key string, first, last time.Time, evidence []string,
	extra map[string]string, backfill bool) finding.Match {
	sev := r.Severity
	if f := r.Meta.SeverityField; f != "" {
		if s, err := finding.ParseSeverity(ev.String(f)); err == nil {
			sev = s
		}
	}
	steps := make([]finding.Step, len(r.Meta.Steps))
	for i, s := range r.Meta.Steps {
		steps[i] = finding.Step{Text: fill(s.Text, ev, extra), Link: s.Link}
	}
	var allow []string
	if f := r.Meta.Allow.Field; f != "" {
		for _, v := range strings.Split(ev.String(f), ",") {
			if v = strings.TrimSpace(v); v != "" {
				allow = append(allow, v)
			}
		}
	}
	what := fill(r.Meta.What, ev, extra)
	if what == "" {
		what = r.Title + ": " + key
	}
	return finding.Match{RuleID: r.ID, RuleTitle: r.Title, Key: key, Severity: sev, FirstSeen: first, LastSeen: last,
		Evidence: evidence, What: what, Why: fill(r.Meta.Why, ev, extra), Steps: steps,
		AllowKind: r.Meta.Allow.Kind, AllowValues: allow, Window: r.window, Backfill: backfill}
}

// upsert queues a match for flush (under the engine's lock). A match equal
// to the one queued just before it is dropped: the store would find every
// record of it used by the finding the first one made or grew, and change
// nothing (Unchanged, no notice). A record landing in many firing points
// of a chain re-reports the same windows downstream once per point: a
// hammered account's records, arriving out of order, queued hundreds of
// copies of one match, each a transaction's worth of evidence look-ups.
func (e *Engine) upsert(m finding.Match, backfill bool) {
	if n := len(e.pending); n > 0 && e.pending[n-1].backfill == backfill && sameMatch(&e.pending[n-1].m, &m) {
		return
	}
	e.pending = append(e.pending, pendingMatch{m: m, backfill: backfill})
}

// sameMatch reports whether two matches are equal in every field.
func sameMatch(a, b *finding.Match) bool {
	return a.RuleID == b.RuleID && a.RuleTitle == b.RuleTitle && a.Key == b.Key && a.Severity == b.Severity &&
		a.FirstSeen.Equal(b.FirstSeen) && a.LastSeen.Equal(b.LastSeen) && a.What == b.What && a.Why == b.Why &&
		a.AllowKind == b.AllowKind && a.Window == b.Window && a.Backfill == b.Backfill &&
		slices.Equal(a.Evidence, b.Evidence) && slices.Equal(a.Steps, b.Steps) && slices.Equal(a.AllowValues, b.AllowValues)
}

// stored reports what storing a match changed.
func (e *Engine) stored(f finding.Finding, out store.Outcome, backfill bool) {
	if out == store.Created || out == store.Merged {
		e.log.Info("finding", "outcome", out, "rule", f.RuleTitle, "key", f.Key, "id", f.ID, "severity", f.Severity)
		if e.opt.OnFinding != nil {
			e.opt.OnFinding(Notice{Finding: f, Outcome: out, Backfill: backfill})
		}
	}
}
