package uikit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// Tabs shows one screen at a time under a tab bar, switching without
// redrawing the screens that did not change.
//
// Fyne's AppTabs refreshes the content of every tab each time one is
// selected (its theme pass) and frees the textures of its whole tree: every
// label of every screen is shaped again, every visible list row re-bound and
// all text re-rasterised, ~60 ms per click in the window (issue 12). Here
// AppTabs draws only the bar, over empty placeholders, and the screens sit in
// a stack of which exactly one is visible: a switch hides one screen and
// shows the other, keeping what each displays. Each screen refreshes its own
// widgets when its data changes, and a theme change reaches them through
// Fyne's own walk of the window's tree.
//
// Use it on the Fyne goroutine.
type Tabs struct {
	bar     *container.AppTabs
	items   []*container.TabItem
	screens []*fyne.Container // one per item, each a stack around its screen
	content *fyne.Container

	// OnSelected is called after a tab was selected, by the admin or by
	// Select, with its screen shown.
	OnSelected func(*container.TabItem)
}

// NewTabs makes the tabs; each item's Content is its screen (Tabs keeps it
// and gives the bar an empty placeholder instead). The first tab is shown.
func NewTabs(items ...*container.TabItem) *Tabs {
	t := &Tabs{items: items}
	stack := container.NewStack()
	for i, it := range items {
		screen := container.NewStack(it.Content)
		screen.Hidden = i != 0
		t.screens = append(t.screens, screen)
		stack.Add(screen)
		it.Content = layout.NewSpacer()
	}
	t.bar = container.NewAppTabs(items...)
	t.bar.OnSelected = t.selected
	t.content = container.New(barOver{}, t.bar, stack)
	return t
}

// barOver lays out the bar at the top at its minimum height and the stack of
// screens below it with no gap: where AppTabs put a tab's content (a
// border layout would add a padding, moving every screen down).
type barOver struct{}

// Layout places objects[0] (the bar) over objects[1] (the screens).
func (barOver) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	bar, screens := objects[0], objects[1]
	h := bar.MinSize().Height
	bar.Move(fyne.NewPos(0, 0))
	bar.Resize(fyne.NewSize(size.Width, h))
	screens.Move(fyne.NewPos(0, h))
	screens.Resize(fyne.NewSize(size.Width, size.Height-h))
}

// MinSize is the bar over the largest screen.
func (barOver) MinSize(objects []fyne.CanvasObject) fyne.Size {
	bar, screens := objects[0].MinSize(), objects[1].MinSize()
	return fyne.NewSize(max(bar.Width, screens.Width), bar.Height+screens.Height)
}

// selected shows the screen of the tab the bar selected.
func (t *Tabs) selected(it *container.TabItem) {
	for i, s := range t.screens {
		if t.items[i] == it {
			s.Show()
		} else {
			s.Hide() // a no-op for screens already hidden
		}
	}
	if t.OnSelected != nil {
		t.OnSelected(it)
	}
}

// Content is what the window shows: the bar over the selected screen.
func (t *Tabs) Content() fyne.CanvasObject { return t.content }

// Items returns the tabs in bar order.
func (t *Tabs) Items() []*container.TabItem { return t.items }

// Select shows the tab (a no-op when it is already shown).
func (t *Tabs) Select(it *container.TabItem) { t.bar.Select(it) }

// SelectIndex shows the tab at index i in bar order.
func (t *Tabs) SelectIndex(i int) { t.bar.SelectIndex(i) }

// Selected returns the tab shown.
func (t *Tabs) Selected() *container.TabItem { return t.bar.Selected() }

// SelectedIndex returns the index of the tab shown.
func (t *Tabs) SelectedIndex() int { return t.bar.SelectedIndex() }
