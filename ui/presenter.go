package ui

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/collector/health"
)

// PresenterConfig wires a Presenter.
type PresenterConfig struct {
	// Apply updates the widgets (e.g. Dashboard.SetStatus).
	Apply func(health.Status)
	// OnStatus lets app update the tray icon and menu.
	OnStatus func(health.Status)
	// Notify sends a desktop notification (e.g. fyne.App.SendNotification);
	// nil sends none.
	Notify func(*fyne.Notification)
	// Options supply the dispatcher and the coalescing interval.
	Options Options
}

// Presenter moves collector status into the GUI: a goroutine reads the
// status channel, keeps only the latest snapshot, and at most every ~250 ms
// applies it in ONE Options.Gate.Do call that runs Apply, OnStatus and,
// when the light turns red or is green again after red, Notify.
type Presenter struct {
	cfg    PresenterConfig
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// NewPresenter starts presenting statuses from src until Stop or until src
// closes.
func NewPresenter(src <-chan health.Status, cfg PresenterConfig) *Presenter {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Presenter{cfg: cfg, cancel: cancel, done: make(chan struct{})}
	go p.run(ctx, src)
	return p
}

// Stop ends the goroutine and waits for it.
func (p *Presenter) Stop() {
	p.once.Do(p.cancel)
	<-p.done
}

func (p *Presenter) run(ctx context.Context, src <-chan health.Status) {
	defer close(p.done)
	alarmed := false
	latest := func(_, v health.Status) health.Status { return v }
	coalesce(ctx, src, p.cfg.Options.coalesce(), latest, func(s health.Status) {
		var n *fyne.Notification
		n, alarmed = StatusNotification(alarmed, s)
		p.cfg.Options.do(func() {
			if p.cfg.Apply != nil {
				p.cfg.Apply(s)
			}
			if p.cfg.OnStatus != nil {
				p.cfg.OnStatus(s)
			}
			if n != nil && p.cfg.Notify != nil {
				p.cfg.Notify(n)
			}
		})
	})
}

// StatusNotification returns the notification to send for a status, or nil,
// and whether an "action needed" alarm is outstanding afterwards. alarmed
// says whether one was outstanding before. It alarms when the light turns
// red, and announces recovery only on a real green: not on the blue
// "connecting" right after Rotate secret, nor on amber, before anything
// worked. Disconnecting (grey) clears the alarm silently.
func StatusNotification(alarmed bool, next health.Status) (n *fyne.Notification, stillAlarmed bool) {
	switch {
	case next.State == health.ActionNeeded && !alarmed:
		content := next.Reason
		if next.Fix != "" {
			content += " " + next.Fix
		}
		return fyne.NewNotification("AuditLight: action needed", content), true
	case next.State == health.ActionNeeded:
		return nil, true
	case alarmed && next.State == health.Healthy && !next.Paused:
		content := "Audit log collection works again."
		if next.Reason != "" {
			content += " " + next.Reason
		}
		return fyne.NewNotification("AuditLight recovered", content), false
	case next.State == health.NotConfigured:
		return nil, false
	}
	return nil, alarmed
}
