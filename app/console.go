package app

// consoleCommands are the command-line words that print something; a
// Windows GUI build attaches to the console it was started from when it
// sees one of them (see attachConsole).
var consoleWords = map[string]bool{
	"simulate": true, "configure": true, "check": true, "collect": true, "status": true,
	"events": true, "diagnostics": true, "version": true, "help": true,
	"quit": true, "remove-secrets": true,
	"-h": true, "-help": true, "--help": true,
}

// wantsConsole reports whether args name a command that prints (as
// opposed to the GUI, --demo or the tray start at login).
func wantsConsole(args []string) bool {
	for _, a := range args {
		if consoleWords[a] {
			return true
		}
	}
	return false
}
