package main

import (
	"bytes"
	"encoding/xml"
)

// InfoPlist returns Contents/Info.plist. There is deliberately no
// LSUIElement: GLFW makes the app Regular when it starts anyway, and
// internal/macapp switches the Dock icon off and on with the window.
func InfoPlist(s Spec) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString("<plist version=\"1.0\">\n<dict>\n")
	str := func(k, v string) {
		b.WriteString("\t<key>")
		xml.EscapeText(&b, []byte(k))
		b.WriteString("</key>\n\t<string>")
		xml.EscapeText(&b, []byte(v))
		b.WriteString("</string>\n")
	}
	boolean := func(k string, v bool) {
		b.WriteString("\t<key>")
		xml.EscapeText(&b, []byte(k))
		if v {
			b.WriteString("</key>\n\t<true/>\n")
		} else {
			b.WriteString("</key>\n\t<false/>\n")
		}
	}
	str("CFBundleDevelopmentRegion", "en")
	str("CFBundleDisplayName", s.Name)
	str("CFBundleExecutable", s.exeName())
	str("CFBundleIconFile", s.Name+".icns")
	str("CFBundleIdentifier", s.ID)
	str("CFBundleInfoDictionaryVersion", "6.0")
	str("CFBundleName", s.Name)
	str("CFBundlePackageType", "APPL")
	str("CFBundleShortVersionString", s.Version)
	str("CFBundleSignature", "????")
	str("CFBundleVersion", s.Build)
	str("LSApplicationCategoryType", "public.app-category.utilities")
	str("LSMinimumSystemVersion", s.MinOS)
	boolean("NSHighResolutionCapable", true)
	boolean("NSSupportsAutomaticGraphicsSwitching", true)
	b.WriteString("</dict>\n</plist>\n")
	return b.Bytes()
}
