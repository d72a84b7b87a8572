#!/usr/bin/env python3
"""Build cost of a command: CPU, wall, and peak memory of its whole process tree (issue 11).

Usage: scripts/buildcost.py [--interval S] [--log FILE] -- COMMAND [ARG...]

Runs COMMAND, samples the resident memory (VmRSS) of every process descended
from it every S seconds (default 0.5) and, when it exits, prints to stderr:
  - wall seconds, CPU seconds (user + sys of the tree, from wait4's rusage,
    so every reaped child counts) and the CPU-minutes / 2 estimate for an idle
    2-core machine;
  - the largest single-process peak RSS (ru_maxrss of the children, as
    `/usr/bin/time -v` reports it), and the peak of the *sum* of RSS over the
    tree with the processes that made it up at that moment;
  - the 1-minute load average at the start and end (the machine is shared).
With --log, each sample above 1 GB in total is appended to FILE (time, total MB,
the three largest processes), which shows what ran beside what.
The exit status is COMMAND's.  Linux only (/proc).  Used for BENCHMARKS.md's
build-cost tables, e.g.:
  GOCACHE=$(mktemp -d) scripts/buildcost.py -- make windows
"""
import os
import resource
import signal
import sys
import time


def children_map():
    """Maps each pid to its child pids, from /proc/*/stat."""
    kids = {}
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open(f'/proc/{name}/stat') as f:
                stat = f.read()
        except OSError:
            continue
        # comm may contain spaces and parentheses: the fields after the last ')'.
        rest = stat[stat.rfind(')') + 2:].split()
        kids.setdefault(int(rest[1]), []).append(int(name))
    return kids


def tree(root):
    """The pids of root and all its descendants."""
    kids = children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def rss_kb(pid):
    """VmRSS of pid in kB and a short name, or (0, '') once it has gone."""
    try:
        with open(f'/proc/{pid}/status') as f:
            status = f.read()
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            argv = f.read().split(b'\0')
    except OSError:
        return 0, ''
    kb = 0
    for line in status.splitlines():
        if line.startswith('VmRSS:'):
            kb = int(line.split()[1])
            break
    return kb, describe([a.decode(errors='replace') for a in argv if a])


def describe(argv):
    """A short label for a build process: the tool and, for compile, its package."""
    if not argv:
        return '?'
    tool = os.path.basename(argv[0])
    if len(argv) == 2 and argv[1].startswith('@'):
        # cmd/go passes long command lines in a response file, one argument a line.
        try:
            with open(argv[1][1:]) as f:
                argv = [argv[0]] + [a.strip('"') for a in f.read().splitlines()]
        except OSError:
            pass
    if tool == 'compile' and '-p' in argv:
        return 'compile ' + argv[argv.index('-p') + 1]
    if tool in ('cc1', 'cc1plus'):
        srcs = [a for a in argv if a.endswith('.c') or a.endswith('.cgo2.c')]
        return tool + ' ' + (os.path.basename(srcs[-1]) if srcs else '')
    return ' '.join([tool] + argv[1:3])[:80]


def main():
    args = sys.argv[1:]
    interval, log = 0.5, None
    while args and args[0] != '--':
        if args[0] == '--interval':
            interval, args = float(args[1]), args[2:]
        elif args[0] == '--log':
            log, args = args[1], args[2:]
        else:
            sys.exit(__doc__)
    if len(args) < 2:
        sys.exit(__doc__)
    cmd = args[1:]
    load0 = os.getloadavg()[0]
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    signal.signal(signal.SIGINT, lambda *_: os.kill(pid, signal.SIGINT))
    peak, peak_at, peak_procs, status, ru = 0, 0.0, [], None, None
    logf = open(log, 'a') if log else None
    while status is None:
        done, st, usage = os.wait4(pid, os.WNOHANG)
        if done:
            status, ru = st, usage
            break
        procs = [(kb, name) for kb, name in (rss_kb(p) for p in tree(pid)) if kb]
        total = sum(kb for kb, _ in procs)
        if total > peak:
            peak, peak_at = total, time.monotonic() - t0
            peak_procs = sorted(procs, reverse=True)[:4]
        if logf and total > 1024 * 1024:
            top = ', '.join(f'{name} {kb // 1024} MB' for kb, name in sorted(procs, reverse=True)[:3])
            logf.write(f'{time.monotonic() - t0:8.1f} s {total // 1024:6d} MB  {top}\n')
            logf.flush()
        time.sleep(interval)
    wall = time.monotonic() - t0
    cpu = ru.ru_utime + ru.ru_stime
    one = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = sys.stderr
    print(f'buildcost: {" ".join(cmd)}', file=out)
    print(f'buildcost: wall {wall:.0f} s ({wall / 60:.1f} min), load {load0:.1f} -> {os.getloadavg()[0]:.1f}', file=out)
    print(f'buildcost: CPU {ru.ru_utime:.0f} + {ru.ru_stime:.0f} s = {cpu / 60:.1f} CPU-min '
          f'(/2 = {cpu / 120:.1f} min on 2 idle cores)', file=out)
    print(f'buildcost: peak RSS one process {one / 1e6:.2f} GB; whole tree {peak / 1e6:.2f} GB '
          f'at {peak_at:.0f} s: ' + ', '.join(f'{n} {kb / 1e6:.2f} GB' for kb, n in peak_procs), file=out)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == '__main__':
    main()
