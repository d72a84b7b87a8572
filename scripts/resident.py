#!/usr/bin/env python3
"""Where a running AuditLight's resident executable pages are (issue 12).

Usage: scripts/resident.py PID BINARY

Reads /proc/PID/pagemap for the mappings of BINARY and prints how many MB of
it are resident, by package (symbols from `go tool nm`) and by ELF section.
Linux only; the binary must not be stripped for the package breakdown.
"""
import sys, struct, subprocess, bisect, collections, re
pid, binpath = sys.argv[1], sys.argv[2]
maps = []
for line in open(f'/proc/{pid}/maps'):
    p = line.split()
    if len(p) >= 6 and p[5] == binpath:
        a, b = [int(x, 16) for x in p[0].split('-')]
        maps.append((a, b, p[1]))
pm = open(f'/proc/{pid}/pagemap', 'rb')
present = []
for a, b, perm in maps:
    pm.seek(a // 4096 * 8)
    data = pm.read((b - a) // 4096 * 8)
    for i in range(len(data) // 8):
        v = struct.unpack_from('<Q', data, i * 8)[0]
        if v >> 63 & 1:
            present.append(a + i * 4096)
syms = []
for line in subprocess.run(['go', 'tool', 'nm', '-size', '-sort', 'address', binpath], capture_output=True, text=True).stdout.splitlines():
    p = line.split(None, 3)
    if len(p) == 4:
        try:
            syms.append((int(p[0], 16), int(p[1]), p[3]))
        except ValueError:
            pass
syms.sort()
addrs = [s[0] for s in syms]
agg = collections.Counter()
for pg in present:
    i = bisect.bisect_right(addrs, pg) - 1
    name = syms[i][2] if i >= 0 and pg < syms[i][0] + max(syms[i][1], 4096) else '?'
    if name.startswith('runtime.pclntab') or name.startswith('runtime.func'):
        key = name
    else:
        key = re.sub(r'^(type:\.?|go:)', '', name)
        key = re.split(r'[.(]', key.replace('github.com/', '').replace('fyne.io/', ''))[0]
    agg[key] += 4096
for k, v in agg.most_common(25):
    print(f'{v/1048576:7.1f} MB  {k}')
print('total', len(present) * 4096 / 1048576)
secs = []
for line in subprocess.run(['readelf', '-SW', binpath], capture_output=True, text=True).stdout.splitlines():
    m = re.match(r'\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)', line)
    if m and int(m.group(2), 16):
        secs.append((int(m.group(2), 16), int(m.group(3), 16), m.group(1)))
c = collections.Counter()
for pg in present:
    for a, sz, n in secs:
        if a <= pg < a + sz or a <= pg + 4095 < a + sz:
            c[n] += 4096; break
for n, v in c.most_common(): print(f'{v/1048576:7.1f} MB  section {n}')
