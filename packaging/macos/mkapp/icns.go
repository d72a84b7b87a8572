package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

// icnsEntry is one image of an .icns file: its OSType and pixel size.
type icnsEntry struct {
	typ  string
	size int
}

// icnsEntries are the PNG-based types macOS 10.7+ reads, smallest first;
// the @2x types (ic11–ic13) keep the icon sharp on Retina displays.
func icnsEntries() []icnsEntry {
	return []icnsEntry{
		{"icp4", 16}, {"icp5", 32}, {"ic11", 32}, // 16, 32, 16@2x
		{"icp6", 64}, {"ic12", 64}, // 64, 32@2x
		{"ic07", 128}, {"ic08", 256}, {"ic13", 256}, // 128, 256, 128@2x
	}
}

// ICNS encodes img (square, at least 256 px) as an Apple icon file with a
// PNG per size: "icns", total length, then type + length + PNG per entry
// (all big-endian).
func ICNS(img image.Image) ([]byte, error) {
	b := img.Bounds()
	if b.Dx() != b.Dy() || b.Dx() < 256 {
		return nil, fmt.Errorf("the icon must be square and at least 256 px, got %dx%d", b.Dx(), b.Dy())
	}
	var body bytes.Buffer
	for _, e := range icnsEntries() {
		var p bytes.Buffer
		if err := png.Encode(&p, scale(img, e.size)); err != nil {
			return nil, fmt.Errorf("encoding the %d px icon: %w", e.size, err)
		}
		body.WriteString(e.typ)
		_ = binary.Write(&body, binary.BigEndian, uint32(8+p.Len()))
		body.Write(p.Bytes())
	}
	var out bytes.Buffer
	out.WriteString("icns")
	_ = binary.Write(&out, binary.BigEndian, uint32(8+body.Len()))
	out.Write(body.Bytes())
	return out.Bytes(), nil
}

// scale resizes the square img to size×size by averaging the source pixels
// each target pixel covers (premultiplied, so transparent edges do not
// darken); it only shrinks.
func scale(img image.Image, size int) image.Image {
	b := img.Bounds()
	src := b.Dx()
	if src == size {
		return img
	}
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		y0, y1 := b.Min.Y+y*src/size, b.Min.Y+(y+1)*src/size
		for x := 0; x < size; x++ {
			x0, x1 := b.Min.X+x*src/size, b.Min.X+(x+1)*src/size
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, ca := img.At(sx, sy).RGBA() // premultiplied, 16 bit
					r, g, bl, a, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), a+uint64(ca), n+1
				}
			}
			if n == 0 || a == 0 {
				continue // fully transparent
			}
			// Un-premultiply the average back to 8-bit straight alpha.
			dst.SetNRGBA(x, y, color.NRGBA{
				R: uint8(r * 0xff / a), G: uint8(g * 0xff / a), B: uint8(bl * 0xff / a),
				A: uint8(a / n >> 8),
			})
		}
	}
	return dst
}
