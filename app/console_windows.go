//go:build windows

package app

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachConsole makes the GUI build (linked with -H=windowsgui, so Windows
// gives it no console and no standard handles) print when it is run from
// cmd or PowerShell with a command such as `auditlight status`: it attaches
// to the parent's console and points os.Stdout/os.Stderr at it. Redirected
// output (`auditlight status > file`) already has handles and is left
// alone. The shell does not wait for a GUI program, so scripts should use
// the console twin auditlight-cli.exe, which also returns exit codes; this
// only keeps the GUI exe from being silent. It returns a note for the user,
// or "".
func attachConsole(args []string) string {
	if !wantsConsole(args) {
		return ""
	}
	if h, err := windows.GetStdHandle(windows.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != windows.InvalidHandle {
		return "" // a console program (auditlight-cli.exe) or redirected output
	}
	// AttachConsole(ATTACH_PARENT_PROCESS); x/sys/windows has no wrapper.
	attach := windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return "" // started from Explorer: nowhere to print
	}
	out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		return ""
	}
	os.Stdout, os.Stderr = out, out
	if in, err := os.Open("CONIN$"); err == nil {
		os.Stdin = in
	}
	return "auditlight: tip: use auditlight-cli.exe from cmd, PowerShell and scripts (it waits and returns exit codes)"
}
