#!/usr/bin/python3
"""wsclient.py URL [COOKIE] [ORIGIN]: a real WebSocket client (Debian's
python3-websockets): connect, send a text and a 200 KB binary message, check
both come back, close. Prints "echo ok" or the failure; exit 0/1.
For a wss:// URL, WS_CAFILE names the certificate to trust."""
import asyncio
import os
import ssl
import sys

import websockets


async def main():
    url = sys.argv[1]
    headers = {}
    if len(sys.argv) > 2 and sys.argv[2]:
        headers["Cookie"] = sys.argv[2]
    origin = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
    extra = {}
    if url.startswith("wss:"):
        extra["ssl"] = ssl.create_default_context(cafile=os.environ.get("WS_CAFILE"))
    try:
        async with websockets.connect(url, extra_headers=headers, origin=origin,
                                      open_timeout=10, max_size=2**22, **extra) as ws:
            await ws.send("hello through sh_login")
            text = await asyncio.wait_for(ws.recv(), 10)
            blob = os.urandom(200000)
            await ws.send(blob)
            back = await asyncio.wait_for(ws.recv(), 10)
            if text != "hello through sh_login" or back != blob:
                print("echo mismatch")
                return 1
    except Exception as e:  # the test asserts on the printed reason
        print("failed: %s: %s" % (type(e).__name__, e))
        return 1
    print("echo ok")
    return 0


sys.exit(asyncio.run(main()))
