package findings

import (
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/finding"
	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// View is the Findings screen: a filterable list on the left and the
// selected finding's detail with its status actions on the right.
type View struct {
	win  fyne.Window
	src  Source
	opts Options

	ctx    context.Context
	cancel context.CancelFunc

	scope    Scope
	rows     []finding.Finding
	selected int64 // id of the finding shown in the detail (0 = none)
	listRow  int   // the row the list highlights (-1 = none)
	current  finding.Finding
	loading  bool // a list load is under way
	again    bool // Reload was asked for while loading: load once more after it
	outdated bool // findings may have changed since the list was loaded

	scopeRadio *widget.RadioGroup
	countLabel *widget.Label
	list       *widget.List
	empty      *widget.Label
	errLabel   *widget.Label

	detail *detailPanel
	fp     *fpForm

	content fyne.CanvasObject
}

// NewView builds the Findings view showing open findings; call Reload (or
// SetScope) to load them and Close when the window goes away.
func NewView(w fyne.Window, src Source, o Options) *View {
	v := &View{win: w, src: src, opts: o, scope: ScopeOpen}
	v.ctx, v.cancel = context.WithCancel(context.Background())
	labels := make([]string, 0, len(scopes()))
	for _, s := range scopes() {
		labels = append(labels, string(s))
	}
	v.scopeRadio = widget.NewRadioGroup(labels, func(s string) {
		if s == "" { // a radio group can be cleared by tapping; keep a scope
			v.scopeRadio.SetSelected(string(v.scope))
			return
		}
		if Scope(s) != v.scope {
			v.scope = Scope(s)
			v.Reload()
		}
	})
	v.scopeRadio.Horizontal = true
	v.scopeRadio.SetSelected(string(v.scope))
	v.countLabel = widget.NewLabel("")
	v.errLabel = widget.NewLabel("")
	v.errLabel.Importance = widget.DangerImportance
	v.errLabel.Wrapping = fyne.TextWrapWord
	v.errLabel.Hide()
	v.empty = para(v.scope.emptyText())
	v.list = widget.NewList(
		func() int { return len(v.rows) },
		func() fyne.CanvasObject { o, _ := newListRow(); return o },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.rows) {
				rowOf(o).set(v.rows[id], v.opts)
			}
		},
	)
	v.listRow = -1
	v.list.OnSelected = func(id widget.ListItemID) {
		v.listRow = id
		if id < len(v.rows) {
			v.Select(v.rows[id].ID)
		}
	}
	v.list.OnUnselected = func(id widget.ListItemID) {
		if v.listRow == id {
			v.listRow = -1
		}
	}
	v.detail = newDetailPanel(v)
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), v.Reload)
	top := container.NewVBox(
		container.NewHBox(widget.NewLabel("Show:"), v.scopeRadio, layout.NewSpacer(), v.countLabel, refresh),
		v.errLabel,
	)
	left := container.NewBorder(nil, nil, nil, nil, container.NewStack(v.list, container.NewVBox(v.empty)))
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(v.detail.box)))
	split.Offset = 0.42
	v.content = container.NewBorder(top, nil, nil, nil, split)
	return v
}

// rowOf finds the listRow behind a row object built by newListRow.
func rowOf(o fyne.CanvasObject) *listRow {
	vb := o.(*fyne.Container)
	bottom := vb.Objects[1].(*fyne.Container)
	return &listRow{
		title:    vb.Objects[0].(*uikit.CutLabel),
		severity: bottom.Objects[0].(*widget.Label),
		seen:     bottom.Objects[1].(*widget.Label),
		repeat:   bottom.Objects[2].(*widget.Label),
		status:   bottom.Objects[4].(*widget.Label),
	}
}

// Content returns the view's canvas object.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Close cancels background loads.
func (v *View) Close() { v.cancel() }

// Scope returns the list's status filter.
func (v *View) Scope() Scope { return v.scope }

// SetScope changes the status filter and reloads.
func (v *View) SetScope(s Scope) {
	if s == v.scope {
		v.Reload()
		return
	}
	v.scopeRadio.SetSelected(string(s)) // its callback reloads
}

// Rows returns the findings the list shows.
func (v *View) Rows() []finding.Finding { return slices.Clone(v.rows) }

// SelectedRow returns the list row that is highlighted (-1 when none).
func (v *View) SelectedRow() int { return v.listRow }

// Current returns the finding shown in the detail (zero ID when none).
func (v *View) Current() finding.Finding { return v.current }

// Reload queries the findings of the current scope in the background.
// Reloads asked for while one runs are merged into one more load after it,
// so a busy store (backfill ticks several times a second) never starves
// the list of answers.
func (v *View) Reload() {
	if v.outdated { // neither the old count nor "no findings" is known to be true
		v.countLabel.SetText(updatingText)
		v.empty.Hide()
	}
	if v.loading {
		v.again = true
		return
	}
	v.loading = true
	v.outdated = false
	scope := v.scope
	go func() {
		rows, err := v.src.Findings(v.ctx, scope.filter())
		if err != nil {
			err = fmt.Errorf("loading findings: %w", err)
			v.opts.logger().Warn("findings view", "err", err)
		}
		v.opts.do(func() {
			v.loading = false
			if scope == v.scope { // a scope change asked for another load
				v.showError(err)
				if err == nil {
					v.setRows(rows)
				} else if v.countLabel.Text == updatingText && !v.again {
					v.countLabel.SetText(countText(len(v.rows), countNew(v.rows)))
				}
			}
			if v.again || scope != v.scope {
				v.again = false
				v.Reload()
			}
		})
	}()
}

// updatingText stands in the count while an outdated list reloads.
const updatingText = "Updating…"

// Outdated says findings may have changed since the list was loaded (events
// arrived while the tab was not shown): the next Reload shows "Updating…"
// in the count until its answer replaces the list.
func (v *View) Outdated() { v.outdated = true }

// setRows shows rows, keeping the selection when it is still listed.
// The list is redrawn only when a row reads differently.
func (v *View) setRows(rows []finding.Finding) {
	sortForTriage(rows)
	same := slices.EqualFunc(v.rows, rows, func(a, b finding.Finding) bool {
		return a.ID == b.ID && textsFor(a, v.opts) == textsFor(b, v.opts)
	})
	v.rows = rows
	uikit.SetLabel(v.countLabel, countText(len(rows), countNew(rows)), v.countLabel.Importance, false)
	if empty := v.scope.emptyText(); v.empty.Text != empty || v.empty.Visible() != (len(rows) == 0) {
		v.empty.Text = empty
		v.empty.Hidden = len(rows) > 0
		v.empty.Refresh()
	}
	if !same {
		v.list.Refresh()
	}
	for i, f := range rows {
		if f.ID == v.selected {
			v.list.Select(i) // no-op when already selected there
			return
		}
	}
	v.list.UnselectAll()
	if v.selected == 0 && len(rows) > 0 {
		v.list.Select(0)
	}
}

// countText is the count beside the filter: "4 findings, 2 new".
func countText(total, fresh int) string {
	s := fmt.Sprintf("%d findings", total)
	if total == 1 {
		s = "1 finding"
	}
	if fresh > 0 {
		s += fmt.Sprintf(", %d new", fresh)
	}
	return s
}

// showError shows err above the list (nil hides it).
func (v *View) showError(err error) {
	if err == nil {
		if v.errLabel.Visible() {
			v.errLabel.Hide()
			v.content.Refresh()
		}
		return
	}
	v.errLabel.SetText(err.Error())
	v.errLabel.Show()
	v.content.Refresh()
}

// Select loads finding id with its evidence into the detail.
func (v *View) Select(id int64) {
	if id == v.selected && v.current.ID == id {
		return
	}
	v.selected = id
	go func() {
		f, err := v.src.Finding(v.ctx, id)
		if err != nil {
			err = fmt.Errorf("loading finding %d: %w", id, err)
			v.opts.logger().Warn("findings view", "err", err)
		}
		v.opts.do(func() {
			if v.selected != id {
				return
			}
			v.showError(err)
			if err == nil {
				v.show(f)
			}
		})
	}()
}

// show puts f in the detail and loads its evidence records.
func (v *View) show(f finding.Finding) {
	v.current = f
	v.detail.set(f)
	if v.opts.Evidence == nil || len(f.Evidence) == 0 {
		return
	}
	go func() {
		recs, err := v.opts.Evidence(v.ctx, f)
		if err != nil {
			err = fmt.Errorf("loading the evidence of finding %d: %w", f.ID, err)
			v.opts.logger().Warn("findings view", "err", err)
		}
		v.opts.do(func() {
			if v.current.ID == f.ID {
				v.detail.setEvidence(recs, err)
			}
		})
	}()
}

// setStatus changes the shown finding's status in the background.
func (v *View) setStatus(st finding.Status, allow *finding.Entry) {
	id := v.current.ID
	if id == 0 {
		return
	}
	v.detail.busy(true)
	go func() {
		f, err := v.src.SetFindingStatus(v.ctx, id, st, allow)
		if err != nil {
			err = fmt.Errorf("marking finding %d %s: %w", id, st.Label(), err)
			v.opts.logger().Warn("findings view", "err", err)
		} else {
			v.opts.logger().Info("finding status changed", "id", id, "status", string(st), "allowListed", allow != nil)
		}
		v.opts.do(func() {
			v.detail.busy(false)
			v.showError(err)
			if err != nil {
				return
			}
			if v.current.ID == id {
				f.Evidence, f.EvidenceCount = v.current.Evidence, max(f.EvidenceCount, v.current.EvidenceCount)
				v.current = f
				v.detail.setStatus(f)
			}
			v.Reload()
			if v.opts.OnChanged != nil {
				v.opts.OnChanged()
			}
		})
	}()
}

// Acknowledge marks the shown finding acknowledged (being looked into).
func (v *View) Acknowledge() { v.setStatus(finding.StatusAcknowledged, nil) }

// Resolve marks the shown finding resolved (dealt with).
func (v *View) Resolve() { v.setStatus(finding.StatusResolved, nil) }

// Reopen puts a resolved or false-positive finding back to new.
func (v *View) Reopen() { v.setStatus(finding.StatusNew, nil) }
