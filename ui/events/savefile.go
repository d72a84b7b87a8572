package events

import (
	"io"
	"log/slog"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
)

// nativeSaveFile returns a SaveFileFunc that shows Fyne's file-save dialog
// over win, suggesting name and filtering on its extension. A local file is
// restricted to its owner before anything is written: audit records name
// people and IP addresses.
func nativeSaveFile(win fyne.Window, log *slog.Logger) SaveFileFunc {
	return func(name string, done func(w io.WriteCloser, location string, err error)) {
		d := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
			if err != nil || uc == nil {
				done(nil, "", err)
				return
			}
			if err := restrictToOwner(uc.URI()); err != nil {
				log.Warn("restricting export file permissions", "err", err)
			}
			done(uc, uriLocation(uc.URI()), nil)
		}, win)
		d.SetFileName(name)
		if ext := extOf(name); ext != "" {
			d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
		}
		d.Show()
	}
}

// restrictToOwner sets mode 0600 on a local file URI; other schemes are left
// to their provider.
func restrictToOwner(u fyne.URI) error {
	if u.Scheme() != "file" {
		return nil
	}
	return os.Chmod(u.Path(), 0o600)
}

// uriLocation is how an export destination is shown to the user.
func uriLocation(u fyne.URI) string {
	if u.Scheme() == "file" {
		return u.Path()
	}
	return u.String()
}

func extOf(name string) string {
	for i := len(name) - 1; i >= 0 && name[i] != '/' && name[i] != '\\'; i-- {
		if name[i] == '.' {
			return name[i:]
		}
	}
	return ""
}
