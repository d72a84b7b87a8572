#!/usr/bin/env bash
# The Windows-only code paths' unit tests, cross-compiled and run under Wine (Debian's wine 8)
# in a throwaway prefix: the profile's access-list check (app/profile), one collector per profile
# (LockFileEx, app/profilelock), the Run key (app/autostart) and free disk space
# (internal/diskfree), and the tray the app drives itself (app: the notify icon registers with
# the shell from the thread that pumps its window, clicks reach the Fyne goroutine's queue, quit
# removes it; run under Xvfb, where Wine's explorer keeps a tray). Test binaries are built without
# cgo (no GUI toolkit in these tests).
# Test fixture: Debian's Wine 8 has no bcryptprimitives.dll, which Go 1.24+ programs load at start;
# a stand-in built with mingw from packaging/windows/wine/bcryptprimitives.c goes into the
# throwaway prefix only (as in scripts/wine-check.sh). Part of `make wine`.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
say() { echo "wine-unit: $* ($(( $(date +%s) - t0 )) s)"; }
work=$(mktemp -d /tmp/auditlight-wine-unit.XXXXXX)
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
cleanup() { wineserver -k 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# package -> the tests to run there (the app package's other tests need the simulator and a keychain;
# they run natively in make test).
declare -A runs=(
  [./app/profile]='^TestUnsafeProfileACLIsRefused$'
  [./app/profilelock]='.'
  [./app/autostart]='^(TestRunKey|TestWindowsCommandLine)$'
  [./internal/diskfree]='.'
  [./app]='^TestOwnTrayRegistersTheNotifyIconOnWindows$'
)
# packages whose tests need a display (Wine's tray lives on its desktop)
declare -A display=([./app]=1)
for pkg in "${!runs[@]}"; do
  name=$(echo "$pkg" | tr -c 'a-z0-9\n' '_')
  GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$work/$name.test.exe" "$pkg"
done
say "built $(ls "$work"/*.test.exe | wc -l) test binaries"
wineboot -i >/dev/null 2>&1 || true
wineserver -w
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  packaging/windows/wine/bcryptprimitives.c -ladvapi32
say "prefix ready"
failed=0
for pkg in "${!runs[@]}"; do
  name=$(echo "$pkg" | tr -c 'a-z0-9\n' '_')
  x=()
  [ -n "${display[$pkg]:-}" ] && x=(xvfb-run -a -s "-screen 0 1024x768x24")
  if out=$(cd "$work" && timeout 300 "${x[@]}" wine "$name.test.exe" -test.v -test.run "${runs[$pkg]}" 2>&1); then
    passed=$(echo "$out" | grep -cE -- '^\s*--- PASS' || true)
    say "$pkg: $passed passed, $(echo "$out" | grep -cE -- '^\s*--- SKIP') skipped"
    [ "$passed" -gt 0 ] || { echo "$out"; say "$pkg: no test ran (-test.run ${runs[$pkg]})"; failed=1; }
  else
    echo "$out"
    say "$pkg: FAILED"
    failed=1
  fi
done
[ "$failed" = 0 ] || { echo "wine-unit: FAIL" >&2; exit 1; }
say "all passed"
