#!/usr/bin/env python3
"""frontdoor.py - a stranger's attacks on the gateway, from other loopback
addresses (tests/frontdoor_test.sh).

  frontdoor.py attack PORT SECONDS FIRST LAST
      From 127.0.0.FIRST..LAST at once, for SECONDS: per address 12 half
      heads (a request line, then silence; renewed when the gateway closes
      them), 2 heads sent a byte a second, 2 POSTs to the app without a
      session whose 1 MB body comes a byte a second, and 5 wrong tokens
      (40 in all for 8 addresses). Prints one line of counts.
  frontdoor.py tokens PORT FIRST LAST N [NET]
      N wrong tokens from each of NETFIRST..NETLAST (NET: "127.0.0."), in
      turns; prints the counts of 403 and 429 ("token_403=20 token_429=20").
  frontdoor.py slowlogin PORT ADDR N SECONDS
      N login POSTs from ADDR at once, each sending its head, then its
      64-byte body a byte a second; prints how many got which answer
      within SECONDS and the slowest answer ("408 16 slowest 4.2"; held:
      no answer yet).
  frontdoor.py hold PORT ADDR N SECONDS DATA
      N connections from ADDR that each send DATA (\\r\\n escapes) and wait;
      prints how many got which answer within SECONDS ("503 14 held 16";
      held: no answer yet, or 408 at the head deadline).
  frontdoor.py spread PORT NET FIRST LAST SECONDS DATA [PER [READY]]
      As hold, but PER connections (default 1) from each of
      NET.FIRST..NET.LAST (127.0.1.1..127.0.1.64: many addresses);
      "closed" counts connections the gateway ended without an answer.
      READY: a file created once every connection is made and sent.
  frontdoor.py dribble PORT ADDR SECONDS PREFIX DATA
      Sends PREFIX at once, then DATA a byte a second, from ADDR; prints
      "answered STATUS AFTER_S" (seconds since the first byte of DATA)
      when the gateway answers or closes, "open" if it still waits after
      SECONDS.
  frontdoor.py split PORT ADDR SECONDS LINE_S LINE REST
      Sends LINE spread evenly over LINE_S seconds (to httpd: its part of
      the head deadline), then REST a byte every 0.25 s (to whoever has
      the connection then), from ADDR; prints "answered STATUS AFTER_S
      STATUS-LINE" (seconds since the first byte) when the gateway
      answers, "open" if it still waits after SECONDS.
Loopback only; every socket is closed and every thread joined before exit.
"""
import socket
import sys
import threading
import time
import urllib.parse


def connect(port, addr, timeout=5):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((addr, 0))
    s.connect(("127.0.0.1", port))
    return s


def status_of(data):
    line = data.split(b"\r\n", 1)[0].split()
    return line[1].decode() if len(line) > 1 and data.startswith(b"HTTP/") else "closed"


def unescape(s):
    return s.encode("latin-1").decode("unicode_escape").encode("latin-1")


class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.n = {}

    def add(self, key):
        with self.lock:
            self.n[key] = self.n.get(key, 0) + 1

    def line(self):
        with self.lock:
            return " ".join("%s=%d" % kv for kv in sorted(self.n.items()))


def half_heads(port, addr, until, counts):
    """One connection slot: send a request line, wait; renew when closed."""
    while time.time() < until:
        try:
            s = connect(port, addr)
        except OSError:
            counts.add("half_connect_failed")
            time.sleep(0.2)
            continue
        pause = 0.2
        try:
            s.sendall(b"GET /cgi-bin/app/x HTTP/1.1\r\n")
            counts.add("half_sent")
            s.settimeout(max(0.1, until - time.time()))
            st = status_of(s.recv(4096))
            counts.add("half_answered_" + st)
            if st == "503":
                pause = 1.0      # as Retry-After says; a flood of connects is not this test's attack
        except socket.timeout:
            pass
        except OSError:
            counts.add("half_reset")
        finally:
            s.close()
        time.sleep(pause)


def trickle(port, addr, until, counts, kind, head, byte_source):
    """Connections that send HEAD at once, then a byte a second from
    BYTE_SOURCE, until the gateway answers; renewed until UNTIL."""
    while time.time() < until:
        try:
            s = connect(port, addr)
        except OSError:
            counts.add(kind + "_connect_failed")
            time.sleep(0.2)
            continue
        try:
            s.sendall(head)
            s.settimeout(1.0)
            for b in byte_source():
                if time.time() >= until:
                    break
                s.sendall(bytes([b]))
                try:
                    counts.add(kind + "_answered_" + status_of(s.recv(4096)))
                    break
                except socket.timeout:
                    pass
        except OSError:
            counts.add(kind + "_reset")
        finally:
            s.close()
        time.sleep(0.5)


def dribble_head(port, addr, until, counts):
    data = b"GET /cgi-bin/app/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 200
    trickle(port, addr, until, counts, "dribble", b"", lambda: data)


def slow_body(port, addr, until, counts):
    head = (b"POST /cgi-bin/app/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/octet-stream\r\nContent-Length: 1000000\r\n\r\n")
    trickle(port, addr, until, counts, "body", head, lambda: b"x" * 1000000)


def wrong_tokens(port, addr, n, until, counts):
    """N wrong tokens, each retried until answered: the stranger's own
    connections may fill his share."""
    for i in range(n):
        wrong_tokens_once(port, addr, str(i), until, counts)
        time.sleep(0.2)


def wrong_tokens_once(port, addr, tag, until, counts):
    """One wrong token, retried (up to 10 tries) until the login answers it."""
    body = urllib.parse.urlencode({"token": "wrong-%s-%s" % (addr, tag)}).encode()
    req = (b"POST /cgi-bin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
           b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    for _ in range(10):
        if time.time() >= until:
            return
        st = "failed"
        try:
            s = connect(port, addr)
            s.sendall(req)
            st = status_of(s.recv(4096))
            s.close()
        except OSError:
            pass
        if st in ("403", "429"):
            counts.add("token_" + st)
            break
        counts.add("token_retried_" + st)
        time.sleep(0.3)


def attack(port, seconds, first, last):
    until = time.time() + seconds
    counts = Counts()
    threads = []
    for k in range(first, last + 1):
        addr = "127.0.0.%d" % k
        jobs = [(half_heads, ())] * 12 + [(dribble_head, ())] * 2 + [(slow_body, ())] * 2
        jobs.append((wrong_tokens, (5,)))
        for fn, extra in jobs:
            if fn is wrong_tokens:
                t = threading.Thread(target=fn, args=(port, addr) + extra + (until, counts))
            else:
                t = threading.Thread(target=fn, args=(port, addr, until, counts))
            t.start()
            threads.append(t)
            time.sleep(0.015)    # strangers ramp up over ~2 s, as connections do
    for t in threads:
        t.join(seconds + 10)
    print(counts.line())


def tokens(port, first, last, n, net="127.0.0."):
    counts = Counts()
    for i in range(n):
        for k in range(first, last + 1):
            wrong_tokens_once(port, "%s%d" % (net, k), "%d-%d" % (k, i), time.time() + 30, counts)
    print(counts.line())


def slow_login(port, addr, until, counts, slowest):
    body = b"token=wrong-" + b"x" * 52
    head = (b"POST /cgi-bin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(body))
    start = time.time()
    st = "held"
    try:
        s = connect(port, addr)
    except OSError:
        counts.add("connect_failed")
        return
    try:
        s.sendall(head)
        s.settimeout(1.0)
        for b in body:
            if time.time() >= until:
                break
            try:
                s.sendall(bytes([b]))
            except OSError:
                st = "closed"
                break
            try:
                st = status_of(s.recv(4096))
                break
            except socket.timeout:
                pass
    except OSError:
        st = "reset"
    finally:
        s.close()
    counts.add(st)
    if st != "held":
        with counts.lock:
            slowest[0] = max(slowest[0], time.time() - start)


def slowlogin(port, addr, n, seconds):
    counts, slowest = Counts(), [0.0]
    until = time.time() + seconds
    threads = [threading.Thread(target=slow_login, args=(port, addr, until, counts, slowest))
               for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 10)
    print(" ".join("%s %d" % kv for kv in sorted(counts.n.items())) + " slowest %.1f" % slowest[0])


def hold(port, addr, n, seconds, data):
    hold_from(port, [addr] * n, seconds, data)


def hold_from(port, addrs, seconds, data, ready=None):
    socks = []
    for addr in addrs:
        try:
            s = connect(port, addr)
            s.sendall(data)
            socks.append(s)
        except OSError:
            pass
    if ready:
        open(ready, "w").close()
    by = {}
    deadline = time.time() + seconds
    for s in socks:
        s.settimeout(max(0.01, deadline - time.time()))
        try:
            st = status_of(s.recv(4096))
        except socket.timeout:
            st = "held"
        except OSError:
            st = "reset"
        if st == "408":
            st = "held"      # held until the head deadline
        by[st] = by.get(st, 0) + 1
    for s in socks:
        s.close()
    print(" ".join("%s %d" % kv for kv in sorted(by.items())))


def trickle_steps(port, addr, seconds, prefix, steps, show_line):
    """Send PREFIX, then each (byte, pause) step, reading after each: prints
    "answered STATUS SECONDS" (with the status line when SHOW_LINE),
    "answered closed SECONDS", or "open" after SECONDS."""
    s = connect(port, addr)
    start = time.time()
    try:
        if prefix:
            s.sendall(prefix)
        for b, pause in steps:
            if time.time() - start >= seconds:
                break
            try:
                s.sendall(b)
            except OSError:
                print("answered closed %.1f" % (time.time() - start))
                return
            s.settimeout(pause)
            try:
                got = s.recv(4096)
                line = " " + got.split(b"\r\n", 1)[0].decode("latin-1") if show_line else ""
                print("answered %s %.1f%s" % (status_of(got), time.time() - start, line))
                return
            except socket.timeout:
                pass
        print("open")
    finally:
        s.close()


def dribble(port, addr, seconds, prefix, data):
    trickle_steps(port, addr, seconds, prefix, [(bytes([b]), 1.0) for b in data], False)


def split(port, addr, seconds, line_s, line, rest):
    steps = [(bytes([b]), line_s / len(line)) for b in line] + [(bytes([b]), 0.25) for b in rest]
    trickle_steps(port, addr, seconds, b"", steps, True)


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "attack":
        attack(port, float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "tokens":
        tokens(port, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), *sys.argv[6:7])
    elif cmd == "slowlogin":
        slowlogin(port, sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    elif cmd == "hold":
        hold(port, sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), unescape(sys.argv[6]))
    elif cmd == "spread":
        net, first, last = sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        per = int(sys.argv[8]) if len(sys.argv) > 8 else 1
        hold_from(port, ["%s.%d" % (net, k) for k in range(first, last + 1) for _ in range(per)],
                  float(sys.argv[6]), unescape(sys.argv[7]), sys.argv[9] if len(sys.argv) > 9 else None)
    elif cmd == "split":
        split(port, sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), unescape(sys.argv[6]),
              unescape(sys.argv[7]))
    elif cmd == "dribble":
        dribble(port, sys.argv[3], float(sys.argv[4]), unescape(sys.argv[5]), unescape(sys.argv[6]))
    else:
        sys.exit("usage: frontdoor.py attack|tokens|slowlogin|hold|spread|dribble|split PORT ...")


if __name__ == "__main__":
    main()
