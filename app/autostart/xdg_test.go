package autostart

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// parseDesktopExec undoes DesktopExec the way a session manager does:
// string unescaping, then argument splitting with the Exec quoting rules.
func parseDesktopExec(t *testing.T, value string) []string {
	t.Helper()
	var s strings.Builder
	for i := 0; i < len(value); i++ {
		if value[i] == '\\' && i+1 < len(value) {
			i++
			switch value[i] {
			case 's':
				s.WriteByte(' ')
			case 'n':
				s.WriteByte('\n')
			case 't':
				s.WriteByte('\t')
			case 'r':
				s.WriteByte('\r')
			case '\\':
				s.WriteByte('\\')
			default:
				t.Fatalf("invalid string escape \\%c in %q", value[i], value)
			}
			continue
		}
		s.WriteByte(value[i])
	}
	var args []string
	var cur strings.Builder
	inQuote, have := false, false
	str := s.String()
	for i := 0; i < len(str); i++ {
		c := str[i]
		switch {
		case inQuote && c == '\\' && i+1 < len(str) && strings.ContainsRune("\"`$\\", rune(str[i+1])):
			i++
			cur.WriteByte(str[i])
		case inQuote && c == '"':
			inQuote = false
		case inQuote:
			cur.WriteByte(c)
		case c == '"':
			inQuote, have = true, true
		case c == ' ':
			if have {
				args = append(args, cur.String())
			}
			cur.Reset()
			have = false
		case strings.ContainsRune(execReserved, rune(c)):
			t.Fatalf("unquoted reserved character %q in Exec %q", c, str)
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if inQuote {
		t.Fatalf("unterminated quote in Exec %q", str)
	}
	if have {
		args = append(args, cur.String())
	}
	for i, a := range args { // field codes: %% is a literal percent
		if strings.Contains(strings.ReplaceAll(a, "%%", ""), "%") {
			t.Fatalf("unescaped %% in argument %q", a)
		}
		args[i] = strings.ReplaceAll(a, "%%", "%")
	}
	return args
}

func TestDesktopExecRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want string // exact Exec value when not empty
	}{
		{name: "plain", argv: []string{"/usr/bin/auditlight", "--minimized"}, want: "/usr/bin/auditlight --minimized"},
		{name: "space in path", argv: []string{"/opt/Audit Light/auditlight"}, want: `"/opt/Audit Light/auditlight"`},
		{name: "dollar and quote", argv: []string{`/home/a/b$c"d/auditlight`}, want: `"/home/a/b\\$c\\"d/auditlight"`},
		{name: "backslash becomes four", argv: []string{`/tmp/a\b`}, want: `"/tmp/a\\\\b"`},
		{name: "percent is doubled", argv: []string{"/tmp/100%/auditlight"}, want: "/tmp/100%%/auditlight"},
		{name: "empty argument kept", argv: []string{"/usr/bin/auditlight", "", "x"}, want: `/usr/bin/auditlight "" x`},
		{name: "shell metacharacters", argv: []string{"/usr/bin/auditlight", "--profile=~/a;b|c&d", "it's", "(x)*?#<>`"}},
		{name: "tab", argv: []string{"/usr/bin/auditlight", "a\tb"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DesktopExec(tc.argv[0], tc.argv[1:])
			if tc.want != "" && got != tc.want {
				t.Errorf("DesktopExec = %s, want %s", got, tc.want)
			}
			if back := parseDesktopExec(t, got); !slices.Equal(back, tc.argv) {
				t.Errorf("session manager would run %q, want %q (Exec=%s)", back, tc.argv, got)
			}
		})
	}
}

func TestDesktopFile(t *testing.T) {
	e := Entry{Name: "AuditLight", Exec: "/opt/Audit Light/auditlight", Args: []string{"--minimized"}}
	keys := desktopEntryKeys(DesktopFile(e))
	want := map[string]string{
		"Type":                      "Application",
		"Name":                      "AuditLight",
		"Exec":                      `"/opt/Audit Light/auditlight" --minimized`,
		"TryExec":                   "/opt/Audit Light/auditlight",
		"Terminal":                  "false",
		"X-GNOME-Autostart-enabled": "true",
	}
	for k, v := range want {
		if keys[k] != v {
			t.Errorf("%s=%q, want %q", k, keys[k], v)
		}
	}
	if _, hidden := keys["Hidden"]; hidden {
		t.Error("a new entry must not be Hidden")
	}
}

func TestXDGEnableDisable(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("Config dispatches to the XDG backend only on Linux/BSD")
	}
	entry := Entry{Name: "AuditLight", Exec: "/usr/bin/auditlight", Args: []string{"--minimized"}}
	tests := []struct {
		name string
		cfg  func(t *testing.T) (Config, string) // config and expected autostart dir
	}{
		{name: "explicit config dir", cfg: func(t *testing.T) (Config, string) {
			d := t.TempDir()
			return Config{ConfigDir: d}, filepath.Join(d, "autostart")
		}},
		{name: "home dir", cfg: func(t *testing.T) (Config, string) {
			h := t.TempDir()
			return Config{HomeDir: h}, filepath.Join(h, ".config", "autostart")
		}},
		{name: "XDG_CONFIG_HOME", cfg: func(t *testing.T) (Config, string) {
			d := t.TempDir()
			t.Setenv("XDG_CONFIG_HOME", d)
			return Config{}, filepath.Join(d, "autostart")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, dir := tc.cfg(t)
			file := filepath.Join(dir, "AuditLight.desktop")
			assertEnabled(t, cfg, false, "off by default")
			if err := cfg.Enable(entry); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(file); err != nil {
				t.Fatalf("no desktop file at %s: %v", file, err)
			}
			assertEnabled(t, cfg, true, "after Enable")

			// The user switches it off in GNOME Tweaks / Startup Applications.
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			off := strings.Replace(string(data), "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false", 1)
			if err := os.WriteFile(file, []byte(off), 0o644); err != nil {
				t.Fatal(err)
			}
			assertEnabled(t, cfg, false, "after the desktop switched it off")
			if err := cfg.Enable(entry); err != nil {
				t.Fatal(err)
			}
			assertEnabled(t, cfg, true, "after Enable again")

			for range 2 { // Disable is idempotent
				if err := cfg.Disable(entry.Name); err != nil {
					t.Fatal(err)
				}
			}
			assertEnabled(t, cfg, false, "after Disable")
			leftovers, _ := filepath.Glob(filepath.Join(dir, "*"))
			if len(leftovers) != 0 {
				t.Fatalf("files left in %s: %v", dir, leftovers)
			}
		})
	}
}

func assertEnabled(t *testing.T, cfg Config, want bool, when string) {
	t.Helper()
	got, err := cfg.Enabled("AuditLight")
	if err != nil {
		t.Fatalf("%s: Enabled: %v", when, err)
	}
	if got != want {
		t.Fatalf("%s: Enabled = %v, want %v", when, got, want)
	}
}

func TestEnableRejectsBadEntries(t *testing.T) {
	cfg := Config{HomeDir: t.TempDir(), ConfigDir: t.TempDir()}
	tests := []struct {
		name  string
		entry Entry
	}{
		{name: "relative exec", entry: Entry{Name: "AuditLight", Exec: "auditlight"}},
		{name: "empty exec", entry: Entry{Name: "AuditLight"}},
		{name: "path in name", entry: Entry{Name: "../evil", Exec: "/usr/bin/auditlight"}},
		{name: "empty name", entry: Entry{Exec: "/usr/bin/auditlight"}},
		{name: "hidden file name", entry: Entry{Name: ".AuditLight", Exec: "/usr/bin/auditlight"}},
		{name: "newline in argument", entry: Entry{Name: "AuditLight", Exec: "/usr/bin/auditlight", Args: []string{"a\nExec=/bin/evil"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if runtime.GOOS == "windows" && strings.HasPrefix(tc.entry.Exec, "/") {
				t.Skip("POSIX paths are not absolute on Windows")
			}
			if err := cfg.Enable(tc.entry); err == nil {
				t.Fatal("Enable accepted an invalid entry")
			}
		})
	}
}
