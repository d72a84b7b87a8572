#!/usr/bin/env bash
# make windows: cross-builds AuditLight for Windows (amd64) on Linux with mingw-w64.
#   build/windows/auditlight.exe      the GUI (-H=windowsgui: no console window)
#   build/windows/auditlight-cli.exe  the console twin for cmd/PowerShell/scripts: same code,
#                                     built without -H=windowsgui, so it prints and returns exit codes
#   build/AuditLight-Setup-VERSION.exe  the per-user installer (scripts/installer.sh, NSIS)
# Both exes carry the icon, version information from FyneApp.toml and a manifest (per-monitor v2
# DPI aware, Common Controls v6) from packaging/windows/winres.json via go-winres, and the version
# is stamped into the Go code (auditlight version). When a code-signing certificate is configured
# (scripts/sign.sh: SIGN_PKCS12 or SIGN_CERT + SIGN_KEY) the exes and the installer are signed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/goenv.sh # compile memory ≤ 4 GB (issue 11)
TAGS=${TAGS:-migrated_fynedo}
GO=${GO:-go}
version=$(scripts/version.sh)
filever=$(scripts/version.sh --windows)
out=build/windows
mkdir -p "$out"
t0=$(date +%s)
say() { echo "windows: $* ($(( $(date +%s) - t0 )) s)"; }

ldx="-X github.com/auditlight/auditlight/app.Version=$version"
# CC: mingw-w64 gcc through scripts/mingw-cc.sh, which has clang answer cgo's kind probe (go-gl/gl's
# took 6 CPU-minutes in gcc's spelling suggestions; the binaries are byte-identical). Quoted for cmd/go.
wincc=${CC_WINDOWS:-"'$PWD/scripts/mingw-cc.sh'"}
winbuild() { CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$wincc $GO build -tags "$TAGS" -trimpath "$@"; }

# 1. In the background from the start, one compile at a time (-p 1): the three cgo packages
#    (runtime/cgo, go-gl/gl, glfw), with the exes' own GOOS/tags/-trimpath/CC so that the exe build
#    finds them cached. They are small compiles (go-gl/gl's, the largest, ~0.4 GB), so they can run
#    beside `models` (3.4 GB, below), which compiles on one backend worker and leaves a core idle:
#    the whole tree stays under 4 GB (issue 11).
say "background: runtime/cgo, go-gl/gl, glfw (-p 1)"
winbuild -p 1 github.com/go-gl/gl/v2.1/gl github.com/go-gl/glfw/v3.4/glfw &
cgopid=$!
trap 'kill "$cgopid" 2>/dev/null || true' EXIT

# 2. Resources (icon, VERSIONINFO, manifest) as a COFF object next to main.go, which the Go
#    linker links into every windows/amd64 build of package main. go-winres is run at its pinned
#    version with `go run` so that its own dependencies never touch go.mod.
say "resources: icon, version $filever, manifest"
rm -f rsrc_windows_*.syso
$GO run github.com/tc-hib/go-winres@v0.3.3 make --in packaging/windows/winres.json --arch amd64 \
  --out rsrc --product-version "$filever" --file-version "$filever"

# 3. msgraph-sdk-go's models (the largest compile, ~3.4 GB: scripts/goenv.sh) without any other large
#    compile beside it, so that the main build's -p 2 never runs it beside another big one; the main
#    build then finds it cached.
say "msgraph-sdk-go/models (beside the cgo packages only)"
winbuild github.com/microsoftgraph/msgraph-sdk-go/models
wait "$cgopid"
trap - EXIT
say "cgo packages done"
say "auditlight.exe (GUI)"
winbuild -ldflags "-H=windowsgui -s -w $ldx" -o "$out/auditlight.exe" .
say "auditlight-cli.exe (console)"
winbuild -ldflags "-s -w $ldx" -o "$out/auditlight-cli.exe" .
# The size budget (issue 11): each exe at most 60 MB (decimal), checked before anything ships.
for f in "$out/auditlight.exe" "$out/auditlight-cli.exe"; do
  size=$(stat -c %s "$f")
  [ "$size" -le "${MAX_EXE_BYTES:-60000000}" ] ||
    { echo "windows: $f is $size bytes, over the ${MAX_EXE_BYTES:-60000000}-byte budget" >&2; exit 1; }
done
say "sizes: $(stat -c '%n %s' "$out/auditlight.exe" "$out/auditlight-cli.exe" | tr '\n' ' ')"

# The icon files the installer and the toast registration use.
convert assets/icons/app-256.png -define icon:auto-resize=256,64,48,32,16 "$out/auditlight.ico"
cp assets/icons/app-256.png "$out/auditlight.png"

if scripts/sign.sh --configured; then
  say "signing the executables"
  scripts/sign.sh "$out/auditlight.exe" "$out/auditlight-cli.exe"
fi
scripts/installer.sh
ls -l "$out"/*.exe build/AuditLight-Setup-*.exe
say "done"
