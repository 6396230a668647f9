"""A SYN flood of the interop tests, crafted with scapy and run by Linux inside the test's namespace.

usage: syn_flood.py TARGET PORT COUNT RATE SUBNET_PREFIX EXCLUDE...
Sends COUNT SYNs to TARGET:PORT at no more than RATE per second, each from a random address
SUBNET_PREFIX.N (N in 3..254, none of EXCLUDE) and a random port, with a random sequence number
and the options Linux puts in a SYN (MSS, SACK-permitted, timestamps, window scale). The sources
are in the namespace's own subnet and no host has them: the target's SYN-ACKs wait for ARP replies
that never come, and the namespace's only other interface is its loopback, so nothing leaves it.
Prints "sent N" at the end; the rate only caps the speed (a busy machine sends slower, never faster).
"""
import random
import socket
import sys
import time

from scapy.all import IP, TCP, raw

BATCH = 50


def spoofed_syns(target, port, count, prefix, excluded, rng):
    hosts = [n for n in range(3, 255) if n not in excluded]
    for _ in range(count):
        pkt = IP(src=f"{prefix}.{rng.choice(hosts)}", dst=target) / TCP(
            sport=rng.randrange(1024, 65536), dport=port, flags="S", seq=rng.randrange(1 << 32),
            window=64240, options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (rng.randrange(1 << 32), 0)),
                                   ("NOP", None), ("WScale", 7)])
        yield raw(pkt)


def main(target, port, count, rate, prefix, excluded):
    rng = random.Random(15)
    # Built up front so the sending loop is not slowed by scapy's packet assembly.
    packets = list(spoofed_syns(target, port, count, prefix, excluded, rng))
    # A raw IP socket with the header included: the kernel routes each packet out of the
    # namespace's interface (to the target's MAC, by its own ARP) and keeps the forged source.
    # A send that fails raises, so the count printed is the count the kernel took.
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sent = 0
    start = time.monotonic()
    try:
        for i in range(0, count, BATCH):
            for p in packets[i:i + BATCH]:
                sock.sendto(p, (target, 0))
                sent += 1
            ahead = start + sent / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
    finally:
        sock.close()
    print(f"sent {sent} in {time.monotonic() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5],
         {int(n) for n in sys.argv[6:]})
