//go:build windows

package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/auditlight/auditlight/internal/scratch"
)

// TestUnsafeProfileACLIsRefused: on Windows a custom --profile is judged by
// its access list: a folder that everyone, all authenticated users or the
// local Users group may change is refused (another user could point the
// login URL elsewhere and receive the secret); read access for them, or
// SYSTEM's full control, is fine. Run under Wine by scripts/wine-unit.sh.
func TestUnsafeProfileACLIsRefused(t *testing.T) {
	user, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	me := user.User.Sid.String()
	cases := []struct {
		name     string
		sddl     string
		refused  string // "" = accepted
		realOnly bool   // Wine keeps only owner/everyone (unix mode bits), not group ACEs
	}{
		{"owner and SYSTEM only", "D:P(A;OICI;FA;;;" + me + ")(A;OICI;FA;;;SY)", "", false},
		{"Users may read", "D:P(A;OICI;FA;;;" + me + ")(A;OICI;FR;;;BU)", "", false},
		{"Everyone may change", "D:P(A;OICI;FA;;;" + me + ")(A;OICI;FA;;;WD)", "can be changed by all users", false},
		{"Authenticated Users may modify", "D:P(A;OICI;FA;;;" + me + ")(A;OICI;0x1301bf;;;AU)", "can be changed by all users", true},
		{"Users may add files", "D:P(A;OICI;FA;;;" + me + ")(A;OICI;0x2;;;BU)", "can be changed by all users", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.realOnly && underWine() {
				t.Skip("Wine stores a folder's access list as unix mode bits: group ACEs cannot be set here")
			}
			dir := filepath.Join(scratch.Dir(t), "profile")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			sd, err := windows.SecurityDescriptorFromString(tc.sddl)
			if err != nil {
				t.Fatalf("SDDL %s: %v", tc.sddl, err)
			}
			dacl, _, err := sd.DACL()
			if err != nil {
				t.Fatal(err)
			}
			if err := windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
				windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil); err != nil {
				t.Fatalf("setting the access list: %v", err)
			}
			fi, err := os.Lstat(dir)
			if err != nil {
				t.Fatal(err)
			}
			err = checkOwnerAndMode(dir, fi)
			if tc.refused == "" {
				if err != nil {
					t.Fatalf("a safe profile was refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.refused) {
				t.Fatalf("err = %v, want it refused with %q (access list read back: %s)", err, tc.refused, readBack(dir))
			}
		})
	}
}

// readBack is the folder's security descriptor as SDDL, for failure messages.
func readBack(path string) string {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return err.Error()
	}
	return sd.String()
}

// underWine reports whether the test runs under Wine (ntdll exports
// wine_get_version there only).
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}
