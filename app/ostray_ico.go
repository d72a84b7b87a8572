package app

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"

	xdraw "golang.org/x/image/draw"
)

// icoSizes are the square sizes, in pixels, an ICO tray icon carries: the
// small icon (SM_CXSMICON) and the large one (SM_CXICON, which systray's
// LoadImage asks for) at 100, 125, 150 and 200 % display scale. Windows
// then takes the image made for its size instead of scaling one down with
// its own filter.
func icoSizes() []int { return []int{16, 20, 24, 32, 40, 48, 64} }

// icoIcon returns icon (PNG, or any image format Go decodes) as a Windows
// ICO, the format fyne.io/systray takes on Windows: one 32-bit PNG image
// per size of icoSizes up to the source's own size (never enlarged; the
// source's size itself when it is not one of them, up to 256), each scaled
// with Catmull-Rom and centred on a transparent square when the source is
// not square.
func icoIcon(icon []byte) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(icon))
	if err != nil {
		return nil, fmt.Errorf("decoding the icon: %w", err)
	}
	b := src.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("decoding the icon: it has no pixels (%dx%d)", b.Dx(), b.Dy())
	}
	largest := min(max(b.Dx(), b.Dy()), 256)
	var sizes []int
	for _, s := range icoSizes() {
		if s <= largest {
			sizes = append(sizes, s)
		}
	}
	if len(sizes) == 0 || sizes[len(sizes)-1] != largest {
		sizes = append(sizes, largest)
	}
	images := make([][]byte, len(sizes))
	for i, s := range sizes {
		var buf bytes.Buffer
		if err := png.Encode(&buf, squareAt(src, s)); err != nil {
			return nil, fmt.Errorf("encoding the %d px icon image: %w", s, err)
		}
		images[i] = buf.Bytes()
	}
	return icoContainer(sizes, images), nil
}

// squareAt draws src scaled to fit an s×s transparent square, centred.
func squareAt(src image.Image, s int) *image.NRGBA {
	dst := image.NewNRGBA(image.Rect(0, 0, s, s))
	b := src.Bounds()
	w, h := s, s
	if b.Dx() > b.Dy() {
		h = max(1, s*b.Dy()/b.Dx())
	} else if b.Dy() > b.Dx() {
		w = max(1, s*b.Dx()/b.Dy())
	}
	at := image.Rect((s-w)/2, (s-h)/2, (s-w)/2+w, (s-h)/2+h)
	xdraw.CatmullRom.Scale(dst, at, src, b, xdraw.Src, nil)
	return dst
}

// icoHeaderSize and icoEntrySize are the ICONDIR and ICONDIRENTRY sizes.
const (
	icoHeaderSize = 6
	icoEntrySize  = 16
)

// icoContainer writes the ICO file: the ICONDIR (reserved 0, type 1 = icon,
// the count), one ICONDIRENTRY per image (width and height, 0 meaning 256;
// no palette; 1 plane; 32 bits; the image's length and offset), then the
// PNG images in that order.
func icoContainer(sizes []int, images [][]byte) []byte {
	var out bytes.Buffer
	le := binary.LittleEndian
	out.Write(le.AppendUint16(le.AppendUint16(le.AppendUint16(nil, 0), 1), uint16(len(images))))
	offset := icoHeaderSize + icoEntrySize*len(images)
	for i, img := range images {
		dim := byte(sizes[i] % 256) // 256 is written as 0
		e := []byte{dim, dim, 0, 0}
		e = le.AppendUint16(e, 1)
		e = le.AppendUint16(e, 32)
		e = le.AppendUint32(e, uint32(len(img)))
		e = le.AppendUint32(e, uint32(offset))
		out.Write(e)
		offset += len(img)
	}
	for _, img := range images {
		out.Write(img)
	}
	return out.Bytes()
}
