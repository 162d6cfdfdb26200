#!/usr/bin/env python3
"""rawhttp.py HOST PORT REQUEST: send REQUEST (with \\r \\n escapes) as is,
print everything that comes back until the server closes (10 s at most)."""
import socket
import sys

host, port, request = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = request.encode("latin-1").decode("unicode_escape").encode("latin-1")
s = socket.create_connection((host, port), timeout=10)
s.sendall(data)
out = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        out += chunk
except socket.timeout:
    out += b"\n[timeout]\n"
sys.stdout.buffer.write(out)
