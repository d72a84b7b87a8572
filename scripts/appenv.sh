# Sourced by whatever runs the app after building it (make demo, the benchmark and smoke scripts):
# the GOMEMLIMIT that the Makefile and scripts/goenv.sh set for the Go toolchain (the `models`
# compile, issue 11) is not the app's. Inherited, it would switch off the app's memory pacer
# (internal/memlimit) and every RSS figure would measure a different program. A GOMEMLIMIT the user
# set stays.
if [ -n "${AUDITLIGHT_BUILD_GOMEMLIMIT:-}" ] && [ "${GOMEMLIMIT:-}" = "$AUDITLIGHT_BUILD_GOMEMLIMIT" ]; then
  unset GOMEMLIMIT
fi
unset AUDITLIGHT_BUILD_GOMEMLIMIT
