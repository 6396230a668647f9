#!/usr/bin/env python3
"""CPU per request, by where it is spent, from a whole-machine perf profile of a wrk run.

Record it during the run (root), then divide by the requests/s wrk reported for that run:

    perf record -a -g -F 3000 -o http.perf -- sleep 8      # while wrk runs
    dmm-benchmarks/scripts/cpu-per-request.py http.perf 58862 [8 [3000]]

Arguments: the perf data, requests per second, the seconds recorded (8), the sampling frequency (3000).
Every sample is sorted by its thread (wrk, idle, or the server JVM) and, for the JVM, by its frames:
DMM's own Java code, other Java code (the application, the JDK, the JVM), and in the kernel the tap
path (tun), sockets/TCP/epoll, sched_yield, sleeping and waking, or other. The lines add up to the
whole machine's time per request (CPUs x 1 s / requests/s), so two runs compare line by line
(docs/benchmarks.md, "Where the rest goes").
"""
import collections
import re
import subprocess
import sys


def frames_of(block):
    lines = [l.strip() for l in block.split('\n') if l.strip()]
    if not lines:
        return None, []
    frames = []
    for l in lines[1:]:
        parts = l.split(None, 1)
        sym = re.sub(r'\(.*', '', parts[1]).split(' ')[-1] if len(parts) > 1 else ''
        frames.append(sym)
    return lines[0].split()[0], frames


def is_kernel(symbol):
    # Java frames carry a package (dots before the method); kernel and native ones are C names
    plain = re.sub(r'\.(isra|part|constprop|cold)\.\d+$', '', symbol)
    return bool(re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', plain))


def category(comm, frames):
    if comm == 'swapper':
        return 'idle'
    if comm.startswith('wrk'):
        return 'wrk, user and kernel'
    if comm == 'perf':
        return None
    leaf = frames[0] if frames else ''
    if not is_kernel(leaf):
        return 'JVM user: DMM (io.dmm)' if leaf.startswith('io.dmm') else 'JVM user: application, JDK, JVM'
    stack = ' '.join(frames[:60])
    if 'sched_yield' in stack:
        return 'JVM kernel: sched_yield'
    if 'tun_' in stack:
        return 'JVM kernel: tap read/write (with the peer side of the receive)'
    if 'finish_task_switch' in leaf or leaf.startswith('__schedule') or 'futex' in stack:
        return 'JVM kernel: sleeping, waking, thread switches'
    if re.search(r'epoll|tcp_|ip_|sock|skb|net_rx|veth', stack):
        return 'JVM kernel: sockets, TCP, epoll (with the peer side of the receive)'
    return 'JVM kernel: other'


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data, rps = sys.argv[1], float(sys.argv[2])
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 8.0
    hz = float(sys.argv[4]) if len(sys.argv) > 4 else 3000.0
    out = subprocess.run(['perf', 'script', '-i', data, '-F', 'comm,ip,sym'],
                         capture_output=True, text=True, check=True).stdout
    counts = collections.Counter()
    for block in out.split('\n\n'):
        comm, frames = frames_of(block)
        if comm is None:
            continue
        c = category(comm, frames)
        if c is not None:
            counts[c] += 1
    per_sample_us = 1e6 / hz
    for name in sorted(counts):
        print('%-70s %6.2f us/request' % (name, counts[name] * per_sample_us / seconds / rps))
    print('%-70s %6.2f us/request' % ('the machine', sum(counts.values()) * per_sample_us / seconds / rps))


if __name__ == '__main__':
    main()
