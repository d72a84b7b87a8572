package setup

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Wizard is the guided first-run setup: seven steps from prerequisites to a
// tested connection. Place Content() in a window; onDone runs after a
// successful Connect when the admin taps Finish.
type Wizard struct {
	win    fyne.Window
	b      Backend
	v      Validator
	onDone func()
	opts   Options

	draft   Draft
	steps   []*wizardStep
	current int
	busy    bool // a test connection is running

	title, progress *widget.Label
	body            *fyne.Container
	back, next      *widget.Button
	cancelBtn       *widget.Button
	content         fyne.CanvasObject

	fields  wizardFields
	connect connectState
	cancel  context.CancelFunc
}

// wizardStep is one page: its name (see the Step* constants), title,
// content and a check that decides whether Next is enabled.
type wizardStep struct {
	name    string
	title   string
	content fyne.CanvasObject
	valid   func() bool
}

// NewWizard builds the setup wizard, resuming from the saved draft. Options
// inject the clock, logger, dispatcher and date order.
func NewWizard(w fyne.Window, b Backend, v Validator, onDone func(), o Options) *Wizard {
	wz := &Wizard{win: w, b: b, v: v, onDone: onDone, opts: o}
	wz.draft = b.LoadDraft()
	if wz.draft.SecretExpiry.IsZero() { // reopened for a connected tenant: the expiry is known
		wz.draft.SecretExpiry = b.SecretExpiry()
	}
	if wz.draft.Cloud == "" {
		wz.draft.Cloud = cloudCommercial
	}
	wz.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	wz.title.SizeName = theme.SizeNameHeadingText
	wz.progress = widget.NewLabel("")
	wz.body = container.NewStack()
	wz.back = widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { wz.GoTo(wz.current - 1) })
	wz.next = widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), func() { wz.GoTo(wz.current + 1) })
	wz.next.IconPlacement = widget.ButtonIconTrailingText
	wz.cancelBtn = widget.NewButton("Cancel", nil)
	wz.cancelBtn.Hide()
	wz.next.Importance = widget.HighImportance

	wz.steps = []*wizardStep{
		wz.beforeStep(),
		wz.registerStep(),
		wz.idsStep(),
		wz.permissionsStep(),
		wz.secretStep(),
		wz.cloudStep(),
		wz.connectStep(),
	}
	top := container.NewVBox(container.NewHBox(wz.title, layout.NewSpacer(), wz.progress), widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), container.NewHBox(wz.back, layout.NewSpacer(), wz.cancelBtn, wz.next))
	wz.content = container.NewBorder(top, bottom, nil, nil, wz.body)

	// resume, but never past the secret: it is not saved, so it must be re-entered
	start := wz.draft.Step
	if secret, _ := stepIndex(StepSecret); start > secret {
		start = secret
	}
	wz.show(max(0, min(start, len(wz.steps)-1)))
	return wz
}

// Content returns the wizard's canvas object.
func (wz *Wizard) Content() fyne.CanvasObject { return wz.content }

// Step returns the current 0-based step index.
func (wz *Wizard) Step() int { return wz.current }

// StepName returns the current step's name (see the Step* constants).
func (wz *Wizard) StepName() string { return wz.steps[wz.current].name }

// Draft returns the non-secret fields entered so far.
func (wz *Wizard) Draft() Draft { return wz.draft }

// SetOnCancel shows a Cancel button that runs f (used when the wizard is
// opened from the dashboard of an already connected tenant); nil hides it.
func (wz *Wizard) SetOnCancel(f func()) {
	wz.cancelBtn.OnTapped = f
	if f == nil {
		wz.cancelBtn.Hide()
	} else {
		wz.cancelBtn.Show()
	}
}

// Close cancels a running test connection.
func (wz *Wizard) Close() {
	if wz.cancel != nil {
		wz.cancel()
	}
}

// GoTo moves to step i (clamped), saving the draft. Moving forward past an
// invalid step is refused; moving back is always allowed.
func (wz *Wizard) GoTo(i int) {
	if wz.busy {
		return
	}
	i = max(0, min(i, len(wz.steps)-1))
	for s := wz.current; s < i; s++ {
		if !wz.steps[s].valid() {
			i = s
			break
		}
	}
	wz.show(i)
	wz.draft.Step = i
	if err := wz.b.SaveDraft(wz.draft); err != nil {
		wz.opts.logger().Warn("saving setup draft", "err", err)
	}
}

// GoToStep moves to the named step (used by "Go to step" buttons).
func (wz *Wizard) GoToStep(name string) {
	if i, ok := stepIndex(name); ok {
		wz.GoTo(i)
	}
}

func (wz *Wizard) show(i int) {
	wz.current = i
	st := wz.steps[i]
	wz.title.SetText(st.title)
	wz.progress.SetText(fmt.Sprintf("Step %d of %d", i+1, len(wz.steps)))
	wz.body.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewPadded(st.content))}
	wz.body.Refresh()
	wz.refreshNav()
}

// refreshNav enables Back/Next from the current step's state.
func (wz *Wizard) refreshNav() {
	if wz.current >= len(wz.steps) {
		return // still building the steps
	}
	last := wz.current == len(wz.steps)-1
	if wz.current == 0 || wz.busy || wz.connect.connected {
		wz.back.Disable()
	} else {
		wz.back.Enable()
	}
	if last {
		wz.next.Hide()
		return
	}
	wz.next.Show()
	if wz.steps[wz.current].valid() {
		wz.next.Enable()
	} else {
		wz.next.Disable()
	}
}
