package findings

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
)

// onlyThis is the allow choice that adds no allow-list entry.
const onlyThis = "Only this finding (keep alerting on it in future)"

// fpForm is the "False positive" dialog: which value to allow-list (for
// example "this forwarding domain is fine: partner.example") and a note.
type fpForm struct {
	f      finding.Finding
	values map[string]string // choice label -> allow value
	choice *widget.RadioGroup
	note   *widget.Entry
	dlg    dialog.Dialog
}

// allowChoice is the label of the choice that allow-lists value.
func allowChoice(kind, value string) string {
	if kind == "" {
		kind = "value"
	}
	return fmt.Sprintf("This %s is fine: %s", kind, value)
}

// newFPForm builds the form for f.
func newFPForm(f finding.Finding) *fpForm {
	p := &fpForm{f: f, values: map[string]string{}}
	labels := []string{onlyThis}
	for _, val := range f.AllowValues {
		l := allowChoice(f.AllowKind, val)
		p.values[l] = val
		labels = append(labels, l)
	}
	p.choice = widget.NewRadioGroup(labels, nil)
	p.choice.Required = true
	p.choice.SetSelected(onlyThis)
	p.note = widget.NewEntry()
	p.note.SetPlaceHolder("Why this is fine (optional), e.g. \"our accountant's firm\"")
	return p
}

// entry is the allow-list entry the form asks for (nil = none).
func (p *fpForm) entry() *finding.Entry {
	val, ok := p.values[p.choice.Selected]
	if !ok {
		return nil
	}
	return &finding.Entry{RuleID: p.f.RuleID, Value: val, Note: p.note.Text}
}

// ShowFalsePositive asks whether to allow-list a value of the shown finding,
// then marks it a false positive.
func (v *View) ShowFalsePositive() {
	f := v.current
	if f.ID == 0 {
		return
	}
	p := newFPForm(f)
	intro := para("AuditLight will stop showing this finding.")
	if len(f.AllowValues) > 0 {
		intro.SetText("AuditLight will stop showing this finding. You can also tell it that a value is fine, so the same rule no longer raises findings for it:")
	}
	content := container.NewVBox(intro)
	if len(f.AllowValues) > 0 { // the note is kept with the allow-list entry
		content.Add(p.choice)
		content.Add(widget.NewLabel("Note"))
		content.Add(p.note)
	}
	p.dlg = dialog.NewCustomConfirm("Mark as false positive", "Mark false positive", "Cancel", content, func(ok bool) {
		if ok {
			v.confirmFalsePositive()
		}
		v.fp = nil
	}, v.win)
	p.dlg.Resize(fyne.NewSize(560, 0))
	v.fp = p
	p.dlg.Show()
}

// confirmFalsePositive applies the open false-positive form.
func (v *View) confirmFalsePositive() {
	p := v.fp
	if p == nil {
		return
	}
	v.setStatus(finding.StatusFalsePositive, p.entry())
}
