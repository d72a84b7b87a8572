package app

import (
	"io"
	"log/slog"
	"regexp"
	"strings"

	"gopkg.in/natefinch/lumberjack.v2"

	"github.com/auditlight/auditlight/app/profile"
)

// Log rotation: at most 4 files of 10 MB in the profile's logs directory.
const (
	logMaxMB      = 10
	logMaxBackups = 3
)

// bearerRE finds bearer tokens and JWTs, should anything ever put one in a
// log line: they are replaced before the line is written anywhere.
var bearerRE = regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._~+/=-]+|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`)

// profileLogger logs to the profile's rotated log file and to stderr, for
// the GUI and for headless runs alike, so `diagnostics` always has a log
// tail. Every string is scrubbed of the given secrets and of bearer tokens
// before it is written. Close the returned function on exit.
func profileLogger(stderr io.Writer, p profile.Profile, level slog.Level, secrets ...string) (*slog.Logger, func()) {
	w := stderr
	closeFn := func() {}
	if err := p.Ensure(); err == nil {
		lj := &lumberjack.Logger{Filename: p.LogPath(), MaxSize: logMaxMB, MaxBackups: logMaxBackups}
		w = io.MultiWriter(stderr, lj)
		closeFn = func() { _ = lj.Close() }
	}
	var keep []string
	for _, s := range secrets {
		if s != "" {
			keep = append(keep, s)
		}
	}
	scrub := func(s string) string {
		for _, sec := range keep {
			s = strings.ReplaceAll(s, sec, "[secret]")
		}
		return bearerRE.ReplaceAllString(s, "[token]")
	}
	h := slog.NewTextHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		switch a.Value.Kind() {
		case slog.KindString:
			a.Value = slog.StringValue(scrub(a.Value.String()))
		case slog.KindAny:
			if err, ok := a.Value.Any().(error); ok {
				a.Value = slog.StringValue(scrub(err.Error()))
			}
		}
		return a
	}})
	return slog.New(h), closeFn
}
