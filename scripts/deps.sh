#!/usr/bin/env bash
# Installs what building and testing AuditLight needs, and says what it does.
# Linux (Debian/Ubuntu): the C/GL/X11/Wayland headers Fyne's driver needs, plus
# Xvfb, D-Bus and GNOME Keyring for the headless GUI and real-keychain tests.
# macOS/Windows: checks for Go and a C compiler (installing them needs you).
set -euo pipefail

need_go="1.26"
if ! command -v go >/dev/null 2>&1; then
  echo "deps: Go is missing. Install Go >= $need_go from https://go.dev/dl/ and run this again." >&2
  exit 1
fi

case "$(uname -s)" in
Linux)
  pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev libwayland-dev libxkbcommon-dev libegl1-mesa-dev
        xvfb xauth dbus dbus-x11 gnome-keyring libgl1-mesa-dri imagemagick
        clang) # clang: TestObjectiveCParses checks the macOS Objective-C (internal/macapp) on Linux;
               # make windows: it answers cgo's kind probe for mingw (scripts/mingw-cc.sh)
  # make windows: the mingw-w64 C compiler (Fyne's cgo), NSIS for the installer, osslsigncode.
  if [ "${WITH_MINGW:-0}" = 1 ]; then pkgs+=(gcc-mingw-w64-x86-64 nsis osslsigncode icoutils); fi
  # make wine: 64-bit Wine to run the Windows build, mingw for the test-only bcryptprimitives.dll.
  if [ "${WITH_WINE:-0}" = 1 ]; then pkgs+=(wine wine64 gcc-mingw-w64-x86-64 osslsigncode openssl); fi
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "deps: all system packages present"
    exit 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: missing ${missing[*]} and apt-get is not available; install their equivalents by hand." >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "deps: installing ${missing[*]} with apt-get (Fyne's GL/X11/Wayland headers, Xvfb, D-Bus, GNOME Keyring)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "deps: done"
  ;;
Darwin)
  if ! xcode-select -p >/dev/null 2>&1; then
    echo "deps: the Xcode command line tools (C compiler) are missing: run 'xcode-select --install' and try again." >&2
    exit 1
  fi
  echo "deps: Go and the Xcode command line tools are present"
  ;;
MINGW*|MSYS*|CYGWIN*)
  if ! command -v gcc >/dev/null 2>&1; then
    echo "deps: a C compiler is missing: install MSYS2 and its mingw-w64 gcc (pacman -S mingw-w64-x86_64-gcc) and try again." >&2
    exit 1
  fi
  echo "deps: Go and gcc are present"
  ;;
esac
