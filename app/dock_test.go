package app

import (
	"errors"
	"log/slog"
	"reflect"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/auditlight/auditlight/internal/macapp"
	"github.com/auditlight/auditlight/ui"
)

// fakeDock records what AuditLight asks macOS to do with its Dock icon.
type fakeDock struct {
	calls     []string
	reopen    func()
	reopenErr error
	removed   bool
}

func (f *fakeDock) SetActivationPolicy(p macapp.Policy) {
	f.calls = append(f.calls, p.String())
}
func (f *fakeDock) Activate() { f.calls = append(f.calls, "activate") }
func (f *fakeDock) OnReopen(fn func()) (func(), error) {
	if f.reopenErr != nil {
		return nil, f.reopenErr
	}
	f.reopen = fn
	return func() { f.removed = true }, nil
}

// TestDockIconFollowsTheMainWindow drives the window the way a macOS user
// does — start at login in the menu bar, reopen from Finder, close the
// window, open it from the tray — through the same handlers showGUI wires,
// and checks the Dock icon is there exactly while the window is.
func TestDockIconFollowsTheMainWindow(t *testing.T) {
	tests := []struct {
		name   string
		hidden bool     // started with --hidden (login item)
		steps  []string // "reopen", "close", "open", "second-launch"
		want   []string
	}{
		{"login item: menu bar only, no Dock icon", true, nil, []string{"Accessory"}},
		{"started from Finder: Dock icon and in front", false, nil, []string{"Regular", "activate"}},
		{"login item, then opened from Spotlight", true, []string{"reopen"},
			[]string{"Accessory", "Regular", "activate"}},
		{"window closed to the menu bar", false, []string{"close"},
			[]string{"Regular", "activate", "Accessory"}},
		{"closed, then Open from the tray menu", false, []string{"close", "open"},
			[]string{"Regular", "activate", "Accessory", "Regular", "activate"}},
		{"closed, then launched again (second copy hands over)", false, []string{"close", "second-launch"},
			[]string{"Regular", "activate", "Accessory", "Regular", "activate"}},
		{"Dock icon clicked while the window is open: no policy flicker", false, []string{"reopen"},
			[]string{"Regular", "activate", "activate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			native := &fakeDock{}
			dw := dockWindow{Window: a.NewWindow("AuditLight"), dock: macapp.NewDock(native)}
			closeWin := ui.CloseHandler(dw, func() bool { return true }, func() { t.Fatal("closing with a tray quit the app") })
			stop := dw.started(tt.hidden, func(f func()) { f() }, slog.New(slog.DiscardHandler))
			if native.reopen == nil {
				t.Fatal("no reopen handler installed")
			}
			for _, s := range tt.steps {
				switch s {
				case "reopen":
					native.reopen()
				case "close":
					closeWin()
				case "open", "second-launch":
					dw.bringForward()
				default:
					t.Fatalf("unknown step %q", s)
				}
			}
			if !reflect.DeepEqual(native.calls, tt.want) {
				t.Fatalf("macOS was asked to\n  %v\nwant\n  %v", native.calls, tt.want)
			}
			stop()
			if !native.removed {
				t.Fatal("the reopen handler outlived the event loop")
			}
		})
	}
}

// TestReopenHandlerFailureKeepsTheApp: when the handler cannot be installed
// the app still runs and its Dock icon still follows the window.
func TestReopenHandlerFailureKeepsTheApp(t *testing.T) {
	a := test.NewTempApp(t)
	native := &fakeDock{reopenErr: errors.New("delegate already answers reopen")}
	dw := dockWindow{Window: a.NewWindow("AuditLight"), dock: macapp.NewDock(native)}
	stop := dw.started(true, func(f func()) { f() }, slog.New(slog.DiscardHandler))
	stop()
	dw.bringForward()
	if want := []string{"Accessory", "Regular", "activate"}; !reflect.DeepEqual(native.calls, want) {
		t.Fatalf("macOS was asked to %v, want %v", native.calls, want)
	}
}
