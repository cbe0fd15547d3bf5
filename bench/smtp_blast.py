#!/usr/bin/env python3
"""The mail limit: how fast an SMTP server accepts messages from a minimal client.

Sends --count messages of --size bytes over --connections reused connections (one EHLO each,
then MAIL/RCPT/DATA per message in lockstep, as libcurl does) and prints one JSON line with the
rate. Standard library only.
"""
import argparse
import asyncio
import json
import time


async def reply(reader):
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("server closed")
        if line[3:4] != b"-":
            if line[:1] not in (b"2", b"3"):
                raise ConnectionError(line.decode(errors="replace").strip())
            return


async def sender(host, port, count, body):
    reader, writer = await asyncio.open_connection(host, port)
    await reply(reader)
    writer.write(b"EHLO bench.test\r\n")
    await reply(reader)
    for i in range(count):
        for cmd in (b"MAIL FROM:<bench@bench.test>\r\n", b"RCPT TO:<sink-%d@bench.test>\r\n" % i,
                    b"DATA\r\n"):
            writer.write(cmd)
            await reply(reader)
        writer.write(body)
        await reply(reader)
    writer.write(b"QUIT\r\n")
    await writer.drain()
    writer.close()


async def main(args):
    line = b"X" * 76 + b"\r\n"
    body = (b"From: bench@bench.test\r\nTo: sink@bench.test\r\nSubject: bench\r\n\r\n"
            + line * max(1, args.size // len(line)) + b".\r\n")
    per = args.count // args.connections
    start = time.monotonic()
    await asyncio.gather(*(sender(args.host, args.port, per, body) for _ in range(args.connections)))
    secs = time.monotonic() - start
    print(json.dumps({"connections": args.connections, "messages": per * args.connections,
                      "seconds": round(secs, 3), "per_s": round(per * args.connections / secs)}))


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--size", type=int, default=4000)
    asyncio.run(main(p.parse_args()))
