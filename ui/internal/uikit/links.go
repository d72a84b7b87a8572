package uikit

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/uigate"
)

// Portal pages the wizard and dashboard link to (commercial cloud).

// Link returns a hyperlink; the URLs above are constants, so a parse error is
// impossible and the text is shown without a Link in that case. g serves
// the Copy button of the address shown when no browser opens.
func Link(g *uigate.Gate, text, raw string) fyne.CanvasObject {
	u, err := url.Parse(raw)
	if err != nil {
		return widget.NewLabel(text)
	}
	h := widget.NewHyperlink(text, u)
	h.OnTapped = func() { OpenOrShow(g, h, u) }
	return h
}

// OpenOrShow opens u in the browser; when none opens it shows the address
// to copy instead of failing silently.
func OpenOrShow(g *uigate.Gate, from fyne.CanvasObject, u *url.URL) {
	err := fyne.CurrentApp().OpenURL(u)
	if err == nil {
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(from)
	if c == nil {
		return
	}
	ShowURL(g, c, u.String(), err)
}

// ShowURL shows an address that could not be opened, selectable, with Copy
// (g brings the button back from "Copied").
func ShowURL(g *uigate.Gate, c fyne.Canvas, addr string, err error) *Modal {
	e := widget.NewEntry()
	e.SetText(addr)
	var btn *widget.Button
	btn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(addr)
		Copied(g, btn)
	})
	m := NewModal(c, "Open this address in your browser", container.NewVBox(
		Para("AuditLight could not open a browser ("+Sentence(err.Error())+") Copy the address into one:"),
		container.NewBorder(nil, nil, nil, btn, e)), "", nil)
	m.Text = addr
	m.Show(c)
	return m
}

// OpenURL opens raw in the browser through the current app.
func OpenURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	return fyne.CurrentApp().OpenURL(u)
}
