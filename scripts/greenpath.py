#!/usr/bin/env python3
"""The timeline of one launch to green from its execution trace (issue 12,
BENCHMARKS "Launch to green: the critical path, round 9").

    greenpath.py TRACE START_NS [MIN_MS]

TRACE is the file AUDITLIGHT_TRACE wrote; START_NS the launch's start in
Unix nanoseconds (date +%s%N just before the exec). Prints, in ms from the
start: the app's trace regions and logs (the collector's and the store's
left out), the main goroutine's cgo calls of MIN_MS (default 25) or more
with the call and the Fyne frames above it (the main thread is Fyne's GL
thread: these are GLX, the GL driver and X round trips), and the GL
preload's dlopen calls (internal/glwarm), which the main thread's first glfw
call waits for (the dynamic loader's lock)."""
import datetime
import re
import subprocess
import sys


def main():
    trace, start = sys.argv[1], int(sys.argv[2])
    min_ms = float(sys.argv[3]) if len(sys.argv) > 3 else 25.0
    text = subprocess.run(["go", "tool", "trace", "-d=parsed", trace], capture_output=True, text=True, check=True).stdout
    lines = text.split("\n")
    base = tr = None
    rows = []
    open_call = {}  # goroutine -> (start ms, frames)
    for i, line in enumerate(lines):
        if not line.startswith("M="):
            continue
        if base is None and " Sync " in line and " N=1 " in line:
            tr = int(re.search(r"Trace=(\d+)", line).group(1))
            wall = re.search(r"Wall=(\S+)", line).group(1).rstrip("Z")
            sec, frac = wall.split(".")
            wall_ns = int(datetime.datetime.fromisoformat(sec).replace(tzinfo=datetime.timezone.utc).timestamp()) * 10**9 + int(frac.ljust(9, "0")[:9])
            base = (wall_ns - start) / 1e6
            rows.append((base, "trace starts (main)"))
            continue
        if base is None:
            continue
        m = re.search(r"Time=(\d+)", line)
        if not m:
            continue
        t = base + (int(m.group(1)) - tr) / 1e6
        if ("RegionBegin" in line or "RegionEnd" in line or " Log " in line) and "collector: " not in line and "store: " not in line:
            rows.append((t, re.sub(r"Time=\d+ |M=-?\d+ P=-?\d+ |Task=\d+ ", "", line)))
        elif "StateTransition" in line and "GoID=" in line:
            g = re.search(r"GoID=(\d+)", line).group(1)
            if "Running->Syscall" in line:
                frames = []
                j = i + 2
                while j < len(lines) and lines[j].startswith("\t"):
                    s = lines[j].strip()
                    if not s.startswith("/") and not s.startswith("_cgo"):
                        frames.append(s.split(" @")[0])
                    j += 1
                if g == "1" or any("glwarm" in f for f in frames[:3]):
                    open_call[g] = (t, frames)
            elif "Syscall->" in line and g in open_call:
                t0, frames = open_call.pop(g)
                if g == "1" and t - t0 >= min_ms:
                    ours = [f.split("/")[-1] for f in frames if f.startswith(("fyne.io/fyne", "github.com/auditlight"))][:2]
                    call = frames[0].split("/")[-1] if frames else "?"
                    rows.append((t0, "main thread %5.0f ms in %s  (%s)" % (t - t0, call, " <- ".join(ours))))
                elif g != "1" and t - t0 >= 1:
                    rows.append((t0, "GL preload dlopen %5.0f ms (G%s)" % (t - t0, g)))
    for t, what in sorted(rows):
        print("%8.1f  %s" % (t, what))


if __name__ == "__main__":
    main()
