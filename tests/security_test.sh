#!/bin/sh
# security_test.sh - adversarial tests against the real gateway (sh_login,
# busybox httpd, the sanitizer build of the CGIs, tests/upstream.py):
# Host check (DNS rebinding), login CSRF, login throttling with parallel
# clients, forwarding hygiene, malformed app answers, the gateway cookie,
# open redirects, session id format, secrets in logs.
. "$(dirname "$0")/lib.sh"

# Generous throttle limits unless a test sets its own: other tests send
# wrong tokens on purpose.
SH_LOGIN_HOSTS='a.example, b.example:8443'
SH_LOGIN_THROTTLE_CLIENT=1000
SH_LOGIN_THROTTLE_ALL=1000
export SH_LOGIN_HOSTS SH_LOGIN_THROTTLE_CLIENT SH_LOGIN_THROTTLE_ALL

oneTimeSetUp() {
	start_upstream tcp
	# shellcheck disable=SC2086
	start_gateway $UP_ARGS
	login
}
oneTimeTearDown() { cleanup_all; }

# restart [VAR=value ...]: the gateway again, with these settings (they
# stay exported: the throttle tests come last and set all they need), and
# a fresh session in the jar.
restart() {
	stop_gateway
	for a in "$@"; do export "$a"; done
	# shellcheck disable=SC2086
	start_gateway $UP_ARGS
	login
}

app() { req -b "$WORK/jar" "$@"; }
body() { cat "$WORK/body"; }
app_header() {
	python3 -c 'import json,sys
h=[v for k,v in json.load(open(sys.argv[1]))["headers"] if k.lower()==sys.argv[2].lower()]
print("|".join(h))' "$WORK/body" "$1"
}
# hex STRING: bytes as hex (printf %b escapes: \r \n \t \0NNN), for
# upstream.py's /raw route
hex() { printf '%b' "$1" | od -An -v -tx1 | tr -d ' \n'; }
# app_header_names: every header name the app received, one a line
app_header_names() {
	python3 -c 'import json,sys
for k,v in json.load(open(sys.argv[1]))["headers"]: print(k)' "$WORK/body"
}
# raw_json: the JSON body of the last raw() answer ("" if none)
raw_body() { sed '1,/^\r*$/d' "$WORK/raw"; }
cookie_hdr() { echo "$(jar_cookie_name)=$(jar_session)"; }

# --- Host check (DNS rebinding) ---------------------------------------------

testHostCheckRefusesForeignNamesOnEveryApplet() {
	for url in / /cgi-bin/login /cgi-bin/logout /cgi-bin/validate /cgi-bin/app/echo \
		/cgi-bin/app/ /cgi-bin/app/echo/sub/; do
		for h in evil.example "evil.example:$GW_PORT" localhost.evil.example 127.0.0.1.nip.io \
			b.example:9999 'a.example@evil.example' '0x7f.1'; do
			s=$(app -H "Host: $h" -H 'Accept: text/html' "$BASE$url")
			assertEquals "$url with Host $h" 403 "$s"
			assertContains "$url with Host $h says why" "$(body)" "DNS rebinding"
		done
	done
	assertEquals "the app never saw them" 403 "$(app -H 'Host: evil.example' "$BASE/cgi-bin/app/echo")"
	assertNotContains "$(body)" '"method"'
}

testHostCheckAcceptsTheGatewaysNames() {
	for h in "localhost:$GW_PORT" localhost LOCALHOST. "127.0.0.1:$GW_PORT" "[::1]:$GW_PORT" \
		10.11.12.13 a.example A.Example:1234 b.example:8443 "$(uname -n)" "$(uname -n):$GW_PORT"; do
		# (the cookie by hand: curl matches its jar against the Host header)
		assertEquals "validate with Host $h" 204 \
			"$(req -H "Host: $h" -H "Cookie: $(cookie_hdr)" "$BASE/cgi-bin/validate")"
		assertEquals "app with Host $h" 200 \
			"$(req -H "Host: $h" -H "Cookie: $(cookie_hdr)" "$BASE/cgi-bin/app/echo")"
	done
	raw "GET /cgi-bin/validate HTTP/1.0\r\n\r\n"
	assertContains "no Host at all (HTTP/1.0): not a browser, no rebinding" "$(head -1 "$WORK/raw")" 401
}

# --- login CSRF ------------------------------------------------------------------

testLoginCsrfRefusesOtherSites() {
	for o in http://evil.example "http://localhost:$((GW_PORT + 1))" "http://127.0.0.1:$((GW_PORT + 1))" \
		"https://evil.example:$GW_PORT" "http://localhost:$GW_PORT" 'http://127.0.0.1:1x'; do
		s=$(req -H "Origin: $o" --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")
		assertEquals "Origin $o" 403 "$s"
		assertContains "$(body)" "another site"
		assertEquals "no cookie for Origin $o" "" "$(header Set-Cookie)"
	done
	for site in cross-site same-site; do
		assertEquals "Sec-Fetch-Site: $site" 403 \
			"$(req -H "Sec-Fetch-Site: $site" --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
		assertEquals "" "$(header Set-Cookie)"
	done
	assertEquals "same Origin, cross-site fetch" 403 "$(req -H "Origin: http://127.0.0.1:$GW_PORT" \
		-H 'Sec-Fetch-Site: cross-site' --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "Origin null from a cross-site sandbox" 403 "$(req -H 'Origin: null' \
		-H 'Sec-Fetch-Site: cross-site' --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "Origin null without Sec-Fetch-Site" 403 "$(req -H 'Origin: null' \
		--data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "$(body)" "opaque origin"
	assertEquals "no cookie" "" "$(header Set-Cookie)"
}

testLoginCsrfAllowsSameOriginAndNoOrigin() {
	assertEquals "no Origin (curl)" 303 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "same origin" 303 "$(req -H "Origin: http://127.0.0.1:$GW_PORT" \
		-H 'Sec-Fetch-Site: same-origin' --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "same origin by name" 303 "$(req -H "Host: localhost:$GW_PORT" \
		-H "Origin: http://LOCALHOST:$GW_PORT" --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "our own form: no-referrer makes the browser send Origin: null" 303 \
		"$(req -H 'Origin: null' -H 'Sec-Fetch-Site: same-origin' --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "typed URL (Sec-Fetch-Site: none)" 303 "$(req -H 'Sec-Fetch-Site: none' \
		--data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "a configured outer name (TLS terminator rewriting Host)" 303 \
		"$(req -H 'Origin: https://a.example' --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
}

# --- forwarding hygiene -------------------------------------------------------------

testHeaderNameCollisionsArriveAsOne() {
	assertEquals 200 "$(app -H 'X-Foo: dash' -H 'X_Foo: underscore' -H 'X.Foo: dot' "$BASE/cgi-bin/app/echo")"
	assertEquals "one X-Foo reaches the app" 1 "$(app_header X-Foo | awk -F'|' '{ print NF }')"
	assertEquals "no other spelling reaches the app" "" "$(app_header X_Foo)$(app_header X.Foo)"
}

testControlBytesNeverReachTheApp() {
	c=$(cookie_hdr)
	# bare CR, NUL, obs-fold, space before the colon, DEL and C0 bytes
	for v in 'a\rX-Injected: 1' 'a\x00X-Injected: 1' 'a\r\n X-Injected: 1' \
		'a\r\nX-Injected : 1' 'a\x7fb' 'a\x01b'; do
		raw "GET /cgi-bin/app/echo HTTP/1.1\r\nHost: localhost\r\nCookie: $c\r\nX-Evil: $v\r\n\r\n"
		raw_body >"$WORK/body"
		if grep -q '"headers"' "$WORK/body"; then
			assertEquals "header value [$v]: no smuggled header name" "" \
				"$(app_header_names | grep -i 'inject')"
			assertEquals "header value [$v]: no control byte in any value" "" \
				"$(python3 -c 'import json,sys
for k,v in json.load(open(sys.argv[1]))["headers"]:
    if any(ord(ch) < 32 and ch != "\t" or ord(ch) == 127 for ch in v): print(k)' "$WORK/body")"
		else
			assertContains "header value [$v]: refused" "$(head -1 "$WORK/raw")" ' 400 '
		fi
	done
	for p in 'cr%0D%0AX-Injected:%201' 'lf%0AX-Injected:%201' 'tab%09x' 'sp%20HTTP/1.1%0D%0AX-Injected:%201'; do
		assertEquals "path $p" 200 "$(app "$BASE/cgi-bin/app/echo/$p")"
		assertEquals "path $p: no smuggled header" "" "$(app_header X-Injected)"
		assertEquals "path $p reaches the app re-encoded" "/echo/$p" \
			"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["target"])' "$WORK/body")"
	done
	assertEquals "%00 in the path never reaches a CGI" 404 "$(app "$BASE/cgi-bin/app/echo/nul%00x")"
	s=$(app "$BASE/cgi-bin/app/echo?q=a%0D%0Ab")
	assertEquals "an encoded query passes as is" "/echo?q=a%0D%0Ab" \
		"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["target"])' "$WORK/body")"
}

testClientIdentityHeadersAreDropped() {
	assertEquals 200 "$(app -H 'X-Forwarded-For: 6.6.6.6' -H 'X-Real-IP: 6.6.6.6' \
		-H 'Forwarded: for=6.6.6.6;proto=https' -H 'X-Forwarded-Host: evil.example' \
		-H 'X-Forwarded-Proto: gopher' -H 'X-Forwarded-Port: 1' -H 'X-Forwarded-Prefix: /evil' \
		-H 'X-Client-IP: 6.6.6.6' -H 'True-Client-IP: 6.6.6.6' -H 'CF-Connecting-IP: 6.6.6.6' \
		-H 'Client-IP: 6.6.6.6' -H 'X-Cluster-Client-IP: 6.6.6.6' -H 'X-Scheme: https' \
		-H 'X-Original-URL: /admin' -H 'X-Rewrite-URL: /admin' -H 'X_Forwarded_For: 6.6.6.6' \
		-H 'Proxy: http://evil.example:1' -H 'Proxy-Authorization: Basic eDp5' \
		"$BASE/cgi-bin/app/echo")"
	assertNotContains "nothing the client claimed reaches the app" "$(body)" '6.6.6.6'
	assertNotContains "$(body)" 'evil'
	assertNotContains "$(body)" 'gopher'
	assertNotContains "$(body)" '/admin'
	assertNotContains "$(body)" 'eDp5'
	assertEquals "127.0.0.1" "$(app_header X-Forwarded-For)"
	assertEquals "http" "$(app_header X-Forwarded-Proto)"
	assertEquals "" "$(app_header X-Scheme)$(app_header X-Real-Ip)$(app_header Forwarded)"
}

testHeaderPolicyTable() {
	# 2 forwarding names folded from X_Foo, 7 identity, 4 forwarding
	header_policy_check "$(cookie_hdr)" 13
}

testHeaderLineBusyboxCutIsRefused() {
	long=$(head -c 9000 /dev/zero | tr '\0' a)
	assertEquals "cut by busybox: 431, never forwarded cut" 431 "$(app -H "X-Long: $long" "$BASE/cgi-bin/app/echo")"
	short=$(head -c 8100 /dev/zero | tr '\0' a)
	assertEquals "under the line limit: forwarded" 200 "$(app -H "X-Long: $short" "$BASE/cgi-bin/app/echo")"
	assertEquals "$short" "$(app_header X-Long)"
}

testTransferEncodingNeverForwarded() {
	# The forwarding CGI refuses every request that carries a transfer coding
	# with 411 (README: "a chunked upload 411"); busybox hands it
	# Transfer_Encoding and Transfer.Encoding as HTTP_TRANSFER_ENCODING too.
	# TE alone is hop-by-hop: dropped, the request forwarded.
	for c in '411|Transfer-Encoding: chunked' '411|transfer-encoding: chunked' \
		'411|Transfer_Encoding: chunked' '411|Transfer.Encoding: chunked' \
		'411|TRANSFER-ENCODING: identity' '411|Transfer-Encoding: gzip, chunked' \
		'200|TE: trailers' '411|Transfer-Encoding:chunked'; do
		want=${c%%|*} te=${c#*|}
		s=$(app -H "$te" --data-binary hello "$BASE/cgi-bin/app/echo")
		assertEquals "$te" "$want" "$s"
		assertNotContains "$te ($s)" "$(body)" '"Transfer-Encoding"'
		assertNotContains "$te ($s)" "$(body)" '"Transfer_Encoding"'
		assertNotContains "$te ($s)" "$(body)" '"TE"'
	done
	assertEquals "chunked upload refused" 411 \
		"$(app -H 'Transfer-Encoding: chunked' --data-binary hello "$BASE/cgi-bin/app/echo")"
}

testConflictingLengthsRejected() {
	c=$(cookie_hdr)
	# Two real Content-Length headers never reach a CGI as two: busybox keeps
	# the last for reading the body and for HTTP_CONTENT_LENGTH alike, so the
	# app gets one length that matches the body it gets.
	raw "POST /cgi-bin/app/echo HTTP/1.1\r\nHost: localhost\r\nCookie: $c\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhelloXY"
	raw_body >"$WORK/body"
	assertEquals "duplicate Content-Length: one length reaches the app" 7 "$(app_header Content-Length)"
	assertEquals "... and it frames the body the app got" 7 \
		"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["body_length"])' "$WORK/body")"
	# What the CGI can see conflicting (a collision, or a malformed number): refused.
	for cl in 'Content_Length: 7' 'Content.Length: 700' 'Content-Length: 5, 5' 'Content-Length: +5' \
		'Content-Length: 0x5'; do
		s=$(app -H "$cl" --data-binary hello "$BASE/cgi-bin/app/echo")
		assertNotContains "$cl: refused, not forwarded ($s)" "$(body)" '"body_length"'
		assertEquals "$cl: 400 (from busybox or the CGI)" 400 "$s"
	done
}

testOnlyKnownMethodsAreForwarded() {
	for m in TRACE CONNECT PROPFIND MKCOL LOCK PURGE; do
		s=$(app -X "$m" "$BASE/cgi-bin/app/echo")
		assertNotContains "method [$m] not forwarded ($s)" "$(body)" '"method"'
		assertEquals "method [$m]" 405 "$s"
	done
	raw "G ET /cgi-bin/app/echo HTTP/1.1\r\nHost: localhost\r\nCookie: $(cookie_hdr)\r\n\r\n"
	assertEquals "a broken request line: busybox's 400" "HTTP/1.1 400 Bad Request" \
		"$(head -n 1 "$WORK/raw" | tr -d '\r')"
	assertNotContains "a broken request line is not forwarded" "$(cat "$WORK/raw")" '"method"'
	for m in get Get; do     # busybox matches methods case-blind and names them itself
		assertEquals "method [$m]: forwarded" 200 "$(app -X "$m" "$BASE/cgi-bin/app/echo")"
		assertEquals "method [$m] reaches the app as GET" GET \
			"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["method"])' "$WORK/body")"
	done
	for m in GET HEAD POST PUT PATCH DELETE OPTIONS; do
		s=$(app -X "$m" -H 'Content-Length: 0' "$BASE/cgi-bin/app/echo")
		assertEquals "method $m is forwarded" 200 "$s"
	done
}

testMalformedAppResponsesAre502() {
	for r in 'garbage\r\n\r\n' 'HTTP/1.1 200 OK\r\nNo-Colon\r\n\r\n' \
		'HTTP/1.1 200 OK\r\nX-A: 1\r\n folded: 2\r\n\r\n' 'HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n' \
		'HTTP/1.1 200 OK\r\nX-A: a\0000b\r\n\r\n' 'HTTP/1.1 200 OK\r\nX-A: a\rSet-Cookie: x=1\r\n\r\n' \
		'HTTP/2.0 200 OK\r\n\r\n' 'HTTP/1.1 099 Low\r\n\r\n' 'HTTP/1.1 600 High\r\n\r\n' \
		'HTTP/1.1 2000 OK\r\n\r\n' 'HTTP/1.1 200 OK\r\nX A: 1\r\n\r\n' \
		'HTTP/1.1 200 OK\r\n: empty\r\n\r\n' 'HTTP/1.1 200 O\0001K\r\n\r\n' \
		'HTTP/1.1 200 OK\r\nX-A: \0177\r\n\r\n' 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n' \
		'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!' \
		'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello' \
		'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n' ''; do
		assertEquals "app answer [$r]" 502 "$(app "$BASE/cgi-bin/app/raw?hex=$(hex "$r")")"
	done
	assertEquals "a head over 32 KiB" 502 \
		"$(app "$BASE/cgi-bin/app/raw?pad=40000&hex=$(hex 'HTTP/1.1 200 OK\r\n\r\n')")"
	assertEquals "a well-formed raw answer passes" 200 \
		"$(app "$BASE/cgi-bin/app/raw?hex=$(hex 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')")"
	assertEquals ok "$(body)"
}

testAppCannotSetOrClearTheGatewayCookie() {
	name=$(jar_cookie_name)
	for sc in "Set-Cookie: $name=evil; Path=/" "Set-Cookie: $name=; Max-Age=0; Path=/" \
		"Set-Cookie: $name=x; Path=/cgi-bin/app/" "set-cookie:  $name =x" "Set-Cookie:$name=x" \
		'Clear-Site-Data: "cookies"' 'Clear-Site-Data: "cache", "*"'; do
		assertEquals "[$sc]" 200 "$(app "$BASE/cgi-bin/app/raw?hex=$(hex "HTTP/1.1 200 OK\r\n$sc\r\nSet-Cookie: app=1\r\nContent-Length: 0\r\n\r\n")")"
		assertNotContains "[$sc] dropped" "$(cat "$WORK/head")" "$name"
		assertNotContains "[$sc] dropped" "$(cat "$WORK/head")" "Clear-Site-Data"
		assertContains "the app's own cookie stays" "$(header Set-Cookie)" "app=1"
	done
	assertEquals 200 "$(app "$BASE/cgi-bin/app/raw?hex=$(hex 'HTTP/1.1 200 OK\r\nClear-Site-Data: "cache"\r\nContent-Length: 0\r\n\r\n')")"
	assertEquals "harmless Clear-Site-Data stays" '"cache"' "$(header Clear-Site-Data)"
	assertEquals "the session still works" 204 "$(app "$BASE/cgi-bin/validate")"
}

# --- open redirects against the real /cgi-bin/login ------------------------------
# next (as the form sends it, decoded) | where the 303 goes
REDIRECTS='/cgi-bin/app/tree?x=1|/cgi-bin/app/tree?x=1
/|/
/a//b|/a//b
/%2F%2Fevil.example|/%2F%2Fevil.example
//evil.example|/cgi-bin/app/
///evil.example|/cgi-bin/app/
/\\evil.example|/cgi-bin/app/
\\\\evil.example|/cgi-bin/app/
\\/evil.example|/cgi-bin/app/
/\t/evil.example|/cgi-bin/app/
/\n/evil.example|/cgi-bin/app/
/\r\nLocation: http://evil.example|/cgi-bin/app/
 //evil.example|/cgi-bin/app/
\t//evil.example|/cgi-bin/app/
https://evil.example|/cgi-bin/app/
http:evil.example|/cgi-bin/app/
HTTP://evil.example|/cgi-bin/app/
//user@evil.example|/cgi-bin/app/
https://127.0.0.1@evil.example/|/cgi-bin/app/
javascript:alert(1)|/cgi-bin/app/
JaVaScRiPt:alert(1)|/cgi-bin/app/
data:text/html,<script>alert(1)</script>|/cgi-bin/app/
evil.example|/cgi-bin/app/
/\0342\0200\0256/evil|/cgi-bin/app/
/\0357\0274\0217/evil|/cgi-bin/app/
/\0177/evil|/cgi-bin/app/'

testOpenRedirectTable() {
	n=0
	printf '%s\n' "$REDIRECTS" >"$WORK/redirects"
	while IFS='|' read -r next want; do
		n=$((n + 1))
		nx=$(printf '%b' "$next")
		s=$(req --data-urlencode "token=$TOKEN" --data-urlencode "next=$nx" "$BASE/cgi-bin/login")
		if [ "$s" = 303 ]; then
			assertEquals "next=[$next]" "$want" "$(header Location)"
		else
			assertEquals "next=[$next]: refused" 400 "$s"
		fi
	done <"$WORK/redirects"
	assertEquals "the whole table ran" 26 "$n"
	long=/$(head -c 3000 /dev/zero | tr '\0' a)
	s=$(req --data-urlencode "token=$TOKEN" --data-urlencode "next=$long" "$BASE/cgi-bin/login")
	[ "$s" = 400 ] || assertEquals "overlong next ($s)" /cgi-bin/app/ "$(header Location)"
	for q in 'next=%2F%2Fevil.example' 'next=%5C%5Cevil.example' 'next=%2F%09%2Fevil' 'next=/%5Cevil' \
		'next=/%252F%252Fevil'; do
		req "$BASE/cgi-bin/login?token=$TOKEN&$q" >/dev/null
		case $q in
		*%252F*) assertEquals "one-click [$q]" /%2F%2Fevil "$(header Location)" ;;
		*) assertEquals "one-click [$q]" /cgi-bin/app/ "$(header Location)" ;;
		esac
	done
}

# --- session ids ----------------------------------------------------------------------

testSessionIdFormatCheckedBeforeLookup() {
	name=$(jar_cookie_name)
	now=$(date +%s)
	fake=$(printf '%064d' 7 | tr 0 a)
	# a record outside the store, reachable by a symlink with a valid-looking name
	printf 'created=%s\n' "$now" >"$WORK/forged"
	ln -s "$WORK/forged" "$STATE/sessions/$fake"
	mkdir "$STATE/sessions/$(printf '%064d' 8 | tr 0 b)"
	cp "$STATE/token" "$WORK/token.keep"
	for v in ../token ../../../../etc/passwd ..%2Ftoken sessions/../token "$TOKEN" "../sessions/$(jar_session)" \
		"$(jar_session | tr a-f A-F)" "$(jar_session)/." "./$(jar_session)" "$fake" \
		"$(printf '%064d' 8 | tr 0 b)" "$(jar_session)x" "$(jar_session | cut -c2-)"; do
		assertEquals "validate, cookie [$v]" 401 "$(req -H "Cookie: $name=$v" "$BASE/cgi-bin/validate")"
		assertEquals "app, cookie [$v]" 401 "$(req -H "Cookie: $name=$v" "$BASE/cgi-bin/app/echo")"
		req -X POST -H "Cookie: $name=$v" "$BASE/cgi-bin/logout" >/dev/null
	done
	assertTrue "logout with ../token deleted nothing" "cmp -s '$STATE/token' '$WORK/token.keep'"
	assertTrue "the forged record is untouched" "[ -f '$WORK/forged' ]"
	assertEquals "our session survived" 204 "$(app "$BASE/cgi-bin/validate")"
	rm -rf "$STATE/sessions/$fake" "$STATE/sessions/$(printf '%064d' 8 | tr 0 b)"
}

# --- gateway pages --------------------------------------------------------------------

testRefusalPagesCarrySecurityHeaders() {
	for u in "-H Host:evil.example $BASE/" "-H Origin:http://evil.example -d token=x $BASE/cgi-bin/login" \
		"-d token=wrong $BASE/cgi-bin/login" "$BASE/"; do
		# shellcheck disable=SC2086
		req -H 'Accept: text/html' $u >/dev/null
		assertEquals "[$u]" no-store "$(header Cache-Control)"
		assertEquals "[$u]" DENY "$(header X-Frame-Options)"
		assertEquals "[$u]" no-referrer "$(header Referrer-Policy)"
		assertContains "[$u]" "$(header Content-Security-Policy)" "frame-ancestors 'none'"
	done
}

# --- secrets in logs ------------------------------------------------------------------

testNoTokenOrSessionIdInAnyLog() {
	wrong=wrong-$(date +%s)-guess
	login; sid=$(jar_session)
	req "$BASE/cgi-bin/login?token=$TOKEN&next=%2Fcgi-bin%2Fapp%2Fecho" >/dev/null
	sid2=$(header Set-Cookie | sed 's/^[^=]*=//; s/;.*//')
	req -d "token=$wrong" "$BASE/cgi-bin/login" >/dev/null
	req "$BASE/cgi-bin/login?token=$wrong" >/dev/null
	app "$BASE/cgi-bin/app/echo?token=$TOKEN" >/dev/null
	app "$BASE/cgi-bin/validate" >/dev/null
	app -H "Host: evil.example" "$BASE/cgi-bin/app/echo" >/dev/null
	app -X POST "$BASE/cgi-bin/logout" >/dev/null
	req -H "Cookie: $(jar_cookie_name)=$sid" "$BASE/cgi-bin/app/echo" >/dev/null
	sleep 0.3
	files=$(find "$STATE" -type f ! -name token ! -path "$STATE/sessions/*" ! -path "$STATE/www/*")
	assertNotEquals "there are logs to look at" "" "$files"
	for f in $files; do
		assertNotContains "token in $f" "$(cat "$f")" "$TOKEN"
		assertNotContains "wrong token in $f" "$(cat "$f")" "$wrong"
		assertNotContains "session id in $f" "$(cat "$f")" "$sid"
		[ -z "$sid2" ] || assertNotContains "session id in $f" "$(cat "$f")" "$sid2"
	done
	assertNotContains "nor in sh_login's own output" "$(cat "$WORK/gw.err")" "$sid"
}

# --- login throttling (each test restarts the gateway with its own limits) -------------

# SECURITY_PARALLEL clients (default 40; valgrind_test.sh sets fewer: 40
# valgrind starts at once would wait out THROTTLE_LOCK_WAIT_MS), limit 3/4.
testThrottleCountIsExactUnderParallelClients() {
	par=${SECURITY_PARALLEL:-40}
	limit=$((par * 3 / 4))
	restart SH_LOGIN_THROTTLE_CLIENT=$limit SH_LOGIN_THROTTLE_ALL=1000 SH_LOGIN_THROTTLE_WINDOW=600
	pids=
	i=0
	while [ $i -lt "$par" ]; do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -d "token=wrong$i" \
			"$BASE/cgi-bin/login" >"$WORK/par.$i" &
		pids="$pids $!"
		i=$((i + 1))
	done
	for p in $pids; do wait "$p"; done
	cat "$WORK"/par.* >"$WORK/par"
	assertEquals "exactly the limit got a token compare" "$limit" "$(grep -c '^403$' "$WORK/par")"
	assertEquals "the rest were throttled" $((par - limit)) "$(grep -c '^429$' "$WORK/par")"
	assertEquals "the right token waits too" 429 \
		"$(req -H 'Accept: text/html' --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	ra=$(header Retry-After)
	assertTrue "Retry-After $ra within the window" "[ '$ra' -ge 500 ] && [ '$ra' -le 600 ]"
	assertContains "the login page says why" "$(body)" "Too many wrong tokens"
	assertContains "$(body)" 'name="token"'
	assertEquals "no cookie" "" "$(header Set-Cookie)"
	assertEquals "one-click GET throttled too" 429 "$(req "$BASE/cgi-bin/login?token=$TOKEN")"
	assertEquals "the app still answers other sessions" 204 "$(app "$BASE/cgi-bin/validate")"
}

testThrottlePerClientAndOverallIgnoresForwardedFor() {
	restart SH_LOGIN_THROTTLE_CLIENT=3 SH_LOGIN_THROTTLE_ALL=7 SH_LOGIN_THROTTLE_WINDOW=600
	for ip in 127.0.0.2 127.0.0.3; do
		for k in 1 2 3; do
			assertEquals "$ip guess $k" 403 "$(req --interface "$ip" -H "X-Forwarded-For: 10.0.0.$k" \
				-H "X-Real-IP: 10.0.0.$k" -d token=wrong "$BASE/cgi-bin/login")"
		done
		assertEquals "$ip locked, whatever X-Forwarded-For says" 429 \
			"$(req --interface "$ip" -H 'X-Forwarded-For: 10.9.9.9' -d token=wrong "$BASE/cgi-bin/login")"
	done
	assertEquals "127.0.0.4: its own count" 403 "$(req --interface 127.0.0.4 -d token=wrong "$BASE/cgi-bin/login")"
	# 7 overall: the overall lockout slows guessers, it refuses nobody
	assertEquals "127.0.0.4 guessed during it: slowed, compared" 403 \
		"$(req --interface 127.0.0.4 -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals "127.0.0.5 during the overall lockout" 403 \
		"$(req --interface 127.0.0.5 -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals "127.0.0.5 again: compared (its own limit is 3)" 403 \
		"$(req --interface 127.0.0.5 -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals "127.0.0.4: its own 3rd" 403 "$(req --interface 127.0.0.4 -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals "127.0.0.4: then its own lockout" 429 "$(req --interface 127.0.0.4 -d token=wrong "$BASE/cgi-bin/login")"
	ra=$(header Retry-After)
	assertTrue "Retry-After $ra: its own lockout" "[ '$ra' -ge 500 ] && [ '$ra' -le 600 ]"
	assertEquals "127.0.0.5: the right token after two wrong ones in the overall lockout" 303 \
		"$(req --interface 127.0.0.5 --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals "the right token is never refused for others' guesses" 303 \
		"$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "state keyed by REMOTE_ADDR only" "$(cat "$STATE/throttle")" "127.0.0.2 "
	assertNotContains "$(cat "$STATE/throttle")" "10.0.0"
}

testThrottleCountsFailuresOnlyAndBacksOff() {
	if [ -n "${SECURITY_NO_TIMING:-}" ]; then   # valgrind_test.sh: seconds per request
		skip_test "lockout timing under valgrind (seconds per request)"
		return
	fi
	# a 5 s window: room for two requests on a loaded machine (or under valgrind)
	restart SH_LOGIN_THROTTLE_CLIENT=2 SH_LOGIN_THROTTLE_ALL=100 SH_LOGIN_THROTTLE_WINDOW=5 \
		SH_LOGIN_THROTTLE_BACKOFF=60
	for k in 1 2 3 4 5; do   # malformed, empty, cross-site: no token compared, not counted
		req -d 'token=%zz' "$BASE/cgi-bin/login" >/dev/null
		req -d 'token=' "$BASE/cgi-bin/login" >/dev/null
		req -H 'Origin: http://evil.example' -d token=wrong "$BASE/cgi-bin/login" >/dev/null
	done
	assertEquals "refusals did not count" 403 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals "a success forgets the client's failures" 303 \
		"$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertEquals 403 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals "2nd failure: locked" 403 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals 429 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	first=$(header Retry-After)
	assertTrue "first lockout $first s" "[ '$first' -ge 2 ] && [ '$first' -le 5 ]"
	sleep $((first + 1))
	assertEquals 403 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals 403 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals 429 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	second=$(header Retry-After)
	assertTrue "second lockout doubles: $second s" "[ '$second' -ge 7 ] && [ '$second' -le 10 ]"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
