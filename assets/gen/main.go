// Command gen draws AuditLight's PNG icons: the 256 px app icon (a shield
// with a status light) and the tray status lights (grey, blue, green, amber,
// red) at 16, 32 and 64 px. Each light is a coloured disc inside a light ring
// inside a dark ring, so it stays legible on both light and dark panels, with
// a glyph per state (dash, ring, tick, "!", cross) for colour-blind admins.
//
// Run from the module root: go run ./assets/gen (writes assets/icons/*.png).
// The PNGs are committed; this generator documents how they were made.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// light is one tray status light: its colour and a glyph, so a colour-blind
// admin tells the states apart by shape too.
type light struct {
	name  string
	fill  color.NRGBA
	glyph glyph
	ink   color.NRGBA // glyph colour with enough contrast on fill
}

// lights lists the five health states in health.State order: grey dash (not
// set up), blue ring (waiting), green tick (collecting), amber "!"
// (problems), red cross (action needed).
func lights() []light {
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	dark := color.NRGBA{0x1b, 0x1e, 0x24, 0xff}
	return []light{
		{"grey", color.NRGBA{0x8a, 0x8f, 0x98, 0xff}, glyphDash, white},
		{"blue", color.NRGBA{0x2f, 0x7d, 0xe1, 0xff}, glyphRing, white},
		{"green", color.NRGBA{0x2d, 0xb8, 0x4d, 0xff}, glyphTick, white},
		{"amber", color.NRGBA{0xf2, 0xa5, 0x16, 0xff}, glyphBang, dark},
		{"red", color.NRGBA{0xe0, 0x36, 0x2c, 0xff}, glyphCross, white},
	}
}

// glyph is a shape drawn on a light.
type glyph int

// The glyphs, one per state.
const (
	glyphDash glyph = iota
	glyphRing
	glyphTick
	glyphBang
	glyphCross
)

// segDist is the distance from (x, y) to the segment a–b.
func segDist(x, y, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := math.Max(0, math.Min(1, ((x-ax)*dx+(y-ay)*dy)/(dx*dx+dy*dy)))
	return math.Hypot(x-(ax+t*dx), y-(ay+t*dy))
}

// inGlyph reports whether (x, y) is on the glyph drawn with stroke width w.
func (g glyph) in(x, y, w float64) bool {
	h := w / 2
	switch g {
	case glyphDash:
		return segDist(x, y, 0.32, 0.5, 0.68, 0.5) < h
	case glyphRing:
		return math.Abs(math.Hypot(x-0.5, y-0.5)-0.15) < h
	case glyphTick:
		return segDist(x, y, 0.31, 0.51, 0.44, 0.65) < h || segDist(x, y, 0.44, 0.65, 0.69, 0.36) < h
	case glyphBang:
		return segDist(x, y, 0.5, 0.28, 0.5, 0.55) < h || math.Hypot(x-0.5, y-0.69) < h*1.1
	case glyphCross:
		return segDist(x, y, 0.36, 0.36, 0.64, 0.64) < h || segDist(x, y, 0.64, 0.36, 0.36, 0.64) < h
	}
	return false
}

// trayIconSizes are the pixel sizes generated per state.
func trayIconSizes() []int { return []int{16, 32, 64} }

func main() {
	out := flag.String("out", filepath.Join("assets", "icons"), "output directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	for _, l := range lights() {
		for _, px := range trayIconSizes() {
			name := filepath.Join(dir, fmt.Sprintf("tray-%s-%d.png", l.name, px))
			if err := writePNG(name, trayLight(px, l)); err != nil {
				return err
			}
		}
	}
	return writePNG(filepath.Join(dir, "app-256.png"), appIcon(256))
}

func writePNG(name string, img image.Image) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encoding %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", name, err)
	}
	return nil
}

// shader returns the colour at a point in unit coordinates (0..1 both ways),
// transparent outside the shape.
type shader func(x, y float64) color.NRGBA

// render supersamples the shader (ss×ss per pixel) for smooth edges.
func render(px int, sh shader) *image.NRGBA {
	const ss = 8
	img := image.NewNRGBA(image.Rect(0, 0, px, px))
	for py := 0; py < px; py++ {
		for pxx := 0; pxx < px; pxx++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(pxx) + (float64(sx)+0.5)/ss) / float64(px)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(px)
					c := sh(x, y)
					ca := float64(c.A) / 255
					r += float64(c.R) * ca
					g += float64(c.G) * ca
					b += float64(c.B) * ca
					a += ca
				}
			}
			if a == 0 {
				continue
			}
			n := float64(ss * ss)
			img.SetNRGBA(pxx, py, color.NRGBA{
				R: uint8(math.Round(r / a)), G: uint8(math.Round(g / a)), B: uint8(math.Round(b / a)),
				A: uint8(math.Round(a / n * 255)),
			})
		}
	}
	return img
}

// trayLight draws a disc of the light's colour with a light inner ring, a
// dark outer ring and the state's glyph; ring and stroke widths are at
// least one pixel (the stroke nearly two) at every size.
func trayLight(px int, l light) *image.NRGBA {
	fill := l.fill
	stroke := math.Max(1.9/float64(px), 0.1)
	// ring widths are whole pixels so the rings stay crisp at 16 px
	ring := func(frac float64) float64 { return math.Max(1, math.Round(frac*float64(px))) / float64(px) }
	dark, lightRing := ring(0.07), ring(0.06)
	const outer = 0.5
	highlight := lighten(fill, 0.35)
	return render(px, func(x, y float64) color.NRGBA {
		d := math.Hypot(x-0.5, y-0.5)
		switch {
		case d > outer:
			return color.NRGBA{}
		case d > outer-dark:
			return color.NRGBA{0x1b, 0x1e, 0x24, 0xff}
		case d > outer-dark-lightRing:
			return color.NRGBA{0xf5, 0xf6, 0xf8, 0xff}
		}
		if l.glyph.in(x, y, stroke) {
			return l.ink
		}
		// a soft highlight towards the top-left makes it read as a light
		h := math.Hypot(x-0.4, y-0.38)
		t := math.Max(0, 1-h/0.3)
		return mix(fill, highlight, t*0.8)
	})
}

// appIcon draws a navy shield with a green status light in its centre.
func appIcon(px int) *image.NRGBA {
	navy := color.NRGBA{0x1f, 0x3a, 0x5f, 0xff}
	navyLight := color.NRGBA{0x2f, 0x5a, 0x8f, 0xff}
	rim := color.NRGBA{0xe8, 0xee, 0xf5, 0xff}
	green := color.NRGBA{0x2d, 0xb8, 0x4d, 0xff}
	return render(px, func(x, y float64) color.NRGBA {
		inOuter := inShield(x, y, 0)
		if !inOuter {
			return color.NRGBA{}
		}
		if !inShield(x, y, 0.035) {
			return rim
		}
		// light: a disc with a glow
		d := math.Hypot(x-0.5, y-0.45)
		switch {
		case d < 0.16:
			h := math.Hypot(x-0.46, y-0.41)
			return mix(green, lighten(green, 0.5), math.Max(0, 1-h/0.12)*0.9)
		case d < 0.19:
			return rim
		case d < 0.3:
			glow := (0.3 - d) / 0.11
			return mix(mix(navy, navyLight, 1-y), green, glow*0.45)
		}
		return mix(navy, navyLight, 1-y)
	})
}

// inShield reports whether (x, y) lies inside the shield outline shrunk by inset.
func inShield(x, y, inset float64) bool {
	const top, bottom, mid = 0.06, 0.95, 0.5
	u := math.Abs(x - 0.5)
	t, b := top+inset, bottom-inset*1.6
	if y < t || y > b {
		return false
	}
	// the top edge dips slightly in the centre
	if y < t+0.05*(1-u/0.4) && u < 0.4 {
		return false
	}
	half := 0.4 - inset
	if y <= mid {
		return u <= half
	}
	k := (y - mid) / (b - mid)
	return u <= half*math.Sqrt(math.Max(0, 1-k*k))
}

func mix(a, b color.NRGBA, t float64) color.NRGBA {
	t = math.Max(0, math.Min(1, t))
	f := func(p, q uint8) uint8 { return uint8(math.Round(float64(p)*(1-t) + float64(q)*t)) }
	return color.NRGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), f(a.A, b.A)}
}

func lighten(c color.NRGBA, t float64) color.NRGBA {
	return mix(c, color.NRGBA{0xff, 0xff, 0xff, c.A}, t)
}
