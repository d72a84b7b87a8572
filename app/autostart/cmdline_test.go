package autostart

import (
	"slices"
	"strings"
	"testing"
)

// parseWindowsArgs splits arguments (after the program name) the way
// CommandLineToArgvW does.
func parseWindowsArgs(s string) []string {
	var args []string
	var cur strings.Builder
	inQuote, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					inQuote = !inQuote
				}
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			have = true
		case c == '"':
			inQuote, have = !inQuote, true
		case (c == ' ' || c == '\t') && !inQuote:
			if have {
				args = append(args, cur.String())
			}
			cur.Reset()
			have = false
		default:
			cur.WriteByte(c)
			have = true
		}
	}
	if have {
		args = append(args, cur.String())
	}
	return args
}

func TestWindowsCommandLine(t *testing.T) {
	const exe = `C:\Program Files\AuditLight\auditlight.exe`
	tests := []struct {
		name string
		args []string
		want string // exact when not empty
	}{
		{name: "no args", want: `"C:\Program Files\AuditLight\auditlight.exe"`},
		{name: "simple flag", args: []string{"--minimized"}, want: `"C:\Program Files\AuditLight\auditlight.exe" --minimized`},
		{name: "path with space and trailing backslash", args: []string{`--profile=C:\Users\Jo Doe\`}, want: `"C:\Program Files\AuditLight\auditlight.exe" "--profile=C:\Users\Jo Doe\\"`},
		{name: "embedded quotes", args: []string{`say "hi"`, `a\"b`}},
		{name: "empty", args: []string{"", "x"}},
		{name: "backslashes not before quotes stay single", args: []string{`C:\a\b`}, want: `"C:\Program Files\AuditLight\auditlight.exe" C:\a\b`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := WindowsCommandLine(exe, tc.args)
			if tc.want != "" && got != tc.want {
				t.Errorf("WindowsCommandLine = %s, want %s", got, tc.want)
			}
			prog, rest, ok := strings.Cut(got[1:], `"`)
			if !ok || prog != exe {
				t.Fatalf("program part of %s is not the quoted exe", got)
			}
			if back := parseWindowsArgs(rest); !slices.Equal(back, tc.args) && !(len(back) == 0 && len(tc.args) == 0) {
				t.Errorf("Windows would pass %q, want %q (%s)", back, tc.args, got)
			}
		})
	}
}
