// Package macapp makes AuditLight behave like a macOS menu-bar (tray) app:
// no Dock icon while only the menu-bar light is there, a Dock icon while the
// window is open, and the window brought back when the user opens the app
// again from Finder, Spotlight, Launchpad or the Dock.
//
// Fyne 2.8.1 and its GLFW driver have no hook for either: GLFW sets the
// activation policy to Regular when it starts and its application delegate
// does not answer applicationShouldHandleReopen:hasVisibleWindows:
// (fyne-io/fyne#3156, #3845, #6084). The Cocoa side lives in
// native_darwin.go/.m (cgo, built only for darwin); on every other system
// System returns nil and a Dock built on nil does nothing.
package macapp

// Policy is a macOS application activation policy.
type Policy int

const (
	// Regular: a Dock icon and a menu bar, like any windowed app
	// (NSApplicationActivationPolicyRegular).
	Regular Policy = iota
	// Accessory: no Dock icon and no menu bar; the app lives in the menu-bar
	// status item (NSApplicationActivationPolicyAccessory).
	Accessory
)

// String names the policy as AppKit does.
func (p Policy) String() string {
	switch p {
	case Regular:
		return "Regular"
	case Accessory:
		return "Accessory"
	}
	return "Unknown"
}

// Native is what the operating system does for a Dock. Its methods run on
// the main (Fyne) thread.
type Native interface {
	// SetActivationPolicy switches the Dock icon on (Regular) or off (Accessory).
	SetActivationPolicy(Policy)
	// Activate brings the app to the front, so the window it just showed gets
	// the keyboard instead of opening behind the app the user was in.
	Activate()
	// OnReopen calls f (on the main thread) each time the running app is
	// opened again from Finder, Spotlight, Launchpad or its Dock icon, or
	// the user clicks one of its notifications. The returned function stops
	// the calls.
	OnReopen(f func()) (stop func(), err error)
}

// Dock keeps the activation policy in step with the main window: Shown
// switches to Regular and activates the app, Hidden switches to Accessory.
// A Dock on a nil Native (every system but macOS) does nothing. It is used
// from the Fyne goroutine only.
type Dock struct {
	native  Native
	policy  Policy
	applied bool // policy has been sent to native at least once
}

// NewDock returns a Dock driving n; n may be nil.
func NewDock(n Native) *Dock {
	return &Dock{native: n}
}

// Shown is called when the main window is shown: the Dock icon appears and
// the app comes to the front.
func (d *Dock) Shown() {
	if d == nil || d.native == nil {
		return
	}
	d.apply(Regular)
	d.native.Activate()
}

// Hidden is called when the main window is hidden to the menu bar: the Dock
// icon goes away.
func (d *Dock) Hidden() {
	if d == nil || d.native == nil {
		return
	}
	d.apply(Accessory)
}

// OnReopen asks native to call f when the app is opened again while it runs;
// without a native it does nothing and stop is a no-op.
func (d *Dock) OnReopen(f func()) (stop func(), err error) {
	if d == nil || d.native == nil {
		return func() {}, nil
	}
	return d.native.OnReopen(f)
}

// apply sends p unless it is already the policy in force: switching policy
// makes AppKit rebuild the menu bar, so repeated Shown calls (tray Open on
// an open window) must not flicker it.
func (d *Dock) apply(p Policy) {
	if d.applied && d.policy == p {
		return
	}
	d.native.SetActivationPolicy(p)
	d.policy, d.applied = p, true
}
