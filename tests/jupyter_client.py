#!/usr/bin/python3
"""jupyter_client.py BASE COOKIE MB: drive a real Jupyter Notebook behind the
gateway the way its web UI does, through Debian's python3 (websockets):

  1. GET BASE/tree for Jupyter's _xsrf cookie (its CSRF defence stays on),
  2. PUT BASE/api/contents/big.ipynb: a notebook of about MB megabytes,
  3. GET it back and compare,
  4. POST BASE/api/kernels: start a kernel,
  5. WebSocket BASE/api/kernels/ID/channels: run print(6*7), expect "42",
  6. DELETE the kernel.

BASE is like http://127.0.0.1:PORT/cgi-bin/app; COOKIE the gateway's
"name=value". Prints one line per step; exit 0 when all passed."""
import asyncio
import json
import sys
import urllib.request
import uuid

import websockets

base, session, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
cookies = {}


def request(method, path, body=None):
    req = urllib.request.Request(base + path, data=body, method=method)
    jar = "; ".join([session] + ["%s=%s" % kv for kv in cookies.items()])
    req.add_header("Cookie", jar)
    if "_xsrf" in cookies:
        req.add_header("X-XSRFToken", cookies["_xsrf"])
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        for h in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = h.partition("=")
            cookies[name.strip()] = rest.split(";")[0]
        return r.status, r.read()


def main():
    status, _ = request("GET", "/tree")
    print("tree %d xsrf=%s" % (status, "yes" if "_xsrf" in cookies else "no"))
    text = "x" * 1000 + "\n"
    lines = [text] * int(mb * 1000)
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
          "cells": [{"cell_type": "markdown", "id": "big", "metadata": {}, "source": lines}]}
    body = json.dumps({"type": "notebook", "format": "json", "content": nb}).encode()
    status, _ = request("PUT", "/api/contents/big.ipynb", body)
    print("put %d bytes=%d" % (status, len(body)))
    status, got = request("GET", "/api/contents/big.ipynb?content=1")
    back = json.loads(got)["content"]["cells"][0]["source"]
    print("get %d same=%s" % (status, "".join(back) == "".join(lines)))
    status, got = request("POST", "/api/kernels", b"{}")
    kid = json.loads(got)["id"]
    print("kernel %d" % status)
    result = asyncio.run(run_cell(kid))
    print("cell %s" % result)
    status, _ = request("DELETE", "/api/kernels/" + kid)
    print("delete %d" % status)


async def run_cell(kid):
    url = base.replace("http://", "ws://") + "/api/kernels/%s/channels?session_id=%s" % (kid, uuid.uuid4().hex)
    host = base.split("/")[2]
    jar = "; ".join([session] + ["%s=%s" % kv for kv in cookies.items()])
    async with websockets.connect(url, extra_headers={"Cookie": jar}, origin="http://" + host,
                                  open_timeout=30, max_size=2**24) as ws:
        msg_id = uuid.uuid4().hex
        await ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": "print(6*7)", "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out, reply, idle = "", None, False
        # iopub (output, then idle) and shell (the reply) are not ordered
        while reply is None or not idle:
            m = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "stream":
                out += m["content"]["text"]
            elif m["msg_type"] == "execute_reply":
                reply = m["content"]["status"]
            elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                idle = True
        return "%s output=%r" % (reply, out)


try:
    main()
except Exception as e:  # the suite asserts on what was printed
    print("error %s: %s" % (type(e).__name__, e))
    sys.exit(1)
