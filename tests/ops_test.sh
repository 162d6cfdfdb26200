#!/bin/sh
# ops_test.sh - what an operator relies on: /cgi-bin/health without a
# session, the access log (one line per request, no secrets, O_APPEND, also
# on stderr when asked), and the error pages in the login page's style.
# Real sh_login + busybox httpd + sanitizer CGIs + tests/upstream.py.
# Runtime: about 10 s.
. "$(dirname "$0")/lib.sh"

oneTimeTearDown() { cleanup_all; }
tearDown() { stop_gateway; stop_upstream; rm -rf "$WORK/state"; }

# The access log's lines for PATH (column 4), as "METHOD STATUS".
log_for() { awk -v p="$1" '$4 == p { print $3, $5 }' "$STATE/access.log"; }

testHealthNeedsNoSessionAndSaysUpOrDown() {
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	assertEquals "app up: 200" 200 "$(req "$BASE/cgi-bin/health")"
	assertEquals "app up" "$(cat "$WORK/body")"
	assertEquals "text/plain; charset=utf-8" "$(header Content-Type)"
	assertEquals "no-store" "$(header Cache-Control)"
	assertEquals "HEAD" 200 "$(req -I "$BASE/cgi-bin/health")"
	assertEquals "POST is refused" 405 "$(req -d x=1 "$BASE/cgi-bin/health")"
	stop_upstream
	assertEquals "app down: 503" 503 "$(req "$BASE/cgi-bin/health")"
	assertEquals "app down" "$(cat "$WORK/body")"
	assertNotContains "no app details" "$(cat "$WORK/head" "$WORK/body")" "$UP_PORT"
	start_upstream tcp   # a new port: the gateway still points at the old one
	assertEquals "still down (other port)" 503 "$(req "$BASE/cgi-bin/health")"
}

testHealthOverUnixSocket() {
	start_upstream unix
	start_gateway --socket "$UP_SOCK"
	assertEquals 200 "$(req "$BASE/cgi-bin/health")"
	stop_upstream
	rm -f "$UP_SOCK"
	assertEquals 503 "$(req "$BASE/cgi-bin/health")"
	assertNotContains "no socket path" "$(cat "$WORK/body")" "$UP_SOCK"
}

testAccessLogOneLinePerRequestWithoutSecrets() {
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	req "$BASE/" >/dev/null
	req "$BASE/cgi-bin/login?token=wrong-guess-123456" >/dev/null
	curl -s -o /dev/null -c "$WORK/jar" "$BASE/cgi-bin/login?token=$TOKEN"
	sid=$(jar_session)
	assertNotEquals "got a session" "" "$sid"
	req -b "$WORK/jar" "$BASE/cgi-bin/app/echo?secret=q-value-42" >/dev/null
	req -H "Cookie: other=cookie-value-77; $(jar_cookie_name)=$sid" "$BASE/cgi-bin/app/a%20b/c" >/dev/null
	req -b "$WORK/jar" -o /dev/null "$BASE/cgi-bin/app/big?bytes=3000000" >/dev/null
	req "$BASE/cgi-bin/health" >/dev/null
	req -X DELETE "$BASE/cgi-bin/logout" >/dev/null
	log=$(cat "$STATE/access.log")
	assertEquals "one line per request" 8 "$(wc -l <"$STATE/access.log")"
	assertEquals "8 columns on every line" "" "$(awk 'NF != 8' "$STATE/access.log")"
	assertEquals "time, UTC" "" \
		"$(awk '$1 !~ /^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9][0-9][0-9]Z$/' "$STATE/access.log")"
	assertEquals "client" "" "$(awk '$2 != "127.0.0.1"' "$STATE/access.log")"
	assertEquals "login page" "GET 200" "$(log_for /)"
	assertEquals "wrong then right token" "GET 403
GET 303" "$(log_for /cgi-bin/login)"
	assertEquals "app, query cut" "GET 200" "$(log_for /cgi-bin/app/echo)"
	assertEquals "path re-encoded" "GET 200" "$(log_for /cgi-bin/app/a%20b/c)"
	assertEquals "health" "GET 200" "$(log_for /cgi-bin/health)"
	assertEquals "logout refuses DELETE" "DELETE 405" "$(log_for /cgi-bin/logout)"
	big=$(awk '$4 == "/cgi-bin/app/big" { print $6 }' "$STATE/access.log")
	assertTrue "spliced bytes counted ($big)" "[ '${big:-0}' -gt 3000000 ] && [ '$big' -lt 3002000 ]"
	assertEquals "duration in seconds" "" "$(awk '$7 !~ /^[0-9]+\.[0-9][0-9][0-9]$/' "$STATE/access.log")"
	for secret in "$TOKEN" wrong-guess-123456 "$sid" q-value-42 cookie-value-77 "$(jar_cookie_name)"; do
		assertNotContains "no $secret in the access log" "$log" "$secret"
		assertNotContains "no $secret in the error log" "$(cat "$STATE/sh_login.log")" "$secret"
	done
	assertEquals "private" 600 "$(stat -c %a "$STATE/access.log")"
}

testAccessLogLinesOfConcurrentRequestsNeverMix() {
	rm -f "$WORK/codes"
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	# 40 login pages at once (not /cgi-bin/health: a burst overflows the test
	# app's listen backlog, and health rightly says 503 then)
	i=0 pids=
	while [ $i -lt 40 ]; do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 "$BASE/?next=/cgi-bin/app/$i" \
			>>"$WORK/codes" &
		pids="$pids $!"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	wait $pids
	# A connection the loaded machine dropped before httpd saw it is no
	# request: count the answered ones (at least 30 of 40 must be).
	answered=$(grep -c '^200$' "$WORK/codes")
	assertTrue "answered: $answered" "[ '$answered' -ge 30 ]"
	assertEquals "one line per answered request" "$answered" "$(grep -c '' "$STATE/access.log")"
	assertEquals "every line whole" "$answered" \
		"$(grep -cE '^[^ ]+Z 127\.0\.0\.1 GET / 200 [0-9]+ [0-9.]+ 0$' "$STATE/access.log")"
}

testAccessLogOnStderrAndOff() {
	start_upstream tcp
	SH_LOGIN_ACCESS_LOG=stderr start_gateway --port "$UP_PORT"
	req "$BASE/cgi-bin/health" >/dev/null
	assertContains "$(cat "$WORK/gw.out")" "Access log:     this terminal"
	i=0
	until grep -q ' GET /cgi-bin/health 200 ' "$WORK/gw.err" || [ $i -gt 50 ]; do i=$((i + 1)); sleep 0.1; done
	assertContains "on stderr" "$(cat "$WORK/gw.err")" " GET /cgi-bin/health 200 "
	assertContains "and in the file" "$(cat "$STATE/access.log")" " GET /cgi-bin/health 200 "
	stop_gateway
	rm -rf "$WORK/state"
	start_gateway --port "$UP_PORT" --access-log off
	req "$BASE/cgi-bin/health" >/dev/null
	assertFalse "off: no file" "[ -e '$STATE/access.log' ]"
	sh "$TOP/scripts/sh_login" start --access-log loud >/dev/null 2>&1
	assertEquals "bad mode: usage error" 100 $?
}

# error_page CODE: the last body is the styled error page for CODE.
error_page() {
	body=$(cat "$WORK/body")
	assertContains "$1: the shared stylesheet" "$body" '<link rel="stylesheet" href="/sh_login.css">'
	assertContains "$1: the card" "$body" '<main class="card">'
	assertContains "$1: title" "$body" "<h1>$1 "
	assertContains "$1: a way back" "$body" '<a href="/">Log in</a>'
	assertEquals "$1: html" "text/html; charset=utf-8" "$(header Content-Type)"
}

# Every refusal leaves a line: strangers without the token (127.0.0.2-3)
# send them as fast as the gateway answers, and the logs must still stay
# bounded (a RAM-backed /tmp, an emptyDir with a sizeLimit). With
# SH_LOGIN_LOG_MAX=4 (KiB), once sh_login has looked (once a second) each
# log is under 4 KiB and its one old generation, FILE.1, holds the rest;
# the owner's requests still get their line in the live file. On the relay
# (the project's busybox, what make builds), which refuses without an exec.
size_of() { if [ -f "$1" ]; then wc -c <"$1"; else echo 0; fi; }
testStrangersCannotGrowTheLogsPastTheirCap() {
	[ -x "$TOP/build/busybox/busybox" ] || { skip_test "no build/busybox/busybox (make busybox)"; return; }
	start_upstream tcp
	export SH_LOGIN_LOG_MAX=4
	start_gateway --port "$UP_PORT" --busybox "$TOP/build/busybox/busybox"
	unset SH_LOGIN_LOG_MAX
	cap=4096
	curl -s --interface 127.0.0.2 -o /dev/null "$BASE/cgi-bin/app/stranger[1-150]"
	curl -s --interface 127.0.0.3 -o /dev/null -H 'Host: evil.example' "$BASE/cgi-bin/app/evil[1-150]"
	assertTrue "the strangers' lines passed the cap: $(size_of "$STATE/access.log") + $(size_of "$STATE/access.log.1") bytes" \
		"[ $(($(size_of "$STATE/access.log") + $(size_of "$STATE/access.log.1"))) -gt $cap ]"
	i=0
	until [ "$(size_of "$STATE/access.log")" -lt $cap ] && [ "$(size_of "$STATE/sh_login.log")" -lt $cap ] ||
		[ $i -ge 50 ]; do
		sleep 0.2; i=$((i + 1))
	done
	for f in access.log sh_login.log; do
		assertTrue "$f under the cap ($(size_of "$STATE/$f") bytes)" "[ $(size_of "$STATE/$f") -lt $cap ]"
		assertTrue "$f.1 holds a generation of at least the cap ($(size_of "$STATE/$f.1") bytes)" \
			"[ $(size_of "$STATE/$f.1") -ge $cap ]"
		assertEquals "$f.1: 0600" 600 "$(stat -c %a "$STATE/$f.1")"
	done
	assertEquals "the last refusal's line kept (live or .1)" "GET 403" \
		"$(cat "$STATE/access.log.1" "$STATE/access.log" | awk '$4 == "/cgi-bin/app/evil150" { print $3, $5 }')"
	login
	assertEquals "the owner's app request" 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/echo/owner-after")"
	assertEquals "its line in the live access.log" "GET 200" "$(log_for /cgi-bin/app/echo/owner-after)"
}

testErrorPagesShareTheLoginPageStyle() {
	html='Accept: text/html,application/xhtml+xml'
	start_upstream tcp
	start_gateway --port "$UP_PORT" --timeout 1
	assertEquals 401 "$(req -H "$html" "$BASE/cgi-bin/validate")"
	error_page 401
	login
	assertEquals 504 "$(req -H "$html" -b "$WORK/jar" "$BASE/cgi-bin/app/slow?s=5")"
	error_page 504
	stop_upstream
	assertEquals 502 "$(req -H "$html" -b "$WORK/jar" "$BASE/cgi-bin/app/")"
	error_page 502
	assertContains "502 says why" "$(cat "$WORK/body")" "not answering"
	# The wrong-token answer is the login page itself, with the message.
	assertEquals 403 "$(req -H "$html" -d token=wrong-guess-123456 "$BASE/cgi-bin/login")"
	assertContains "$(cat "$WORK/body")" 'class="message"'
	assertContains "$(cat "$WORK/body")" 'Wrong token'
	assertContains "$(cat "$WORK/body")" '<label for="token">Token</label>'
	# Clients that do not ask for HTML get one line of text.
	assertEquals 401 "$(req "$BASE/cgi-bin/validate")"
	assertEquals "text/plain; charset=utf-8" "$(header Content-Type)"
	assertEquals 1 "$(wc -l <"$WORK/body")"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
