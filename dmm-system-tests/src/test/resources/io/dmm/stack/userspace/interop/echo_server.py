"""Echo server of the interop tests, run by Linux inside the test's namespace.

usage: echo_server.py HOST PORT
Echoes every connection until the peer's EOF, then closes it. A listen backlog of 1024, so that
hundreds of SYNs arriving at once are all queued rather than dropped and retried a second later.
"""
import asyncio
import sys


async def echo(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


async def main(host, port):
    server = await asyncio.start_server(echo, host, port, backlog=1024, reuse_address=True)
    async with server:
        await server.serve_forever()


asyncio.run(main(sys.argv[1], int(sys.argv[2])))
