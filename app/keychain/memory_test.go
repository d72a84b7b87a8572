package keychain

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestMemory(t *testing.T) {
	const account = "contoso/app"
	tests := []struct {
		name string
		run  func(m *Memory) error
		want string // expected Get result afterwards, "" = not found
	}{
		{name: "empty store has nothing", run: func(*Memory) error { return nil }},
		{name: "set then get", run: func(m *Memory) error { return m.Set(account, "s1") }, want: "s1"},
		{name: "rotate overwrites", run: func(m *Memory) error {
			if err := m.Set(account, "s1"); err != nil {
				return err
			}
			return m.Set(account, "s2")
		}, want: "s2"},
		{name: "delete removes", run: func(m *Memory) error {
			if err := m.Set(account, "s1"); err != nil {
				return err
			}
			return m.Delete(account)
		}},
		{name: "other accounts are separate", run: func(m *Memory) error { return m.Set("fabrikam/app", "x") }},
		{name: "delete all removes every profile's secret", run: func(m *Memory) error {
			for _, a := range []string{account, "fabrikam/app"} {
				if err := m.Set(a, "s1"); err != nil {
					return err
				}
			}
			if err := m.DeleteAll(); err != nil {
				return err
			}
			if m.Len() != 0 {
				return errors.New("DeleteAll left secrets behind")
			}
			return nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m Memory
			if err := tc.run(&m); err != nil {
				t.Fatal(err)
			}
			got, err := m.Get(account)
			if tc.want == "" {
				if !errors.Is(err, ErrNotFound) {
					t.Fatalf("Get = %q, %v; want ErrNotFound", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Get = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestMemoryRejectsBadInput(t *testing.T) {
	var m Memory
	if err := m.Set("", "secret"); err == nil {
		t.Error("Set with an empty account succeeded")
	}
	if err := m.Set("a/b", ""); err == nil {
		t.Error("Set with an empty secret succeeded")
	}
	if err := m.Delete("a/b"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete of a missing item = %v, want ErrNotFound", err)
	}
	if m.Len() != 0 {
		t.Errorf("rejected writes stored %d items", m.Len())
	}
}

func TestMemoryConcurrent(t *testing.T) {
	var m Memory
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acct := Account("tenant", strings.Repeat("x", i+1))
			if err := m.Set(acct, "v"); err != nil {
				t.Error(err)
			}
			if _, err := m.Get(acct); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if m.Len() != 16 {
		t.Fatalf("Len = %d after 16 concurrent writes, want 16", m.Len())
	}
}

func TestProbe(t *testing.T) {
	unavailable := &Error{Op: "storing", Keychain: "test", Kind: ErrUnavailable, Hint: "install a keyring"}
	tests := []struct {
		name    string
		store   func() Store
		wantErr error // nil = Probe must succeed
	}{
		{name: "working keychain", store: func() Store { return &Memory{} }},
		{name: "unavailable keychain", store: func() Store {
			m := &Memory{}
			m.SetFailure(unavailable)
			return m
		}, wantErr: ErrUnavailable},
		{name: "keychain that loses writes", store: func() Store { return &forgetful{} }, wantErr: ErrNotFound},
		{name: "keychain that garbles values", store: func() Store { return &garbling{} }, wantErr: errAny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.store()
			err := Probe(s)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("Probe = %v, want success", err)
			case tc.wantErr == nil:
			case err == nil:
				t.Fatal("Probe succeeded on a broken keychain")
			case tc.wantErr != errAny && !errors.Is(err, tc.wantErr):
				t.Fatalf("Probe = %v, want %v", err, tc.wantErr)
			}
			if m, ok := s.(*Memory); ok && m.Len() != 0 {
				t.Fatalf("Probe left %d items behind", m.Len())
			}
			if g, ok := s.(*garbling); ok && g.m.Len() != 0 {
				t.Fatalf("Probe left %d items behind after a mismatch", g.m.Len())
			}
		})
	}
}

// errAny marks "any error is fine" in table tests.
var errAny = errors.New("any error")

// forgetful accepts writes but never stores them.
type forgetful struct{ Memory }

func (f *forgetful) Set(string, string) error { return nil }

// garbling returns a different value than was stored.
type garbling struct{ m Memory }

func (g *garbling) Get(a string) (string, error) {
	v, err := g.m.Get(a)
	return v + "x", err
}
func (g *garbling) Set(a, s string) error { return g.m.Set(a, s) }
func (g *garbling) Delete(a string) error { return g.m.Delete(a) }
