#!/usr/bin/env bash
# Idle footprint of two Windows builds under Wine, alternated (A B A B ...):
#   scripts/wine-idle.sh A.exe B.exe      (PAIRS=3, IDLE=15 seconds after green)
# Each run starts the exe with --demo --hidden under Xvfb in one throwaway 64-bit prefix, waits for
# green, idles IDLE seconds and prints the process's RSS and CPU time with the load average.
# What it can tell: the process's own memory under Wine (Wine's GL is Mesa's llvmpipe, so a GL
# context costs what a software context costs there, not what a GPU driver costs on Windows).
# What it cannot: a Windows figure; compare A and B only with each other.
# Needs wine64, mingw (the test-only bcryptprimitives.dll, as in scripts/wine-check.sh), xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# = 2 ] || { echo "usage: $0 A.exe B.exe" >&2; exit 2; }
pairs=${PAIRS:-3} idle=${IDLE:-15}
work=$(mktemp -d /tmp/auditlight-wine-idle.XXXXXX)
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
cleanup() { wineserver -k 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
wineboot -i >/dev/null 2>&1 || true
wineserver -w
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  packaging/windows/wine/bcryptprimitives.c -ladvapi32
cp "$1" "$work/a.exe"
cp "$2" "$work/b.exe"
export W=$work IDLE=$idle
for _ in $(seq 1 "$pairs"); do
  for exe in a b; do
    EXE=$exe xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
      wine "$W/$EXE.exe" --demo --hidden >"$W/$EXE.log" 2>&1 &
      for _ in $(seq 1 900); do grep -q "state=healthy" "$W/$EXE.log" 2>/dev/null && break; sleep 0.1; done
      green=$(grep -c "state=healthy" "$W/$EXE.log" || true)
      sleep "$IDLE"
      pid=$(ps -eo pid=,args= | grep -F "$EXE.exe --demo" | grep -v -e "wine " -e bash | awk "{print \$1}" | head -1)
      echo "$EXE rss_kb=$(ps -o rss= -p "$pid" | tr -d " ") cpu=$(ps -o time= -p "$pid" | tr -d " ") green=$green load=$(cut -d" " -f1-3 /proc/loadavg)"
      wineserver -k 2>/dev/null; true'
  done
done
