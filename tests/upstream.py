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
  /chunked?n=K      K chunks, chunked transfer coding
  /sse?n=K&gap=S    K server-sent events S seconds apart, then close
  /slow?s=S         waits S seconds, then answers
  /die?after=N      sends a head promising more, N bytes of body, then drops
"""
import hashlib
import json
import os
import socket
import socketserver
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATTERN = bytes(range(256)) * 256  # 64 KiB


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "upstream-test/1"

    def log_message(self, fmt, *args):  # quiet: tests read the answers
        pass

    def address_string(self):
        return "unix" if not self.client_address else str(self.client_address[0])

    def _body(self):
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
        p = url.path
        if p.startswith("/cgi-bin/app/"):  # the gateway kept its prefix
            p = p[len("/cgi-bin/app"):]
        if p.startswith("/redirect"):
            self._send(int(arg("code", "302")), extra=[("Location", arg("to", "/"))])
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
        elif p == "/die":
            self.send_response(200)
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            self.wfile.write(PATTERN[: int(arg("after", "100"))])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        else:
            info = {
                "method": self.command,
                "target": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body_length": len(body),
                "body_sha256": hashlib.sha256(body).hexdigest(),
            }
            self._send(200, (json.dumps(info, indent=1) + "\n").encode(), "application/json")

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = handle_any


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    kind, where = sys.argv[1], sys.argv[2]
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
