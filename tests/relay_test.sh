#!/bin/sh
# relay_test.sh - the full-duplex path: the project's own busybox (with P:)
# sends /cgi-bin/app/ connections to `sh_login-cgi relay`, which must
# authenticate every request of a kept-alive connection, carry WebSocket and
# any request body, and keep connections alive. Over TCP and a unix socket.
# SH_LOGIN_HANDOFF=no: httpd reaches the relay over TCP (the fallback of a
# stock busybox with P:) instead of handing the connection over.
# variants: UPSTREAM=tcp UPSTREAM=unix UPSTREAM=tcp,SH_LOGIN_HANDOFF=no
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
	if [ "${SH_LOGIN_HANDOFF:-auto}" = no ]; then
		assertContains "$(cat "$WORK/gw.err")" "relay over TCP from httpd's P:"
		assertContains "$(cat "$STATE/httpd.conf")" "P:/cgi-bin/app/:127.0.0.1:"
	else
		assertContains "$(cat "$WORK/gw.err")" "relay, handed each client connection by httpd"
		assertContains "$(cat "$STATE/httpd.conf")" "P:/cgi-bin/app/:$STATE/relay.sock"
	fi
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

# Each refusal, then a good request on the same connection: the relay
# answers the first and closes (rawhttp.py reads until the close, or prints
# [timeout] after 10 s), so the second never gets an answer.
testRefusalsCloseTheConnection() {
	next="GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\n"
	big=$(head -c 40000 /dev/zero | tr '\0' a)
	for case in \
		"400 TE and CL together|GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" \
		"405 TRACE|TRACE /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\n" \
		"400 a space in a header name|GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\nBad Header: 1\r\n\r\n" \
		"431 a 40 kB header|GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: $big\r\n\r\n"; do
		what=${case%%|*}
		raw "${case#*|}$next"
		assertContains "$what" "$(sed -n 1p "$WORK/raw")" "HTTP/1.1 ${what%% *} "
		assertEquals "$what: one answer, the next request unanswered" 1 "$(grep -c '^HTTP/1.1 ' "$WORK/raw")"
		assertNotContains "$what: closed, not left open" "$(cat "$WORK/raw")" "[timeout]"
	done
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

testHeaderPolicyTable() {
	# 3 names with '_', 7 identity, 4 forwarding
	header_policy_check "$SESSION" 14
	raw "GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\nConnection: close\r\nTransfer_Encoding: chunked\r\nContent_Length: 5\r\n\r\n"
	assertContains "$(head -1 "$WORK/raw")" " 200"
	sed '1,/^\r*$/d' "$WORK/raw" >"$WORK/body"
	assertEquals "no Transfer_Encoding, Content_Length" "" "$(field headers | grep -i '_length\|_encoding')"
}

# Every refusal the relay can give, on the SECOND request of a kept
# connection (the first one authenticated and answered by the app): the
# exact status, the connection closed after it, one access log line each,
# and (testZz) no sanitizer report: the per-request state outlives no frame.
testEveryRefusalOnTheSecondRequest() {
	first="GET /cgi-bin/app/echo/first HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\n"
	c="Cookie: $SESSION\r\n"
	long=$(head -c 40000 /dev/zero | tr '\0' a)
	line=$(head -c 8200 /dev/zero | tr '\0' b)
	path=$(head -c 8300 /dev/zero | tr '\0' p)
	before=$(grep -c '' "$STATE/access.log")
	n=0
	while IFS='|' read -r want second; do
		[ -n "$want" ] || continue
		second=$(printf '%s' "$second" | sed "s|COOKIE|$c|; s|LONG|$long|; s|LINE|$line|; s|PATH|$path|")
		raw "$first$second"
		grep -ao 'HTTP/1.1 [0-9][0-9][0-9]' "$WORK/raw" >"$WORK/statuses"
		assertEquals "$want: two answers" 2 "$(grep -c '' "$WORK/statuses")"
		assertEquals "$want: first from the app" "HTTP/1.1 200" "$(sed -n 1p "$WORK/statuses")"
		assertEquals "$want for: $(printf '%.60s' "$second")" "HTTP/1.1 $want" "$(sed -n 2p "$WORK/statuses")"
		n=$((n + 2))
	done <<-EOF
	401|GET /cgi-bin/app/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n
	303|GET /cgi-bin/app/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n\r\n
	400|GARBAGE\r\n\r\n
	400|GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad\001: 1\r\n\r\n
	431|GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: LONG\r\n\r\n
	431|GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIEX-Line: LINE\r\n\r\n
	414|GET /cgi-bin/app/PATH HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIE\r\n
	403|GET /cgi-bin/app/echo HTTP/1.1\r\nHost: evil.example\r\nCOOKIE\r\n
	403|GET /cgi-bin/login HTTP/1.1\r\nHost: evil.example\r\n\r\n
	307|GET /cgi-bin/logout HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n
	308|GET /cgi-bin/app HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n
	400|GET //evil.example/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n
	400|GET /\\evil.example/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n
	400|GET /cgi-bin/app/../../echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIE\r\n
	400|GET /cgi-bin/app/x/%2e%2e/%2e%2e/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIE\r\n
	400|GET /cgi-bin/app/a%2Fb HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIE\r\n
	400|GET /cgi-bin/app/a%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIE\r\n
	405|TRACE /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIE\r\n
	400|POST /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIEContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n
	501|POST /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIETransfer-Encoding: gzip, chunked\r\n\r\n
	501|GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIEConnection: upgrade\r\nUpgrade: h2c\r\n\r\n
	403|GET /cgi-bin/app/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIEConnection: upgrade\r\nUpgrade: websocket\r\nOrigin: http://evil.example\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n
	EOF
	assertEquals "one access log line per exchange, refusals included" \
		"$((before + n))" "$(grep -c '' "$STATE/access.log")"
}

# The path is normalised as busybox does on the CGI path.
testDotSegmentsAreResolved() {
	assertEquals 200 "$(app --path-as-is "$BASE/cgi-bin/app/x/../echo/y")"
	assertEquals "/echo/y" "$(field target)"
	assertEquals 200 "$(app --path-as-is "$BASE/cgi-bin/app/x/%2e%2e/echo/z")"
	assertEquals "/echo/z" "$(field target)"
}

# An app that answers Connection: close and closes never costs a 502 on the
# next request of the client's connection.
testAppConnectionCloseNeverCostsA502() {
	h=$(printf 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc' | od -An -v -tx1 | tr -d ' \n')
	r="GET /cgi-bin/app/raw?hex=$h HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n"
	raw "$r\r\n$r\r\n${r}Connection: close\r\n\r\n"
	assertEquals "three answers, all 200" "200 200 200" \
		"$(grep -ao 'HTTP/1.1 [0-9][0-9][0-9]' "$WORK/raw" | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
}

# A relayed 502 and 401 leave their line in the access log.
testRefusalsAndBadGatewayAreLogged() {
	before=$(grep -c ' 401 ' "$STATE/access.log")
	for i in 1 2 3 4 5; do
		req -b "$(jar_cookie_name)=$(printf '%064d' "$i")" "$BASE/cgi-bin/app/echo/r$i" >/dev/null
	done
	assertEquals "five 401 lines" "$((before + 5))" "$(grep -c ' 401 ' "$STATE/access.log")"
	assertEquals 502 "$(app "$BASE/cgi-bin/app/badhead?kind=garbage")"
	assertEquals "the 502 logged" 1 "$(grep -c 'GET /cgi-bin/app/badhead 502 ' "$STATE/access.log")"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
