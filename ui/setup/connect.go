package setup

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// connectState is the last step: test, then connect.
type connectState struct {
	checks    *ChecksPanel
	run       *widget.Button
	keepTry   *widget.Button // "Save and keep trying", for failures only time fixes
	finish    *widget.Button
	status    *widget.Label
	bar       *widget.ProgressBarInfinite
	connected bool
}

func (wz *Wizard) connectStep() *wizardStep {
	cs := &wz.connect
	cs.checks = NewChecksPanel(wz.GoToStep)
	cs.status = uikit.Message()
	cs.bar = widget.NewProgressBarInfinite()
	cs.bar.Stop()
	cs.bar.Hide()
	cs.run = widget.NewButtonWithIcon("Test and connect", theme.MediaPlayIcon(), wz.startConnect)
	cs.run.Importance = widget.HighImportance
	cs.finish = widget.NewButtonWithIcon("Finish", theme.ConfirmIcon(), func() {
		if wz.onDone != nil {
			wz.onDone()
		}
	})
	cs.finish.Importance = widget.SuccessImportance
	cs.finish.Hide()
	cs.keepTry = widget.NewButtonWithIcon("Save and keep trying", theme.HistoryIcon(), wz.saveAndKeepTrying)
	cs.keepTry.Hide()
	c := container.NewVBox(
		uikit.Para("AuditLight now signs in with what you entered and checks each requirement: sign-in, permissions and consent, auditing, and the audit feed subscriptions. This takes a few seconds."),
		container.NewHBox(cs.run, cs.keepTry, cs.finish),
		cs.bar,
		cs.status,
		cs.checks.content,
	)
	return &wizardStep{name: StepConnect, title: "Test and connect", content: c, valid: func() bool { return cs.connected }}
}

// startConnect runs TestConnection and, when it passes, Connect — in a
// goroutine, so the window never freezes. Every widget update is queued with
// Options.Gate.
func (wz *Wizard) startConnect() {
	cs := &wz.connect
	if !wz.canRun() {
		return
	}
	cs.checks.Reset()
	cs.keepTry.Hide()
	cs.bar.Show()
	cs.bar.Start()
	ctx, cancel, draft, secret := wz.begin("Testing the connection…")
	do := wz.opts.do
	go func() {
		defer cancel()
		rep := wz.b.TestConnection(ctx, draft, secret, func(r CheckResult) {
			do(func() { cs.checks.Update(r) })
		})
		var connErr error
		if rep.OK {
			do(func() {
				uikit.SetMessage(cs.status, "Checks passed. Saving and starting collection…", widget.MediumImportance)
			})
			connErr = wz.b.Connect(ctx, draft, secret)
		}
		do(func() { wz.connectDone(rep, connErr) })
	}()
}

// connectDone shows the outcome on the Fyne goroutine.
func (wz *Wizard) connectDone(rep CheckReport, connErr error) {
	cs := &wz.connect
	wz.busy = false
	cs.bar.Stop()
	cs.bar.Hide()
	cs.checks.Finish(rep)
	switch {
	case !rep.OK:
		msg := "The connection test failed."
		if r, ok := cs.checks.failed(); ok {
			msg = fmt.Sprintf("%s failed: %s", r.Title, uikit.Sentence(r.Reason))
			if r.Fix != "" {
				msg += "\nFix: " + uikit.Sentence(r.Fix)
			}
		}
		imp := widget.DangerImportance
		if onlyTimeFixes(rep) {
			imp = widget.WarningImportance
			msg = "Microsoft does not serve the audit log yet. If you switched auditing on in the last 72 hours this is expected: " +
				"choose Save and keep trying, and AuditLight waits (blue light) and turns green by itself once data flows.\n\n" + msg
			cs.keepTry.Show()
		}
		uikit.SetMessage(cs.status, msg, imp)
		cs.run.SetText("Test again")
		cs.run.Enable()
	case connErr != nil:
		uikit.SetMessage(cs.status, "The test passed but AuditLight could not save the settings: "+uikit.Sentence(connErr.Error()), widget.DangerImportance)
		cs.run.SetText("Try again")
		cs.run.Enable()
	default:
		cs.connected = true
		uikit.SetMessage(cs.status, "Connected. AuditLight is collecting your audit log.", widget.SuccessImportance)
		cs.run.Hide()
		cs.finish.Show()
	}
	wz.refreshNav()
}

// onlyTimeFixes reports whether every failed check is one only time fixes
// (audit logging just switched on) and at least one failed.
func onlyTimeFixes(rep CheckReport) bool {
	failed := false
	for _, r := range rep.Results {
		if r.Status == CheckFail {
			if !r.Waitable {
				return false
			}
			failed = true
		}
	}
	return failed
}

// saveAndKeepTrying saves the settings although the test failed on
// something only time fixes, and starts collecting: the light waits blue
// ("waiting for Microsoft to turn on auditing") and turns green by itself.
func (wz *Wizard) saveAndKeepTrying() {
	cs := &wz.connect
	if !wz.canRun() {
		return
	}
	cs.keepTry.Disable()
	ctx, cancel, draft, secret := wz.begin("Saving and starting collection…")
	draft.AuditPending = true
	do := wz.opts.do
	go func() {
		defer cancel()
		err := wz.b.Connect(ctx, draft, secret)
		do(func() {
			wz.busy = false
			cs.keepTry.Enable()
			if err != nil {
				uikit.SetMessage(cs.status, "AuditLight could not save the settings: "+uikit.Sentence(err.Error()), widget.DangerImportance)
				cs.run.Enable()
				wz.refreshNav()
				return
			}
			cs.connected = true
			uikit.SetMessage(cs.status, "Saved. AuditLight keeps trying: the light stays blue, waiting for Microsoft to turn on auditing (can take up to 72 h), and turns green by itself. You do not need to enter the secret again.", widget.SuccessImportance)
			cs.run.Hide()
			cs.keepTry.Hide()
			cs.finish.Show()
			wz.refreshNav()
		})
	}()
}

// canRun reports whether a test or save may start now: nothing running, not
// yet connected, and a secret typed (without one the wizard goes back to the
// secret step).
func (wz *Wizard) canRun() bool {
	if wz.busy || wz.connect.connected {
		return false
	}
	if wz.fields.secretValue == "" {
		wz.GoToStep(StepSecret)
		return false
	}
	return true
}

// begin marks the wizard busy with status shown and returns the context of
// the background run (Close cancels it) with the draft and secret to use.
func (wz *Wizard) begin(status string) (context.Context, context.CancelFunc, Draft, string) {
	cs := &wz.connect
	wz.busy = true
	cs.run.Disable()
	uikit.SetMessage(cs.status, status, widget.MediumImportance)
	wz.refreshNav()
	ctx, cancel := context.WithCancel(context.Background())
	wz.cancel = cancel
	return ctx, cancel, wz.draft, wz.fields.secretValue
}
