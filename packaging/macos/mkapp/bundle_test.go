package main

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeExe is the start of a 64-bit little-endian Mach-O file.
var fakeExe = []byte{0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01}

// spec is the bundle of FyneApp.toml's values with a fake executable.
func spec(t *testing.T) Spec {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "auditlight")
	if err := os.WriteFile(exe, fakeExe, 0o755); err != nil {
		t.Fatal(err)
	}
	return Spec{Exe: exe, Icon: "../../../assets/icons/app-256.png", ID: "io.github.auditlight.auditlight",
		Name: "AuditLight", Version: "1.2.3", Build: "45", MinOS: "12.0"}
}

// readPlist decodes a flat <dict> of <string>/<true/>/<false/> values.
func readPlist(t *testing.T, b []byte) map[string]string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	out := map[string]string{}
	var key, inside string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Info.plist is not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			inside = tk.Name.Local
			if inside == "true" || inside == "false" {
				out[key] = inside
			}
		case xml.CharData:
			switch inside {
			case "key":
				key = string(tk)
			case "string":
				out[key] = string(tk)
			}
		case xml.EndElement:
			inside = ""
		}
	}
}

func TestBundleCarriesTheAppsIdentity(t *testing.T) {
	s := spec(t)
	out := t.TempDir()
	app, err := Assemble(s, out)
	if err != nil {
		t.Fatal(err)
	}
	if app != filepath.Join(out, "AuditLight.app") {
		t.Fatalf("bundle at %s", app)
	}
	plist, err := os.ReadFile(filepath.Join(app, "Contents", "Info.plist"))
	if err != nil {
		t.Fatal(err)
	}
	got := readPlist(t, plist)
	for k, want := range map[string]string{
		"CFBundleIdentifier":         "io.github.auditlight.auditlight", // notifications and the Keychain go by it
		"CFBundleExecutable":         "auditlight",
		"CFBundleName":               "AuditLight",
		"CFBundleShortVersionString": "1.2.3",
		"CFBundleVersion":            "45",
		"CFBundlePackageType":        "APPL",
		"CFBundleIconFile":           "AuditLight.icns",
		"LSMinimumSystemVersion":     "12.0",
		"NSHighResolutionCapable":    "true",
	} {
		if got[k] != want {
			t.Errorf("Info.plist %s = %q, want %q", k, got[k], want)
		}
	}
	if _, ok := got["LSUIElement"]; ok {
		t.Error("LSUIElement set: the Dock icon is switched at run time, the plist must not hide it for good")
	}
	exe := filepath.Join(app, "Contents", "MacOS", "auditlight")
	st, err := os.Stat(exe)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&0o111 == 0 {
		t.Fatalf("executable mode %v: macOS would refuse to launch it", st.Mode())
	}
	if b, _ := os.ReadFile(filepath.Join(app, "Contents", "PkgInfo")); string(b) != "APPL????" {
		t.Fatalf("PkgInfo = %q", b)
	}
	if _, err := os.Stat(filepath.Join(app, "Contents", "Resources", "AuditLight.icns")); err != nil {
		t.Fatal(err)
	}
}

func TestRebuildReplacesTheWholeBundle(t *testing.T) {
	s := spec(t)
	out := t.TempDir()
	app, err := Assemble(s, out)
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(app, "Contents", "MacOS", "old-helper")
	if err := os.WriteFile(stale, []byte("x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Assemble(s, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("a file of the previous build survived (would break the code signature): %v", err)
	}
	if _, err := os.Stat(app + ".tmp"); !os.IsNotExist(err) {
		t.Fatalf("temporary bundle left behind: %v", err)
	}
}

func TestPlistEscapesText(t *testing.T) {
	s := spec(t)
	s.Name = "Audit & Light"
	got := readPlist(t, InfoPlist(s))
	if got["CFBundleName"] != "Audit & Light" {
		t.Fatalf("CFBundleName = %q", got["CFBundleName"])
	}
}

func TestBadValuesAreRefused(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Spec)
		want   string
	}{
		{"version not numeric", func(s *Spec) { s.Version = "0.1.0-dev" }, "-version"},
		{"build not a number", func(s *Spec) { s.Build = "1a" }, "-build"},
		{"identifier with a space", func(s *Spec) { s.ID = "io.github.audit light" }, "-id"},
		{"identifier without a dot", func(s *Spec) { s.ID = "auditlight" }, "-id"},
		{"name with a slash", func(s *Spec) { s.Name = "Audit/Light" }, "-name"},
		{"no executable", func(s *Spec) { s.Exe = "" }, "-exe"},
		{"a Linux executable", func(s *Spec) {
			p := filepath.Join(filepath.Dir(s.Exe), "elf")
			_ = os.WriteFile(p, []byte("\x7fELF\x02\x01\x01"), 0o755)
			s.Exe = p
		}, "not a Mach-O"},
		{"icon not a PNG", func(s *Spec) { s.Icon = s.Exe }, "decoding the icon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := spec(t)
			tt.mutate(&s)
			out := t.TempDir()
			_, err := Assemble(s, out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Assemble error = %v, want one naming %q", err, tt.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Fatalf("a refused build left %d entries in the output directory", len(entries))
			}
		})
	}
}

func TestICNSHoldsEverySizeAsPNG(t *testing.T) {
	f, err := os.Open("../../../assets/icons/app-256.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ICNS(img)
	if err != nil {
		t.Fatal(err)
	}
	if string(b[:4]) != "icns" || int(binary.BigEndian.Uint32(b[4:8])) != len(b) {
		t.Fatalf("icns header %q length %d, file is %d bytes", b[:4], binary.BigEndian.Uint32(b[4:8]), len(b))
	}
	seen := map[string]int{}
	for off := 8; off < len(b); {
		if off+8 > len(b) {
			t.Fatalf("truncated entry at %d", off)
		}
		typ, n := string(b[off:off+4]), int(binary.BigEndian.Uint32(b[off+4:off+8]))
		if n < 8 || off+n > len(b) {
			t.Fatalf("entry %s has length %d at %d of %d", typ, n, off, len(b))
		}
		im, err := png.Decode(bytes.NewReader(b[off+8 : off+n]))
		if err != nil {
			t.Fatalf("entry %s is not a PNG: %v", typ, err)
		}
		seen[typ] = im.Bounds().Dx()
		if im.Bounds().Dx() != im.Bounds().Dy() {
			t.Fatalf("entry %s is %v, not square", typ, im.Bounds())
		}
		off += n
	}
	for _, e := range icnsEntries() {
		if seen[e.typ] != e.size {
			t.Errorf("entry %s: %d px, want %d", e.typ, seen[e.typ], e.size)
		}
	}
}

func TestScaleKeepsColourAndTransparency(t *testing.T) {
	f, _ := os.Open("../../../assets/icons/app-256.png")
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	small := scale(img, 16)
	// The corners of the app icon are transparent; the centre is opaque.
	if _, _, _, a := small.At(0, 0).RGBA(); a != 0 {
		t.Errorf("corner alpha %d at 16 px, want transparent", a)
	}
	if _, _, _, a := small.At(8, 8).RGBA(); a < 0xf000 {
		t.Errorf("centre alpha %d at 16 px, want opaque", a)
	}
	cr, cg, cb, _ := img.At(128, 128).RGBA()
	sr, sg, sb, _ := scale(img, 128).At(64, 64).RGBA()
	for i, d := range []int{int(cr) - int(sr), int(cg) - int(sg), int(cb) - int(sb)} {
		if d > 0x2000 || d < -0x2000 {
			t.Errorf("channel %d at the centre moved by %d when halved", i, d)
		}
	}
}
