package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/internal/numfmt"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// exportFlow is one export: choose the format, then the file (Fyne's
// file-save dialog or an injected SaveFileFunc), then write it in the
// background with a progress bar and a Cancel button.
type exportFlow struct {
	format   *widget.RadioGroup
	ask      *uikit.Modal
	progress *uikit.Modal
	bar      *widget.ProgressBar
	status   *widget.Label
	cancel   context.CancelFunc
	done     bool
	err      error
	written  string
	rows     int64 // events written, from the last progress report
	message  *uikit.Modal
}

// exportFormatLabels pairs radio labels with formats.
func exportFormatLabels() map[string]ExportFormat {
	return map[string]ExportFormat{"CSV (spreadsheets)": CSV, "JSON lines (raw records)": JSONLines}
}

// ShowExport asks for the export format of the events that match the
// current filter, then for the destination file.
func (f *Feed) ShowExport() {
	ex := &exportFlow{}
	f.export = ex
	ex.format = widget.NewRadioGroup([]string{"CSV (spreadsheets)", "JSON lines (raw records)"}, nil)
	ex.format.Required = true
	ex.format.SetSelected("CSV (spreadsheets)")
	content := container.NewVBox(
		uikit.Para(fmt.Sprintf("Export the %s %s that match the current filter.", numfmt.Count(f.matched), uikit.PluralWord(int(f.matched), "event"))),
		ex.format,
		uikit.Para("CSV cells that a spreadsheet would run as a formula are prefixed with a quote. JSON lines keep each original record."),
	)
	ex.ask = uikit.NewModal(f.win.Canvas(), "Export events", content, "Choose file…", func() { f.chooseDestination(ex) })
	ex.ask.Show(f.win.Canvas())
}

func (f *Feed) suggestedName(format ExportFormat) string {
	return "auditlight-events-" + f.opts.now().Format("20060102-1504") + format.Extension()
}

// chooseDestination asks where to save and starts writing.
func (f *Feed) chooseDestination(ex *exportFlow) {
	format := exportFormatLabels()[ex.format.Selected]
	save := f.save
	if save == nil {
		save = nativeSaveFile(f.win, f.opts.logger())
	}
	save(f.suggestedName(format), func(w io.WriteCloser, location string, err error) {
		if err != nil {
			f.exportFinished(ex, "", fmt.Errorf("choosing the export file: %w", err))
			return
		}
		if w != nil {
			f.runExport(ex, format, w, location)
		}
	})
}

// runExport writes in the background; progress updates are throttled to
// whole percents so a large export does not flood the Fyne queue.
func (f *Feed) runExport(ex *exportFlow, format ExportFormat, w io.WriteCloser, location string) {
	ctx, cancel := context.WithCancel(f.ctx)
	ex.cancel = cancel
	ex.bar = widget.NewProgressBar()
	ex.status = widget.NewLabel("Starting…")
	ex.progress = uikit.NewModal(f.win.Canvas(), "Exporting "+format.String(), container.NewVBox(ex.bar, ex.status), "", nil)
	ex.progress.CancelButton.SetText("Cancel")
	ex.progress.OnCancel = cancel
	ex.progress.Show(f.win.Canvas())
	q := f.filter
	var mu sync.Mutex
	lastPct := -1
	var rows int64
	go func() {
		defer cancel()
		err := f.b.Export(ctx, q, format, w, func(done, total int64) {
			mu.Lock()
			rows = done
			mu.Unlock()
			pct := 100
			if total > 0 {
				pct = int(done * 100 / total)
			}
			mu.Lock()
			changed := pct != lastPct
			lastPct = pct
			mu.Unlock()
			if !changed {
				return
			}
			f.opts.do(func() {
				ex.bar.SetValue(float64(pct) / 100)
				ex.status.SetText(fmt.Sprintf("%s of %s events", numfmt.Count(done), numfmt.Count(total)))
			})
		})
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("closing %s: %w", location, cerr)
		}
		mu.Lock()
		n := rows
		mu.Unlock()
		f.opts.do(func() { ex.rows = n; f.exportFinished(ex, location, err) })
	}()
}

func (f *Feed) exportFinished(ex *exportFlow, location string, err error) {
	ex.done, ex.err, ex.written = true, err, location
	if ex.progress != nil {
		ex.progress.OnCancel = nil
		ex.progress.Hide()
	}
	switch {
	case errors.Is(err, context.Canceled):
		ex.message = uikit.ShowMessage(f.win, "Export cancelled", "The export was cancelled; the file may be incomplete.")
	case err != nil:
		ex.message = uikit.ShowMessage(f.win, "Export failed", uikit.Sentence(err.Error()))
	default:
		ex.message = uikit.ShowMessage(f.win, "Export finished", fmt.Sprintf("%s %s saved to %s", numfmt.Count(ex.rows), uikit.PluralWord(int(min(ex.rows, 2)), "event"), location))
	}
}
