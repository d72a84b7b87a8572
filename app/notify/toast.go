package notify

import (
	"encoding/xml"
	"fmt"
)

// Toast is the content of a Windows toast.
type Toast struct {
	Title, Body string
	// Launch is handed back to the app when the user clicks the toast.
	Launch string
}

// toastXML mirrors the toast schema's elements AuditLight uses
// (https://learn.microsoft.com/windows/apps/design/shell/tiles-and-notifications/adaptive-interactive-toasts).
type toastXML struct {
	XMLName        xml.Name `xml:"toast"`
	ActivationType string   `xml:"activationType,attr"`
	Launch         string   `xml:"launch,attr"`
	Duration       string   `xml:"duration,attr"`
	Binding        struct {
		Template string   `xml:"template,attr"`
		Texts    []string `xml:"text"`
	} `xml:"visual>binding"`
	Audio struct {
		Src string `xml:"src,attr"`
	} `xml:"audio"`
}

// maxTitle and maxBody keep a toast readable (Windows shows two lines of
// title and four of body and cuts the rest).
const (
	maxTitle = 120
	maxBody  = 400
)

// XML renders the toast: foreground activation (a click reaches the app's
// activator with Launch), the default sound, text escaped.
func (t Toast) XML() (string, error) {
	if t.Title == "" && t.Body == "" {
		return "", fmt.Errorf("building the toast: no title and no body")
	}
	var x toastXML
	x.ActivationType = "foreground"
	x.Launch = t.Launch
	x.Duration = "short"
	x.Binding.Template = "ToastGeneric"
	for _, s := range []struct {
		text string
		max  int
	}{{t.Title, maxTitle}, {t.Body, maxBody}} {
		if s.text != "" {
			x.Binding.Texts = append(x.Binding.Texts, clip(s.text, s.max))
		}
	}
	x.Audio.Src = "ms-winsoundevent:Notification.Default"
	b, err := xml.Marshal(x)
	if err != nil {
		return "", fmt.Errorf("building the toast: %w", err)
	}
	return string(b), nil
}

// clip shortens s to at most max runes, ending with "…" when cut.
func clip(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max-1]) + "…"
}
