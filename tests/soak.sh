#!/bin/sh
# tests/soak.sh - make soak: a longer load through the CGI path and the
# relay (SOAK_SECONDS each, default 150; SOAK_CLIENTS, default 32), with the
# release build of the CGIs. Samples the gateway's processes every 2 s and
# prints, per path: requests, answers of the app, 503s, errors, and peak
# process count, RSS and fds (httpd, relay, all). Exit 1 on any error or a
# process, fd or zombie left behind. Loopback only; bounded in time.
# SOAK_PATHS="cgi" or "relay" runs one path only.
set -u
SOAK_SECONDS=${SOAK_SECONDS:-150}
SOAK_CLIENTS=${SOAK_CLIENTS:-32}
export SH_LOGIN_CGI="${SH_LOGIN_CGI:-$(cd "$(dirname "$0")/.." && pwd)/build/sh_login-cgi}"
status=0

fail() { echo "soak: $*" >&2; status=1; }
assertEquals() { [ "$2" = "$3" ] || fail "$1: expected $2, got $3"; }

for GATEWAY in ${SOAK_PATHS:-cgi relay}; do
	SH_LOGIN_BUSYBOX=
	. "$(dirname "$0")/lib.sh"
	if [ "$GATEWAY" = relay ] && [ ! -x "$SH_LOGIN_BUSYBOX" ]; then
		echo "soak relay: skipped (no $SH_LOGIN_BUSYBOX: make busybox)"
		rm -rf "$WORK"
		continue
	fi
	start_upstream tcp
	start_gateway --port "$UP_PORT" --timeout 30 || { cleanup_all; continue; }
	login
	cookie="$(jar_cookie_name)=$(jar_session)"
	ka=close
	[ "$GATEWAY" != relay ] || ka=keepalive
	idle=$(python3 "$TOP/tests/loadgen.py" procs "$GW_PID" "$STATE")
	python3 "$TOP/tests/loadgen.py" load "$BASE" "$cookie" "$SOAK_CLIENTS" "$SOAK_SECONDS" 100000000 "$ka" \
		>"$WORK/load.out" &
	load=$!
	: >"$WORK/samples"
	while kill -0 "$load" 2>/dev/null; do
		python3 "$TOP/tests/loadgen.py" procs "$GW_PID" "$STATE" >>"$WORK/samples"
		sleep 2
	done
	wait "$load"
	sleep 3
	after=$(python3 "$TOP/tests/loadgen.py" procs "$GW_PID" "$STATE")
	python3 - "$GATEWAY" "$SOAK_CLIENTS" "$WORK/load.out" "$WORK/samples" "$idle" "$after" <<'PY' || status=1
import json, sys
path, clients, load, samples, idle, after = sys.argv[1:7]
r = json.load(open(load))
s = [json.loads(l) for l in open(samples) if l.strip()]
idle, after = json.loads(idle), json.loads(after)
def role(j, k, f):
    return j["roles"].get(k, {}).get(f, 0)
peak = lambda f: max([f(x) for x in s] or [0])
print("soak %s: %s clients, %.0f s: %d requests (%.0f/s), %d app answers, %d 503, %d errors %s"
      % (path, clients, r["seconds"], r["requests"], r["requests"] / r["seconds"], r["ok"], r["busy"],
         r["errors"], r["kinds"] or ""))
print("  peak: %d processes; RSS all %d KiB, httpd %d KiB (parent idle %d), relay %d KiB (parent idle %d);"
      " fds httpd parent %d, relay parent %d, all %d; max latency %.2f s"
      % (peak(lambda x: x["procs"]), peak(lambda x: sum(v["rss_kb"] for v in x["roles"].values())),
         peak(lambda x: role(x, "httpd", "rss_kb")), role(idle, "httpd", "rss_kb"),
         peak(lambda x: role(x, "relay", "rss_kb")), role(idle, "relay", "rss_kb"),
         role(after, "httpd", "fds_max"), role(after, "relay", "fds_max"),
         peak(lambda x: sum(v["fds"] for v in x["roles"].values())), r["latency_max_s"]))
print("  after: %d processes (idle %d), %d zombies, httpd fds %d (idle %d), relay fds %d (idle %d)"
      % (after["procs"], idle["procs"], after["zombies"], role(after, "httpd", "fds"), role(idle, "httpd", "fds"),
         role(after, "relay", "fds"), role(idle, "relay", "fds")))
ok = (r["errors"] == 0 and after["zombies"] == 0 and after["procs"] <= idle["procs"] and
      role(after, "httpd", "fds") <= role(idle, "httpd", "fds") and
      role(after, "relay", "fds") <= role(idle, "relay", "fds"))
if r["examples"]:
    print("  errors, first ones:", *r["examples"], sep="\n    ")
sys.exit(0 if ok else 1)
PY
	cleanup_all
done
exit "$status"
