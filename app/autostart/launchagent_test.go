package autostart

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// plistDoc decodes the top-level dict of a property list into key → raw
// elements, enough to check what launchd will read.
type plistDoc struct {
	Dict struct {
		Items []plistItem `xml:",any"`
	} `xml:"dict"`
}

type plistItem struct {
	XMLName xml.Name
	Text    string   `xml:",chardata"`
	Strings []string `xml:"string"`
}

func decodePlist(t *testing.T, data []byte) map[string]plistItem {
	t.Helper()
	var doc plistDoc
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("plist is not well-formed XML: %v\n%s", err, data)
	}
	out := make(map[string]plistItem)
	items := doc.Dict.Items
	for i := 0; i+1 < len(items); i += 2 {
		if items[i].XMLName.Local != "key" {
			t.Fatalf("expected <key>, got <%s>", items[i].XMLName.Local)
		}
		out[items[i].Text] = items[i+1]
	}
	return out
}

func TestLaunchAgentPlist(t *testing.T) {
	tests := []struct {
		name  string
		entry Entry
	}{
		{name: "app bundle", entry: Entry{Name: "AuditLight", Exec: "/Applications/AuditLight.app/Contents/MacOS/auditlight", Args: []string{"--minimized"}}},
		{name: "XML special characters", entry: Entry{Name: "AuditLight", Exec: "/Users/a&b/<x>/\"q\"/auditlight", Args: []string{"--profile=/tmp/it's & more"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dict := decodePlist(t, LaunchAgentPlist(tc.entry))
			if got := dict["Label"].Text; got != "io.github.auditlight.auditlight" {
				t.Errorf("Label = %q", got)
			}
			want := append([]string{tc.entry.Exec}, tc.entry.Args...)
			if got := dict["ProgramArguments"].Strings; !slices.Equal(got, want) {
				t.Errorf("ProgramArguments = %q, want %q", got, want)
			}
			if got := dict["RunAtLoad"].XMLName.Local; got != "true" {
				t.Errorf("RunAtLoad = <%s/>, want <true/>", got)
			}
			if got := dict["KeepAlive"].XMLName.Local; got != "false" {
				t.Errorf("KeepAlive = <%s/>, want <false/>: quitting must not relaunch", got)
			}
			if got := dict["LimitLoadToSessionType"].Text; got != "Aqua" {
				t.Errorf("LimitLoadToSessionType = %q, want Aqua (GUI login only)", got)
			}
		})
	}
}

func TestLaunchAgentFiles(t *testing.T) {
	home := t.TempDir()
	la := launchAgents{dir: filepath.Join(home, "Library", "LaunchAgents")}
	file := filepath.Join(home, "Library", "LaunchAgents", "io.github.auditlight.auditlight.plist")
	entry := Entry{Name: "AuditLight", Exec: "/Applications/AuditLight.app/Contents/MacOS/auditlight"}

	steps := []struct {
		name string
		do   func() error
		want bool
	}{
		{name: "off by default", do: func() error { return nil }, want: false},
		{name: "enable", do: func() error { return la.enable(entry) }, want: true},
		{name: "enable twice", do: func() error { return la.enable(entry) }, want: true},
		{name: "disable", do: func() error { return la.disable(entry.Name) }, want: false},
		{name: "disable twice", do: func() error { return la.disable(entry.Name) }, want: false},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, err := la.enabled(entry.Name)
		if err != nil || got != s.want {
			t.Fatalf("%s: enabled = %v, %v; want %v", s.name, got, err, s.want)
		}
		if _, err := os.Stat(file); (err == nil) != s.want {
			t.Fatalf("%s: plist present = %v, want %v", s.name, err == nil, s.want)
		}
		if s.want {
			fi, _ := os.Stat(file)
			if fi.Mode().Perm()&0o022 != 0 {
				t.Fatalf("%s: plist mode %o is group/world-writable; launchd would refuse it", s.name, fi.Mode().Perm())
			}
		}
	}
}
