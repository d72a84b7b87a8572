#!/usr/bin/env bash
# keyring-test.sh: run app/keychain's TestOSKeychainRoundTrip against a REAL
# Secret Service (a throwaway gnome-keyring on a private D-Bus session bus),
# then check that the three ways the keychain can be missing on Linux give
# the user the actionable message instead of a raw D-Bus error.
#
# Needs: go, dbus (dbus-run-session), gnome-keyring.
#   Debian/Ubuntu: apt install dbus gnome-keyring
# It uses a temporary HOME, so the caller's own login keyring is never
# touched, and every daemon it starts dies with its private bus.
#
# Usage: scripts/keyring-test.sh [all|roundtrip|negative]   (default: all)
set -euo pipefail

mode="${1:-all}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

for tool in go dbus-run-session gnome-keyring-daemon; do
	command -v "$tool" >/dev/null || { echo "keyring-test: FAIL: $tool not found (apt install dbus gnome-keyring)" >&2; exit 2; }
done

# Keep Go's caches when HOME changes.
export GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" GOPATH="$(go env GOPATH)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home"
mkdir -p -m 700 "$HOME/.cache" "$HOME/.local/share/keyrings"
unset XDG_RUNTIME_DIR XDG_DATA_HOME XDG_CACHE_HOME DISPLAY DBUS_SESSION_BUS_ADDRESS

# Build the test binary once so the sub-sessions do not compile.
go test -c -o "$work/keychain.test" ./app/keychain/
testbin="$work/keychain.test"

run_test() { AUDITLIGHT_REAL_KEYRING=1 "$testbin" -test.run '^TestOSKeychainRoundTrip$' -test.count=1 -test.v; }
export -f run_test
export testbin

roundtrip() {
	echo "== round trip against an unlocked gnome-keyring"
	local out
	out="$(dbus-run-session -- bash -c '
		echo -n ci-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null
		run_test' 2>&1)" || { echo "$out"; echo "keyring-test: FAIL: round trip failed" >&2; return 1; }
	echo "$out"
	if ! grep -q -- '--- PASS: TestOSKeychainRoundTrip' <<<"$out"; then
		echo "keyring-test: FAIL: TestOSKeychainRoundTrip did not run (skipped?)" >&2
		return 1
	fi
}

# expect_failure NAME WANT CMD...: CMD must fail and print WANT.
expect_failure() {
	local name="$1" want="$2"
	shift 2
	echo "== $name"
	local out
	if out="$("$@" 2>&1)"; then
		echo "$out"
		echo "keyring-test: FAIL: $name: the test passed but the keychain should be unusable" >&2
		return 1
	fi
	if ! grep -qF -- "$want" <<<"$out"; then
		echo "$out"
		echo "keyring-test: FAIL: $name: missing the expected message: $want" >&2
		return 1
	fi
	grep -F -- "$want" <<<"$out" | sed 's/^ */   /'
}

negative() {
	# A session bus that cannot activate any service (no servicedir).
	cat >"$work/bus.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
	expect_failure "no session bus" "No D-Bus session bus was found" bash -c run_test
	expect_failure "session bus without a Secret Service" "No Secret Service is running: install and unlock GNOME Keyring" \
		dbus-run-session --config-file="$work/bus.conf" -- bash -c run_test
	# gnome-keyring is D-Bus-activated but its login keyring stays locked.
	expect_failure "locked keyring (no --unlock)" "Your login keyring is locked" \
		dbus-run-session -- bash -c run_test
}

case "$mode" in
all) roundtrip; negative ;;
roundtrip) roundtrip ;;
negative) negative ;;
*) echo "usage: $0 [all|roundtrip|negative]" >&2; exit 2 ;;
esac
echo "keyring-test: OK ($mode)"
