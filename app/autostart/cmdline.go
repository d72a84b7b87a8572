package autostart

import "strings"

// WindowsCommandLine builds the command line stored in the Run key. The
// program path is always quoted (Explorer otherwise tries "C:\Program" for
// "C:\Program Files\..."); arguments are quoted and backslash-escaped the
// way CommandLineToArgvW and the Go runtime parse them back.
func WindowsCommandLine(exec string, args []string) string {
	var b strings.Builder
	b.WriteByte('"')
	b.WriteString(exec)
	b.WriteByte('"')
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(windowsQuoteArg(a))
	}
	return b.String()
}

// windowsQuoteArg quotes one argument if needed: backslashes are doubled
// only when they precede a quote or the closing quote.
func windowsQuoteArg(arg string) string {
	if arg != "" && !strings.ContainsAny(arg, " \t\"") {
		return arg
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range arg {
		switch r {
		case '\\':
			slashes++
			continue
		case '"':
			b.WriteString(strings.Repeat(`\`, 2*slashes+1))
		default:
			b.WriteString(strings.Repeat(`\`, slashes))
		}
		slashes = 0
		b.WriteRune(r)
	}
	b.WriteString(strings.Repeat(`\`, 2*slashes))
	b.WriteByte('"')
	return b.String()
}
