#!/usr/bin/env python3
"""A small real upstream app for the tests: an HTTP/1.1 server on a TCP port
or a unix socket that reports exactly what reached it.

    upstream.py tcp PORT | unix PATH

Routes (any method):
  /echo...          JSON: method, raw target, headers (in order), body length + sha256
  /redirect?to=X    302 with Location: X (and code=N for another status)
  /cookies          sets three cookies, one of them with Path=/
  /status/N         answers status N with no body (for 204, 304) or a short one
  /big?bytes=N      N bytes (a repeating pattern) with Content-Length, streamed
  /chunked?n=K      K chunks, chunked transfer coding (&hold=S: then S s without closing)
  /sse?n=K&gap=S    K server-sent events S seconds apart, then close
  /slow?s=S         waits S seconds, then answers
  /die?after=N      sends a head promising more, N bytes of body, then drops
                    (&chunked=1: chunked coding, the final chunk never comes)
  /raw?hex=H        writes the bytes H (hex) as the whole answer, then closes
  /interim?codes=L  1xx interim responses (comma list, e.g. 100,103), then 200
  /badhead?kind=K   a response head that cannot be relayed (RAW_HEADS), then close
  /extra            Content-Length: 5 but 12 body bytes, connection kept open
  /cached           an HTML page the browser may keep a day (Cache-Control
                    max-age=86400, Expires a day ahead), with the time it
                    was served: a cached copy shows an older one
  /ws               WebSocket echo (RFC 6455: text, binary, ping, close)
  /closenext...     echoes, then the next request on the same connection is
                    read whole, logged with " DROPPED" and left unanswered:
                    the connection closes (an app whose keep-alive timer
                    fires as a request arrives, or that dies on it)
  /idleclose?s=S... echoes, then closes the connection when no request
                    follows within S seconds, without having said so
Every request's method and target is appended to $UPSTREAM_LOG when set
(with " SHORT-BODY got/declared" when the body ended before its Content-Length).
"""
import base64
import email.utils
import hashlib
import json
import struct
import os
import socket
import socketserver
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATTERN = bytes(range(256)) * 256  # 64 KiB

# Heads no gateway can relay faithfully: each must become a 502.
RAW_HEADS = {
    "garbage": b"hello there\r\n\r\n",
    "nocolon": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nNo colon here\r\n\r\nok",
    "fold": b"HTTP/1.1 200 OK\r\nX-A: one\r\n  folded\r\nContent-Length: 2\r\n\r\nok",
    "status": b"HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok",
    "ctl": b"HTTP/1.1 200 OK\r\nX-A: a\x01b\r\nContent-Length: 2\r\n\r\nok",
    "space": b"HTTP/1.1 200 OK\r\nX-A : b\r\nContent-Length: 2\r\n\r\nok",
    "badlength": b"HTTP/1.1 200 OK\r\nContent-Length: 2x\r\n\r\nok",
    "twolengths": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok!",
    "switching": b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    "http2": b"HTTP/2 200\r\n\r\n",
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "upstream-test/1"

    def log_message(self, fmt, *args):  # quiet: tests read the answers
        pass

    def address_string(self):
        return "unix" if not self.client_address else str(self.client_address[0])

    def _body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        n = self.headers.get("Content-Length")
        if n is None:
            return b""
        return self.rfile.read(int(n))

    def _send(self, code, body=b"", ctype="text/plain", extra=()):
        self.send_response(code)
        for k, v in extra:
            self.send_header(k, v)
        if code not in (204, 304) and self.command != "HEAD":
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        elif code not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and code not in (204, 304) and self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(url.query)
        arg = lambda k, d: q.get(k, [d])[0]
        body = self._body()
        dropped = getattr(self, "drop_next", False)
        if os.environ.get("UPSTREAM_LOG"):
            declared = self.headers.get("Content-Length")
            short = declared is not None and declared.isdigit() and len(body) < int(declared)
            with open(os.environ["UPSTREAM_LOG"], "a") as log:
                log.write("%s %s%s%s\n" % (self.command, self.path,
                                           " SHORT-BODY %d/%s" % (len(body), declared) if short else "",
                                           " DROPPED" if dropped else ""))
        if dropped:
            self.close_connection = True
            return
        p = url.path
        if p.startswith("/cgi-bin/app/"):  # the gateway kept its prefix
            p = p[len("/cgi-bin/app"):]
        if p.startswith("/closenext"):
            self.drop_next = True  # this handler serves this one connection
        elif p.startswith("/idleclose"):
            self.connection.settimeout(float(arg("s", "0.5")))  # the next request's wait
        if p == "/ws" and self.headers.get("Upgrade", "").lower() == "websocket":
            return self.websocket_echo()
        if p.startswith("/redirect"):
            self._send(int(arg("code", "302")), extra=[("Location", arg("to", "/"))])
        elif p == "/cached":  # an app UI that tells browsers to keep it a day
            served = "%.6f" % time.time()
            self._send(200, ("<!doctype html><title>cached app page</title>"
                             "<h1>cached app page</h1><p id=served>%s</p>\n" % served).encode(),
                       ctype="text/html; charset=utf-8",
                       extra=[("Cache-Control", "max-age=86400"),
                              ("Expires", email.utils.formatdate(time.time() + 86400, usegmt=True))])
        elif p == "/cookies":
            self._send(200, b"cookies\n", extra=[
                ("Set-Cookie", "one=1; Path=/"),
                ("Set-Cookie", "two=2; Path=/sub; HttpOnly"),
                ("Set-Cookie", "three=3"),
            ])
        elif p.startswith("/status/"):
            code = int(p.rsplit("/", 1)[1])
            self._send(code, b"" if code in (204, 304) else b"status\n")
        elif p == "/big":
            n = int(arg("bytes", "0"))
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            while n > 0:
                k = min(n, len(PATTERN))
                self.wfile.write(PATTERN[:k])
                n -= k
        elif p == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(int(arg("n", "3"))):
                data = ("chunk %d\n" % i).encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            time.sleep(float(arg("hold", "0")))  # a broken app: no close
        elif p == "/sse":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            for i in range(int(arg("n", "3"))):
                self.wfile.write(("data: event %d %.3f\n\n" % (i, time.time())).encode())
                self.wfile.flush()
                time.sleep(float(arg("gap", "0.5")))
            self.close_connection = True
        elif p == "/slow":
            time.sleep(float(arg("s", "1")))
            self._send(200, b"slow\n")
        elif p == "/raw":  # &pad=N: an N-byte X-Pad header after the status line
            raw = bytes.fromhex(arg("hex", ""))
            pad = int(arg("pad", "0"))
            if pad and b"\r\n" in raw:
                raw = raw.replace(b"\r\n", b"\r\nX-Pad: " + b"a" * pad + b"\r\n", 1)
            self.wfile.write(raw)
            self.wfile.flush()
            self.close_connection = True
        elif p == "/die":
            chunked = arg("chunked", "") == "1"
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", "1000000")
            self.end_headers()
            data = PATTERN[: int(arg("after", "100"))]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif p == "/interim":
            for code in arg("codes", "100").split(","):
                self.wfile.write(b"HTTP/1.1 %s Interim\r\nLink: </x.css>; rel=preload\r\n\r\n"
                                 % code.encode())
                self.wfile.flush()
            self._send(200, b"final\n", extra=[("X-Final", "yes")])
        elif p == "/badhead":
            self.wfile.write(RAW_HEADS[arg("kind", "garbage")])
            self.wfile.flush()
            self.close_connection = True
        elif p == "/extra":
            # a broken app: more bytes than it announced, and no close
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, extra")
            self.wfile.flush()
            time.sleep(float(arg("hold", "10")))
        else:
            info = {
                "method": self.command,
                "target": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body_length": len(body),
                "body_sha256": hashlib.sha256(body).hexdigest(),
            }
            self._send(200, (json.dumps(info, indent=1) + "\n").encode(), "application/json")

    def websocket_echo(self):
        key = self.headers["Sec-WebSocket-Key"]
        accept = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        rf, wf = self.rfile, self.wfile
        while True:
            hdr = rf.read(2)
            if len(hdr) < 2:
                return
            op, n = hdr[0] & 15, hdr[1] & 127
            if n == 126:
                n = struct.unpack(">H", rf.read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", rf.read(8))[0]
            mask = rf.read(4) if hdr[1] & 128 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(rf.read(n)))
            if op == 8:  # close: answer and end
                wf.write(b"\x88\x00")
                wf.flush()
                self.close_connection = True
                return
            if op == 9:  # ping -> pong
                op = 10
            if len(data) < 126:
                head = bytes([128 | op, len(data)])
            elif len(data) < 65536:
                head = bytes([128 | op, 126]) + struct.pack(">H", len(data))
            else:
                head = bytes([128 | op, 127]) + struct.pack(">Q", len(data))
            wf.write(head + data)
            wf.flush()

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = handle_any


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    kind, where = sys.argv[1], sys.argv[2]
    # a real app's listen backlog (socketserver's default of 5 drops
    # connections under the load tests, which no real app server does)
    ThreadingHTTPServer.request_queue_size = UnixServer.request_queue_size = 128
    if kind == "tcp":
        ThreadingHTTPServer.daemon_threads = True
        srv = ThreadingHTTPServer(("127.0.0.1", int(where)), Handler)
    else:
        if os.path.exists(where):
            os.unlink(where)
        srv = UnixServer(where, Handler)
    srv.serve_forever()


if __name__ == "__main__":
    main()
