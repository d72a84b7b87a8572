package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/collector/health"
)

// StatusLight is a large round light in the colour of a health state with
// the state's name beside it. Colours come from the theme (disabled, primary,
// success, warning, error) so they follow light and dark variants.
type StatusLight struct {
	widget.BaseWidget

	// Diameter of the light in theme units; 0 means 48.
	Diameter float32

	state health.State
	label string
}

// NewStatusLight returns a light showing state.
func NewStatusLight(state health.State) *StatusLight {
	l := &StatusLight{state: state, label: stateTitle(state)}
	l.ExtendBaseWidget(l)
	return l
}

// SetState changes the colour and label. Call it on the Fyne goroutine.
func (l *StatusLight) SetState(state health.State) { l.SetStateLabel(state, stateTitle(state)) }

// SetStateLabel changes the colour and shows label beside it (e.g. "Paused"
// on amber). Call it on the Fyne goroutine.
func (l *StatusLight) SetStateLabel(state health.State, label string) {
	if l.state == state && l.label == label {
		return
	}
	l.state = state
	l.label = label
	l.Refresh()
}

// State returns the state shown.
func (l *StatusLight) State() health.State { return l.state }

// ColorName returns the theme colour name the light is drawn in.
func (l *StatusLight) ColorName() fyne.ThemeColorName { return stateColorName(l.state) }

// Label returns the text shown next to the light.
func (l *StatusLight) Label() string { return l.label }

// CreateRenderer implements fyne.Widget.
func (l *StatusLight) CreateRenderer() fyne.WidgetRenderer {
	r := &statusLightRenderer{
		light:  l,
		circle: canvas.NewCircle(color.Transparent),
		text:   canvas.NewText("", color.Black),
	}
	r.circle.StrokeWidth = 2
	r.text.TextStyle = fyne.TextStyle{Bold: true}
	r.Refresh()
	return r
}

type statusLightRenderer struct {
	light  *StatusLight
	circle *canvas.Circle
	text   *canvas.Text
}

func (r *statusLightRenderer) diameter() float32 {
	if r.light.Diameter > 0 {
		return r.light.Diameter
	}
	return 48
}

// Layout implements fyne.WidgetRenderer.
func (r *statusLightRenderer) Layout(size fyne.Size) {
	d := fyne.Min(r.diameter(), size.Height)
	r.circle.Resize(fyne.NewSquareSize(d))
	r.circle.Move(fyne.NewPos(0, (size.Height-d)/2))
	ts := r.text.MinSize()
	r.text.Resize(ts)
	r.text.Move(fyne.NewPos(d+theme.Padding()*3, (size.Height-ts.Height)/2))
}

// MinSize implements fyne.WidgetRenderer.
func (r *statusLightRenderer) MinSize() fyne.Size {
	d := r.diameter()
	ts := r.text.MinSize()
	return fyne.NewSize(d+theme.Padding()*3+ts.Width, fyne.Max(d, ts.Height))
}

// Refresh implements fyne.WidgetRenderer.
func (r *statusLightRenderer) Refresh() {
	th := r.light.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.circle.FillColor = th.Color(r.light.ColorName(), v)
	r.circle.StrokeColor = th.Color(theme.ColorNameForeground, v)
	r.text.Text = r.light.label
	r.text.Color = th.Color(theme.ColorNameForeground, v)
	r.text.TextSize = th.Size(theme.SizeNameSubHeadingText)
	r.Layout(r.light.Size())
	r.circle.Refresh()
	r.text.Refresh()
}

// Objects implements fyne.WidgetRenderer.
func (r *statusLightRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.circle, r.text}
}

// Destroy implements fyne.WidgetRenderer.
func (r *statusLightRenderer) Destroy() {}
