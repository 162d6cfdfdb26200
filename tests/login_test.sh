#!/bin/sh
# login_test.sh - the login flow against a real busybox httpd: login page,
# wrong and right tokens, cookie attributes, one-click URL, next targets,
# validate, logout revocation, garbage cookies, bad form bodies.
. "$(dirname "$0")/lib.sh"

oneTimeSetUp() {
	start_upstream tcp
	# shellcheck disable=SC2086
	start_gateway $UP_ARGS
}
oneTimeTearDown() { cleanup_all; }

testLoginPageIsServedAtRoot() {
	assertEquals 200 "$(req "$BASE/")"
	assertContains "$(header Content-Type)" "text/html"
	assertEquals "no-store" "$(header Cache-Control)"
	assertContains "$(cat "$WORK/body")" 'action="/cgi-bin/login"'
	assertContains "$(cat "$WORK/body")" 'name="token"'
	assertEquals 200 "$(req "$BASE/sh_login.css")"
}

testStartupOutputAndStateFiles() {
	out=$(cat "$WORK/gw.out")
	assertContains "$out" "Token:          $TOKEN"
	assertContains "$out" "Login page:     http://localhost:$GW_PORT/"
	assertContains "$out" "One-click URL:  http://localhost:$GW_PORT/cgi-bin/login?token=$TOKEN"
	assertEquals "a v4 UUID" 1 "$(echo "$TOKEN" | grep -cE '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$')"
	assertEquals "state dir mode" 700 "$(stat -c %a "$STATE")"
	assertEquals "token file mode" 600 "$(stat -c %a "$STATE/token")"
}

testTheTokenNeverReachesALog() {
	# first carry the token every way a client can: form, one-click URL, a
	# wrong guess next to it
	assertEquals 403 "$(req -d "token=${TOKEN}x" "$BASE/cgi-bin/login")"
	assertEquals 303 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals 303 "$(req "$BASE/cgi-bin/login?token=$TOKEN")"
	assertTrue "the access log has the requests" "grep -q ' /cgi-bin/login ' '$STATE/access.log'"
	for f in "$STATE/sh_login.log" "$STATE/access.log" "$WORK/gw.err"; do
		assertFalse "no token in $f" "grep -qF '$TOKEN' '$f'"
	done
}

testWrongTokenIs403WithMessage() {
	assertEquals 403 "$(req -H 'Accept: text/html' -d token=wrong "$BASE/cgi-bin/login")"
	assertContains "$(cat "$WORK/body")" "Wrong token"
	assertEquals "no cookie for a wrong token" "" "$(header Set-Cookie)"
	assertNotContains "$(cat "$WORK/body")" "$TOKEN"
}

testMissingOrMalformedTokenIs400() {
	assertEquals 400 "$(req -d next=/ "$BASE/cgi-bin/login")"
	assertEquals 400 "$(req -d 'token=%zz' "$BASE/cgi-bin/login")"
	assertEquals 400 "$(req -d 'token=a&token=b' "$BASE/cgi-bin/login")"
}

testRightTokenGivesSessionCookie() {
	assertEquals 303 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "/cgi-bin/app/" "$(header Location)"
	assertEquals "no-store" "$(header Cache-Control)"
	c=$(header Set-Cookie)
	name=${c%%=*}
	value=${c#*=}; value=${value%%;*}
	assertEquals "instance cookie name" 1 "$(echo "$name" | grep -cE '^sh_login_[0-9a-f]{8}$')"
	assertEquals "64 hex session id" 1 "$(echo "$value" | grep -cE '^[0-9a-f]{64}$')"
	assertNotContains "the cookie never carries the token" "$c" "$TOKEN"
	assertContains "$c" "; Path=/"
	assertContains "$c" "; HttpOnly"
	assertContains "$c" "; SameSite=Lax"
	assertNotContains "no Secure over plain http" "$c" "Secure"
	assertTrue "session stored server-side" "[ -f '$STATE/sessions/$value' ]"
}

# Whether the front is TLS is configuration (SH_LOGIN_PROTO=https: sh_login's
# own TLS, or a TLS proxy the user vouches for), never a client's header.
testSecureCookieOnlyWhenConfigured() {
	assertEquals 303 "$(req -H 'X-Forwarded-Proto: https' --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertNotContains "a client's X-Forwarded-Proto is not the front" "$(header Set-Cookie)" "Secure"
	stop_gateway
	# shellcheck disable=SC2086
	SH_LOGIN_PROTO=https start_gateway $UP_ARGS
	assertEquals 303 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "SH_LOGIN_PROTO=https" "$(header Set-Cookie)" "; Secure"
	stop_gateway
	# shellcheck disable=SC2086
	start_gateway $UP_ARGS
}

testEveryLoginGetsANewSession() {
	login; a=$(jar_session)
	login; b=$(jar_session)
	assertNotEquals "$a" "$b"
}

testOneClickUrlRedirectsWithoutToken() {
	assertEquals 303 "$(req "$BASE/cgi-bin/login?token=$TOKEN")"
	assertEquals "/cgi-bin/app/" "$(header Location)"
	assertNotContains "$(header Location)" "token"
	assertEquals 403 "$(req "$BASE/cgi-bin/login?token=nope")"
	assertEquals "GET without token shows the page" 200 "$(req "$BASE/cgi-bin/login")"
}

# A one-click URL another site sends (a link, an <img>: Sec-Fetch-Site
# cross-site or same-site) is neither compared nor counted: the login page
# with the token filled in and a button. Typed or clicked in a terminal
# (Sec-Fetch-Site none, or no header) it logs in at once.
testOneClickFromAnotherSiteAsksToConfirm() {
	for site in cross-site same-site; do
		assertEquals "$site: the confirmation page" 200 \
			"$(req -H "Sec-Fetch-Site: $site" "$BASE/cgi-bin/login?token=$TOKEN&next=/cgi-bin/app/x")"
		assertEquals "no cookie" "" "$(header Set-Cookie)"
		assertEquals "no-store" "$(header Cache-Control)"
		assertEquals DENY "$(header X-Frame-Options)"
		assertContains "$(cat "$WORK/body")" "Continue to log in"
		assertContains "the token filled in" "$(cat "$WORK/body")" "value=\"$TOKEN\""
		assertContains "next carried" "$(cat "$WORK/body")" 'value="/cgi-bin/app/x"'
		assertContains "posted to the form" "$(cat "$WORK/body")" 'method="post" action="/cgi-bin/login"'
	done
	req -H 'Sec-Fetch-Site: cross-site' "$BASE/cgi-bin/login?token=%22%3E%3Cscript%3Ex%3C%2Fscript%3E" >/dev/null
	assertNotContains "the token is escaped" "$(cat "$WORK/body")" "<script>x"
	assertContains "$(cat "$WORK/body")" 'value="&quot;&gt;&lt;script&gt;x'
	assertEquals "typed in the address bar" 303 "$(req -H 'Sec-Fetch-Site: none' "$BASE/cgi-bin/login?token=$TOKEN")"
	assertEquals "clicked in a terminal (no header)" 303 "$(req "$BASE/cgi-bin/login?token=$TOKEN")"
	# the page's button: a same-origin POST (Origin: null, no-referrer)
	assertEquals "the button" 303 "$(req --interface 127.0.0.1 -H 'Origin: null' -H 'Sec-Fetch-Site: same-origin' \
		--data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
}

# Ten cross-site <img> requests with wrong tokens (twice the per-client
# limit) cannot spend the owner's guesses.
testCrossSiteWrongTokensDoNotCount() {
	i=0
	while [ $i -lt 10 ]; do
		assertEquals "cross-site guess $i: not compared" 200 "$(req --interface 127.0.0.1 \
			-H 'Sec-Fetch-Site: cross-site' -H 'Sec-Fetch-Dest: image' "$BASE/cgi-bin/login?token=wrong$i")"
		i=$((i + 1))
	done
	assertEquals "the owner's right token" 303 \
		"$(req --interface 127.0.0.1 --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
}

testNextTargetOnlySameSite() {
	req --data-urlencode "token=$TOKEN" --data-urlencode "next=/cgi-bin/app/echo?x=1" "$BASE/cgi-bin/login" >/dev/null
	assertEquals "/cgi-bin/app/echo?x=1" "$(header Location)"
	for evil in '//evil.example/' '/\evil.example' 'https://evil.example/' 'javascript:alert(1)' \
		"$(printf '/\r\nSet-Cookie: x=1')" "$(printf '/\t/evil.example')"; do
		req --data-urlencode "token=$TOKEN" --data-urlencode "next=$evil" "$BASE/cgi-bin/login" >/dev/null
		assertEquals "next=$evil falls back to the app" "/cgi-bin/app/" "$(header Location)"
	done
	req "$BASE/cgi-bin/login?token=$TOKEN&next=%2F%2Fevil.example" >/dev/null
	assertEquals "/cgi-bin/app/" "$(header Location)"
}

testLoginPageCarriesNext() {
	req "$BASE/?next=%2Fcgi-bin%2Fapp%2Ftree" >/dev/null
	assertContains "$(cat "$WORK/body")" 'value="/cgi-bin/app/tree"'
	req "$BASE/?next=%2F%2Fevil.example" >/dev/null
	assertContains "$(cat "$WORK/body")" 'name="next" value=""'
	req "$BASE/?next=%22%3E%3Cscript%3E" >/dev/null
	assertNotContains "no markup injection" "$(cat "$WORK/body")" '<script>'
}

testUnauthenticatedAppRequests() {
	assertEquals "browser navigation goes to the login page" 303 \
		"$(req -H 'Accept: text/html' "$BASE/cgi-bin/app/echo/x?y=1")"
	assertEquals "/?next=/cgi-bin/app/echo/x%3Fy%3D1" "$(header Location)"
	assertEquals "API clients get 401" 401 "$(req "$BASE/cgi-bin/app/echo")"
	assertEquals "POST gets 401" 401 "$(req -d x=1 "$BASE/cgi-bin/app/echo")"
	assertEquals "index.cgi path too" 401 "$(req "$BASE/cgi-bin/app/")"
}

testValidateEndpoint() {
	assertEquals 401 "$(req "$BASE/cgi-bin/validate")"
	login
	assertEquals 204 "$(req -b "$WORK/jar" "$BASE/cgi-bin/validate")"
	assertEquals "no-store" "$(header Cache-Control)"
}

testLogoutRevokesOnTheServer() {
	login
	old="$(jar_cookie_name)=$(jar_session)"
	assertEquals 204 "$(req -H "Cookie: $old" "$BASE/cgi-bin/validate")"
	assertEquals "a GET only asks" 200 "$(req -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertContains "one button posting to logout" "$(cat "$WORK/body")" '<form method="post" action="/cgi-bin/logout">'
	assertContains "$(cat "$WORK/body")" "You are logged in."
	assertEquals "no-store" "$(header Cache-Control)"
	assertEquals "still logged in after the GET" 204 "$(req -H "Cookie: $old" "$BASE/cgi-bin/validate")"
	assertEquals 303 "$(req -X POST -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertEquals "/" "$(header Location)"
	assertEquals '"cache", "cookies"' "$(header Clear-Site-Data)"
	c=$(header Set-Cookie)
	assertContains "$c" "Max-Age=0"
	assertContains "$c" "; Path=/; HttpOnly; SameSite=Lax"
	assertEquals "a replayed cookie is dead" 401 "$(req -H "Cookie: $old" "$BASE/cgi-bin/validate")"
	assertEquals 401 "$(req -H "Cookie: $old" "$BASE/cgi-bin/app/echo")"
	assertFalse "record deleted" "[ -f '$STATE/sessions/${old#*=}' ]"
	assertEquals "the page knows" 200 "$(req -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertContains "$(cat "$WORK/body")" "You are not logged in here."
}

testLogoutFromAnotherSiteIsRefused() {
	login
	old="$(jar_cookie_name)=$(jar_session)"
	assertEquals "foreign Origin" 403 "$(req -X POST -H 'Origin: http://evil.example' -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertContains "$(cat "$WORK/body")" "The logout form was posted from another site (Origin)"
	assertEquals "another port of this host" 403 "$(req -X POST -H 'Origin: http://127.0.0.1:1' -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertEquals "Sec-Fetch-Site cross-site" 403 "$(req -X POST -H 'Sec-Fetch-Site: cross-site' -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertEquals "Sec-Fetch-Site same-site" 403 "$(req -X POST -H 'Sec-Fetch-Site: same-site' -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	# a sandboxed frame (or a data: URL) of any site posts with Origin: null
	assertEquals "Origin: null alone" 403 "$(req -X POST -H 'Origin: null' -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertContains "$(cat "$WORK/body")" "opaque origin"
	assertEquals "nothing cleared" "" "$(header Clear-Site-Data)$(header Set-Cookie)"
	assertEquals "Origin: null, cross-site" 403 "$(req -X POST -H 'Origin: null' -H 'Sec-Fetch-Site: cross-site' \
		-H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertEquals "Origin: null alone, no cookie either" 403 "$(req -X POST -H 'Origin: null' "$BASE/cgi-bin/logout")"
	assertEquals "the session lives on" 204 "$(req -H "Cookie: $old" "$BASE/cgi-bin/validate")"
	assertEquals "own page: Origin: null (no-referrer), same-origin" 303 "$(req -X POST -H 'Origin: null' \
		-H 'Sec-Fetch-Site: same-origin' "$BASE/cgi-bin/logout")"
	assertEquals "own page: same origin" 303 "$(req -X POST -H "Origin: $BASE" -H 'Sec-Fetch-Site: same-origin' -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertEquals 401 "$(req -H "Cookie: $old" "$BASE/cgi-bin/validate")"
	assertEquals "PUT" 405 "$(req -X PUT -H "Cookie: $old" "$BASE/cgi-bin/logout")"
	assertEquals "GET, HEAD, POST" "$(header Allow)"
}

testFaviconIsServed() {
	assertEquals 200 "$(req "$BASE/favicon.ico")"
	assertEquals image/x-icon "$(header Content-Type)"
	assertTrue "the project's icon" "cmp -s '$WORK/body' '$TOP/html/favicon.ico'"
}

testGarbageSessionIdsAre401() {
	login
	name=$(jar_cookie_name)
	for v in '../token' '../../../etc/passwd' '' 'zz' "$(printf '%064d' 0)" \
		"$(head -c 3000 /dev/zero | tr '\0' a)" '"quoted"'; do
		assertEquals "cookie value [$v]" 401 "$(req -H "Cookie: $name=$v" "$BASE/cgi-bin/validate")"
	done
	assertEquals "no cookie header" 401 "$(req "$BASE/cgi-bin/validate")"
	assertEquals "other cookies only" 401 "$(req -H 'Cookie: a=b; c=d' "$BASE/cgi-bin/validate")"
}

testRepeatedCookiesAnyLiveOneCounts() {
	login
	name=$(jar_cookie_name)
	assertEquals 204 "$(req -H "Cookie: $name=bad; x=1; $name=$(jar_session)" "$BASE/cgi-bin/validate")"
}

testOversizedCookieHeaderIsRefusedCleanly() {
	big=$(head -c 20000 /dev/zero | tr '\0' a)
	# busybox cuts the line at 8191 bytes: what is left is no session
	assertEquals "a 20 kB Cookie: no session" 401 "$(req -H "Cookie: x=$big" "$BASE/cgi-bin/validate")"
}

testBadLoginBodies() {
	big=$(head -c 5000 /dev/zero | tr '\0' a)
	assertEquals 413 "$(req --data "token=$big" "$BASE/cgi-bin/login")"
	assertEquals 415 "$(req -H 'Content-Type: text/plain' --data "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals 405 "$(req -X DELETE "$BASE/cgi-bin/login")"
	assertContains "$(header Allow)" "POST"
	assertEquals 303 "$(req -H 'Content-Type: application/x-www-form-urlencoded; charset=UTF-8' \
		--data "token=$TOKEN" "$BASE/cgi-bin/login")"
}

testMissingTokenFileIs503() {
	mv "$STATE/token" "$STATE/token.away"
	assertEquals 503 "$(req --data "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "$(cat "$WORK/body")" "no token file"
	mv "$STATE/token.away" "$STATE/token"
}

testUnwritableSessionStoreIs503() {
	# a file where the sessions directory belongs: unwritable even for root
	mv "$STATE/sessions" "$STATE/sessions.away"
	: >"$STATE/sessions"
	assertEquals 503 "$(req -H 'Accept: text/html' --data "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "$(cat "$WORK/body")" "cannot store a session"
	assertEquals "no cookie without a stored session" "" "$(header Set-Cookie)"
	rm -f "$STATE/sessions"
	mv "$STATE/sessions.away" "$STATE/sessions"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
