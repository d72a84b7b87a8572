#!/usr/bin/env bash
# make macos (on a Mac; the release workflow runs it on a macOS runner): builds
#   build/macos/AuditLight.app   universal (arm64 + x86_64), Info.plist with the bundle ID, name and
#                                version from FyneApp.toml, the icon as .icns (packaging/macos/mkapp)
#   build/AuditLight-VERSION.dmg the app and an Applications link, to drag and drop
# Signing and notarization happen only when configured, and say so when they do not:
#   MACOS_SIGN_IDENTITY   a "Developer ID Application: …" identity in the keychain → hardened runtime
#                         (packaging/macos/entitlements.plist), secure timestamp; else ad-hoc signed
#                         (Apple silicon runs nothing unsigned; Gatekeeper then asks the user to allow it)
#   NOTARY_KEYCHAIN_PROFILE  (xcrun notarytool store-credentials) or
#   NOTARY_APPLE_ID + NOTARY_TEAM_ID + NOTARY_PASSWORD (an app-specific password)
#                         → the app and the .dmg are notarized (notarytool submit --wait) and stapled.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Darwin ]; then
  echo "macos.sh: the .app needs Fyne's cgo driver built against AppKit: run this on a Mac (or in .github/workflows/release.yml)" >&2
  exit 1
fi
TAGS=${TAGS:-migrated_fynedo}
GO=${GO:-go}
version=$(scripts/version.sh)
build=$(scripts/version.sh --build)
id=$(scripts/version.sh --id)
name=$(scripts/version.sh --name)
out=build/macos
dmg="build/$name-$version.dmg"
mkdir -p "$out"
t0=$(date +%s)
say() { echo "macos: $* ($(( $(date +%s) - t0 )) s)"; }

# 1. The executable for both architectures (Go 1.26 binaries need macOS 12; the C parts are built
#    for the same minimum), joined into one universal file.
export MACOSX_DEPLOYMENT_TARGET=12.0 CGO_ENABLED=1 GOOS=darwin
ldflags="-s -w -X github.com/auditlight/auditlight/app.Version=$version"
for arch in arm64 amd64; do
  say "auditlight ($arch)"
  GOARCH=$arch $GO build -tags "$TAGS" -trimpath -ldflags "$ldflags" -o "$out/auditlight-$arch" .
done
unset GOOS
lipo -create -output "$out/auditlight" "$out/auditlight-arm64" "$out/auditlight-amd64"
rm -f "$out/auditlight-arm64" "$out/auditlight-amd64"
lipo -info "$out/auditlight"

# 2. The bundle.
say "$name.app ($id $version build $build)"
app=$($GO run ./packaging/macos/mkapp -exe "$out/auditlight" -icon assets/icons/app-256.png \
  -id "$id" -name "$name" -version "$version" -build "$build" -out "$out")
rm -f "$out/auditlight"

notarize_configured() {
  [ -n "${NOTARY_KEYCHAIN_PROFILE:-}" ] ||
    { [ -n "${NOTARY_APPLE_ID:-}" ] && [ -n "${NOTARY_TEAM_ID:-}" ] && [ -n "${NOTARY_PASSWORD:-}" ]; }
}

# notarize FILE: submits to Apple's notary service, waits, fails with Apple's log unless Accepted.
notarize() {
  local file=$1 result
  local auth=(--apple-id "${NOTARY_APPLE_ID:-}" --team-id "${NOTARY_TEAM_ID:-}" --password "${NOTARY_PASSWORD:-}")
  [ -n "${NOTARY_KEYCHAIN_PROFILE:-}" ] && auth=(--keychain-profile "$NOTARY_KEYCHAIN_PROFILE")
  result=$(mktemp)
  say "notarizing $(basename "$file") (notarytool submit --wait)"
  # Its exit status is not enough (it has been 0 for Invalid): read the status it reports.
  xcrun notarytool submit "$file" "${auth[@]}" --wait --output-format json >"$result" || true
  local status subid
  status=$(plutil -extract status raw -o - "$result" 2>/dev/null || echo "no answer: $(cat "$result")")
  subid=$(plutil -extract id raw -o - "$result" 2>/dev/null || true)
  if [ "$status" != Accepted ]; then
    echo "macos: notarization of $file: $status" >&2
    [ -n "$subid" ] && { xcrun notarytool log "$subid" "${auth[@]}" >&2 || true; }
    exit 1
  fi
  rm -f "$result"
}

# 3. Signature: Developer ID with the hardened runtime, or ad-hoc.
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  say "signing with the hardened runtime: $MACOS_SIGN_IDENTITY"
  codesign --force --options runtime --timestamp --entitlements packaging/macos/entitlements.plist \
    --sign "$MACOS_SIGN_IDENTITY" "$app"
else
  say "MACOS_SIGN_IDENTITY not set: ad-hoc signature only (not notarized; Gatekeeper will ask)"
  codesign --force --sign - "$app"
fi
codesign --verify --strict --verbose=2 "$app"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ] && notarize_configured; then
  zip="$out/$name-notarize.zip"
  ditto -c -k --keepParent "$app" "$zip"
  notarize "$zip"
  rm -f "$zip"
  xcrun stapler staple "$app"
  spctl --assess --type execute --verbose=2 "$app"
elif [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  say "notarization not configured (NOTARY_*): signed but not notarized"
fi

# 4. The disk image: the app and a link to /Applications.
say "$(basename "$dmg")"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/$name.app"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "$name $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg" >/dev/null
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
  if notarize_configured; then
    notarize "$dmg"
    xcrun stapler staple "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
  fi
fi
hdiutil verify "$dmg" >/dev/null
ls -l "$dmg"
say "done"
