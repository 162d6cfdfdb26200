#!/usr/bin/python3
"""tlsflood.py PORT N HOLD: strangers against the TLS front on 127.0.0.1:PORT.

Opens N connections from 127.0.0.2-127.0.0.9 in turn, each sending the
first half of a real ClientHello (made by Python's ssl module) and then
nothing: half-open handshakes. Also sends a few connections of random bytes
and a few whole-but-garbled ClientHellos. Holds everything open for HOLD
seconds (the owner's requests run meanwhile), then closes. Prints
"opened K of N" (connections the kernel accepted; the front may close the
ones over its limits at once)."""
import os
import socket
import ssl
import sys
import time


def client_hello():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def connect(port, i):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.%d" % (2 + i % 8), 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    return s


def main():
    port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    hello = client_hello()
    socks, opened = [], 0
    for i in range(n):
        try:
            s = connect(port, i)
            if i % 50 == 1:
                s.sendall(os.urandom(300))               # random bytes
            elif i % 50 == 2:
                bad = bytearray(hello)
                bad[9:40] = os.urandom(31)                # a garbled hello
                s.sendall(bytes(bad))
            else:
                s.sendall(hello[: len(hello) // 2])       # truncated, then silence
            socks.append(s)
            opened += 1
        except OSError:
            pass
    print("opened %d of %d" % (opened, n), flush=True)
    time.sleep(hold)
    for s in socks:
        s.close()


main()
