//go:build windows

package app

import (
	"fmt"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/auditlight/auditlight/collector/health"
	"github.com/auditlight/auditlight/ui"
)

// notifyIconData is NOTIFYICONDATAW (as fyne.io/systray declares it).
type notifyIconData struct {
	Size                       uint32
	Wnd                        windows.Handle
	ID, Flags, CallbackMessage uint32
	Icon                       windows.Handle
	Tip                        [128]uint16
	State, StateMask           uint32
	Info                       [256]uint16
	Timeout, Version           uint32
	InfoTitle                  [64]uint16
	InfoFlags                  uint32
	GuidItem                   windows.GUID
	BalloonIcon                windows.Handle
}

var (
	user32            = windows.NewLazySystemDLL("user32.dll")
	enumThreadWindows = user32.NewProc("EnumThreadWindows")
	getClassName      = user32.NewProc("GetClassNameW")
	postMessage       = user32.NewProc("PostMessageW")
	peekMessage       = user32.NewProc("PeekMessageW")
	dispatchMessage   = user32.NewProc("DispatchMessageW")
	shellNotifyIcon   = windows.NewLazySystemDLL("shell32.dll").NewProc("Shell_NotifyIconW")
)

// threadWindow returns this thread's window of class class, or 0.
func threadWindow(class string) windows.Handle {
	var found windows.Handle
	cb := windows.NewCallback(func(h windows.Handle, _ uintptr) uintptr {
		buf := make([]uint16, 256)
		n, _, _ := getClassName.Call(uintptr(h), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
		if windows.UTF16ToString(buf[:n]) == class {
			found = h
			return 0
		}
		return 1
	})
	enumThreadWindows.Call(uintptr(windows.GetCurrentThreadId()), cb, 0)
	return found
}

// notifyIconRegistered asks the shell to modify the notify icon (h, 100),
// the id fyne.io/systray uses, without changing anything: it succeeds only
// while that icon is registered.
func notifyIconRegistered(h windows.Handle) bool {
	const nimModify = 1
	nid := notifyIconData{Wnd: h, ID: 100}
	nid.Size = uint32(unsafe.Sizeof(nid))
	ok, _, _ := shellNotifyIcon.Call(nimModify, uintptr(unsafe.Pointer(&nid)))
	return ok != 0
}

// pump dispatches this thread's pending window messages, as GLFW's loop
// does on the main thread.
func pump() {
	var msg [64]byte // MSG
	for {
		const pmRemove = 1
		if got, _, _ := peekMessage.Call(uintptr(unsafe.Pointer(&msg[0])), 0, 0, 0, pmRemove); got == 0 {
			return
		}
		dispatchMessage.Call(uintptr(unsafe.Pointer(&msg[0])))
	}
}

// recordingMenu is systrayMenu that remembers the item made for each label.
type recordingMenu struct {
	systrayMenu
	ids map[string]uint32
}

func (r *recordingMenu) add(parent menuEntry, label string, checked bool) menuEntry {
	e := r.systrayMenu.add(parent, label, checked)
	var id uint32
	if _, err := fmt.Sscanf(e.(systrayItem).String(), "MenuItem[%d,", &id); err == nil {
		r.ids[label] = id
	}
	return e
}

// TestOwnTrayRegistersTheNotifyIconOnWindows runs the Windows tray the app
// drives itself (scripts/wine-unit.sh runs it under Wine): once run, this
// thread owns systray's hidden window and the shell has its notify icon
// (Shell_NotifyIcon answers for it); a menu click, sent to that window as
// Windows sends it (WM_COMMAND) and dispatched by this thread's message
// loop, runs its action through the Fyne goroutine's queue; after end the
// notify icon is gone. fyne.io/systray keeps one icon per process, so this
// is the package's only Windows test that starts it.
func TestOwnTrayRegistersTheNotifyIconOnWindows(t *testing.T) {
	runtime.LockOSThread() // the icon's window belongs to this thread, as to Fyne's main thread
	defer runtime.UnlockOSThread()

	ran := make(chan string, 4)
	queued := make(chan func(), 4)
	own := platformTray("AuditLight", func(f func()) { queued <- f })
	menu := &recordingMenu{ids: map[string]uint32{}}
	own.items = menu
	ts := &ui.TraySync{Icon: trayIcon, Actions: ui.TrayActions{
		Open: func() { ran <- "open" },
		Quit: func() { ran <- "quit" },
	}, SetIcon: own.setIcon, SetMenu: own.setMenu, SetTooltip: own.setTooltip}
	waiting := health.Evaluate(health.Inputs{Configured: true}, time.Now(), health.Thresholds{})
	ts.Apply(waiting) // before the icon registers, as newTray does
	if h := threadWindow("SystrayClass"); h != 0 {
		t.Fatal("the icon's window exists before run")
	}
	own.run()
	h := threadWindow("SystrayClass")
	if h == 0 {
		t.Fatal("no SystrayClass window on this thread after run: the icon did not register here")
	}
	if !notifyIconRegistered(h) {
		t.Fatal("Shell_NotifyIcon does not know the icon: it was not added")
	}
	green := waiting
	green.State, green.Colour, green.Reason = health.Healthy, health.Healthy.Colour(), "Online and logging."
	ts.Apply(green)
	for _, click := range []struct{ label, action string }{{"Open AuditLight", "open"}, {"Quit", "quit"}} {
		id, ok := menu.ids[click.label]
		if !ok {
			t.Fatalf("no %q in the menu: %v", click.label, menu.ids)
		}
		const wmCommand = 0x0111
		if ok, _, err := postMessage.Call(uintptr(h), wmCommand, uintptr(id), 0); ok == 0 {
			t.Fatalf("posting the click on %q: %v", click.label, err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			pump()
			select {
			case f := <-queued:
				runQueuedClick(t, click.label, click.action, f, ran)
			case <-time.After(20 * time.Millisecond):
				if time.Now().Before(deadline) {
					continue
				}
				t.Fatalf("clicking %q ran nothing", click.label)
			}
			break
		}
	}
	own.end()
	if notifyIconRegistered(h) {
		t.Error("the notify icon is still registered after end")
	}
}
