package app

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/fyne-io/image/ico"

	"github.com/auditlight/auditlight/assets"
	"github.com/auditlight/auditlight/collector/health"
)

// icoEntry is one ICONDIRENTRY as Windows reads it.
type icoEntry struct {
	w, h          int
	planes, bits  uint16
	length, start uint32
}

// readICO checks the ICONDIR of b and returns its entries; every entry's
// image lies inside b, after the directory, without overlapping another.
func readICO(t *testing.T, b []byte) []icoEntry {
	t.Helper()
	le := binary.LittleEndian
	if len(b) < icoHeaderSize || le.Uint16(b[0:]) != 0 || le.Uint16(b[2:]) != 1 {
		t.Fatalf("not an ICO header (reserved 0, type 1): % x", b[:min(len(b), 6)])
	}
	n := int(le.Uint16(b[4:]))
	if n == 0 || len(b) < icoHeaderSize+n*icoEntrySize {
		t.Fatalf("%d images in a %d-byte ICO", n, len(b))
	}
	var out []icoEntry
	next := uint32(icoHeaderSize + n*icoEntrySize)
	for i := range n {
		e := b[icoHeaderSize+i*icoEntrySize:]
		dim := func(v byte) int {
			if v == 0 {
				return 256
			}
			return int(v)
		}
		ent := icoEntry{w: dim(e[0]), h: dim(e[1]), planes: le.Uint16(e[4:]), bits: le.Uint16(e[6:]),
			length: le.Uint32(e[8:]), start: le.Uint32(e[12:])}
		if e[2] != 0 || e[3] != 0 {
			t.Errorf("image %d: palette %d, reserved %d; want 0, 0", i, e[2], e[3])
		}
		if ent.start != next || uint64(ent.start)+uint64(ent.length) > uint64(len(b)) {
			t.Fatalf("image %d at %d+%d, want at %d inside %d bytes", i, ent.start, ent.length, next, len(b))
		}
		next += ent.length
		out = append(out, ent)
	}
	if int(next) != len(b) {
		t.Errorf("%d bytes after the last image", len(b)-int(next))
	}
	return out
}

// TestICOTrayIcons converts every state's tray icon, plain and badged, to
// ICO as the Windows tray does, and reads it back as Windows would: a valid
// ICONDIR, one 32-bit PNG image per size Windows asks for (16 to 64 px),
// each decoding at its directory's size, and the status light's mean colour
// as in the source; the decoder Fyne's module ships
// (fyne-io/image/ico) reads them too.
func TestICOTrayIcons(t *testing.T) {
	states := []health.State{health.NotConfigured, health.WaitingForData, health.Healthy, health.Degraded, health.ActionNeeded}
	for _, badged := range []bool{false, true} {
		for _, st := range states {
			res := assets.TrayIcon(st)
			if badged {
				res = assets.TrayIconBadged(st)
			}
			t.Run(res.Name(), func(t *testing.T) {
				src, err := png.Decode(bytes.NewReader(res.Content()))
				if err != nil {
					t.Fatal(err)
				}
				b, err := icoIcon(res.Content())
				if err != nil {
					t.Fatal(err)
				}
				entries := readICO(t, b)
				var sizes []int
				for i, e := range entries {
					sizes = append(sizes, e.w)
					if e.w != e.h || e.planes != 1 || e.bits != 32 {
						t.Errorf("image %d: %dx%d, %d planes, %d bits; want square, 1, 32", i, e.w, e.h, e.planes, e.bits)
					}
					data := b[e.start : e.start+e.length]
					img, err := png.Decode(bytes.NewReader(data))
					if err != nil {
						t.Fatalf("image %d is not a PNG: %v", i, err)
					}
					if got := img.Bounds(); got.Dx() != e.w || got.Dy() != e.h {
						t.Errorf("image %d is %v, its entry says %dx%d", i, got, e.w, e.h)
					}
					if got, want := meanColour(img), meanColour(src); !closeColour(got, want) {
						t.Errorf("image %d (%d px): mean colour %v, the source's %v", i, e.w, got, want)
					}
				}
				if want := icoSizes(); !equalInts(sizes, want) {
					t.Errorf("sizes %v, want %v", sizes, want)
				}
				all, err := ico.DecodeAll(bytes.NewReader(b))
				if err != nil || len(all) != len(entries) {
					t.Errorf("fyne-io/image/ico read %d images, err %v; want %d", len(all), err, len(entries))
				}
			})
		}
	}
}

// TestICOOtherSources: a small or large, non-square or non-PNG source
// keeps its shape, is never enlarged, and an undecodable one is an error.
func TestICOOtherSources(t *testing.T) {
	encode := func(img image.Image) []byte {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	solid := func(w, h int) image.Image {
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.Set(x, y, color.NRGBA{200, 30, 30, 255})
			}
		}
		return img
	}
	for _, tc := range []struct {
		name      string
		src       []byte
		wantSizes []int
		wantErr   bool
	}{
		{"16 px, not enlarged", encode(solid(16, 16)), []int{16}, false},
		{"30 px, its own size last", encode(solid(30, 30)), []int{16, 20, 24, 30}, false},
		{"512 px, at most 256", encode(solid(512, 512)), append(icoSizes(), 256), false},
		{"wide", encode(solid(64, 32)), icoSizes(), false},
		{"not an image", []byte("<svg/>"), nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := icoIcon(tc.src)
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error for an undecodable icon")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var sizes []int
			for _, e := range readICO(t, b) {
				sizes = append(sizes, e.w)
				img, err := png.Decode(bytes.NewReader(b[e.start : e.start+e.length]))
				if err != nil {
					t.Fatal(err)
				}
				if tc.name == "wide" { // centred: transparent above and below, opaque in the middle
					if _, _, _, a := img.At(e.w/2, 0).RGBA(); a != 0 {
						t.Errorf("%d px: the wide source was stretched (top row opaque)", e.w)
					}
					if _, _, _, a := img.At(e.w/2, e.h/2).RGBA(); a == 0 {
						t.Errorf("%d px: the wide source is missing from the middle", e.w)
					}
				}
			}
			if !equalInts(sizes, tc.wantSizes) {
				t.Errorf("sizes %v, want %v", sizes, tc.wantSizes)
			}
		})
	}
}

// meanColour is the mean colour of img's opaque pixels.
func meanColour(img image.Image) color.NRGBA {
	var r, g, b, n uint64
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.A >= 0x80 {
				r, g, b, n = r+uint64(c.R), g+uint64(c.G), b+uint64(c.B), n+1
			}
		}
	}
	if n == 0 {
		return color.NRGBA{}
	}
	return color.NRGBA{uint8(r / n), uint8(g / n), uint8(b / n), 255}
}

func closeColour(a, b color.Color) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	near := func(x, y uint32) bool { return x-y < 0x1800 || y-x < 0x1800 }
	return near(ar, br) && near(ag, bg) && near(ab, bb) && near(aa, ba)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
