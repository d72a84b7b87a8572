// Package glyph keeps text from other packages drawable in Fyne's bundled
// font, for every screen package of the UI.
package glyph

import "strings"

// Safe prepares text from other packages (rule texts, fix texts, walkthrough
// steps) for a label. Fyne's bundled font has no "→": it falls back to a
// glyph drawn as "→�", so arrows become the "›" the wizard uses for menu
// paths.
func Safe(s string) string { return strings.ReplaceAll(s, "→", "›") }
