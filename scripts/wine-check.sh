#!/usr/bin/env bash
# The Windows build, checked on Linux under Wine (Debian's wine/wine64 8.0) in a throwaway prefix:
#   1. Authenticode: the exes and the installer are signed with a throwaway self-signed certificate
#      (openssl) by scripts/sign.sh and `osslsigncode verify` accepts each signature.
#   2. The installer (build/AuditLight-Setup-*.exe) installs silently (/S) into
#      %LOCALAPPDATA%\Programs\AuditLight with the Start-menu shortcut, the AppUserModelID
#      registration and the uninstall entry.
#   3. The console twin auditlight-cli.exe, run through `wine cmd /c`, prints and returns exit codes:
#      version, configure (secret from stdin into Wine's Credential Manager), check, collect --once,
#      status --json against `auditlight simulate` (the Linux binary) on 127.0.0.1.
#      The GUI exe auditlight.exe, run the same way, prints too (it attaches to the parent console
#      when it has no standard handles; under Wine cmd hands it the pipe) and returns the exit code.
#   4. The client secret appears in no file of the Wine prefix.
#   5. A silent install while AuditLight runs: the installer asks the running GUI to quit
#      (`auditlight-cli quit` over the single-instance channel), replaces the exe and starts the
#      new one again; `auditlight-cli quit` then ends that one.
#   6. The installed GUI auditlight.exe starts --demo under Xvfb and reaches green; its tray is the
#      one it drives itself: a test-only program (packaging/windows/wine/traycheck.c, built here
#      with mingw) finds the process's notify-icon window, the shell answers Shell_NotifyIcon for
#      its icon, and there is no hidden "SystrayMonitor" window (Fyne's own tray's); with
#      --scenario expired-secret it sends the expiry reminder and the log says which path it took (a
#      WinRT toast under the installer's AppUserModelID, or the fallback with the reason).
#   7. The silent uninstaller quits AuditLight, removes the exes, the shortcut, the registrations,
#      the Run value and the client secret from Credential Manager, and keeps the data.
# Test fixture: Debian's Wine 8 has no bcryptprimitives.dll, which Go 1.24+ programs load at start
# (ProcessPrng); a stand-in built here with mingw from packaging/windows/wine/bcryptprimitives.c is
# put into the throwaway prefix only. Nothing of it ships.
# Needs `make windows` first (build/windows, the installer) and builds build/auditlight if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/goenv.sh # compile memory ≤ 4 GB (issue 11)
t0=$(date +%s)
step() { echo "wine-check: $* ($(( $(date +%s) - t0 )) s)"; }
fail() { echo "wine-check: FAIL: $*" >&2; exit 1; }
version=$(scripts/version.sh)
setup="build/AuditLight-Setup-$version.exe"
[ -f "$setup" ] || fail "$setup is missing: run make windows first"
BIN=${BIN:-build/auditlight}
[ -x "$BIN" ] || go build -tags migrated_fynedo -trimpath -ldflags "-X github.com/auditlight/auditlight/app.Version=$version" -o "$BIN" .

work=$(mktemp -d /tmp/auditlight-wine.XXXXXX)
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
simpid=""
cleanup() {
  [ -n "$simpid" ] && kill "$simpid" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Signing with a throwaway certificate.
step "signing with a throwaway self-signed certificate"
mkdir -p "$work/signed"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=AuditLight CI throwaway" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cp build/windows/auditlight.exe build/windows/auditlight-cli.exe "$setup" "$work/signed/"
SIGN_CERT="$work/cert.pem" SIGN_KEY="$work/key.pem" scripts/sign.sh "$work"/signed/*.exe
for f in "$work"/signed/*.exe; do
  osslsigncode verify -CAfile "$work/cert.pem" -in "$f" >"$work/verify.log" 2>&1 ||
    { cat "$work/verify.log"; fail "osslsigncode verify rejected $(basename "$f")"; }
  grep -q "Signature verification: ok" "$work/verify.log" || { cat "$work/verify.log"; fail "no valid signature in $(basename "$f")"; }
done
step "signatures verify: $(ls "$work/signed" | tr '\n' ' ')"

# A fresh 64-bit prefix with the test-only bcryptprimitives.dll.
step "creating the Wine prefix"
wineboot -i >/dev/null 2>&1 || true
wineserver -w
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  packaging/windows/wine/bcryptprimitives.c -ladvapi32
x86_64-w64-mingw32-gcc -O2 -s -o "$work/traycheck.exe" packaging/windows/wine/traycheck.c
winuser=${USER:-$(id -un)}
local_app="$WINEPREFIX/drive_c/users/$winuser/AppData/Local"
[ -d "$local_app" ] || fail "no %LOCALAPPDATA% in the new prefix: $(ls "$WINEPREFIX/drive_c/users")"
inst="$local_app/Programs/AuditLight"

# 2. Silent install.
step "silent install: $(basename "$setup") /S"
wine "$setup" /S
wineserver -w
for f in auditlight.exe auditlight-cli.exe uninstall.exe auditlight.png; do
  [ -f "$inst/$f" ] || fail "the installer did not put $f into %LOCALAPPDATA%\\Programs\\AuditLight"
done
find "$WINEPREFIX/drive_c" -name 'AuditLight.lnk' | grep -q . || fail "no Start-menu shortcut"
wine reg query 'HKCU\Software\Classes\AppUserModelId\io.github.auditlight.auditlight' /v DisplayName 2>/dev/null | grep -q AuditLight ||
  fail "the AppUserModelID is not registered"
wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\AuditLight' /v DisplayVersion 2>/dev/null | grep -q "$version" ||
  fail "no uninstall entry with version $version"
step "installed to %LOCALAPPDATA%\\Programs\\AuditLight with shortcut, AppUserModelID and uninstall entry"

# 3. The console CLI against the simulator.
cli='C:\users\'"$winuser"'\AppData\Local\Programs\AuditLight\auditlight-cli.exe'
# cmd's own exit status is the command's; callers read %ERRORLEVEL% or the output instead.
wcmd() { wine cmd /c "$@" 2>/dev/null | tr -d '\r' || true; }
got=$(wcmd "$cli" version)
[ "$got" = "auditlight $version" ] || fail "auditlight-cli.exe version printed '$got', want 'auditlight $version'"
code=$(wcmd "$cli no-such-command >NUL 2>&1 & echo %ERRORLEVEL%")
[ "$code" = 2 ] || fail "an unknown command exited $code in cmd, want 2"
step "cmd /c auditlight-cli.exe version -> '$got'; unknown command -> exit $code"
gui='C:\users\'"$winuser"'\AppData\Local\Programs\AuditLight\auditlight.exe'
got=$(wcmd "$gui" version | grep -v '^auditlight: tip:' || true)
[ "$got" = "auditlight $version" ] || fail "the GUI auditlight.exe version printed '$got' in cmd, want 'auditlight $version'"
code=$(wcmd "$gui no-such-command >NUL 2>&1 & echo %ERRORLEVEL%")
[ "$code" = 2 ] || fail "the GUI exe's unknown command exited $code in cmd, want 2"
step "cmd /c auditlight.exe (GUI build) version -> '$got'; unknown command -> exit $code"

sim="$work/sim.json"
"$BIN" simulate --listen 127.0.0.1:0 --scenario healthy --users 3 --records-per-user-day 40 --json >"$sim" 2>"$work/sim.log" &
simpid=$!
for _ in $(seq 1 200); do [ -s "$sim" ] && break; sleep 0.05; done
[ -s "$sim" ] || { cat "$work/sim.log"; fail "the simulator did not start"; }
field() { python3 -c "import json,sys; print(json.load(open('$sim'))['$1'])"; }
secret=$(field clientSecret)
cp "$(field caFile)" "$work/sim-ca.pem"
ca='Z:'"$(echo "$work/sim-ca.pem" | tr / '\\')"
profile='C:\AuditLightCI'
printf '%s\n' "$secret" >"$work/secret.txt"
secret_win='Z:'"$(echo "$work/secret.txt" | tr / '\\')"
step "configure (secret via stdin into Credential Manager)"
wcmd "$cli --profile $profile configure --tenant $(field tenantId) --client-id $(field clientId) --cloud custom \
  --login-url $(field loginUrl) --api-url $(field apiUrl) --graph-url $(field graphUrl) --ca-file $ca \
  --secret-expiry 2030-01-31 --requests-per-minute 60000 --secret-stdin --no-check < $secret_win" >"$work/configure.out"
rm -f "$work/secret.txt"
code=$(wcmd "$cli --profile $profile check >NUL 2>&1 & echo %ERRORLEVEL%")
[ "$code" = 0 ] || { wcmd "$cli" --profile "$profile" check; fail "check exited $code"; }
wcmd "$cli" --profile "$profile" check >"$work/check.out"
step "check passed: $(grep -c . "$work/check.out") lines, exit 0"
code=$(wcmd "$cli --profile $profile collect --once >NUL 2>&1 & echo %ERRORLEVEL%")
[ "$code" = 0 ] || fail "collect --once exited $code"
wcmd "$cli" --profile "$profile" status --json >"$work/status.json"
python3 - "$work/status.json" <<'PY' || fail "status --json: $(cat "$work/status.json")"
import json, sys
s = json.load(open(sys.argv[1]))
# After `collect --once` nothing is running, so the true status is amber "not running since"
# (issue 9: never an old snapshot shown as current), with the whole backfill collected.
assert s["colour"] == "amber" and "not running since" in s["reason"], "not the honest not-running status"
assert s["totalRecords"] > 0 and s["backfillPercent"] == 100 and s["deadLetters"] == 0, "backfill incomplete"
PY
step "collect --once exit 0; status --json: backfill complete, amber 'not running since' (nothing collects now)"

# 4. The secret is in no file of the prefix (Wine's Credential Manager keeps it encrypted in the registry).
if grep -rlaF -- "$secret" "$WINEPREFIX" >"$work/leaks" 2>/dev/null; then
  cat "$work/leaks"; fail "the client secret appears in a file of the Wine prefix"
fi
step "the client secret appears in no file of the Wine prefix"

# 5. A silent install while AuditLight runs (default profile, as the Start menu starts it). The
#    running exe is the signed copy from step 1, so the installed one must be byte-identical to the
#    build afterwards: proof that the installer could replace it.
step "silent install while AuditLight runs"
# The console steps above ran with no display; the wineserver they leave behind (and its desktop)
# has no X display either, and a GUI started under it cannot make a window (GLFW: "Failed to
# create helper window"). Start the GUI steps with a fresh one, as step 6 does between its runs.
wineserver -k 2>/dev/null || true; wineserver -w 2>/dev/null || true
cp "$work/signed/auditlight.exe" "$inst/auditlight.exe"
export GUI="$gui" CLI="$cli" SETUP="$setup" WORK="$work" IFILE="$local_app/AuditLight/instance.json"
xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  ipid() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[\"pid\"])" "$IFILE" 2>/dev/null || true; }
  wine "$GUI" >"$WORK/running.log" 2>&1 &
  for _ in $(seq 1 600); do [ -n "$(ipid)" ] && break; sleep 0.1; done
  old=$(ipid); echo "old=$old"
  [ -n "$old" ] || exit 0
  wine "$SETUP" /S; echo "setup=$?"
  new=""
  for _ in $(seq 1 600); do new=$(ipid); [ -n "$new" ] && [ "$new" != "$old" ] && break; sleep 0.1; done
  echo "new=$new"
  wine cmd /c "$CLI quit --wait 60s & echo quit=%ERRORLEVEL%" 2>&1 | tr -d "\r"
  for _ in $(seq 1 100); do [ -e "$IFILE" ] || break; sleep 0.1; done
  [ -e "$IFILE" ] && echo "left=yes"
  echo "processes: $(pgrep -af "auditlight" | grep -v wine-check | tr "\n" ";")"
  wineserver -k 2>/dev/null; true' >"$work/upgrade.result"
val() { sed -n "s/^$1=//p" "$work/upgrade.result" | tail -1; }
[ -n "$(val old)" ] || { cat "$work/running.log"; fail "the installed GUI did not start (no instance file)"; }
[ "$(val setup)" = 0 ] || fail "the silent install while AuditLight ran exited $(val setup)"
cmp -s "$inst/auditlight.exe" build/windows/auditlight.exe || fail "the installer did not replace the running auditlight.exe"
[ -n "$(val new)" ] && [ "$(val new)" != "$(val old)" ] || fail "the installer did not start AuditLight again (instance pid $(val old) -> '$(val new)')"
[ "$(val quit)" = 0 ] || { cat "$work/upgrade.result"; fail "auditlight-cli quit exited $(val quit), want 0"; }
[ -z "$(val left)" ] || fail "the instance file is still there after auditlight-cli quit"
step "running GUI (pid $(val old)) quit for the installer, exe replaced, restarted (pid $(val new)); auditlight-cli quit -> 0"

# 6. The installed GUI reaches green in --demo under Xvfb; in the expired-secret demo it sends the
#    expiry reminder at once, and the log says which way the notification went.
step "GUI --demo under Xvfb: green, then the expired-secret reminder"
export LOG="$work/gui.log" NLOG="$work/notify.log" TLOG="$work/traycheck.log" TRAYCHECK="$work/traycheck.exe"
xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  DISPLAY=$DISPLAY wine "$GUI" --demo >"$LOG" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q "state=healthy" "$LOG" && { echo green; break; }
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  DISPLAY=$DISPLAY wine "$TRAYCHECK" >"$TLOG" 2>&1; echo "traycheck=$?"
  kill $pid 2>/dev/null; wineserver -k 2>/dev/null
  DISPLAY=$DISPLAY wine "$GUI" --demo --scenario expired-secret >"$NLOG" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q "notification sent" "$NLOG" && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.1
  done
  kill $pid 2>/dev/null; wineserver -k 2>/dev/null; true' >"$work/gui.result"
grep -q green "$work/gui.result" || { tail -30 "$work/gui.log"; fail "the installed auditlight.exe --demo did not reach green in 60 s"; }
grep -q '^traycheck=0$' "$work/gui.result" ||
  { cat "$work/traycheck.log"; fail "the GUI's tray is not the one it drives itself with a registered notify icon"; }
tray=$(grep -m1 '^traycheck:' "$work/traycheck.log" | cut -d' ' -f2-)
grep -q "msg=notifications" "$work/notify.log" || { tail -30 "$work/notify.log"; fail "the GUI did not log its notification path"; }
sent=$(grep -m1 "notification sent" "$work/notify.log" || true)
[ -n "$sent" ] || { tail -30 "$work/notify.log"; fail "the expired-secret demo sent no reminder in 60 s"; }
case "$sent" in
  *'path="Windows toast (WinRT)"'*) how="a WinRT toast" ;;
  *'path="Fyne notification"'*)
    grep -q 'notifications: falling back.*Windows Runtime refused' "$work/notify.log" ||
      { grep notifications "$work/notify.log"; fail "the fallback was taken without saying why"; }
    how="the Fyne fallback, logged: $(grep -m1 -o 'Windows Runtime refused[^;]*' "$work/notify.log" | cut -c1-120)" ;;
  *) fail "unexpected notification line: $sent" ;;
esac
step "installed auditlight.exe --demo reached green, its own tray ($tray); the expiry reminder went as $how"

# 7. Silent uninstall keeps the data, removes the rest, the secret included.
creds() { wine reg query 'HKCU\Software\Wine\Credential Manager' /s 2>/dev/null | tr -d '\r' | grep -c 'AuditLight:' || true; }
[ "$(creds)" -ge 1 ] || fail "no AuditLight credential in Wine's Credential Manager before uninstalling"
wine reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v auditlight /d '"x"' /f >/dev/null 2>&1
mkdir -p "$local_app/AuditLight" && echo '{}' >"$local_app/AuditLight/config.json"
wine "$inst/uninstall.exe" /S
wineserver -w
for _ in $(seq 1 50); do [ -f "$inst/auditlight.exe" ] || break; sleep 0.2; done
[ ! -f "$inst/auditlight.exe" ] || fail "the uninstaller left auditlight.exe"
! find "$WINEPREFIX/drive_c" -name 'AuditLight.lnk' | grep -q . || fail "the uninstaller left the shortcut"
! wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v auditlight >/dev/null 2>&1 || fail "the uninstaller left the Run value"
[ -f "$local_app/AuditLight/config.json" ] || fail "the silent uninstaller did not keep %LOCALAPPDATA%\\AuditLight"
[ "$(creds)" = 0 ] || fail "the uninstaller left the client secret in Credential Manager"
! wine reg query 'HKCU\Software\Classes\CLSID\{8D434D82-942B-4072-B792-10EFA4420409}' >/dev/null 2>&1 || fail "the uninstaller left the toast activator"
step "silent uninstall removed exes, shortcut, Run value, toast activator and the secret in Credential Manager; data kept"
echo "wine-check: passed in $(( $(date +%s) - t0 )) s"
