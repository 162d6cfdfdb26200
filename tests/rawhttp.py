#!/usr/bin/env python3
"""rawhttp.py HOST PORT REQUEST: send REQUEST (with \\r \\n escapes) as is,
print everything that comes back until the server closes (10 s at most).
With RAWHTTP_TAIL=FILE: also write to FILE how many milliseconds passed
between the last byte received and the server's close (a server that ends
the connection as soon as the answer is complete shows ~0; one that waits
for a silence timeout shows that timeout), a measure that does not grow
with the machine's load the way the whole exchange's time does."""
import os
import socket
import sys
import time

host, port, request = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = request.encode("latin-1").decode("unicode_escape").encode("latin-1")
s = socket.create_connection((host, port), timeout=10)
s.sendall(data)
out = b""
last = time.monotonic()
tail = None
try:
    while True:
        chunk = s.recv(65536)
        now = time.monotonic()
        if not chunk:
            tail = now - last
            break
        out += chunk
        last = now
except socket.timeout:
    out += b"\n[timeout]\n"
sys.stdout.buffer.write(out)
if os.environ.get("RAWHTTP_TAIL"):
    with open(os.environ["RAWHTTP_TAIL"], "w") as f:
        f.write("timeout\n" if tail is None else "%d\n" % (tail * 1000))
