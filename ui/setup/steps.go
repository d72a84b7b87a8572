package setup

import "strconv"

// Wizard step names. A CheckResult's Step field holds one of these so the
// wizard's "Go to step" button can jump to the place that fixes a failed check.
const (
	StepBefore      = "before"      // licence, role, unified audit logging
	StepRegister    = "register"    // app registration in Entra
	StepIDs         = "ids"         // tenant and client IDs
	StepPermissions = "permissions" // API permissions and admin consent
	StepSecret      = "secret"      // client secret value and expiry
	StepCloud       = "cloud"       // commercial / GCC / GCC High / DoD
	StepConnect     = "connect"     // test connection and connect
)

// stepNames lists the steps in wizard order.
func stepNames() []string {
	return []string{StepBefore, StepRegister, StepIDs, StepPermissions, StepSecret, StepCloud, StepConnect}
}

// stepIndex resolves a step name (or a 1-based number such as "3") to the
// 0-based wizard index; ok is false for an unknown step.
func stepIndex(step string) (int, bool) {
	for i, n := range stepNames() {
		if n == step {
			return i, true
		}
	}
	if n, err := strconv.Atoi(step); err == nil && n >= 1 && n <= len(stepNames()) {
		return n - 1, true
	}
	return 0, false
}
