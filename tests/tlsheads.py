#!/usr/bin/python3
"""tlsheads.py PORT CAFILE SOURCE N HOLD: a stranger holding half-sent heads.

Opens N TLS connections from address SOURCE to localhost:PORT one after the
other (certificate checked against CAFILE), each sending a request line and
one header of a request for the app, and then nothing. A connection the
gateway turns away answers at once (a 503); one it keeps waits for the rest
of the head. After each, waits up to 3 s for an answer to tell the two
apart, prints "held K, refused R with 503" (other answers are named), and
holds the kept ones open for HOLD seconds."""
import signal
import socket
import ssl
import sys
import time


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    port, ca, source = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    n, hold = int(sys.argv[4]), float(sys.argv[5])
    ctx = ssl.create_default_context(cafile=ca)
    held, refused, other = [], 0, []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
        t = ctx.wrap_socket(s, server_hostname="localhost")
        t.sendall(b"GET /cgi-bin/app/echo/stranger HTTP/1.1\r\nHost: localhost\r\n")
        t.settimeout(3)
        try:
            answer = t.recv(64)
        except socket.timeout:
            held.append(t)
            continue
        if answer.startswith(b"HTTP/1.1 503"):
            refused += 1
        else:
            other.append(answer[:20])
        t.close()
    line = "held %d, refused %d with 503" % (len(held), refused)
    if other:
        line += ", other answers: %r" % other
    print(line, flush=True)
    time.sleep(hold)


main()
