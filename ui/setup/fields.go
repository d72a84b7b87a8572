package setup

import (
	"fyne.io/fyne/v2/widget"

	"github.com/auditlight/auditlight/ui/internal/uikit"
)

// wizardFields are the inputs of the IDs, secret and cloud steps and their
// as-you-type messages.
type wizardFields struct {
	tenant, clientID, secret                *widget.Entry
	expiry                                  *uikit.EscapeEntry
	tenantMsg, clientMsg, secretMsg, expMsg *widget.Label
	cloud                                   *widget.RadioGroup
	tenantOK, clientOK, secretOK, expiryOK  bool
	secretValue                             string // cleaned secret, never saved or logged
}

// Cloud identifiers stored in Draft.Cloud.
const (
	cloudCommercial = "commercial"
	cloudGCC        = "gcc"
	cloudGCCHigh    = "gcchigh"
	cloudDoD        = "dod"
)

// cloudChoices pairs the radio labels with Draft.Cloud values.
func cloudChoices() [][2]string {
	return [][2]string{
		{"Commercial (worldwide)", cloudCommercial},
		{"GCC (US Government Community Cloud)", cloudGCC},
		{"GCC High", cloudGCCHigh},
		{"DoD", cloudDoD},
	}
}

func cloudLabel(id string) string {
	for _, c := range cloudChoices() {
		if c[1] == id {
			return c[0]
		}
	}
	return cloudChoices()[0][0]
}

func cloudID(label string) string {
	for _, c := range cloudChoices() {
		if c[0] == label {
			return c[1]
		}
	}
	return cloudCommercial
}

// SecretIDWarning is shown at once when a GUID is pasted as the secret.
const SecretIDWarning = "This looks like the Secret ID. Copy the Value column instead (it is shown only right after you create the secret)."
