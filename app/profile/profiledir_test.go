package profile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDefaultProfileDir(t *testing.T) {
	tests := []struct {
		name     string
		b        profileBases
		dir, old string
		wantErr  bool
	}{
		{"linux uses the XDG config dir", profileBases{goos: "linux", config: "/home/a/.config"}, "/home/a/.config/AuditLight", "", false},
		{"macOS uses Application Support", profileBases{goos: "darwin", config: "/Users/a/Library/Application Support"}, "/Users/a/Library/Application Support/AuditLight", "", false},
		{"windows uses LOCALAPPDATA and migrates from roaming", profileBases{goos: "windows", config: "/c/Users/a/AppData/Roaming", localAppData: "/c/Users/a/AppData/Local"},
			"/c/Users/a/AppData/Local/AuditLight", "/c/Users/a/AppData/Roaming/AuditLight", false},
		{"windows without LOCALAPPDATA is an error, not roaming", profileBases{goos: "windows", config: "/c/Users/a/AppData/Roaming"}, "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, old, err := tc.b.defaultDir()
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if dir != filepath.FromSlash(tc.dir) || old != filepath.FromSlash(tc.old) {
				t.Errorf("got %q (legacy %q), want %q (legacy %q)", dir, old, tc.dir, tc.old)
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateProfile(t *testing.T) {
	tests := []struct {
		name       string
		legacy     bool // an old roaming profile exists
		current    bool // the new profile exists already
		wantMoved  bool
		wantConfig string // config.json in the new profile afterwards ("" = none)
	}{
		{"old profile is moved with its data", true, false, true, "old"},
		{"an existing new profile wins and the old one is left alone", true, true, false, "new"},
		{"nothing to migrate", false, false, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			legacy := filepath.Join(root, "Roaming", "AuditLight")
			dir := filepath.Join(root, "Local", "AuditLight")
			if tc.legacy {
				writeFile(t, filepath.Join(legacy, "config.json"), "old")
				writeFile(t, filepath.Join(legacy, "data", "events.db"), "events")
			}
			if tc.current {
				writeFile(t, filepath.Join(dir, "config.json"), "new")
			}
			moved, err := migrateProfile(legacy, dir)
			if err != nil {
				t.Fatalf("migrateProfile: %v", err)
			}
			if moved != tc.wantMoved {
				t.Errorf("moved = %v, want %v", moved, tc.wantMoved)
			}
			got, err := os.ReadFile(filepath.Join(dir, "config.json"))
			if tc.wantConfig == "" {
				if err == nil {
					t.Errorf("config.json appeared in the new profile: %q", got)
				}
				return
			}
			if string(got) != tc.wantConfig {
				t.Errorf("config.json = %q, %v; want %q", got, err, tc.wantConfig)
			}
			if tc.wantMoved {
				if ev, err := os.ReadFile(filepath.Join(dir, "data", "events.db")); string(ev) != "events" {
					t.Errorf("event store not moved: %q, %v", ev, err)
				}
				if _, err := os.Stat(legacy); !os.IsNotExist(err) {
					t.Errorf("old profile still there after the move: %v", err)
				}
			} else if tc.legacy {
				if _, err := os.Stat(filepath.Join(legacy, "config.json")); err != nil {
					t.Errorf("old profile was touched: %v", err)
				}
			}
		})
	}
}

func TestCopyTreeKeepsContentOwnerOnly(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	writeFile(t, filepath.Join(src, "config.json"), "cfg")
	writeFile(t, filepath.Join(src, "data", "events.db"), "db")
	dst := filepath.Join(t.TempDir(), "dst")
	if err := copyTree(src, dst); err != nil {
		t.Fatalf("copyTree: %v", err)
	}
	for rel, want := range map[string]string{"config.json": "cfg", filepath.Join("data", "events.db"): "db"} {
		p := filepath.Join(dst, rel)
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", rel, got, err, want)
		}
		if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is readable by others: %v", rel, st.Mode())
		}
	}
}
