package assets

import (
	"testing"

	"github.com/auditlight/auditlight/collector/health"
)

// The badged tray icon is the same light (glyph and all) with a badge dot
// in the top-right corner, at every size and for every state.
func TestTrayIconBadged(t *testing.T) {
	states := []health.State{health.NotConfigured, health.WaitingForData, health.Healthy, health.Degraded, health.ActionNeeded}
	fill := badgeFill()
	for _, px := range TraySizes() {
		for _, s := range states {
			plain := decode(t, TrayIconSized(s, px).Content())
			res := TrayIconBadgedSized(s, px)
			img := decode(t, res.Content())
			if img.Bounds() != plain.Bounds() {
				t.Fatalf("%v %d px: badged bounds %v, plain %v", s, px, img.Bounds(), plain.Bounds())
			}
			// the badge's centre has the badge colour
			bx, by := int(badgeX*float64(px)), int(badgeY*float64(px))
			r, g, b, a := img.At(bx, by).RGBA()
			if uint8(r>>8) != fill.R || uint8(g>>8) != fill.G || uint8(b>>8) != fill.B || a != 0xffff {
				t.Errorf("%v %d px: badge centre is %02x%02x%02x, want the badge colour", s, px, r>>8, g>>8, b>>8)
			}
			// outside the badge nothing changed (the state glyph stays)
			changed := 0
			for y := 0; y < px; y++ {
				for x := 0; x < px; x++ {
					fx, fy := (float64(x)+0.5)/float64(px)-badgeX, (float64(y)+0.5)/float64(px)-badgeY
					if fx*fx+fy*fy <= (badgeR+1.5/float64(px))*(badgeR+1.5/float64(px)) {
						continue
					}
					if img.At(x, y) != plain.At(x, y) {
						r1, g1, b1, a1 := img.At(x, y).RGBA()
						r2, g2, b2, a2 := plain.At(x, y).RGBA()
						if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
							changed++
						}
					}
				}
			}
			if changed > 0 {
				t.Errorf("%v %d px: %d pixels outside the badge changed", s, px, changed)
			}
			if res.Name() == TrayIconSized(s, px).Name() {
				t.Errorf("badged icon has the plain icon's name %q", res.Name())
			}
		}
	}
}
