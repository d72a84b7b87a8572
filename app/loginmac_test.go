package app

import (
	"strings"
	"testing"
)

func TestMacLoginItemNamesAProgramThatSurvivesTheNextLogin(t *testing.T) {
	const inApps = "/Applications/AuditLight.app/Contents/MacOS/auditlight"
	const inHomeApps = "/Users/ann/Applications/AuditLight.app/Contents/MacOS/auditlight"
	tests := []struct {
		name      string
		exe       string
		installed []string
		want      string // "" = an error telling to move the app
	}{
		{"installed app", inApps, []string{inApps}, inApps},
		{"app in ~/Applications", inHomeApps, []string{inHomeApps}, inHomeApps},
		{"built from source", "/Users/ann/src/auditlight/build/auditlight", nil, "/Users/ann/src/auditlight/build/auditlight"},
		{"run from the mounted dmg, installed too", "/Volumes/AuditLight 0.1.0/AuditLight.app/Contents/MacOS/auditlight",
			[]string{inApps}, inApps},
		{"translocated download, installed in ~/Applications",
			"/private/var/folders/x1/abc/T/AppTranslocation/0F2E/d/AuditLight.app/Contents/MacOS/auditlight",
			[]string{inHomeApps}, inHomeApps},
		{"run from the mounted dmg, not installed", "/Volumes/AuditLight 0.1.0/AuditLight.app/Contents/MacOS/auditlight", nil, ""},
		{"translocated download, not installed",
			"/private/var/folders/x1/abc/T/AppTranslocation/0F2E/d/AuditLight.app/Contents/MacOS/auditlight", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exists := func(p string) bool {
				for _, i := range tt.installed {
					if p == i {
						return true
					}
				}
				return false
			}
			got, err := macLoginExecutable(tt.exe, "/Users/ann", exists)
			if tt.want == "" {
				if err == nil || !strings.Contains(err.Error(), "drag AuditLight to Applications") {
					t.Fatalf("got %q, %v; want an error telling the user to move the app", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("login item starts %q (err %v), want %q", got, err, tt.want)
			}
		})
	}
}
