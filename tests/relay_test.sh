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
HEAD_S=3                # SH_LOGIN_RELAY_HEAD_TIMEOUT: a whole head within this

oneTimeSetUp() {
	SKIP_WHY=
	[ -x "$SH_LOGIN_BUSYBOX" ] || { SKIP_WHY="no $SH_LOGIN_BUSYBOX (make busybox)"; return 0; }
	start_upstream "$UPSTREAM"
	# shellcheck disable=SC2086
	SH_LOGIN_RELAY_HEAD_TIMEOUT=$HEAD_S start_gateway $UP_ARGS --timeout 5
	login
	SESSION="$(jar_cookie_name)=$(jar_session)"
}
oneTimeTearDown() { cleanup_all; }
setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }

app() { req -b "$WORK/jar" "$@"; }
kept() { python3 "$TOP/tests/keptconn.py" "$@"; }
# ready FILE: wait (10 s at most) until keptconn.py waits for FILE.
ready() { i=0; until [ -e "$1.ready" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done; }
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
	assertEquals 200 "$(raw_status 1)"
	assertEquals 401 "$(raw_status 2)"
	assertNotContains "no byte of it reached the app" "$(cat "$WORK/upstream.log")" "$m"
	m2=bad-$$-$(date +%s)
	raw "GET /cgi-bin/app/echo/first HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\nPOST /cgi-bin/app/echo/$m2 HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${SESSION%%=*}=$(printf '%064d' 7)\r\nContent-Length: 5\r\n\r\nhello"
	assertEquals 401 "$(raw_status 2)"
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

# The relay keeps a connection's session record open from one request to
# the next (one fstat instead of open, fstat, read and close): a logout, an
# expiry or an idle timeout must still stop the very next request on that
# connection, a record that is back in use must be refreshed, and a
# connection that presents another session's cookie must be judged by that
# one. Each stage on its own kept connection from 127.0.0.6.
testKeptConnectionSeesItsSessionEnd() {
	for how in logout expired idle; do
		login; s="$(jar_cookie_name)=$(jar_session)"; id=$(jar_session)
		c="Host: 127.0.0.1\r\nCookie: $s\r\n\r\n"
		rm -f "$WORK/go" "$WORK/go.ready"
		kept http "$GW_PORT" 127.0.0.6 "GET /cgi-bin/app/echo/$how-1 HTTP/1.1\r\n$c" "wait:$WORK/go" \
			"GET /cgi-bin/app/echo/$how-2 HTTP/1.1\r\n$c" >"$WORK/kept" &
		pid=$!
		ready "$WORK/go"
		case $how in
		logout) assertEquals "logout" 303 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Cookie: $s" "$BASE/cgi-bin/logout")" ;;
		expired) printf 'created=%s\n' "$(($(date +%s) - 8 * 86400))" >"$STATE/sessions/$id" ;;
		idle) t=$(($(date +%s) - 2 * 86400))   # a day unused (SH_LOGIN_SESSION_IDLE), within the week
			printf 'created=%s\n' "$t" >"$STATE/sessions/$id"
			touch -d "@$t" "$STATE/sessions/$id" ;;
		esac
		touch "$WORK/go"
		wait $pid
		assertEquals "$how: first request served, the next refused on the same connection" "200 401" "$(cat "$WORK/kept")"
		assertFalse "$how: the record is gone" "[ -e '$STATE/sessions/$id' ]"
	done
	assertEquals "each first request reached the app" 3 "$(grep -cE 'echo/(logout|expired|idle)-1' "$WORK/upstream.log")"
	assertEquals "no request after the session's end reached the app" 0 "$(grep -cE 'echo/(logout|expired|idle)-2' "$WORK/upstream.log")"

	login; s="$(jar_cookie_name)=$(jar_session)"; id=$(jar_session)
	c="Host: 127.0.0.1\r\nCookie: $s\r\n\r\n"
	rm -f "$WORK/go" "$WORK/go.ready"
	kept http "$GW_PORT" 127.0.0.6 "GET /cgi-bin/app/echo/used-1 HTTP/1.1\r\n$c" "wait:$WORK/go" \
		"GET /cgi-bin/app/echo/used-2 HTTP/1.1\r\n$c" \
		"GET /cgi-bin/app/echo/other HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\n" \
		"GET /cgi-bin/app/echo/used-3 HTTP/1.1\r\n$c" >"$WORK/kept" &
	pid=$!
	ready "$WORK/go"
	old=$(($(date +%s) - 600))
	touch -d "@$old" "$STATE/sessions/$id"
	touch "$WORK/go"
	wait $pid
	assertEquals "in use: every request served" "200 200 200 200" "$(cat "$WORK/kept")"
	assertTrue "in use: the record's last use refreshed (was 10 minutes ago)" \
		"[ $(stat -c %Y "$STATE/sessions/$id") -gt $((old + 500)) ]"
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
	assertEquals 307 "$(raw_status 2)"
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
	assertEquals "DNS rebinding guard" 403 "$(raw_status)"
}

testHeaderPolicyTable() {
	# 3 names with '_', 7 identity, 4 forwarding
	header_policy_check "$SESSION" 14
	raw "GET /cgi-bin/app/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\nConnection: close\r\nTransfer_Encoding: chunked\r\nContent_Length: 5\r\n\r\n"
	assertEquals 200 "$(raw_status)"
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
	502|GET /cgi-bin/app/raw?hex= HTTP/1.1\r\nHost: 127.0.0.1\r\nCOOKIE\r\n
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

# A second request whose head stops half way, from a stranger's address:
# 408 at the head deadline (HEAD_S), the connection closed, one log line;
# the owner's requests on 127.0.0.1 are answered meanwhile and after.
testSlowSecondHeadGets408() {
	r="GET /cgi-bin/app/echo/kept HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: $SESSION\r\n\r\n"
	half="GET /cgi-bin/app/echo/half HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	before=$(grep -c ' 408 ' "$STATE/access.log")
	kept http "$GW_PORT" 127.0.0.3 "$r" "$half" eof >"$WORK/kept" &
	pid=$!
	assertEquals "the owner meanwhile" 200 "$(app "$BASE/cgi-bin/app/echo/owner")"
	wait $pid
	assertEquals "200, then 408 and the close" "200 408 closed" "$(cat "$WORK/kept")"
	assertEquals "one 408 line" "$((before + 1))" "$(grep -c ' 408 ' "$STATE/access.log")"
	who=127.0.0.3   # behind TCP P: the relay cannot know the address
	[ "${SH_LOGIN_HANDOFF:-auto}" != no ] || who=-
	assertContains "it names the client, no method or path" \
		"$(grep ' 408 ' "$STATE/access.log" | tail -1)" "Z $who - - 408 "
	assertEquals "the owner after" 200 "$(app "$BASE/cgi-bin/app/echo/owner")"
}

# One connection from a stranger: the request line dribbled to httpd for
# HEAD_S - 1 s, then the rest of the head a byte every 0.25 s to the relay.
# With the handoff the relay's deadline continues httpd's (408 within one
# HEAD_S of the first byte); behind TCP P: httpd stops its alarm when it
# connects and the relay starts its own (README: The front door). Either
# way the status line is the exact one, and the relay logged it.
testHeadDeadlineSpansHttpdAndTheRelay() {
	before=$(grep -c ' 408 ' "$STATE/access.log")
	if [ "${SH_LOGIN_HANDOFF:-auto}" = no ]; then n=2; else n=1; fi
	head_split_check "$GW_PORT" /cgi-bin/app/echo/split $n
	assertEquals "the relay answered it: one 408 line" "$((before + 1))" "$(grep -c ' 408 ' "$STATE/access.log")"
	assertEquals "the owner after" 200 "$(app "$BASE/cgi-bin/app/echo/owner")"
}

# The app dies between the first and the second request of a stranger's
# kept connection: the second gets 502 (logged), the connection closes.
testDeadAppOnTheSecondRequestGets502() {
	m=after-death-$$
	c="Host: 127.0.0.1\r\nCookie: $SESSION\r\n\r\n"
	rm -f "$WORK/go" "$WORK/go.ready"
	kept http "$GW_PORT" 127.0.0.4 "GET /cgi-bin/app/echo/alive HTTP/1.1\r\n$c" "wait:$WORK/go" \
		"GET /cgi-bin/app/echo/$m HTTP/1.1\r\n$c" eof >"$WORK/kept" &
	pid=$!
	ready "$WORK/go"
	stop_upstream
	touch "$WORK/go"
	wait $pid
	restart_upstream
	assertEquals "200, then 502 and the close" "200 502 closed" "$(cat "$WORK/kept")"
	assertEquals "the 502 logged" 1 "$(grep -c " GET /cgi-bin/app/echo/$m 502 " "$STATE/access.log")"
	assertEquals "the owner once the app is back" 200 "$(app "$BASE/cgi-bin/app/echo/owner")"
}

# The app closes a kept connection without having said Connection: close.
# Found closed before the request leaves (idle timeout): a fresh one, GET
# and POST alike. Closed under the request (/closenext: the app takes it
# and answers nothing): a GET is sent once more on a fresh connection (200;
# the app saw it twice), a POST whose body had left is not (502; once).
testClosedAppConnectionRetriedOnlyWhenSafe() {
	m=retry-$$
	c="Host: 127.0.0.1\r\nCookie: $SESSION\r\n"
	idle="GET /cgi-bin/app/idleclose?s=0.3 HTTP/1.1\r\n$c\r\n"
	assertEquals "after an idle close" "200 200 200 200" "$(kept http "$GW_PORT" 127.0.0.1 \
		"$idle" 1 "GET /cgi-bin/app/echo/$m-idle-get HTTP/1.1\r\n$c\r\n" \
		"$idle" 1 "POST /cgi-bin/app/echo/$m-idle-post HTTP/1.1\r\n${c}Content-Length: 5\r\n\r\nhello")"
	assertEquals "each once" "GET /echo/$m-idle-get POST /echo/$m-idle-post" \
		"$(grep "$m-idle" "$WORK/upstream.log" | tr '\n' ' ' | sed 's/ $//')"
	next="GET /cgi-bin/app/closenext HTTP/1.1\r\n$c\r\n"
	assertEquals "under the request" "200 200 200 502 closed" "$(kept http "$GW_PORT" 127.0.0.1 \
		"$next" "GET /cgi-bin/app/echo/$m-get HTTP/1.1\r\n$c\r\n" \
		"$next" "POST /cgi-bin/app/echo/$m-post HTTP/1.1\r\n${c}Content-Length: 5\r\n\r\nhello" eof)"
	assertEquals "the GET retried once" "GET /echo/$m-get DROPPED|GET /echo/$m-get" \
		"$(grep "$m-get" "$WORK/upstream.log" | tr '\n' '|' | sed 's/|$//')"
	assertEquals "the POST never replayed" "POST /echo/$m-post DROPPED" "$(grep "$m-post" "$WORK/upstream.log")"
	assertEquals "the 502 logged" 1 "$(grep -c " POST /cgi-bin/app/echo/$m-post 502 " "$STATE/access.log")"
	# After its head has left, only an idempotent method is sent again (as
	# nginx's proxy_next_upstream): a DELETE is, a POST without a body is not.
	assertEquals "a DELETE under the request" "200 200" "$(kept http "$GW_PORT" 127.0.0.1 \
		"$next" "DELETE /cgi-bin/app/echo/$m-del HTTP/1.1\r\n$c\r\n")"
	assertEquals "the DELETE retried once" "DELETE /echo/$m-del DROPPED|DELETE /echo/$m-del" \
		"$(grep "$m-del" "$WORK/upstream.log" | tr '\n' '|' | sed 's/|$//')"
	assertEquals "a bodyless POST under the request" "200 502 closed" "$(kept http "$GW_PORT" 127.0.0.1 \
		"$next" "POST /cgi-bin/app/echo/$m-empty HTTP/1.1\r\n$c\r\n" eof)"
	assertEquals "the bodyless POST never replayed" "POST /echo/$m-empty DROPPED" "$(grep "$m-empty" "$WORK/upstream.log")"
}

# An open WebSocket ends within 30 s of its session's end (the relay looks
# the session up again every RELAY_WS_RECHECK_S, 10 s): one logged out, one
# expired (its record's creation time set eight days back: older than
# SH_LOGIN_SESSION_MAX's week, as the gateway judges it).
testWebSocketClosedAfterLogoutAndExpiry() {
	login; s1="$(jar_cookie_name)=$(jar_session)"
	login; s2="$(jar_cookie_name)=$(jar_session)"; id2=$(jar_session)
	login; SESSION="$(jar_cookie_name)=$(jar_session)"
	rm -f "$WORK"/ws-*
	kept ws "$GW_PORT" 127.0.0.1 "$s1" "$WORK/ws-out" >"$WORK/ws-out.txt" &
	p1=$!
	kept ws "$GW_PORT" 127.0.0.5 "$s2" "$WORK/ws-exp" >"$WORK/ws-exp.txt" &
	p2=$!
	ready "$WORK/ws-out"
	ready "$WORK/ws-exp"
	assertEquals "logout" 303 "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Cookie: $s1" "$BASE/cgi-bin/logout")"
	touch "$WORK/ws-out"
	printf 'created=%s\n' "$(($(date +%s) - 8 * 86400))" >"$STATE/sessions/$id2"
	touch "$WORK/ws-exp"
	wait $p1 $p2
	for w in out exp; do
		got=$(cat "$WORK/ws-$w.txt")
		echo "websocket after $w: $(echo "$got" | tr '\n' ' ')"
		assertContains "$w: the WebSocket worked" "$got" "echo ok"
		assertContains "$w: closed by the gateway within 30 s" "$got" "closed after "
	done
	assertFalse "the expired session's file removed" "[ -e '$STATE/sessions/$id2' ]"
	assertEquals "the suite's session lives" 200 "$(app "$BASE/cgi-bin/app/echo")"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
