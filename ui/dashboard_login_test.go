package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uitest"
)

// loginBackend is a fake backend that can also start at login.
type loginBackend struct {
	*fakeBackend
	on   bool
	fail error
}

func (l *loginBackend) StartAtLogin() (bool, error) { return l.on, nil }
func (l *loginBackend) SetStartAtLogin(on bool) error {
	if l.fail != nil {
		return l.fail
	}
	l.on = on
	return nil
}

func TestStartAtLoginIsOffByDefaultAndToggles(t *testing.T) {
	for _, c := range []struct {
		name string
		fail error
		want bool
	}{
		{"toggles on", nil, true},
		{"a failure leaves it off", errors.New("no autostart directory"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			test.NewTempApp(t)
			lb := &loginBackend{fakeBackend: newFakeBackend(), fail: c.fail}
			w := test.NewTempWindow(t, nil)
			q := uitest.NewQueue()
			d := NewDashboard(w, lb, DashboardHooks{}, Options{Gate: q.Gate()})
			defer d.Close()
			w.SetContent(d.Content())
			var check *widget.Check
			for _, o := range test.LaidOutObjects(d.Content()) {
				if ch, ok := o.(*widget.Check); ok && ch.Text == "Start at login" {
					check = ch
				}
			}
			if check == nil {
				t.Fatal("no Start at login option on the dashboard")
			}
			if check.Checked {
				t.Fatal("Start at login must be off by default")
			}
			test.Tap(check)
			if lb.on != c.want || check.Checked != c.want {
				t.Fatalf("after a tap: backend %v, box %v; want %v", lb.on, check.Checked, c.want)
			}
		})
	}
}
