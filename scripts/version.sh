#!/usr/bin/env bash
# Prints AuditLight's version from FyneApp.toml ([Details] Version and Build),
# the one place it is set. Every build script stamps it into the binary with
# -ldflags "-X github.com/auditlight/auditlight/app.Version=...".
#   scripts/version.sh            0.1.0          (app version, .deb, Info.plist)
#   scripts/version.sh --windows  0.1.0.1        (Windows FILEVERSION: four numbers, the last is Build)
#   scripts/version.sh --build    1
#   scripts/version.sh --id       io.github.auditlight.auditlight   (bundle ID, AppUserModelID)
#   scripts/version.sh --name     AuditLight
set -euo pipefail
toml="$(dirname "$0")/../FyneApp.toml"
field() {
  # The value of KEY in the [Details] table, without quotes.
  awk -v key="$1" '
    /^\[/ { details = ($0 == "[Details]") ; next }
    details && $1 == key { sub(/^[^=]*=[ \t]*/, ""); gsub(/"/, ""); sub(/[ \t]*(#.*)?$/, ""); print; exit }
  ' "$toml"
}
version=$(field Version)
build=$(field Build)
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "version.sh: FyneApp.toml [Details] Version must be MAJOR.MINOR.PATCH, got '$version'" >&2
  exit 1
fi
if ! [[ "${build:-0}" =~ ^[0-9]+$ ]]; then
  echo "version.sh: FyneApp.toml [Details] Build must be a number, got '$build'" >&2
  exit 1
fi
case "${1:-}" in
--windows) echo "$version.${build:-0}" ;;
--build) echo "${build:-0}" ;;
--id) field ID ;;
--name) field Name ;;
"") echo "$version" ;;
*) echo "usage: scripts/version.sh [--windows|--build|--id|--name]" >&2; exit 2 ;;
esac
