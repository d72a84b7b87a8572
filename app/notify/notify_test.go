package notify

import (
	"encoding/xml"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
)

// fakeOS is a Windows that may or may not have the installer's
// registration and whose Windows Runtime may refuse toasts.
type fakeOS struct {
	isRegistered bool
	pushErr      error

	mu     sync.Mutex
	pushed []string
	click  func(string)
}

func (f *fakeOS) registered(string) (bool, string) {
	if f.isRegistered {
		return true, ""
	}
	return false, "AppUserModelID x is not registered (AuditLight was not installed with its installer)"
}

func (f *fakeOS) push(_, x string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pushErr != nil {
		return f.pushErr
	}
	f.pushed = append(f.pushed, x)
	return nil
}

func (f *fakeOS) onClick(c func(string)) { f.click = c }

func TestNotifierChoosesAndFallsBackHonestly(t *testing.T) {
	note := fyne.NewNotification("Client secret expires in 7 days", "Rotate it before 2026-12-05.")
	tests := []struct {
		name       string
		os         *fakeOS // nil: Linux/macOS
		wantPath   Path    // after the first Send
		wantToasts int
		wantFyne   int
		wantWhy    string
	}{
		{"installed on Windows: toast", &fakeOS{isRegistered: true}, PathToast, 1, 0, "registered by the installer"},
		{"not installed with the installer: Fyne, said", &fakeOS{}, PathFyne, 0, 1, "not installed with its installer"},
		{"WinRT refuses (Wine): Fyne, said with the error", &fakeOS{isRegistered: true, pushErr: errors.New("RoGetActivationFactory: class not registered")}, PathFyne, 0, 1, "class not registered"},
		{"Linux/macOS: Fyne is native", nil, PathFyne, 0, 1, "notification service"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var fyneSent []*fyne.Notification
			o := Options{AppID: "io.github.auditlight.auditlight", Fallback: func(n *fyne.Notification) { fyneSent = append(fyneSent, n) }}
			var p platform
			if tc.os != nil {
				p = tc.os
			}
			n := newNotifier(o, p)
			n.Send(note)
			path, why := n.Path()
			if path != tc.wantPath || !strings.Contains(why, tc.wantWhy) {
				t.Errorf("path %q (%s), want %q with %q", path, why, tc.wantPath, tc.wantWhy)
			}
			if tc.os != nil && len(tc.os.pushed) != tc.wantToasts {
				t.Errorf("%d toasts shown, want %d", len(tc.os.pushed), tc.wantToasts)
			}
			if len(fyneSent) != tc.wantFyne || (tc.wantFyne > 0 && fyneSent[0] != note) {
				t.Errorf("Fyne sent %d notifications, want %d (the same one)", len(fyneSent), tc.wantFyne)
			}
			if tc.os != nil && tc.os.pushErr != nil {
				// Once fallen back, later notifications go straight to Fyne.
				tc.os.pushErr = nil
				n.Send(note)
				if len(tc.os.pushed) != 0 || len(fyneSent) != 2 {
					t.Errorf("after falling back: %d toasts, %d Fyne; want 0 and 2", len(tc.os.pushed), len(fyneSent))
				}
			}
		})
	}
}

func TestClickingAToastReachesTheApp(t *testing.T) {
	win := &fakeOS{isRegistered: true}
	var got []string
	newNotifier(Options{AppID: "a", OnClick: func(args string) { got = append(got, args) }}, win)
	if win.click == nil {
		t.Fatal("no activation callback was installed")
	}
	win.click(LaunchOpen)
	if len(got) != 1 || got[0] != LaunchOpen {
		t.Fatalf("the app received %q, want [%q]", got, LaunchOpen)
	}
}

func TestToastXML(t *testing.T) {
	long := strings.Repeat("é", 500)
	tests := []struct {
		name      string
		toast     Toast
		wantTexts []string
		wantErr   bool
	}{
		{"title and body", Toast{Title: "Secret expires", Body: "Rotate it", Launch: LaunchOpen}, []string{"Secret expires", "Rotate it"}, false},
		{"markup is text, not XML", Toast{Title: `Rule "<b>x</b>" & ]]> y`, Body: "a<b", Launch: LaunchOpen}, []string{`Rule "<b>x</b>" & ]]> y`, "a<b"}, false},
		{"body only", Toast{Body: "b", Launch: LaunchOpen}, []string{"b"}, false},
		{"long text is cut", Toast{Title: "t", Body: long, Launch: LaunchOpen}, []string{"t", strings.Repeat("é", maxBody-1) + "…"}, false},
		{"nothing to say", Toast{Launch: LaunchOpen}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := tc.toast.XML()
			if (err != nil) != tc.wantErr {
				t.Fatalf("XML() error %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			var back toastXML
			if err := xml.Unmarshal([]byte(s), &back); err != nil {
				t.Fatalf("the toast is not well-formed XML: %v\n%s", err, s)
			}
			if back.ActivationType != "foreground" || back.Launch != tc.toast.Launch {
				t.Errorf("activation %q launch %q: a click would not reach the app", back.ActivationType, back.Launch)
			}
			if back.Binding.Template != "ToastGeneric" || strings.Join(back.Binding.Texts, "|") != strings.Join(tc.wantTexts, "|") {
				t.Errorf("texts %q (template %q), want %q", back.Binding.Texts, back.Binding.Template, tc.wantTexts)
			}
		})
	}
}

func TestInstallerRegistersThisActivator(t *testing.T) {
	b, err := os.ReadFile("../../packaging/windows/installer.nsi")
	if err != nil {
		t.Fatal(err)
	}
	want := `!define ACTIVATOR "` + ActivatorCLSID + `"`
	if !strings.Contains(string(b), want) {
		t.Fatalf("installer.nsi does not define %s: clicks on toasts would not reach AuditLight", want)
	}
}
