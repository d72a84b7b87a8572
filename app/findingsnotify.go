package app

import (
	"context"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/app/findingalerts"
	"github.com/auditlight/auditlight/collector/detect"
	"github.com/auditlight/auditlight/collector/walkthrough"
)

// notifyFindings sends the desktop notifications of detections until ctx
// ends: one per new live finding of medium or higher severity, one digest
// after the backfill, and "detection test passed" when a waiting
// walkthrough test sees its finding. send is Fyne's SendNotification.
func notifyFindings(ctx context.Context, send func(*fyne.Notification), b *backend, log *slog.Logger) {
	n := findingalerts.New(func(m findingalerts.Message) {
		log.Info("notification", "title", m.Title)
		send(fyne.NewNotification(m.Title, m.Body))
	})
	notices := make(chan detect.Notice, 64)
	unhook := b.OnFinding(func(x detect.Notice) {
		n.Notice(x)
		select { // wake the walkthrough check; never block the engine
		case notices <- x:
		default:
		}
	})
	defer unhook()
	status, unsub := b.SubscribeStatus()
	defer unsub()
	for {
		select {
		case <-ctx.Done():
			return
		case st := <-status:
			n.Status(st)
		case <-notices:
			checkWalkthrough(ctx, b, send, log)
		}
	}
}

// checkWalkthrough advances waiting detection tests and announces a pass.
func checkWalkthrough(ctx context.Context, b *backend, send func(*fyne.Notification), log *slog.Logger) {
	m := b.Walkthrough()
	if m == nil {
		return
	}
	st, err := m.State(ctx)
	if err != nil {
		log.Warn("detection test", "err", err)
		return
	}
	for _, p := range st.Tests {
		if p.Step != walkthrough.StepWaiting {
			continue
		}
		after, err := m.Check(ctx, p.Test)
		if err != nil {
			log.Warn("detection test", "test", p.Test, "err", err)
			continue
		}
		if after.Step == walkthrough.StepPassed {
			log.Info("detection test passed", "test", p.Test, "finding", after.FindingID, "after", after.PassedAt.Sub(after.ActedAt).Round(time.Second))
			t, _ := walkthrough.TestByID(p.Test)
			send(fyne.NewNotification("Detection test passed: "+t.Title,
				"AuditLight raised the finding. Remember to undo the test: "+t.Cleanup[0].Text))
		}
	}
}
