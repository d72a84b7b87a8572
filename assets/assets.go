// Package assets embeds AuditLight's icons: the application icon and one
// status-light tray icon per health state at 16, 32 and 64 px. The PNGs are
// drawn by the generator in assets/gen (go run ./assets/gen).
package assets

import (
	"embed"
	"fmt"

	"fyne.io/fyne/v2"

	"github.com/auditlight/auditlight/collector/health"
)

//go:embed icons/*.png
var icons embed.FS

// TraySizes lists the pixel sizes available from TrayIconSized.
func TraySizes() []int { return []int{16, 32, 64} }

// AppIcon returns the 256 px application icon (a shield with a status light).
func AppIcon() fyne.Resource {
	return mustResource("app-256.png")
}

// TrayIcon returns the 64 px tray status light for state; the platform
// scales it down for the tray. Unknown states get the grey light.
func TrayIcon(state health.State) fyne.Resource {
	return TrayIconSized(state, 64)
}

// TrayIconSized returns the tray light for state at px pixels; a size not in
// TraySizes gets the next larger one (or 64).
func TrayIconSized(state health.State, px int) fyne.Resource {
	size := 64
	for _, s := range TraySizes() {
		if px <= s {
			size = s
			break
		}
	}
	return mustResource(fmt.Sprintf("tray-%s-%d.png", state.Colour(), size))
}

// mustResource reads an embedded icon. The set of names is fixed at compile
// time and covered by the package tests, so a miss is a build defect.
func mustResource(name string) fyne.Resource {
	b, err := icons.ReadFile("icons/" + name)
	if err != nil {
		panic(fmt.Sprintf("assets: embedded icon %s missing: %v", name, err))
	}
	return fyne.NewStaticResource(name, b)
}
