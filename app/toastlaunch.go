package app

import "strings"

// toastLaunchArgs turns the command line Windows uses to start the toast
// activator — `auditlight.exe -Embedding`, registered by the installer as
// its LocalServer32 — into opening the window: the user clicked a toast
// after AuditLight had quit, or one from an earlier run (a running
// AuditLight is then asked to come forward by the single-instance check).
// Any other command line is returned unchanged.
func toastLaunchArgs(args []string) []string {
	for _, a := range args {
		if strings.EqualFold(a, "-Embedding") || strings.EqualFold(a, "/Embedding") {
			return []string{"gui"}
		}
	}
	return args
}
