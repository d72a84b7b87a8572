// Package fynelog routes Fyne's error output to the profile log. Fyne
// reports its errors through the standard log package (fyne.LogError:
// "Fyne error:  <reason>", then "  Cause: <err>"). In the GUI that output is routed here: every line goes to the profile log (a
// Windows GUI has no stderr, so they were lost), and when the graphics could
// not start (a VM or Remote Desktop session without OpenGL 2.1) the user is
// told why and what to do, in a dialog on Windows, before Fyne exits.
package fynelog

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"log/slog"
	"runtime"
	"strings"
	"sync"
)

// graphicsReasons are the reasons Fyne's GLFW driver gives when no window
// can be drawn.
func graphicsReasons() []string {
	return []string{"window creation error", "failed to initialise GLFW", "failed to initialise OpenGL"}
}

// exitsAfter reports whether the process must end after the user was told
// of graphics failure reason: Fyne quits by itself after a window creation
// error, but after a failed GLFW or OpenGL start it carries on into a panic
// ("The GLFW library is not initialized"), so the process ends with exit
// status 1 once the user was told.
func exitsAfter(reason string) bool { return reason != "window creation error" }

// fyneLog is an io.Writer for the standard logger.
type fyneLog struct {
	log       *slog.Logger
	graphics  func(msg string) // tells the user the window cannot open (once)
	exit      func(code int)   // ends the process where Fyne would panic
	logFile   string           // where the details are, for the message
	mu        sync.Mutex
	buf       bytes.Buffer
	graphicsR string // the graphics reason seen, waiting for its Cause line
	told      bool
}

// Route sends the standard logger's output (Fyne's errors) to log and
// returns the function that restores the previous output.
func Route(l *slog.Logger, logFile string, graphics func(string), exit func(int)) func() {
	prevOut, prevFlags := log.Writer(), log.Flags()
	log.SetOutput(&fyneLog{log: l, graphics: graphics, exit: exit, logFile: logFile})
	log.SetFlags(0)
	return func() { log.SetOutput(prevOut); log.SetFlags(prevFlags) }
}

// Write logs each complete line.
func (f *fyneLog) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf.Write(p)
	for {
		line, err := f.buf.ReadString('\n')
		if err == io.EOF {
			f.buf.WriteString(line) // incomplete: keep for the next write
			break
		}
		f.line(strings.TrimSpace(line))
	}
	return len(p), nil
}

func (f *fyneLog) line(line string) {
	if line == "" {
		return
	}
	f.log.Warn("fyne: " + line)
	if reason, ok := strings.CutPrefix(line, "Fyne error:"); ok {
		reason = strings.TrimSpace(reason)
		f.graphicsR = ""
		for _, r := range graphicsReasons() {
			if strings.EqualFold(reason, r) {
				f.graphicsR = r
			}
		}
		return
	}
	if cause, ok := strings.CutPrefix(line, "Cause:"); ok && f.graphicsR != "" && !f.told {
		f.told = true
		f.graphics(graphicsMessage(runtime.GOOS, f.graphicsR, strings.TrimSpace(cause), f.logFile))
		if exitsAfter(f.graphicsR) {
			f.exit(1)
		}
	}
}

// graphicsMessage explains, for the operating system goos, a window that
// cannot open for lack of OpenGL 2.1 and what to do.
func graphicsMessage(goos, reason, cause, logFile string) string {
	msg := fmt.Sprintf("AuditLight cannot open its window: the graphics of this computer do not offer "+
		"OpenGL 2.1 (%s: %s).\n\n", reason, cause)
	switch goos {
	case "windows":
		msg += "This happens in virtual machines and Remote Desktop sessions without 3D acceleration. " +
			"Turn on 3D acceleration for the virtual machine, or put Mesa's software renderer (opengl32.dll) " +
			"next to auditlight.exe.\n\n" +
			"Collection does not need the window: \"auditlight-cli.exe collect\" and \"auditlight-cli.exe status\" work without it."
	default:
		msg += "Start it inside a desktop session (DISPLAY or WAYLAND_DISPLAY set) whose graphics offer OpenGL 2.1; " +
			"without a GPU, Mesa's software renderer works (LIBGL_ALWAYS_SOFTWARE=1).\n\n" +
			"Collection does not need the window: \"auditlight collect\" and \"auditlight status\" work without it."
	}
	if logFile != "" {
		msg += "\n\nDetails: " + logFile
	}
	return msg
}
