package assets

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/collector/health"
)

// Badge geometry in unit coordinates: a dot in the top-right corner, over
// the light's ring but clear of the state glyph in the centre.
const (
	badgeX, badgeY = 0.78, 0.22
	badgeR         = 0.22
)

// badgeFill is the badge's colour: a magenta-red that stays distinct from
// the red and amber lights it may sit on (a white and a dark ring separate
// it from any light).
func badgeFill() color.NRGBA { return color.NRGBA{0xc2, 0x18, 0x5b, 0xff} }

// TrayIconBadged returns the 64 px tray light for state with the findings
// badge: the same light (with its state glyph) plus a dot in the top-right
// corner, shown while open findings of medium or higher severity exist.
func TrayIconBadged(state health.State) fyne.Resource {
	return TrayIconBadgedSized(state, 64)
}

// TrayIconBadgedSized is TrayIconBadged at px pixels (see TrayIconSized).
// The badge is drawn over the embedded light the way assets/gen draws the
// lights (supersampled), so it follows whatever the light looks like.
func TrayIconBadgedSized(state health.State, px int) fyne.Resource {
	base := TrayIconSized(state, px)
	b, err := badged(base.Content())
	if err != nil {
		panic(fmt.Sprintf("assets: badging %s: %v", base.Name(), err)) // embedded PNGs are covered by tests
	}
	return fyne.NewStaticResource(trimPNG(base.Name())+"-badge.png", b)
}

func trimPNG(name string) string {
	if len(name) > 4 && name[len(name)-4:] == ".png" {
		return name[:len(name)-4]
	}
	return name
}

// badged draws the badge over a PNG and returns the new PNG.
func badged(pngData []byte) ([]byte, error) {
	src, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return nil, fmt.Errorf("decoding icon: %w", err)
	}
	px := src.Bounds().Dx()
	img := image.NewNRGBA(image.Rect(0, 0, px, src.Bounds().Dy()))
	if n, ok := src.(*image.NRGBA); ok && n.Rect.Min == (image.Point{}) {
		copy(img.Pix, n.Pix) // exact: draw.Src would round semi-transparent edges through premultiplied alpha
	} else {
		draw.Draw(img, img.Bounds(), src, src.Bounds().Min, draw.Src)
	}
	over(img, badgeLayer(px))
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, img); err != nil {
		return nil, fmt.Errorf("encoding badged icon: %w", err)
	}
	return out.Bytes(), nil
}

// over composites top onto dst where top is not transparent, leaving every
// other pixel exactly as it was.
func over(dst, top *image.NRGBA) {
	for y := dst.Rect.Min.Y; y < dst.Rect.Max.Y; y++ {
		for x := dst.Rect.Min.X; x < dst.Rect.Max.X; x++ {
			t := top.NRGBAAt(x, y)
			if t.A == 0 {
				continue
			}
			d := dst.NRGBAAt(x, y)
			ta, da := float64(t.A)/255, float64(d.A)/255
			oa := ta + da*(1-ta)
			ch := func(tc, dc uint8) uint8 {
				return uint8(math.Round((float64(tc)*ta + float64(dc)*da*(1-ta)) / oa))
			}
			dst.SetNRGBA(x, y, color.NRGBA{ch(t.R, d.R), ch(t.G, d.G), ch(t.B, d.B), uint8(math.Round(oa * 255))})
		}
	}
}

// badgeLayer renders the badge alone (transparent elsewhere), supersampled
// 8×8 per pixel; rings are at least one pixel wide at 16 px.
func badgeLayer(px int) *image.NRGBA {
	const ss = 8
	ring := func(frac float64) float64 { return math.Max(1, math.Round(frac*float64(px))) / float64(px) }
	dark, white := ring(0.05), ring(0.05)
	fill := badgeFill()
	shade := func(x, y float64) color.NRGBA {
		d := math.Hypot(x-badgeX, y-badgeY)
		switch {
		case d > badgeR:
			return color.NRGBA{}
		case d > badgeR-dark:
			return color.NRGBA{0x1b, 0x1e, 0x24, 0xff}
		case d > badgeR-dark-white:
			return color.NRGBA{0xff, 0xff, 0xff, 0xff}
		}
		return fill
	}
	img := image.NewNRGBA(image.Rect(0, 0, px, px))
	for py := 0; py < px; py++ {
		for pxx := 0; pxx < px; pxx++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					c := shade((float64(pxx)+(float64(sx)+0.5)/ss)/float64(px), (float64(py)+(float64(sy)+0.5)/ss)/float64(px))
					ca := float64(c.A) / 255
					r, g, b, a = r+float64(c.R)*ca, g+float64(c.G)*ca, b+float64(c.B)*ca, a+ca
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(pxx, py, color.NRGBA{
				R: uint8(math.Round(r / a)), G: uint8(math.Round(g / a)), B: uint8(math.Round(b / a)),
				A: uint8(math.Round(a / (ss * ss) * 255)),
			})
		}
	}
	return img
}
