package app

import "log/slog"

// releaseExecutablePages applies shrinkExecutablePages for a long-running
// process (`collect`, the GUI); a failure only costs memory, so it is logged.
func releaseExecutablePages(log *slog.Logger) {
	n, err := shrinkExecutablePages()
	if err != nil {
		log.Debug("executable pages stay mapped by huge pages", "err", err)
		return
	}
	log.Debug("executable pages mapped on use", "droppedBytes", n)
}
