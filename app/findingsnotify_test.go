package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/app/keychain"
	"github.com/auditlight/auditlight/app/profile"
	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/collector/store"
)

// TestFindingNotificationsHeadless drives the app's notification path
// without a display: a live high finding is notified at once, a backfill's
// findings arrive as one digest when the catch-up ends, repeats are silent.
func TestFindingNotificationsHeadless(t *testing.T) {
	b := newBackend(profile.Profile{Dir: filepath.Join(t.TempDir(), "p")}, &keychain.Memory{}, slog.New(slog.DiscardHandler))
	sent := make(chan *fyne.Notification, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		notifyFindings(ctx, func(n *fyne.Notification) { sent <- n }, b, slog.New(slog.DiscardHandler))
	}()
	defer func() { cancel(); <-done }()

	// Wait until the loop has registered (the hub then has a hook).
	deadline := time.After(5 * time.Second)
	for registered := false; !registered; {
		b.findings.mu.Lock()
		registered = len(b.findings.hooks) > 0
		b.findings.mu.Unlock()
		select {
		case <-deadline:
			t.Fatal("notifier never registered")
		case <-time.After(time.Millisecond):
		}
	}
	ticks, unsub := b.SubscribeFindings()
	defer unsub()
	f := func(title string, sev finding.Severity) finding.Finding {
		return finding.Finding{RuleTitle: title, Key: "k", Severity: sev, What: title + " in detail"}
	}
	next := func() *fyne.Notification {
		t.Helper()
		select {
		case n := <-sent:
			return n
		case <-time.After(5 * time.Second):
			t.Fatal("no notification")
			return nil
		}
	}

	b.findings.emit(detect.Notice{Finding: f("Password spray", finding.High), Outcome: store.Created})
	if n := next(); n.Title != "High finding: Password spray" || n.Content != "Password spray in detail" {
		t.Errorf("live notification %q / %q", n.Title, n.Content)
	}
	select {
	case <-ticks:
	case <-time.After(5 * time.Second):
		t.Error("findings subscribers were not ticked")
	}
	b.findings.emit(detect.Notice{Finding: f("Password spray", finding.High), Outcome: store.Merged})
	b.status.Publish(health.Status{State: health.WaitingForData, Backfilling: true})
	for i := range 5 {
		b.findings.emit(detect.Notice{Finding: f("Found "+string(rune('A'+i)), finding.Medium), Outcome: store.Created, Backfill: true})
	}
	b.status.Publish(health.Status{State: health.Healthy, Backfilling: false})
	if n := next(); n.Title != "5 findings in the last 7 days" {
		t.Errorf("digest %q / %q", n.Title, n.Content)
	}
	select {
	case n := <-sent:
		t.Errorf("extra notification %q", n.Title)
	case <-time.After(200 * time.Millisecond):
	}
}
