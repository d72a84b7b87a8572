package app

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/store"
	"github.com/auditlight/auditlight/collector/walkthrough"
)

// metaWalkthrough is the store setting that holds the detection test's state.
const metaWalkthrough = "walkthrough"

// Findings lists the findings matching f, most recent first (nil before the
// first connection).
func (b *backend) Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error) {
	rt := b.runtime()
	if rt == nil {
		return nil, nil
	}
	return rt.Store.Findings(ctx, f)
}

// Finding returns one finding with its evidence record ids.
func (b *backend) Finding(ctx context.Context, id int64) (finding.Finding, error) {
	rt := b.runtime()
	if rt == nil {
		return finding.Finding{}, errNoStore
	}
	return rt.Store.Finding(ctx, id)
}

// SetFindingStatus changes a finding's status; allow (false-positive only)
// adds an allow-list entry that suppresses future matches of that value.
func (b *backend) SetFindingStatus(ctx context.Context, id int64, st finding.Status, allow *finding.Entry) (finding.Finding, error) {
	rt := b.runtime()
	if rt == nil {
		return finding.Finding{}, errNoStore
	}
	f, err := rt.Store.SetFindingStatus(ctx, id, st, allow)
	if err == nil {
		b.findings.tick()
	}
	return f, err
}

// FindingSummary counts new and open findings for the badge and tray line.
func (b *backend) FindingSummary(ctx context.Context) (finding.Summary, error) {
	rt := b.runtime()
	if rt == nil {
		return finding.Summary{}, nil
	}
	return rt.Store.FindingSummary(ctx)
}

// Walkthrough returns the "Test my detections" state machine over the
// connected store (nil before the first connection).
func (b *backend) Walkthrough() *walkthrough.Machine {
	rt := b.runtime()
	if rt == nil {
		return nil
	}
	return newWalkthrough(rt.Store, b.clock)
}

// newWalkthrough builds the detection-test machine persisted in st.
func newWalkthrough(st *store.Store, clock func() time.Time) *walkthrough.Machine {
	return walkthrough.New(metaPersister{st: st, key: metaWalkthrough}, storeObserver{st: st}, clock)
}

// metaPersister keeps a JSON document in a store setting.
type metaPersister struct {
	st  *store.Store
	key string
}

func (p metaPersister) Load(ctx context.Context) ([]byte, bool, error) {
	v, ok, err := p.st.Meta(ctx, p.key)
	return []byte(v), ok, err
}

func (p metaPersister) Save(ctx context.Context, doc []byte) error {
	return p.st.SetMeta(ctx, p.key, string(doc))
}

// storeObserver answers the walkthrough's questions from the store.
type storeObserver struct{ st *store.Store }

func (o storeObserver) Findings(ctx context.Context, f finding.Filter) ([]finding.Finding, error) {
	return o.st.Findings(ctx, f)
}

func (o storeObserver) RecordsSince(ctx context.Context, ops []string, since time.Time) (int64, time.Time, error) {
	return o.st.OperationsSince(ctx, ops, since)
}

// RulesDir is the folder of the admin's own detection rules (*.yml).

// findingHub relays detection notices to listeners (the notifier) and ticks
// subscribers (the Findings view, badge and tray) when findings change. The
// zero value is ready to use.
type findingHub struct {
	mu    sync.Mutex
	next  int
	hooks map[int]func(detect.Notice)
	ticks map[int]chan struct{}
}

// emit is the engine's OnFinding: it must not block.
func (h *findingHub) emit(n detect.Notice) {
	h.mu.Lock()
	hooks := make([]func(detect.Notice), 0, len(h.hooks))
	for _, f := range h.hooks {
		hooks = append(hooks, f)
	}
	h.mu.Unlock()
	for _, f := range hooks {
		f(n)
	}
	h.tick()
}

// tick wakes every subscriber (latest-value: a pending tick is enough).
func (h *findingHub) tick() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range h.ticks {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (h *findingHub) onFinding(f func(detect.Notice)) func() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hooks == nil {
		h.hooks = map[int]func(detect.Notice){}
	}
	id := h.next
	h.next++
	h.hooks[id] = f
	return func() { h.mu.Lock(); delete(h.hooks, id); h.mu.Unlock() }
}

func (h *findingHub) subscribe() (<-chan struct{}, func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ticks == nil {
		h.ticks = map[int]chan struct{}{}
	}
	id := h.next
	h.next++
	ch := make(chan struct{}, 1)
	h.ticks[id] = ch
	var once sync.Once
	return ch, func() { once.Do(func() { h.mu.Lock(); delete(h.ticks, id); h.mu.Unlock() }) }
}

// OnFinding registers f for every finding the engine creates or grows (f
// must not block); the func unregisters it.
func (b *backend) OnFinding(f func(detect.Notice)) func() { return b.findings.onFinding(f) }

// SubscribeFindings ticks (latest-value) whenever findings were created,
// grew or changed status; re-read Findings/FindingSummary on a tick. The
// func unsubscribes.
func (b *backend) SubscribeFindings() (<-chan struct{}, func()) { return b.findings.subscribe() }

// DetectionRules lists the loaded rules (nil before the first connection).
func (b *backend) DetectionRules() []detect.RuleInfo {
	rt := b.runtime()
	if rt == nil {
		return nil
	}
	return rt.Detect.Rules()
}

// DetectionRuleErrors lists the rule files that could not be loaded, with why.
func (b *backend) DetectionRuleErrors() []detect.LoadError {
	rt := b.runtime()
	if rt == nil {
		return nil
	}
	return rt.Detect.LoadErrors()
}

// SetDetectionRuleEnabled turns a rule on or off (persisted).
func (b *backend) SetDetectionRuleEnabled(ctx context.Context, id string, on bool) error {
	rt := b.runtime()
	if rt == nil {
		return errNoStore
	}
	return rt.Detect.SetRuleEnabled(ctx, id, on)
}

// metaScanned records that the stored history was evaluated by the engine.
const metaScanned = "detect.scanned"

// warmHistory is how much recent history a restart re-reads into the
// correlation windows (longer than any built-in timespan plus Microsoft's
// usual delivery delay).
const warmHistory = 26 * time.Hour

// prepareDetections tells the engine the tenant's domains (Microsoft Graph,
// when Domain.Read.All is granted; otherwise the engine keeps using the UPN
// domains it sees), evaluates the history collected before detections
// existed once per store (as a backfill: one digest, no storm), and on later
// starts re-reads the last day into the correlation windows.
func prepareDetections(ctx context.Context, rt *Runtime, log *slog.Logger) {
	gctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	ds, err := rt.Graph.Domains(gctx)
	cancel()
	if err != nil {
		log.Info("using the user domains seen as the organisation's domains (Graph /domains needs Domain.Read.All)", "err", err)
	} else {
		rt.Detect.SetTenantDomains(ds)
	}
	_, done, err := rt.Store.Meta(ctx, metaScanned)
	if err != nil {
		log.Warn("reading the detection scan mark", "err", err)
		return
	}
	now := time.Now()
	from := now.Add(-7 * 24 * time.Hour)
	if done {
		// Correlation windows live in memory: re-read the last day so a
		// spray that straddles a restart is still seen whole (replaying
		// records is harmless to the engine).
		from = now.Add(-warmHistory)
	}
	if err := scanHistory(ctx, rt.Store, rt.Detect, from, now); err != nil {
		log.Warn("evaluating the stored history for detections", "err", err)
		return
	}
	if err := rt.Store.SetMeta(ctx, metaScanned, now.UTC().Format(time.RFC3339)); err != nil {
		log.Warn("recording the detection scan", "err", err)
	}
}

// scanHistory feeds stored events created in [from, to) to the engine hour
// by hour, oldest first (the new-country baseline grows in time order).
func scanHistory(ctx context.Context, st *store.Store, eng *detect.Engine, from, to time.Time) error {
	for h := from.Truncate(time.Hour); h.Before(to); h = h.Add(time.Hour) {
		var evs []store.Event
		err := st.ForEach(ctx, store.Filter{Since: h, Until: h.Add(time.Hour)}, func(ev store.Event) error {
			evs = append(evs, ev)
			return nil
		})
		if err != nil {
			return fmt.Errorf("reading stored events: %w", err)
		}
		slices.Reverse(evs) // ForEach is newest first
		if err := eng.Process(ctx, evs, true); err != nil {
			return fmt.Errorf("evaluating stored events: %w", err)
		}
	}
	return nil
}

// demoActionDelay is how long after the request the demo's simulator
// performs a detection test's admin action (its blob is available 2 s later).
const demoActionDelay = 10 * time.Second

// demoPollSeconds is the demo collector's poll interval: short, so a
// detection test's record is collected seconds after the simulator makes it
// available and the whole walkthrough is seen in well under a minute
// (collector.TestDemoDetectionTestsPassWithinAMinute). The demo tenant is
// local, so polling it often costs nothing.
const demoPollSeconds = 5

// CanPerformTestAction reports whether the admin action of a detection test
// can be done by AuditLight itself (only in --demo, by the simulator).
func (b *backend) CanPerformTestAction() bool { return b.testAction() != nil }

// testAction is the demo's performer of a detection test's admin action (nil outside --demo).
func (b *backend) testAction() func(test string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.demoAction
}

// PerformTestAction asks the demo's simulator to do the test's admin action
// (the inbox rule, the role assignment) a few seconds from now, and moves
// the test to waiting. Outside --demo the admin does the action themselves.
func (b *backend) PerformTestAction(ctx context.Context, id walkthrough.TestID) (walkthrough.Progress, error) {
	act := b.testAction()
	if act == nil {
		return walkthrough.Progress{}, fmt.Errorf("AuditLight can only perform the test action on the demo tenant; follow the steps in Microsoft 365 instead")
	}
	m := b.Walkthrough()
	if m == nil {
		return walkthrough.Progress{}, errNoStore
	}
	if _, ok := walkthrough.TestByID(id); !ok {
		return walkthrough.Progress{}, fmt.Errorf("unknown detection test %q", id)
	}
	if err := act(string(id)); err != nil {
		return walkthrough.Progress{}, fmt.Errorf("asking the demo tenant to perform the test: %w", err)
	}
	return m.Acted(ctx, id)
}
