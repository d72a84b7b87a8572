package uikit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The screens sit exactly where AppTabs put a tab's content, so the window
// looks as before and the scripts' click coordinates still hit (smoke.sh
// clicks the dashboard's Pause by position).
func TestTabsPlaceScreensWhereAppTabsDoes(t *testing.T) {
	tests := []struct {
		name string
		size fyne.Size
	}{{"the default window", fyne.NewSize(1100, 760)}, {"a small window", fyne.NewSize(640, 480)}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t)
			items := func() (*widget.Label, []*container.TabItem) {
				first := widget.NewLabel("status")
				return first, []*container.TabItem{
					container.NewTabItemWithIcon("Status", theme.HomeIcon(), first),
					container.NewTabItemWithIcon("Events", theme.ListIcon(), widget.NewLabel("events")),
				}
			}
			refScreen, refItems := items()
			ref := test.NewTempWindow(t, container.NewAppTabs(refItems...))
			ref.SetPadded(false)
			ref.Resize(tc.size)
			screen, its := items()
			tabs := NewTabs(its...)
			w := test.NewTempWindow(t, tabs.Content())
			w.SetPadded(false)
			w.Resize(tc.size)
			// AppTabs moves the content itself; Tabs' screen sits in a stack
			want := refScreen.Position()
			got := fyne.CurrentApp().Driver().AbsolutePositionForObject(screen)
			if got != want || screen.Size() != refScreen.Size() {
				t.Errorf("screen at %v size %v, AppTabs puts it at %v size %v", got, screen.Size(), want, refScreen.Size())
			}
		})
	}
}
