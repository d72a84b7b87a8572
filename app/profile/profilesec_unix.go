//go:build unix

package profile

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkOwnerAndMode refuses a file or directory owned by another user (root
// is trusted) or writable by group or others.
func checkOwnerAndMode(path string, fi fs.FileInfo) error {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		if uid := os.Geteuid(); int(st.Uid) != uid && st.Uid != 0 {
			return fmt.Errorf("%s belongs to another user (uid %d, you are %d); another user could change where your client secret is sent. Use a profile of your own (--profile)", path, st.Uid, uid)
		}
	}
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return fmt.Errorf("%s can be changed by other users (mode %04o); another user could change where your client secret is sent. Fix it with: chmod go-w %q", path, perm, path)
	}
	return nil
}
