#!/usr/bin/env python3
"""Load and process figures for tests/reliability_test.sh and make soak.

    loadgen.py load BASE COOKIE CLIENTS SECONDS [MAXREQ] [keepalive] [post,big,chunked]
    loadgen.py procs ROOTPID MARKER

load: CLIENTS threads send requests through the gateway at BASE (with the
session COOKIE "name=value") for SECONDS, at most MAXREQ in all. Each
request carries a unique id and each answer is checked against it:
  GET  /cgi-bin/app/echo/<id>         JSON whose target is /echo/<id>
  POST /cgi-bin/app/echo/<id>         the same, plus body length and sha256
  GET  /cgi-bin/app/big?bytes=N&i=<id> exactly N bytes of the app's pattern
  GET  /cgi-bin/app/chunked?n=K&i=<id> K chunk lines
An explicit 503 (a configured cap) counts as "busy", not as an error;
anything else (reset, timeout, short body, other status, wrong body) is an
error. Clients start 20 ms apart (see the ramp below). Prints one JSON line; exit 0 when there was no error.

procs: the processes under ROOTPID (sh_login) plus any whose command line
holds MARKER (orphans: a CGI whose httpd is gone); one JSON line with the
count, zombies, fds and RSS of each, by role.
"""
import hashlib
import http.client
import json
import os
import random
import socket
import sys
import threading
import time

PATTERN = bytes(range(256)) * 256


def load(base, cookie, clients, seconds, maxreq, keepalive, kinds):
    host, port = base.split("//", 1)[1].split(":")
    port = int(port)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    st = {"requests": 0, "ok": 0, "busy": 0, "errors": 0, "kinds": {}, "examples": [],
          "latency_max_s": 0.0}
    seq = [0]

    def take():
        with lock:
            if seq[0] >= maxreq or time.monotonic() >= deadline:
                return None
            seq[0] += 1
            return seq[0]

    def note(kind, detail):
        with lock:
            st["requests"] += 1
            if kind == "ok":
                st["ok"] += 1
            elif kind == "busy":
                st["busy"] += 1
            else:
                st["errors"] += 1
                st["kinds"][kind] = st["kinds"].get(kind, 0) + 1
                if len(st["examples"]) < 8:
                    st["examples"].append("%s: %s" % (kind, detail))

    def one(conn, n, rnd, ctx):
        uid = "%d-%d-%x" % (os.getpid(), n, rnd.getrandbits(40))
        kind = kinds[n % len(kinds)]
        headers = {"Cookie": cookie, "Host": "127.0.0.1:%d" % port}
        if not keepalive:
            headers["Connection"] = "close"
        body = None
        if kind == "post":
            body = rnd.randbytes(rnd.choice((0, 17, 4096, 70000, 300000)))
            path = "/cgi-bin/app/echo/" + uid
            headers["Content-Type"] = "application/octet-stream"
            conn.request("POST", path, body=body, headers=headers)
        elif kind == "big":
            size = rnd.choice((1, 65536, 1000000))
            path = "/cgi-bin/app/big?bytes=%d&i=%s" % (size, uid)
            conn.request("GET", path, headers=headers)
        elif kind == "chunked":
            k = rnd.randint(1, 50)
            path = "/cgi-bin/app/chunked?n=%d&i=%s" % (k, uid)
            conn.request("GET", path, headers=headers)
        else:
            path = "/cgi-bin/app/echo/" + uid
            conn.request("GET", path, headers=headers)
        ctx["what"] = "%s %s (%d body bytes)" % ("POST" if body is not None else "GET", path,
                                                 len(body or b""))
        r = conn.getresponse()
        data = r.read()
        if r.status == 503 and (r.getheader("Retry-After") or b"cap" in data):
            return "busy", ""
        if r.status != 200:
            return "status_%d" % r.status, "%s %s" % (path, data[:120])
        if kind in ("get", "post"):
            info = json.loads(data)
            if info["target"] != "/echo/" + uid:
                return "mismatch", "%s got %s" % (uid, info["target"])
            if kind == "post" and (info["body_length"] != len(body) or
                                   info["body_sha256"] != hashlib.sha256(body).hexdigest()):
                return "mismatch", "%s body %d/%d" % (uid, info["body_length"], len(body))
        elif kind == "big":
            want = (PATTERN * (size // len(PATTERN) + 1))[:size]
            if data != want:
                return "mismatch", "%s big %d/%d" % (uid, len(data), size)
        elif kind == "chunked":
            if data != b"".join(b"chunk %d\n" % i for i in range(k)):
                return "mismatch", "%s chunked %d" % (uid, len(data))
        return "ok", ""

    def worker(wid):
        rnd = random.Random(wid * 7919 + os.getpid())
        conn = None
        while True:
            n = take()
            if n is None:
                break
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=30)
            t0 = time.monotonic()
            ctx = {"what": "?"}
            try:
                kind, detail = one(conn, n, rnd, ctx)
            except socket.timeout as e:
                kind, detail = "timeout", str(e)
            except http.client.IncompleteRead as e:
                kind, detail = "truncated", repr(e)[:120]
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected) as e:
                kind, detail = "reset", repr(e)[:120]
            except Exception as e:  # anything else is an error too, never hidden
                kind, detail = type(e).__name__, repr(e)[:120]
            if kind not in ("ok", "busy"):
                detail = "%s: %s" % (ctx["what"], detail)
            dt = time.monotonic() - t0
            with lock:
                st["latency_max_s"] = max(st["latency_max_s"], round(dt, 3))
            note(kind, detail)
            if not keepalive or kind != "ok":
                conn.close()
                conn = None
        if conn is not None:
            conn.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    # Clients arrive over a short ramp (20 ms apart), not in one instant:
    # busybox httpd listens with a hard-coded backlog of 9, and a burst of
    # dozens of simultaneous connects beyond it gets some of them reset
    # before httpd even sees them (measured here; nothing the CGIs can do).
    for t in threads:
        t.start()
        time.sleep(0.02)
    for t in threads:
        t.join(seconds + 120)
    st["stuck_clients"] = sum(t.is_alive() for t in threads)
    st["errors"] += st["stuck_clients"]
    st["seconds"] = round(time.monotonic() - t0, 1)
    print(json.dumps(st, sort_keys=True))
    return 0 if st["errors"] == 0 else 1


def procs(root, marker):
    table = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        rest = stat[stat.rindex(")") + 2:].split()
        table[int(d)] = (int(rest[1]), rest[0], cmd)
    tree = _descendants(table, root)
    keep = set(tree)
    keep |= {p for p, (_, _, c) in table.items() if marker and marker in c and p != os.getpid()}
    out = {"procs": 0, "zombies": 0, "orphans": 0, "roles": {}}
    for p in sorted(keep):
        if p not in table:
            continue
        pp, state, cmd = table[p]
        role = ("httpd" if " httpd " in cmd else "relay" if " relay " in cmd else
                "cgi" if "/cgi-bin/" in cmd else "upstream" if "upstream.py" in cmd else
                "sh_login" if "sh_login" in cmd else "other")
        try:
            fds = len(os.listdir("/proc/%d/fd" % p))
            with open("/proc/%d/status" % p) as f:
                rss = next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
        except OSError:
            fds, rss = 0, 0
        out["procs"] += 1
        out["zombies"] += state == "Z"
        if p not in tree:
            out["orphans"] += 1
        r = out["roles"].setdefault(role, {"n": 0, "fds": 0, "rss_kb": 0, "fds_max": 0})
        r["n"] += 1
        r["fds"] += fds
        r["fds_max"] = max(r["fds_max"], fds)
        r["rss_kb"] += rss
    print(json.dumps(out, sort_keys=True))
    return 0


def _descendants(table, root):
    keep, frontier = set(), {root}
    while frontier:
        keep |= frontier
        frontier = {p for p, (pp, _, _) in table.items() if pp in frontier and p not in keep}
    return keep


def main():
    if sys.argv[1] == "load":
        a = sys.argv[2:]
        base, cookie, clients, seconds = a[0], a[1], int(a[2]), float(a[3])
        maxreq = int(a[4]) if len(a) > 4 else 10 ** 9
        keepalive = len(a) > 5 and a[5] == "keepalive"
        kinds = (a[6] if len(a) > 6 else "get,post,big,chunked").split(",")
        return load(base, cookie, clients, seconds, maxreq, keepalive, kinds)
    if sys.argv[1] == "procs":
        return procs(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "")
    print(__doc__, file=sys.stderr)
    return 100


if __name__ == "__main__":
    sys.exit(main())
