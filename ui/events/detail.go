package events

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// eventDetail shows the selected record's fields and its raw JSON.
type eventDetail struct {
	fields  *widget.Form
	values  map[string]*widget.Label
	raw     *widget.Label
	copyBtn *widget.Button
	empty   *widget.Label
	body    *fyne.Container
	content fyne.CanvasObject
	rawText string
	shown   Row // the row shown: a record read for another row is dropped
}

// detailFields are the labelled fields in the detail pane.
func detailFields() []string {
	return []string{"Time (local)", "Time (UTC)", "User", "Display name", "Operation", "Workload", "Content type", "Client IP", "Result", "Object", "Record ID"}
}

func detailValues(r Row) []string {
	return []string{uikit.FormatLocal(r.Time), r.Time.UTC().Format("2006-01-02 15:04:05"), r.User, r.UserDisplay,
		r.Operation, r.Workload, r.ContentType, r.ClientIP, resultText(r.Result), r.ObjectID, r.ID}
}

func newEventDetail(onClose func()) *eventDetail {
	d := &eventDetail{fields: widget.NewForm(), values: map[string]*widget.Label{}}
	for _, name := range detailFields() {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapBreak
		l.Selectable = true
		d.values[name] = l
		d.fields.Append(name, l)
	}
	d.raw = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	d.raw.Selectable = true
	d.raw.Wrapping = fyne.TextWrapBreak
	d.copyBtn = widget.NewButtonWithIcon("Copy JSON", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(d.rawText)
	})
	d.empty = widget.NewLabel("Select an event to see all its fields.")
	closeBtn := widget.NewButtonWithIcon("Close", theme.CancelIcon(), onClose)
	d.body = container.NewVBox(container.NewHBox(layout.NewSpacer(), closeBtn), d.fields,
		container.NewHBox(uikit.Heading("Raw record"), d.copyBtn), d.raw)
	d.body.Hide()
	d.content = container.NewVScroll(container.NewVBox(d.empty, d.body))
	return d
}

// show shows r's fields and its record, or "Reading the record…" until
// showRecord brings it when the row came without it (the feed's pages
// carry columns only).
func (d *eventDetail) show(r Row) {
	d.shown = r
	for i, v := range detailValues(r) {
		d.values[detailFields()[i]].SetText(v)
	}
	if r.Raw != nil {
		d.setRecord(prettyJSON(r.Raw), true)
	} else {
		d.setRecord("Reading the record…", false)
	}
	d.empty.Hide()
	d.body.Show()
}

// showRecord shows the record read for the row with id and time at, unless
// another row is shown by now. A record that cannot be read is said, with
// why; the fields above it stay.
func (d *eventDetail) showRecord(id string, at time.Time, raw []byte, err error) {
	if d.shown.ID != id || !d.shown.Time.Equal(at) {
		return
	}
	if err != nil {
		d.setRecord("This record cannot be read: "+err.Error(), false)
		return
	}
	d.setRecord(prettyJSON(raw), true)
}

func (d *eventDetail) setRecord(text string, copyable bool) {
	d.rawText = ""
	if copyable {
		d.rawText = text
		d.copyBtn.Enable()
	} else {
		d.copyBtn.Disable()
	}
	d.raw.SetText(text)
}

func (d *eventDetail) clear() {
	d.rawText = ""
	d.shown = Row{}
	d.body.Hide()
	d.empty.Show()
}
