package autostart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/auditlight/auditlight/internal/atomicfile"
)

// launchAgents manages ~/Library/LaunchAgents/<label>.plist files. launchd
// loads them at the next login; Enable does not start a second copy now.
type launchAgents struct {
	dir string
}

// LaunchAgentLabel returns the launchd label (and plist base name) used for
// the entry called name, e.g. "io.github.auditlight.auditlight".
func LaunchAgentLabel(name string) string {
	return LaunchAgentPrefix + strings.ToLower(name)
}

// path returns the plist of the entry called name.
func (l launchAgents) path(name string) string {
	return filepath.Join(l.dir, LaunchAgentLabel(name)+".plist")
}

func (l launchAgents) enable(e Entry) error {
	// launchd refuses agents that are group- or world-writable.
	return atomicfile.Write(l.path(e.Name), LaunchAgentPlist(e), 0o644)
}

func (l launchAgents) disable(name string) error {
	if err := os.Remove(l.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing launch agent: %w", err)
	}
	return nil
}

func (l launchAgents) enabled(name string) (bool, error) {
	_, err := os.Stat(l.path(name))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("checking launch agent: %w", err)
}

// LaunchAgentPlist returns the LaunchAgent property list for e: run
// ProgramArguments once at login (RunAtLoad), in the GUI session (Aqua),
// without relaunching when the user quits (no KeepAlive).
func LaunchAgentPlist(e Entry) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString(`<plist version="1.0">` + "\n<dict>\n")
	plistKey(&b, "Label")
	plistString(&b, "\t", LaunchAgentLabel(e.Name))
	plistKey(&b, "ProgramArguments")
	b.WriteString("\t<array>\n")
	for _, a := range append([]string{e.Exec}, e.Args...) {
		plistString(&b, "\t\t", a)
	}
	b.WriteString("\t</array>\n")
	plistKey(&b, "RunAtLoad")
	b.WriteString("\t<true/>\n")
	plistKey(&b, "KeepAlive")
	b.WriteString("\t<false/>\n")
	plistKey(&b, "LimitLoadToSessionType")
	plistString(&b, "\t", "Aqua")
	plistKey(&b, "ProcessType")
	plistString(&b, "\t", "Interactive")
	b.WriteString("</dict>\n</plist>\n")
	return b.Bytes()
}

// plistKey writes a <key> element.
func plistKey(b *bytes.Buffer, key string) {
	b.WriteString("\t<key>")
	_ = xml.EscapeText(b, []byte(key)) // writes to a bytes.Buffer never fail
	b.WriteString("</key>\n")
}

// plistString writes a <string> element with XML escaping.
func plistString(b *bytes.Buffer, indent, s string) {
	b.WriteString(indent + "<string>")
	_ = xml.EscapeText(b, []byte(s))
	b.WriteString("</string>\n")
}
