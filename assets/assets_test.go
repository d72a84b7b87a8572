package assets

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/auditlight/auditlight/collector/health"
)

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding PNG: %v", err)
	}
	return img
}

func TestAppIconIs256PNG(t *testing.T) {
	img := decode(t, AppIcon().Content())
	if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Fatalf("app icon is %v, want 256×256", b)
	}
}

func TestTrayIconPerStateAndSize(t *testing.T) {
	states := []health.State{health.NotConfigured, health.WaitingForData, health.Healthy, health.Degraded, health.ActionNeeded}
	tests := []struct{ ask, want int }{{16, 16}, {20, 32}, {32, 32}, {64, 64}, {200, 64}}
	for _, tc := range tests {
		seen := map[string]health.State{}
		for _, s := range states {
			res := TrayIconSized(s, tc.ask)
			img := decode(t, res.Content())
			if got := img.Bounds().Dx(); got != tc.want {
				t.Errorf("%v at %d px: got %d px, want %d", s, tc.ask, got, tc.want)
			}
			// a pixel left of the glyph is the state's colour, so every state looks different
			c := img.At(tc.want/4, tc.want/2)
			r, g, b, _ := c.RGBA()
			key := string([]byte{byte(r >> 8), byte(g >> 8), byte(b >> 8)})
			if other, dup := seen[key]; dup {
				t.Errorf("%v and %v have the same centre colour at %d px", s, other, tc.want)
			}
			seen[key] = s
		}
	}
}

func TestTrayIconLegibleOnLightAndDark(t *testing.T) {
	// The outline must contain a dark and a light opaque ring so the light
	// stands out on both kinds of panel.
	for _, px := range TraySizes() {
		img := decode(t, TrayIconSized(health.Healthy, px).Content())
		var dark, light bool
		y := px / 2
		for x := 0; x < px/2; x++ {
			r, g, b, a := img.At(x, y).RGBA()
			if a < 0xc000 {
				continue
			}
			lum := (299*r + 587*g + 114*b) / 1000
			if lum < 0x4000 {
				dark = true
			}
			if lum > 0xd000 {
				light = true
			}
		}
		if !dark || !light {
			t.Errorf("%d px: dark ring %v, light ring %v; want both", px, dark, light)
		}
	}
}

func TestTrayIconDefaultAndUnknownState(t *testing.T) {
	if got := decode(t, TrayIcon(health.Healthy).Content()).Bounds().Dx(); got != 64 {
		t.Errorf("TrayIcon size %d, want 64", got)
	}
	if TrayIcon(health.State(42)).Name() != TrayIcon(health.NotConfigured).Name() {
		t.Error("unknown state should fall back to the grey light")
	}
}

// glyphMask marks the pixels inside the disc that differ clearly from the
// light's own colour: the glyph.
func glyphMask(img image.Image, px int) []bool {
	fr, fg, fb, _ := img.At(px/4, px/2).RGBA()
	mask := make([]bool, px*px)
	for y := 0; y < px; y++ {
		for x := 0; x < px; x++ {
			dx, dy := float64(x)+0.5-float64(px)/2, float64(y)+0.5-float64(px)/2
			if dx*dx+dy*dy > float64(px*px)*0.09 { // radius 0.3
				continue
			}
			r, g, b, _ := img.At(x, y).RGBA()
			diff := absDiff(r, fr) + absDiff(g, fg) + absDiff(b, fb)
			mask[y*px+x] = diff > 3*0x4000
		}
	}
	return mask
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// Colour-blind admins tell the states apart by the glyph: every pair of
// tray icons differs in shape, not only in colour (issue 10, item 16).
func TestTrayIconsDifferByShape(t *testing.T) {
	states := []health.State{health.NotConfigured, health.WaitingForData, health.Healthy, health.Degraded, health.ActionNeeded}
	for _, px := range TraySizes() {
		masks := make([][]bool, len(states))
		for i, s := range states {
			masks[i] = glyphMask(decode(t, TrayIconSized(s, px).Content()), px)
		}
		for i := range states {
			for j := i + 1; j < len(states); j++ {
				diff := 0
				for k := range masks[i] {
					if masks[i][k] != masks[j][k] {
						diff++
					}
				}
				if diff < px/4+2 {
					t.Errorf("%d px: %v and %v differ in only %d glyph pixels", px, states[i], states[j], diff)
				}
			}
		}
	}
}
