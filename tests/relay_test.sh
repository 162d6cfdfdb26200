#!/bin/sh
# relay_test.sh - the full-duplex path: the project's own busybox (with P:)
# sends /cgi-bin/app/ connections to `sh_login-cgi relay`, which must
# authenticate every request of a kept-alive connection, carry WebSocket and
# any request body, and keep connections alive. Over TCP and a unix socket.
# variants: UPSTREAM=tcp UPSTREAM=unix
GATEWAY=relay
. "$(dirname "$0")/lib.sh"
UPSTREAM=${UPSTREAM:-tcp}
WSPY=/usr/bin/python3   # Debian's python3 with python3-websockets

oneTimeSetUp() {
	SKIP_WHY=
	[ -x "$SH_LOGIN_BUSYBOX" ] || { SKIP_WHY="no $SH_LOGIN_BUSYBOX (make busybox)"; return 0; }
	start_upstream "$UPSTREAM"
	# shellcheck disable=SC2086
	start_gateway $UP_ARGS --timeout 5
	login
	SESSION="$(jar_cookie_name)=$(jar_session)"
}
oneTimeTearDown() { cleanup_all; }
setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }

app() { req -b "$WORK/jar" "$@"; }
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/body" "$1"; }

testStartupSaysRelay() {
	assertContains "$(cat "$WORK/gw.err")" "through the relay"
	assertContains "$(cat "$STATE/httpd.conf")" "P:/cgi-bin/app/:127.0.0.1:"
}

testGetForwardedWithRawTarget() {
	assertEquals 200 "$(app "$BASE/cgi-bin/app/echo/a%20b/c%3Fd?q=%20x&y")"
	assertEquals "/echo/a%20b/c%3Fd?q=%20x&y" "$(field target)"
	assertEquals 200 "$(app "$BASE/cgi-bin/app/")"
	assertContains "$(cat "$WORK/body")" '"target": "/"'
}

testKeepAliveReusesTheConnection() {
	curl -sv -b "$WORK/jar" -o /dev/null -o /dev/null "$BASE/cgi-bin/app/echo/1" "$BASE/cgi-bin/app/echo/2" \
		2>"$WORK/v"
	assertEquals "two answers" 2 "$(grep -c '< HTTP/1.1 200' "$WORK/v")"
	assertContains "$(cat "$WORK/v")" "Re-using existing connection"
}

testEveryRequestOnAConnectionIsAuthenticated() {
	m=second-$$-$(date +%s)
	raw "GET /cgi-bin/app/echo/first HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\nGET /cgi-bin/app/echo/$m HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
	assertEquals "first answered by the app, second refused" 2 "$(grep -c '^HTTP/1.1 ' "$WORK/raw")"
	assertContains "$(grep '^HTTP/1.1 ' "$WORK/raw" | sed -n 1p)" "200"
	assertContains "$(grep '^HTTP/1.1 ' "$WORK/raw" | sed -n 2p)" "401"
	assertNotContains "no byte of it reached the app" "$(cat "$WORK/upstream.log")" "$m"
	m2=bad-$$-$(date +%s)
	raw "GET /cgi-bin/app/echo/first HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\nPOST /cgi-bin/app/echo/$m2 HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${SESSION%%=*}=$(printf '%064d' 7)\r\nContent-Length: 5\r\n\r\nhello"
	assertContains "$(grep '^HTTP/1.1 ' "$WORK/raw" | sed -n 2p)" "401"
	assertNotContains "$(cat "$WORK/upstream.log")" "$m2"
}

testLoggedOutSessionStopsAKeptConnection() {
	login
	s2="$(jar_cookie_name)=$(jar_session)"
	curl -s -o /dev/null -X POST -H "Cookie: $s2" "$BASE/cgi-bin/logout"
	assertEquals 401 "$(req -H "Cookie: $s2" "$BASE/cgi-bin/app/echo")"
	login
	SESSION="$(jar_cookie_name)=$(jar_session)"
}

testLargePutAndChunkedPostArriveIntact() {
	head -c 3000000 /dev/urandom >"$WORK/up"
	want=$(sha256sum "$WORK/up" | cut -d' ' -f1)
	assertEquals 200 "$(app -X PUT --data-binary @"$WORK/up" "$BASE/cgi-bin/app/echo")"
	assertEquals 3000000 "$(field body_length)"
	assertEquals "$want" "$(field body_sha256)"
	assertEquals 200 "$(app -H 'Transfer-Encoding: chunked' --data-binary @"$WORK/up" "$BASE/cgi-bin/app/echo")"
	assertEquals "$want" "$(field body_sha256)"
	assertEquals 200 "$(app -X PATCH --data-binary @"$WORK/up" "$BASE/cgi-bin/app/echo")"
	assertEquals "$want" "$(field body_sha256)"
}

testLargeDownloadAndChunkedResponse() {
	assertEquals 200 "$(app "$BASE/cgi-bin/app/big?bytes=30000000")"
	assertEquals 30000000 "$(wc -c <"$WORK/body")"
	assertEquals 200 "$(app "$BASE/cgi-bin/app/chunked?n=3")"
	assertEquals "$(printf 'chunk 0\nchunk 1\nchunk 2')" "$(cat "$WORK/body")"
}

testWebSocketEcho() {
	[ -x "$WSPY" ] && "$WSPY" -c 'import websockets' 2>/dev/null || { skip_test "no python3-websockets"; return; }
	ws=ws://127.0.0.1:$GW_PORT/cgi-bin/app/ws
	assertEquals "echo ok" "$("$WSPY" "$TOP/tests/wsclient.py" "$ws" "$SESSION")"
	assertEquals "same origin" "echo ok" "$("$WSPY" "$TOP/tests/wsclient.py" "$ws" "$SESSION" "http://127.0.0.1:$GW_PORT")"
	assertContains "no session" "$("$WSPY" "$TOP/tests/wsclient.py" "$ws" "")" "HTTP 401"
	assertContains "cross-site Origin" \
		"$("$WSPY" "$TOP/tests/wsclient.py" "$ws" "$SESSION" "http://evil.example")" "HTTP 403"
}

testGatewayPagesOnARelayedConnectionAreSentBack() {
	raw "GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\nGET /cgi-bin/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\n"
	assertContains "$(grep '^HTTP/1.1 ' "$WORK/raw" | sed -n 2p)" "307"
	assertContains "$(cat "$WORK/raw")" "Location: /cgi-bin/validate"
}

testRefusalsCloseTheConnection() {
	raw "GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
	assertContains "TE and CL together" "$(sed -n 1p "$WORK/raw")" "400"
	raw "TRACE /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\n"
	assertContains "$(sed -n 1p "$WORK/raw")" "405"
	raw "GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\nBad Header: 1\r\n\r\n"
	assertContains "$(sed -n 1p "$WORK/raw")" "400"
	big=$(head -c 40000 /dev/zero | tr '\0' a)
	raw "GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: $big\r\n\r\n"
	assertContains "$(sed -n 1p "$WORK/raw")" "431"
}

testAppDeathMidBodyIsABrokenTransfer() {
	curl -s -b "$WORK/jar" -o /dev/null --max-time 10 "$BASE/cgi-bin/app/die?after=1000"
	assertEquals "curl sees the transfer cut short (18)" 18 $?
}

testSlowAppGives504DeadAppGives502() {
	assertEquals 504 "$(app "$BASE/cgi-bin/app/slow?s=8")"
	stop_upstream
	assertEquals 502 "$(app "$BASE/cgi-bin/app/echo")"
	restart_upstream
	assertEquals "recovers" 200 "$(app "$BASE/cgi-bin/app/echo")"
}

testRelayedRequestsAreLoggedWithoutQuery() {
	m=logged-$$-$(date +%s)
	assertEquals 200 "$(app "$BASE/cgi-bin/app/echo/$m?secret=do-not-log")"
	line=$(grep "$m" "$STATE/access.log")
	assertContains "$line" " GET /cgi-bin/app/echo/$m 200 "
	assertNotContains "$line" "do-not-log"
	assertNotContains "no session id in the log" "$(cat "$STATE/access.log")" "${SESSION#*=}"
}

testForeignHostIsRefusedByTheRelayToo() {
	raw "GET /cgi-bin/app/echo HTTP/1.1\r\nHost: rebind.evil.example\r\nCookie: $SESSION\r\n\r\n"
	assertContains "DNS rebinding guard" "$(sed -n 1p "$WORK/raw")" "403"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
