"""Concurrent echo clients of the interop tests, run by Linux inside the test's namespace.

usage: many_clients.py HOST PORT CONNECTIONS BYTES
Opens CONNECTIONS connections and waits until every one is established (so all are open at the
same time), then each sends BYTES bytes of its own (seeded by its index), reads the echo and
compares it byte for byte. Exits 0 and prints a summary when all match; exits 1 and prints the
failures otherwise.
"""
import asyncio
import random
import sys


async def client(index, host, port, size, tally, all_connected):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    finally:
        # Counted even when the connect failed, so the others do not wait for it forever.
        tally["settled"] += 1
        if tally["settled"] == tally["total"]:
            all_connected.set()
    try:
        await all_connected.wait()
        data = random.Random(index).randbytes(size)
        writer.write(data)
        await writer.drain()
        echo = await reader.readexactly(size)
        if echo != data:
            first = next(i for i in range(size) if echo[i] != data[i])
            raise AssertionError(f"connection {index}: echo differs from byte {first} on")
    finally:
        writer.close()
        await writer.wait_closed()


async def main(host, port, connections, size):
    tally = {"settled": 0, "total": connections}
    all_connected = asyncio.Event()
    results = await asyncio.wait_for(
        asyncio.gather(*(client(i, host, port, size, tally, all_connected) for i in range(connections)),
                       return_exceptions=True),
        timeout=60)
    failures = [(i, r) for i, r in enumerate(results) if isinstance(r, BaseException)]
    if failures:
        for i, f in failures[:10]:
            print(f"connection {i}: {f!r}", file=sys.stderr)
        print(f"{len(failures)} of {connections} connections failed", file=sys.stderr)
        sys.exit(1)
    print(f"{connections} connections echoed {size} bytes each")


asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
