# Sourced by the scripts that run the GUI under Xvfb with a tray host
# (green.sh, idle.sh, quit.sh), from the repository's root: builds the app
# (BIN) and the tray host (WATCHER, a StatusNotifierWatcher) when missing,
# and sets the app's environment. Without a tray host AuditLight shows its
# window although --hidden was given (it never runs invisibly), and a tray
# icon is never registered.
BIN=${BIN:-build/auditlight}
[ -x "$BIN" ] || go build -tags migrated_fynedo -o "$BIN" .
WATCHER=${WATCHER:-build/traywatcher}
[ -x "$WATCHER" ] || go build -o "$WATCHER" ./benchmarks/traywatcher
. scripts/appenv.sh # the toolchain's GOMEMLIMIT is not the app's
export BIN WATCHER LANG=en_US.UTF-8
