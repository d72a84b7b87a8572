#!/usr/bin/env bash
# Builds the per-user Windows installer build/AuditLight-Setup-VERSION.exe with NSIS (makensis,
# Debian package nsis) from build/windows/ (made by scripts/windows.sh), and signs it when a
# certificate is configured (scripts/sign.sh). See packaging/windows/installer.nsi for what it
# installs and why NSIS.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(scripts/version.sh)
filever=$(scripts/version.sh --windows)
src=build/windows
for f in auditlight.exe auditlight-cli.exe auditlight.ico auditlight.png; do
  [ -f "$src/$f" ] || { echo "installer: $src/$f is missing: run make windows first" >&2; exit 1; }
done
outfile="build/AuditLight-Setup-$version.exe"
kb=$(( ( $(stat -c %s "$src/auditlight.exe") + $(stat -c %s "$src/auditlight-cli.exe") ) / 1024 ))
echo "installer: makensis -> $outfile"
makensis -V2 -NOCD -DVERSION="$version" -DFILEVERSION="$filever" -DSRCDIR="$src" \
  -DOUTFILE="$outfile" -DESTIMATEDKB="$kb" packaging/windows/installer.nsi
if scripts/sign.sh --configured; then
  scripts/sign.sh "$outfile"
fi
