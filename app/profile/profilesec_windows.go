//go:build windows

package profile

import (
	"fmt"
	"io/fs"
	"unsafe"

	"golang.org/x/sys/windows"
)

// writeRights are the access rights that let someone change a file or put
// a new one in a directory.
const writeRights = windows.FILE_WRITE_DATA | windows.FILE_APPEND_DATA | windows.FILE_WRITE_EA |
	windows.FILE_WRITE_ATTRIBUTES | windows.DELETE | windows.WRITE_DAC | windows.WRITE_OWNER |
	windows.GENERIC_WRITE | windows.GENERIC_ALL

// broadSIDs are groups every local user belongs to.
func broadSIDs() []windows.WELL_KNOWN_SID_TYPE {
	return []windows.WELL_KNOWN_SID_TYPE{windows.WinWorldSid, windows.WinAuthenticatedUserSid,
		windows.WinBuiltinUsersSid, windows.WinAnonymousSid, windows.WinInteractiveSid}
}

// checkOwnerAndMode refuses a file or directory whose ACL lets everyone,
// all authenticated users or the local Users group write to it, or that is
// owned by another (non-administrative) user.
func checkOwnerAndMode(path string, _ fs.FileInfo) error {
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("reading the permissions of %s: %w", path, err)
	}
	owner, _, err := sd.Owner()
	if err != nil {
		return fmt.Errorf("reading the owner of %s: %w", path, err)
	}
	tok := windows.GetCurrentProcessToken()
	user, err := tok.GetTokenUser()
	if err != nil {
		return fmt.Errorf("reading the current user: %w", err)
	}
	if owner != nil && !owner.Equals(user.User.Sid) && !trustedOwner(owner) {
		return fmt.Errorf("%s belongs to another user (%s); another user could change where your client secret is sent. Use a profile of your own (--profile)", path, owner.String())
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("reading the access list of %s: %w", path, err)
	}
	if dacl == nil {
		return fmt.Errorf("%s has no access list, so everyone can change it; another user could change where your client secret is sent", path)
	}
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return fmt.Errorf("reading the access list of %s: %w", path, err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Mask&writeRights == 0 {
			continue
		}
		// The SID starts at SidStart (the documented ACE layout).
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		for _, w := range broadSIDs() {
			if sid.IsWellKnown(w) {
				return fmt.Errorf("%s can be changed by all users (%s); another user could change where your client secret is sent. Remove that permission (Properties → Security) or use a profile of your own", path, sid.String())
			}
		}
	}
	return nil
}

// trustedOwner accepts SYSTEM and the Administrators group as owners.
func trustedOwner(sid *windows.SID) bool {
	return sid.IsWellKnown(windows.WinLocalSystemSid) || sid.IsWellKnown(windows.WinBuiltinAdministratorsSid)
}
