package macapp

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// fakeNative records what the Dock asked the operating system to do.
type fakeNative struct {
	calls   []string
	reopen  func()
	stopped bool
	err     error
}

func (f *fakeNative) SetActivationPolicy(p Policy) { f.calls = append(f.calls, "policy "+p.String()) }
func (f *fakeNative) Activate()                    { f.calls = append(f.calls, "activate") }
func (f *fakeNative) OnReopen(fn func()) (func(), error) {
	if f.err != nil {
		return nil, f.err
	}
	f.reopen = fn
	return func() { f.stopped = true; f.reopen = nil }, nil
}

func TestDockFollowsTheWindow(t *testing.T) {
	tests := []struct {
		name   string
		events []string // "show" or "hide", in order
		want   []string // what macOS is asked to do
	}{
		{"started in the menu bar (login item): no Dock icon", []string{"hide"}, []string{"policy Accessory"}},
		{"started with the window: Dock icon, app in front", []string{"show"}, []string{"policy Regular", "activate"}},
		{"window closed to the menu bar: Dock icon goes", []string{"show", "hide"},
			[]string{"policy Regular", "activate", "policy Accessory"}},
		{"opened again from the menu bar: Dock icon comes back", []string{"hide", "show"},
			[]string{"policy Accessory", "policy Regular", "activate"}},
		{"Open on an open window only brings it forward (no menu-bar rebuild)", []string{"show", "show", "show"},
			[]string{"policy Regular", "activate", "activate", "activate"}},
		{"hiding twice switches once", []string{"show", "hide", "hide"},
			[]string{"policy Regular", "activate", "policy Accessory"}},
		{"a whole day", []string{"hide", "show", "hide", "show", "hide"},
			[]string{"policy Accessory", "policy Regular", "activate", "policy Accessory", "policy Regular", "activate", "policy Accessory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := &fakeNative{}
			d := NewDock(n)
			for _, ev := range tt.events {
				switch ev {
				case "show":
					d.Shown()
				case "hide":
					d.Hidden()
				default:
					t.Fatalf("unknown event %q", ev)
				}
			}
			if !reflect.DeepEqual(n.calls, tt.want) {
				t.Fatalf("after %v macOS was asked to\n  %v\nwant\n  %v", tt.events, n.calls, tt.want)
			}
		})
	}
}

func TestDockWithoutMacOSDoesNothing(t *testing.T) {
	for _, d := range []*Dock{NewDock(nil), nil} {
		d.Shown()
		d.Hidden()
		stop, err := d.OnReopen(func() { t.Fatal("reopen called without macOS") })
		if err != nil || stop == nil {
			t.Fatalf("OnReopen without macOS: stop nil = %t, err = %v; want a no-op stop and no error", stop == nil, err)
		}
		stop()
	}
}

func TestReopenReachesTheCallbackUntilStopped(t *testing.T) {
	n := &fakeNative{}
	d := NewDock(n)
	opened := 0
	stop, err := d.OnReopen(func() { opened++ })
	if err != nil {
		t.Fatal(err)
	}
	n.reopen() // the user double-clicks AuditLight in Finder
	n.reopen() // and clicks its Dock icon
	if opened != 2 {
		t.Fatalf("window brought back %d times for 2 reopen events", opened)
	}
	stop()
	if !n.stopped {
		t.Fatal("stop did not remove the reopen handler")
	}
}

func TestReopenErrorIsReturned(t *testing.T) {
	want := errors.New("delegate already answers reopen")
	_, err := NewDock(&fakeNative{err: want}).OnReopen(func() {})
	if !errors.Is(err, want) {
		t.Fatalf("OnReopen error = %v, want %v", err, want)
	}
}

func TestPolicyNames(t *testing.T) {
	for p, want := range map[Policy]string{Regular: "Regular", Accessory: "Accessory", Policy(7): "Unknown"} {
		if got := p.String(); !strings.EqualFold(got, want) {
			t.Errorf("Policy(%d) = %q, want %q", int(p), got, want)
		}
	}
}

func TestSystemIsNilOffMacOS(t *testing.T) {
	// This file's tests run on Linux and Windows in CI, where there is no
	// Dock: System must not pretend there is one.
	if s := System(); s != nil && !isDarwinCgo {
		t.Fatalf("System() = %T on a system without AppKit", s)
	}
}
