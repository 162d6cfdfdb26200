#!/bin/sh
# reliability_test.sh - nothing lost, nothing leaked, nothing stuck (issue 9):
# load through the gateway, an app that dies or hangs, clients that leave
# mid-upload or dribble their headers, a state directory that turns
# read-only, fills up or disappears, and the gateway's own lifecycle.
# Real sh_login + busybox httpd (+ the relay) + sanitizer CGIs +
# tests/upstream.py; tests/loadgen.py drives the load and counts processes.
# Bounded: RELIABILITY_LOAD_SECONDS (default 10) of load, every wait capped.
# The mount tests need root and mount(2); they skip and say so otherwise.
# Runtime: about 70 s a variant.
# variants: GATEWAY=cgi GATEWAY=relay
# own target: make test-stress (about 3.5 min; CI runs it after make test)
. "$(dirname "$0")/lib.sh"
GATEWAY=${GATEWAY:-cgi}
LOAD_S=${RELIABILITY_LOAD_SECONDS:-10}
LOADGEN=$TOP/tests/loadgen.py
MOUNTS=

oneTimeSetUp() {
	SKIP_WHY=
	[ "$GATEWAY" != relay ] || [ -x "$SH_LOGIN_BUSYBOX" ] || SKIP_WHY="no $SH_LOGIN_BUSYBOX (make busybox)"
}
oneTimeTearDown() { unmount_all; cleanup_all; }
setUp() {
	[ -z "$SKIP_WHY" ] || { skip_test "$SKIP_WHY"; return 0; }
	start_upstream tcp
}
tearDown() { unmount_all; stop_gateway; stop_upstream; rm -rf "$WORK/state"; }

# gw [sh_login options]: a gateway with short limits, logged in ($SESSION).
gw() {
	SH_LOGIN_CGI_MAX=${CGI_MAX:-16} SH_LOGIN_RELAY_MAX=${RELAY_MAX:-48} \
	SH_LOGIN_RELAY_HEAD_TIMEOUT=2 SH_LOGIN_GRACE=${GRACE:-3} \
		start_gateway --port "$UP_PORT" --timeout 3 "$@" || return 1
	if [ "$GATEWAY" = relay ]; then
		assertContains "the relay is in use" "$(cat "$WORK/gw.err")" "through the relay"
	fi
	login
	SESSION="$(jar_cookie_name)=$(jar_session)"
}

app() { req -H "Cookie: $SESSION" "$@"; }

# procs: one JSON line about the gateway's processes (tests/loadgen.py procs).
procs() { python3 "$LOADGEN" procs "$GW_PID" "$STATE"; }
# jget JSON PATH: a number from it, e.g. jget "$j" roles.httpd.fds (0 if absent).
jget() {
	python3 -c 'import json,sys
v = json.loads(sys.argv[1])
for k in sys.argv[2].split("."):
    v = v.get(k, 0) if isinstance(v, dict) else 0
print(v)' "$1" "$2"
}
# settle IDLE_JSON SECONDS: wait until the process count, fds of httpd and
# the relay are back to IDLE_JSON's and no child waits to be reaped (the
# relay reaps every 500 ms); prints the last snapshot.
settle() {
	i=0
	while :; do
		now=$(procs)
		if [ "$(jget "$now" procs)" -le "$(jget "$1" procs)" ] && [ "$(jget "$now" zombies)" = 0 ] &&
			[ "$(jget "$now" roles.httpd.fds)" -le "$(jget "$1" roles.httpd.fds)" ] &&
			[ "$(jget "$now" roles.relay.fds)" -le "$(jget "$1" roles.relay.fds)" ]; then
			break
		fi
		i=$((i + 1))
		[ "$i" -lt $(($2 * 5)) ] || break
		sleep 0.2
	done
	echo "$now"
}

# pid_of ROLE: httpd or the relay started by our sh_login.
pid_of() {
	ps -e -o pid= -o ppid= -o args= | awk -v p="$GW_PID" -v r=" $1 " '$2 == p && index($0, r) { print $1; exit }'
}

unmount_all() {
	for m in $MOUNTS; do umount -l "$m" 2>/dev/null || :; done
	MOUNTS=
}
# can_mount: root and mount(2) allowed here (a container may forbid it).
can_mount() {
	[ "$(id -u)" = 0 ] || return 1
	mkdir -p "$WORK/mnt-probe"
	mount -t tmpfs -o size=64k tmpfs "$WORK/mnt-probe" 2>/dev/null || return 1
	umount "$WORK/mnt-probe"
}

# ---------------------------------------------------------------- load ------


# wait_gateway_end: sh_login is expected to stop by itself; wait for it
# (10 s at most) and keep its exit code in $rc.
wait_gateway_end() {
	i=0
	while kill -0 "$GW_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
	wait "$GW_PID"
	rc=$?
	GW_PID=
}

testLoadEveryAnswerIsTheAppsOrA503AndResourcesReturnToIdle() {
	CGI_MAX=40 gw || return
	idle=$(procs)
	ka=close
	[ "$GATEWAY" != relay ] || ka=keepalive
	out=$(python3 "$LOADGEN" load "$BASE" "$SESSION" 48 "$LOAD_S" 40000 "$ka")
	echo "load ($GATEWAY, 48 clients, $LOAD_S s): $out"
	assertEquals "no resets, 500s, short or mixed-up answers: $out" 0 "$(jget "$out" errors)"
	assertTrue "the app answered: $out" "[ $(jget "$out" ok) -gt 100 ]"
	after=$(settle "$idle" 20)
	echo "idle:  $idle"
	echo "after: $after"
	assertTrue "process count back to idle: $after" "[ $(jget "$after" procs) -le $(jget "$idle" procs) ]"
	assertEquals "httpd's fds back to idle" "$(jget "$idle" roles.httpd.fds)" "$(jget "$after" roles.httpd.fds)"
	assertEquals "the relay's fds back to idle" "$(jget "$idle" roles.relay.fds)" "$(jget "$after" roles.relay.fds)"
	assertEquals "no zombies" 0 "$(jget "$after" zombies)"
	assertEquals "no orphaned CGIs" 0 "$(jget "$after" orphans)"
	grow=$(( $(jget "$after" roles.httpd.rss_kb) + $(jget "$after" roles.relay.rss_kb) -
		$(jget "$idle" roles.httpd.rss_kb) - $(jget "$idle" roles.relay.rss_kb) ))
	assertTrue "httpd + relay memory back near idle (grew $grow KiB)" "[ $grow -lt 2048 ]"
}

testAtTheCapExtraRequestsGetAnExplicit503() {
	CGI_MAX=3 RELAY_MAX=3 gw --timeout 15 || return   # the held requests outlast the checks
	pids=
	# One at a time: on the relay a connection counts as a stranger's until
	# its session is checked, and strangers share only half the cap.
	for i in 1 2 3; do
		curl -s -o "$WORK/held.$i" -w '%{http_code}' --max-time 20 -H "Cookie: $SESSION" \
			"$BASE/cgi-bin/app/slow?s=6" >"$WORK/held.$i.code" &
		pids="$pids $!"
		sleep 0.5
	done
	sleep 1
	assertEquals "one over the cap: 503" 503 "$(app "$BASE/cgi-bin/app/echo/over")"
	assertEquals "it says to retry" 1 "$(header Retry-After)"
	assertContains "$(cat "$WORK/body")" "cap"
	wait $pids
	for i in 1 2 3; do assertEquals "held request $i answered" 200 "$(cat "$WORK/held.$i.code")"; done
	assertEquals "a slot is free again" 200 "$(app "$BASE/cgi-bin/app/echo/after")"
	[ "$GATEWAY" = relay ] || assertContains "the log says why" "$(cat "$STATE/sh_login.log")" "SH_LOGIN_CGI_MAX"
}

# ---------------------------------------------------------- app faults ------

testAppDyingMidResponseIsABrokenTransferThenRecovers() {
	gw || return
	curl -s -o "$WORK/body" --max-time 10 -H "Cookie: $SESSION" "$BASE/cgi-bin/app/die?after=5000"
	rc=$?
	assertEquals "Content-Length body cut: curl sees a short transfer (18)" 18 "$rc"
	assertTrue "not all of it arrived" "[ $(wc -c <"$WORK/body") -lt 1000000 ]"
	curl -s -o "$WORK/body" --max-time 10 -H "Cookie: $SESSION" "$BASE/cgi-bin/app/die?after=5000&chunked=1"
	rc=$?
	assertTrue "chunked body cut: no final chunk, curl fails (got $rc)" "[ $rc = 18 ] || [ $rc = 56 ]"
	stop_upstream
	assertEquals "app gone: 502" 502 "$(app "$BASE/cgi-bin/app/echo/gone")"
	restart_upstream || fail "upstream did not come back"
	assertEquals "app back: the next request works, no restart of sh_login" 200 \
		"$(app "$BASE/cgi-bin/app/echo/back")"
	assertContains "$(cat "$WORK/body")" '"/echo/back"'
	kill -0 "$GW_PID" || fail "sh_login died"
}

testHungAppGives504AndFreesTheWorker() {
	gw || return
	idle=$(procs)
	start=$(date +%s)
	assertEquals "silent app: 504" 504 "$(app "$BASE/cgi-bin/app/slow?s=30")"
	took=$(( $(date +%s) - start ))
	assertTrue "answered after the 3 s timeout, not the app's 30 s (took $took s)" "[ $took -ge 2 ] && [ $took -le 12 ]"
	after=$(settle "$idle" 10)
	assertTrue "the worker is gone: $after" "[ $(jget "$after" procs) -le $(jget "$idle" procs) ]"
	assertEquals "next request fine" 200 "$(app "$BASE/cgi-bin/app/echo/next")"
}

# -------------------------------------------------------- client faults ------

testClientLeavingMidUploadNeverReachesTheAppWhole() {
	gw || return
	m=cut-$$-$(date +%s)
	python3 - "$GW_PORT" "$SESSION" "$m" <<'EOF'
import socket, sys, time
port, cookie, m = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for kind in ("length", "chunked"):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if kind == "length":
        head = ("POST /cgi-bin/app/echo/%s-%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n"
                "Content-Type: application/octet-stream\r\nContent-Length: 400000\r\n\r\n" % (m, kind, port, cookie))
        body = b"x" * 150000
    else:
        head = ("POST /cgi-bin/app/echo/%s-%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n"
                "Transfer-Encoding: chunked\r\n\r\n" % (m, kind, port, cookie))
        body = b"1000\r\n" + b"y" * 4096 + b"\r\n1000\r\n" + b"y" * 100
    s.sendall(head.encode() + body)
    time.sleep(0.5)
    s.close()
EOF
	sleep 2
	echo "app saw: $(grep "$m" "$WORK/upstream.log")"
	assertEquals "no request of the cut uploads looks complete to the app" "" \
		"$(grep "$m" "$WORK/upstream.log" | grep -v 'SHORT-BODY')"
	assertEquals "the gateway still answers" 200 "$(app "$BASE/cgi-bin/app/echo/fine")"
}

testSlowHeadersCannotHoldTheGateway() {
	RELAY_MAX=6 gw || return
	# 12 clients send a request line, then one header byte every 0.5 s for 8 s
	python3 - "$GW_PORT" "$SESSION" 12 8 >"$WORK/slow.out" <<'EOF' &
import socket, sys, time
port, cookie, n, secs = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(("GET /cgi-bin/app/echo/slow%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n"
               % (i, port, cookie)).encode())
    socks.append(s)
end, closed, t0 = time.time() + secs, {}, time.time()
while time.time() < end and len(closed) < n:
    for i, s in enumerate(socks):
        if i in closed:
            continue
        try:
            s.sendall(b"X")
        except OSError:
            closed[i] = round(time.time() - t0, 1)
    time.sleep(0.5)
for i, s in enumerate(socks):
    if i not in closed:
        s.settimeout(0.2)
        try:
            if s.recv(100).startswith(b"HTTP/1.1 408"):
                closed[i] = "408"
        except OSError:
            pass
print("cut %d of %d: %s" % (len(closed), n, sorted(closed.values(), key=str)))
EOF
	slow=$!
	sleep 1
	if [ "$GATEWAY" = relay ]; then
		# the relay's head deadline (2 s here) frees its slots; meanwhile a
		# newcomer may get 503 (the cap), never a hang
		sleep 3
	fi
	t0=$(date +%s)
	assertEquals "a normal client is served while the slow ones dribble" 200 \
		"$(app "$BASE/cgi-bin/app/echo/normal")"
	assertTrue "and promptly" "[ $(( $(date +%s) - t0 )) -le 5 ]"
	wait "$slow"
	echo "$(cat "$WORK/slow.out")"
	if [ "$GATEWAY" = relay ]; then
		assertContains "every dribbler was cut by the head deadline" "$(cat "$WORK/slow.out")" "cut 12 of 12"
	fi
}

# --------------------------------------------------------- state faults ------

testReadOnlySessionStoreLoginIs503SessionsKeepWorking() {
	can_mount || { skip_test "mount(2) not permitted here"; return; }
	gw || return
	mount --bind "$STATE/sessions" "$STATE/sessions" && MOUNTS="$STATE/sessions" &&
		mount -o remount,bind,ro "$STATE/sessions" || { fail "cannot remount read-only"; return; }
	assertEquals "login on a read-only store: 503" 503 \
		"$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "it says why" "$(cat "$WORK/body")" "Read-only file system"
	assertContains "the log says why" "$(cat "$STATE/sh_login.log")" "cannot store a session: Read-only file system"
	assertEquals "an existing session still works" 200 "$(app "$BASE/cgi-bin/app/echo/ro")"
	assertEquals "validate too" 204 "$(req -H "Cookie: $SESSION" "$BASE/cgi-bin/validate")"
	unmount_all
	assertEquals "writable again: login works" 303 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
}

testFullSessionStoreLoginIs503AndLeavesNoDebris() {
	can_mount || { skip_test "mount(2) not permitted here"; return; }
	gw || return
	cp -p "$STATE/sessions"/* "$WORK/" 2>/dev/null
	mount -t tmpfs -o size=16k,mode=700 tmpfs "$STATE/sessions" && MOUNTS="$STATE/sessions" ||
		{ fail "cannot mount a tmpfs"; return; }
	cp -p "$WORK/$(jar_session)" "$STATE/sessions/"
	dd if=/dev/zero of="$STATE/sessions/.fill" bs=4k count=100 2>/dev/null
	assertEquals "login on a full store: 503" 503 \
		"$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "it says why" "$(cat "$WORK/body")" "No space left on device"
	assertContains "the log says why" "$(cat "$STATE/sh_login.log")" "cannot store a session: No space left"
	assertEquals "an existing session still works" 200 "$(app "$BASE/cgi-bin/app/echo/full")"
	assertEquals "no half-written record or temp file left" "" \
		"$(ls -A "$STATE/sessions" | grep -v -e '^\.fill$' -e "^$(jar_session)\$")"
	rm -f "$STATE/sessions/.fill"
	assertEquals "space again: login works" 303 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
}

testHalfWrittenRecordsAreNeverAccepted() {
	gw || return
	name=$(jar_cookie_name)
	for rec in '' 'created=' 'created=12' "created=$(date +%s)x" 'garbage'; do
		id=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
		printf '%s' "$rec" >"$STATE/sessions/$id"
		assertEquals "record '$rec' is not a session" 401 "$(req -H "Cookie: $name=$id" "$BASE/cgi-bin/validate")"
	done
}

testDeletedStateLoginIs503AndSaysWhy() {
	gw || return
	rm -rf "$STATE/sessions"
	assertEquals "sessions deleted: they are gone" 401 "$(app "$BASE/cgi-bin/app/echo/x")"
	assertEquals "a new login recreates the store" 303 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	rm -f "$STATE/token"
	assertEquals "token file deleted: login 503" 503 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "it says why" "$(cat "$WORK/body")" "no token file"
	assertContains "the log says why" "$(cat "$STATE/sh_login.log")" "cannot read the token file"
	i=0
	until grep -q 'is gone' "$WORK/gw.err" || [ $i -ge 30 ]; do sleep 0.2; i=$((i + 1)); done
	assertContains "sh_login says so" "$(cat "$WORK/gw.err")" "token is gone"
	assertTrue "and keeps serving" "kill -0 $GW_PID"
	# the whole state directory (the web root with it): nothing can work
	rm -rf "$STATE"
	wait_gateway_end
	assertEquals "state directory deleted: sh_login stops, exit 1" 1 "$rc"
	assertContains "and says why" "$(cat "$WORK/gw.err")" "was deleted"
}

testConcurrentLoginsLogoutsValidationsKeepTheStoreWhole() {
	[ "$GATEWAY" = cgi ] || { skip_test "same CGIs as the cgi variant"; return; }
	SH_LOGIN_THROTTLE_ALL=1000 gw || return
	before=$(ls "$STATE/sessions" | wc -l)
	i=0 pids=
	while [ $i -lt 12 ]; do
		(
			k=0 ok=0
			while [ $k -lt 8 ]; do
				j=$WORK/jar.$i
				s=$(curl -s -o /dev/null -w '%{http_code}' -c "$j" --max-time 20 \
					--data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")
				v=$(curl -s -o /dev/null -w '%{http_code}' -b "$j" --max-time 20 "$BASE/cgi-bin/validate")
				[ "$s$v" = 303204 ] && ok=$((ok + 1))
				[ $k = 7 ] || curl -s -o /dev/null -X POST -b "$j" --max-time 20 "$BASE/cgi-bin/logout"
				k=$((k + 1))
			done
			echo "$ok" >"$WORK/ok.$i"
		) &
		pids="$pids $!"
		i=$((i + 1))
	done
	wait $pids
	assertEquals "every login and validation succeeded" 96 "$(cat "$WORK"/ok.* | awk '{ s += $1 } END { print s }')"
	assertEquals "one live record per client, plus the suite's own" $((before + 12)) \
		"$(ls "$STATE/sessions" | wc -l)"
	assertEquals "no temp files" "" "$(ls -A "$STATE/sessions" | grep '^\.' || :)"
	bad=$(for f in "$STATE/sessions"/*; do grep -qx 'created=[0-9]*' "$f" || echo "$f"; done)
	assertEquals "every record whole" "" "$bad"
	i=0
	while [ $i -lt 12 ]; do
		assertEquals "client $i's last session is live" 204 \
			"$(curl -s -o /dev/null -w '%{http_code}' -b "$WORK/jar.$i" "$BASE/cgi-bin/validate")"
		i=$((i + 1))
	done
}

# ------------------------------------------------------------ lifecycle ------

testFrontEndDeathStopsTheGatewayNonZeroAndCleansUp() {
	gw || return
	role=httpd
	[ "$GATEWAY" != relay ] || role=relay
	victim=$(pid_of $role)
	assertNotNull "found $role" "$victim"
	kill -KILL "$victim"
	wait_gateway_end
	assertEquals "sh_login exits 1" 1 "$rc"
	assertContains "and says why" "$(cat "$WORK/gw.err")" "$role exited unexpectedly"
	assertFalse "state removed" "[ -e '$STATE' ]"
	sleep 1
	left=$(ps -e -o args= | grep -F "$STATE" | grep -v grep || :)
	assertEquals "nothing of it left running" "" "$left"
}

testSigtermDuringTrafficFinishesInFlightRequestsThenEndsTheRest() {
	GRACE=4 gw || return
	pids=
	for i in 1 2 3; do
		curl -s -o "$WORK/fl.$i" -w '%{http_code}' --max-time 20 -H "Cookie: $SESSION" \
			"$BASE/cgi-bin/app/slow?s=2" >"$WORK/fl.$i.code" &
		pids="$pids $!"
	done
	# one that would outlive the grace period (the app's timeout is 3 s, but
	# an SSE stream keeps sending: only the grace period ends it)
	curl -s -o /dev/null --max-time 30 -H "Cookie: $SESSION" "$BASE/cgi-bin/app/sse?n=100&gap=0.5" &
	pids="$pids $!"
	sleep 1
	start=$(date +%s)
	kill -TERM "$GW_PID"
	wait "$GW_PID"
	rc=$?
	took=$(( $(date +%s) - start ))
	GW_PID=
	wait $pids
	assertEquals "SIGTERM: exit 0" 0 "$rc"
	for i in 1 2 3; do
		assertEquals "in-flight request $i finished" 200 "$(cat "$WORK/fl.$i.code")"
		assertEquals "with its whole answer" slow "$(cat "$WORK/fl.$i")"
	done
	assertTrue "stopped within the grace period and a little (took $took s)" "[ $took -le 9 ]"
	sleep 0.5
	left=$(ps -e -o args= | grep -F "$STATE" | grep -v grep || :)
	assertEquals "httpd's children and CGIs ended too" "" "$left"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
