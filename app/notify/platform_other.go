//go:build !windows

package notify

// osPlatform: outside Windows, Fyne's notification is the native one.
func osPlatform() platform { return nil }
