package autostart

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/auditlight/auditlight/internal/atomicfile"
)

// xdgAutostart manages ~/.config/autostart/<name>.desktop entries
// (freedesktop.org Desktop Application Autostart Specification).
type xdgAutostart struct {
	dir string
}

// path returns the desktop file of the entry called name.
func (x xdgAutostart) path(name string) string {
	return filepath.Join(x.dir, name+".desktop")
}

func (x xdgAutostart) enable(e Entry) error {
	return atomicfile.Write(x.path(e.Name), DesktopFile(e), 0o644)
}

func (x xdgAutostart) disable(name string) error {
	if err := os.Remove(x.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing autostart entry: %w", err)
	}
	return nil
}

// enabled reports whether the desktop file exists and is not switched off
// (Hidden=true, or X-GNOME-Autostart-enabled=false as set by GNOME Tweaks).
func (x xdgAutostart) enabled(name string) (bool, error) {
	data, err := os.ReadFile(x.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading autostart entry: %w", err)
	}
	keys := desktopEntryKeys(data)
	if strings.EqualFold(keys["Hidden"], "true") || strings.EqualFold(keys["X-GNOME-Autostart-enabled"], "false") {
		return false, nil
	}
	return true, nil
}

// DesktopFile returns the XDG autostart .desktop file for e. Exec is quoted
// per the Desktop Entry Specification, so paths with spaces, quotes, '$',
// '%' or backslashes survive the session manager's parsing.
func DesktopFile(e Entry) []byte {
	var b bytes.Buffer
	b.WriteString("[Desktop Entry]\n")
	b.WriteString("Type=Application\n")
	b.WriteString("Version=1.0\n")
	b.WriteString("Name=" + escapeDesktopString(e.Name) + "\n")
	b.WriteString("Comment=" + escapeDesktopString("Start "+e.Name+" at login") + "\n")
	b.WriteString("Exec=" + DesktopExec(e.Exec, e.Args) + "\n")
	// Session managers skip the entry if the program was uninstalled.
	b.WriteString("TryExec=" + escapeDesktopString(e.Exec) + "\n")
	b.WriteString("Terminal=false\n")
	b.WriteString("X-GNOME-Autostart-enabled=true\n")
	return b.Bytes()
}

// DesktopExec builds the value of an Exec= key: each argument quoted if it
// contains a reserved character, '%' doubled, then string-escaped (so a
// literal backslash inside quotes becomes four backslashes).
func DesktopExec(exec string, args []string) string {
	parts := make([]string, 0, 1+len(args))
	for _, a := range append([]string{exec}, args...) {
		parts = append(parts, quoteExecArg(a))
	}
	return escapeDesktopString(strings.Join(parts, " "))
}

// execReserved are the characters that force quoting of an Exec argument.
const execReserved = " \t\n\"'\\><~|&;$*?#()`"

// quoteExecArg applies the Exec quoting rules to one argument.
func quoteExecArg(arg string) string {
	arg = strings.ReplaceAll(arg, "%", "%%")
	if arg != "" && !strings.ContainsAny(arg, execReserved) {
		return arg
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range arg {
		switch r {
		case '"', '`', '$', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// escapeDesktopString applies the escapes of the "string" value type.
func escapeDesktopString(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s)
}

// desktopEntryKeys returns the keys of the [Desktop Entry] group.
func desktopEntryKeys(data []byte) map[string]string {
	keys := make(map[string]string)
	group := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			group = line[1 : len(line)-1]
		case group == "Desktop Entry":
			if k, v, ok := strings.Cut(line, "="); ok {
				keys[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	}
	return keys
}
