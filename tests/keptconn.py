#!/usr/bin/env python3
"""keptconn.py - one kept-alive client connection, driven step by step
(tests/relay_test.sh), from a chosen loopback address.

  keptconn.py http PORT ADDR STEP...
      Each STEP in turn on one connection from ADDR to 127.0.0.1:PORT:
        a number      sleep that many seconds
        wait:FILE     create FILE.ready, then wait (20 s at most) until FILE
                      exists: the suite changes the world meanwhile
        eof           wait (15 s at most) for the server to close: prints
                      "closed", or "open"
        anything else request bytes (\\r \\n escapes), sent as they are;
                      then one response is read and its status printed
                      ("none" if the server closed first, "timeout" after
                      15 s): a partial head is sent and answered the same
      The words go to stdout on one line, e.g. "200 408 closed".
  keptconn.py ws PORT ADDR COOKIE FILE
      A WebSocket to /cgi-bin/app/ws (the test app echoes) with COOKIE:
      one text frame and its echo, then wait:FILE as above, then a frame a
      second until the server closes the connection (30 s at most).
      Prints "echo ok", then "closed after N s" (N from FILE's appearance,
      whole seconds) or "open after 30 s", and how many frames sent after
      FILE came back ("echoes after: K").
Every socket is closed before exit.
"""
import os
import socket
import struct
import sys
import time


def connect(port, addr):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(15)
    s.bind((addr, 0))
    s.connect(("127.0.0.1", port))
    return s


def unescape(s):
    return s.encode("latin-1").decode("unicode_escape").encode("latin-1")


def wait_for(path):
    open(path + ".ready", "w").close()
    until = time.time() + 20
    while not os.path.exists(path) and time.time() < until:
        time.sleep(0.05)


class Reader:
    def __init__(self, s):
        self.s, self.buf = s, b""

    def more(self):
        d = self.s.recv(65536)
        if not d:
            raise EOFError
        self.buf += d

    def take(self, n):
        while len(self.buf) < n:
            self.more()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def response(self):
        """One response: its status; the body is read by Content-Length or
        chunked framing (the gateway's and the test app's answers)."""
        while b"\r\n\r\n" not in self.buf:
            self.more()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = lines[0].split()[1].decode()
        fields = {l.split(b":", 1)[0].strip().lower(): l.split(b":", 1)[1].strip()
                  for l in lines[1:] if b":" in l}
        if b"content-length" in fields:
            self.take(int(fields[b"content-length"]))
        elif b"chunked" in fields.get(b"transfer-encoding", b""):
            while True:
                while b"\r\n" not in self.buf:
                    self.more()
                size = int(self.buf.split(b"\r\n", 1)[0].split(b";")[0], 16)
                self.take(self.buf.index(b"\r\n") + 2)
                self.take(size + 2)
                if size == 0:
                    break
        return status


def http(port, addr, steps):
    s = connect(port, addr)
    r, out = Reader(s), []
    try:
        for step in steps:
            if step.replace(".", "", 1).isdigit():
                time.sleep(float(step))
            elif step.startswith("wait:"):
                wait_for(step[5:])
            elif step == "eof":
                try:
                    while True:
                        r.more()
                except EOFError:
                    out.append("closed")
                except (socket.timeout, OSError):
                    out.append("open")
            else:
                try:
                    s.sendall(unescape(step))
                    out.append(r.response())
                except socket.timeout:
                    out.append("timeout")
                except (EOFError, OSError):   # closed before or while this was sent
                    out.append("none")
    finally:
        s.close()
    print(" ".join(out))


def frame(op, data):
    """A client frame: masked, as RFC 6455 requires."""
    mask = os.urandom(4)
    n = len(data)
    head = bytes([128 | op]) + (bytes([128 | n]) if n < 126 else bytes([254]) + struct.pack(">H", n))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def read_frame(r):
    hdr = r.take(2)
    n = hdr[1] & 127
    if n == 126:
        n = struct.unpack(">H", r.take(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", r.take(8))[0]
    return hdr[0] & 15, r.take(n)


def ws(port, addr, cookie, path):
    s = connect(port, addr)
    r = Reader(s)
    try:
        s.sendall(("GET /cgi-bin/app/ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n"
                   "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n" % (port, cookie)).encode())
        status = r.response()
        if status != "101":
            print("handshake answered %s" % status)
            return
        s.sendall(frame(1, b"before"))
        if read_frame(r) != (1, b"before"):
            print("echo mismatch")
            return
        print("echo ok")
        wait_for(path)
        start, echoes, k = time.time(), 0, 0
        s.settimeout(1)
        while time.time() < start + 30:
            try:
                s.sendall(frame(1, b"after %d" % k))
                k += 1
                while True:         # every echo that comes within a second
                    op, data = read_frame(r)
                    if op == 1 and data.startswith(b"after "):
                        echoes += 1
            except socket.timeout:
                continue
            except (EOFError, OSError):
                print("closed after %d s" % int(time.time() - start))
                break
        else:
            print("open after 30 s")
        print("echoes after: %d" % echoes)
    finally:
        s.close()


def main():
    port, addr = int(sys.argv[2]), sys.argv[3]
    if sys.argv[1] == "http":
        http(port, addr, sys.argv[4:])
    else:
        ws(port, addr, sys.argv[4], sys.argv[5])


if __name__ == "__main__":
    main()
