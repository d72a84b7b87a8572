//go:build darwin && cgo

package macapp

/*
#cgo CFLAGS: -x objective-c -fobjc-arc
#cgo LDFLAGS: -framework AppKit -framework Foundation -framework UserNotifications

#include <stdint.h>

void auditlightSetActivationPolicy(int accessory);
void auditlightActivate(void);
int auditlightInstallReopen(uintptr_t handle);
void auditlightRemoveReopen(void);
void *auditlightBeginActivity(const char *reason);
void auditlightEndActivity(void *token);
#include <stdlib.h>
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// System returns the AppKit implementation. Its calls do nothing before
// the Fyne driver has created the NSApplication (headless tests).
func System() Native { return appKit{} }

// appKit talks to NSApp; see system_darwin.m.
type appKit struct{}

// SetActivationPolicy implements Native.
func (appKit) SetActivationPolicy(p Policy) {
	accessory := C.int(0)
	if p == Accessory {
		accessory = 1
	}
	C.auditlightSetActivationPolicy(accessory)
}

// Activate implements Native.
func (appKit) Activate() { C.auditlightActivate() }

// Errors from installing the reopen handler.
var (
	errNoApp          = errors.New("no NSApplication delegate yet: install the reopen handler once the Fyne driver runs (Lifecycle OnStarted)")
	errAlreadyHandled = errors.New("the application delegate already answers applicationShouldHandleReopen:hasVisibleWindows:")
)

// OnReopen implements Native: it adds applicationShouldHandleReopen:
// hasVisibleWindows: to GLFW's application delegate, which lacks it, and,
// in a bundle, a notification-center delegate so a click on a notification
// calls f too (and banners show while the window is in front). The
// callback's handle is kept on NSApp (an associated object), so no Go
// global is needed; stop releases it.
func (appKit) OnReopen(f func()) (func(), error) {
	h := cgo.NewHandle(f)
	switch C.auditlightInstallReopen(C.uintptr_t(h)) {
	case 0:
		// The handle is deleted on the main thread right after it is taken
		// off NSApp (auditlightReleaseReopen), so a reopen event can never
		// see a deleted handle.
		return func() { C.auditlightRemoveReopen() }, nil
	case 1:
		h.Delete()
		return nil, errNoApp
	default:
		h.Delete()
		return nil, errAlreadyHandled
	}
}

//export auditlightReleaseReopen
func auditlightReleaseReopen(h C.uintptr_t) { cgo.Handle(h).Delete() }

//export auditlightReopen
func auditlightReopen(h C.uintptr_t) {
	if f, ok := cgo.Handle(h).Value().(func()); ok {
		f()
	}
}

// KeepWorking declares that the process keeps working without a visible
// window (NSProcessInfo beginActivityWithOptions: user-initiated, allowing
// idle system sleep), so App Nap does not slow the collector while
// AuditLight lives only in the menu bar. release ends it (once).
func KeepWorking(reason string) (release func()) {
	cs := C.CString(reason)
	defer C.free(unsafe.Pointer(cs))
	token := C.auditlightBeginActivity(cs)
	var once sync.Once
	return func() { once.Do(func() { C.auditlightEndActivity(token) }) }
}
