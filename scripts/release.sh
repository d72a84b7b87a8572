#!/usr/bin/env bash
# Builds the Linux package build/auditlight_VERSION_amd64.deb with dpkg-deb: the binary (version from
# FyneApp.toml stamped in), a desktop entry and the icon, so `sudo apt install ./auditlight_*.deb`
# installs it with its runtime libraries. Uses build/auditlight when BIN is set, else builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/goenv.sh # compile memory ≤ 4 GB (issue 11)
version=$(scripts/version.sh)
arch=$(dpkg --print-architecture)
bin=${BIN:-}
if [ -z "$bin" ]; then
  bin=build/auditlight
  go build -tags migrated_fynedo -trimpath -ldflags "-s -w -X github.com/auditlight/auditlight/app.Version=$version" -o "$bin" .
  # The size budget (issue 11): at most 60 MB (decimal) stripped.
  size=$(stat -c %s "$bin")
  [ "$size" -le "${MAX_EXE_BYTES:-60000000}" ] || { echo "release: $bin is $size bytes, over the budget" >&2; exit 1; }
fi
root=$(mktemp -d)
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT
install -Dm755 "$bin" "$root/usr/bin/auditlight"
install -Dm644 assets/icons/app-256.png "$root/usr/share/icons/hicolor/256x256/apps/io.github.auditlight.auditlight.png"
install -d "$root/usr/share/applications" "$root/DEBIAN"
cat >"$root/usr/share/applications/io.github.auditlight.auditlight.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=AuditLight
GenericName=Microsoft 365 audit log monitor
Comment=Collects your Microsoft 365 Unified Audit Log locally and shows whether it is working
Exec=auditlight
Icon=io.github.auditlight.auditlight
Terminal=false
Categories=System;Security;Monitor;
Keywords=audit;microsoft 365;entra;siem;security;
StartupWMClass=AuditLight
DESKTOP
cat >"$root/DEBIAN/control" <<CONTROL
Package: auditlight
Version: $version
Architecture: $arch
Maintainer: AuditLight contributors <auditlight@users.noreply.github.com>
Depends: libc6, libgl1, libx11-6, libxrandr2, libxcursor1, libxinerama1, libxi6, libxxf86vm1, libwayland-client0, libwayland-cursor0, libwayland-egl1, libxkbcommon0, libegl1
Recommends: gnome-keyring | kwalletmanager
Section: admin
Priority: optional
Homepage: https://github.com/auditlight/auditlight
Description: Microsoft 365 Unified Audit Log collector with a tray status light
 AuditLight walks you through the Entra app registration, keeps the client secret in the
 OS keychain, collects the Unified Audit Log through the Office 365 Management Activity API
 into a local SQLite file and shows a green / amber / red light in the tray.
CONTROL
out="build/auditlight_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$out" >/dev/null
echo "release: $out ($(stat -c %s "$out") bytes)"
