#!/bin/sh
# tls_test.sh - HTTPS on the front port (sh_login start --tls): the
# generated certificate and its printed fingerprint, login and app over
# HTTPS with curl pinned to that certificate, what the front refuses (TLS
# 1.1, non-AEAD suites), plain HTTP on the TLS port, Secure/__Host- cookies,
# HSTS only with a given certificate, WebSocket as wss:// through the relay,
# a 100 MB download byte-exact, and strangers' garbage and 1000 half-open
# handshakes from 127.0.0.2-9 while the owner keeps working from 127.0.0.1.
# variants: GATEWAY=cgi GATEWAY=relay
. "$(dirname "$0")/lib.sh"
WSPY=/usr/bin/python3

oneTimeSetUp() {
	SKIP_WHY=
	if [ "${GATEWAY:-cgi}" = relay ] && [ ! -x "$SH_LOGIN_BUSYBOX" ]; then
		SKIP_WHY="no $SH_LOGIN_BUSYBOX (make busybox)"
		return 0
	fi
	command -v openssl >/dev/null 2>&1 || { SKIP_WHY="no openssl CLI (apt-get install openssl)"; return 0; }
	export SH_LOGIN_TLS_DIR="$WORK/tlsdir"
	start_upstream tcp
	# shellcheck disable=SC2086
	start_gateway $UP_ARGS --tls --timeout 20
	BASE=https://localhost:$GW_PORT
	CERT=$SH_LOGIN_TLS_DIR/selfsigned-127.0.0.1.pem
}
oneTimeTearDown() { cleanup_all; }
setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }

# curl pinned to the generated certificate (no -k anywhere in this suite)
sreq() { req --cacert "$CERT" "$@"; }
slogin() {
	rm -f "$WORK/jar"
	assertEquals "login over https" 303 "$(sreq -c "$WORK/jar" --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
}
# echo_header NAME: what the app's /echo saw for NAME (its JSON, without python)
echo_header() { tr -d ' \n' <"$WORK/body" | grep -o "\\[\"$1\",\"[^\"]*\"\\]" | sed 's/.*,"//; s/"]$//'; }
session() { awk '$6 ~ /^__Host-sh_login_/ { print $6 "=" $7 }' "$WORK/jar"; }

testStartupPrintsHttpsAndTheServedFingerprint() {
	out=$(cat "$WORK/gw.out")
	assertContains "$out" "One-click URL:  https://localhost:$GW_PORT/cgi-bin/login?token=$TOKEN"
	printed=$(awk '/SHA-256:/ { print $2 }' "$WORK/gw.out")
	file_fp=$(openssl x509 -in "$CERT" -noout -fingerprint -sha256 | sed 's/^.*=//')
	served_fp=$(echo | openssl s_client -connect "127.0.0.1:$GW_PORT" -servername localhost 2>/dev/null |
		openssl x509 -noout -fingerprint -sha256 | sed 's/^.*=//')
	assertNotEquals "a fingerprint was printed" "" "$printed"
	assertEquals "printed = file" "$file_fp" "$printed"
	assertEquals "printed = served" "$served_fp" "$printed"
	assertEquals "key is 0600" 600 "$(stat -c %a "$SH_LOGIN_TLS_DIR/selfsigned-127.0.0.1.key")"
	assertEquals "cert is 0600" 600 "$(stat -c %a "$CERT")"
	assertEquals "its directory is 0700" 700 "$(stat -c %a "$SH_LOGIN_TLS_DIR")"
	openssl x509 -in "$CERT" -noout -text >"$WORK/x509"
	assertContains "$(cat "$WORK/x509")" "ASN1 OID: prime256v1"
	assertContains "$(cat "$WORK/x509")" "DNS:localhost"
	assertContains "$(cat "$WORK/x509")" "IP Address:127.0.0.1"
	assertContains "the state file has it" "$(cat "$STATE/state")" "tls_fingerprint=$printed"
}

testLoginAndAppOverHttpsWithSecureHostCookie() {
	slogin
	assertContains "$(header Set-Cookie)" "__Host-sh_login_"
	assertContains "$(header Set-Cookie)" "; Secure"
	assertContains "$(header Set-Cookie)" "Path=/;"
	assertNotContains "$(header Set-Cookie)" "Domain="
	assertEquals "" "$(header Strict-Transport-Security)"   # self-signed: never pinned
	assertEquals 200 "$(sreq -b "$WORK/jar" "$BASE/cgi-bin/app/echo/x")"
	assertEquals https "$(echo_header X-Forwarded-Proto)"
	assertEquals "no session, no app" 401 "$(sreq -H 'Accept: application/json' "$BASE/cgi-bin/app/echo/x")"
	# the one-click URL as printed
	rm -f "$WORK/jar2"
	assertEquals 303 "$(sreq -c "$WORK/jar2" "$BASE/cgi-bin/login?token=$TOKEN")"
}

testClientAddressReachesTheAppAndTheLog() {
	slogin
	assertEquals 200 "$(sreq --interface 127.0.0.5 -b "$WORK/jar" "$BASE/cgi-bin/app/echo/addr")"
	# httpd's peer is the front's socketpair: the address is the front's
	# word (SH_LOGIN_PEER), on the relay through httpd's handoff
	assertEquals 127.0.0.5 "$(echo_header X-Forwarded-For)"
	sleep 0.2
	line=$(grep '/cgi-bin/app/echo/addr' "$STATE/access.log" | tail -n 1)
	assertEquals "access log: the client's address" 127.0.0.5 "$(echo "$line" | awk '{ print $2 }')"
}

# The login throttle counts per client behind TLS too: a guesser on
# 127.0.0.3 is locked out, the owner on 127.0.0.1 is not.
testLoginThrottleSeesTheClientBehindTls() {
	for k in 1 2 3 4 5; do
		assertEquals "guess $k" 403 "$(sreq --interface 127.0.0.3 -d token=wrong "$BASE/cgi-bin/login")"
	done
	assertEquals "127.0.0.3 locked out" 429 "$(sreq --interface 127.0.0.3 -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals "the owner is not" 303 "$(sreq --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
	assertContains "keyed by the client" "$(cat "$STATE/throttle")" "127.0.0.3 "
	assertNotContains "$(cat "$STATE/throttle")" "127.0.0.1 "
}

# The relay's per-client share of stranger slots sees the client behind TLS:
# with SH_LOGIN_RELAY_MAX=8 (4 stranger slots, 2 per client) a stranger on
# 127.0.0.2 holding half-sent heads gets 2 and a 503 for the rest, and the
# owner is still served. Without the client's address every TLS client
# would be one unknown client, counted only against the cap of 8.
testRelayShareSeesTheClientBehindTls() {
	if [ "${GATEWAY:-cgi}" != relay ]; then
		skip_test "per-client shares are the relay's (GATEWAY=relay)"
		return
	fi
	p=$(free_port)
	SH_LOGIN_RELAY_MAX=8 sh "$TOP/scripts/sh_login" start --nginx "$p" --tmpdir "$WORK/state3" \
		--port "$UP_PORT" --tls >"$WORK/gw3.out" 2>"$WORK/gw3.err" &
	pid=$!
	i=0
	until grep -q 'Token:' "$WORK/gw3.out" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
	t=$(awk '/Token:/ { print $2 }' "$WORK/gw3.out")
	b=https://localhost:$p
	rm -f "$WORK/jar3"
	assertEquals "owner logs in" 303 "$(sreq -c "$WORK/jar3" --data-urlencode "token=$t" "$b/cgi-bin/login")"
	python3 "$TOP/tests/tlsheads.py" "$p" "$CERT" 127.0.0.2 8 20 >"$WORK/heads" 2>&1 &
	hpid=$!
	i=0
	until grep -q held "$WORK/heads" 2>/dev/null || [ $i -gt 600 ]; do sleep 0.1; i=$((i + 1)); done
	s=$(sreq --max-time 10 -b "$WORK/jar3" "$b/cgi-bin/app/echo/owner")
	kill -0 "$hpid" 2>/dev/null
	during=$?
	kill "$hpid" 2>/dev/null
	wait "$hpid"
	kill -TERM "$pid"
	wait "$pid"
	assertEquals "the stranger's share" "held 2, refused 6 with 503" "$(cat "$WORK/heads")"
	assertEquals "heads still held while the owner was served" 0 "$during"
	assertEquals "owner served" 200 "$s"
}

testOldProtocolsAndNonAeadSuitesAreRefused() {
	echo | openssl s_client -connect "127.0.0.1:$GW_PORT" -tls1_2 \
		-cipher ECDHE-ECDSA-AES128-GCM-SHA256 >"$WORK/s1" 2>&1
	assertContains "TLS 1.2 AEAD works" "$(cat "$WORK/s1")" "Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"
	echo | openssl s_client -connect "127.0.0.1:$GW_PORT" -tls1_2 \
		-cipher ECDHE-ECDSA-CHACHA20-POLY1305 >"$WORK/s1" 2>&1
	assertContains "ChaCha20-Poly1305 works" "$(cat "$WORK/s1")" "Cipher is ECDHE-ECDSA-CHACHA20-POLY1305"
	echo | openssl s_client -connect "127.0.0.1:$GW_PORT" -tls1_1 -cipher 'ALL:@SECLEVEL=0' >"$WORK/s2" 2>&1
	assertContains "TLS 1.1 refused" "$(cat "$WORK/s2")" "Cipher is (NONE)"
	echo | openssl s_client -connect "127.0.0.1:$GW_PORT" -tls1_2 \
		-cipher 'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:AES128-SHA' >"$WORK/s3" 2>&1
	assertContains "CBC suites refused" "$(cat "$WORK/s3")" "Cipher is (NONE)"
	echo | openssl s_client -connect "127.0.0.1:$GW_PORT" -tls1_2 -cipher 'AES128-GCM-SHA256' >"$WORK/s4" 2>&1
	assertContains "no ECDHE refused" "$(cat "$WORK/s4")" "Cipher is (NONE)"
	assertContains "no compression" "$(cat "$WORK/s1")" "Compression: NONE"
}

testPlainHttpOnTheTlsPortIsRedirectedAtOnce() {
	start=$(date +%s)
	assertEquals 301 "$(req --max-time 5 "http://localhost:$GW_PORT/cgi-bin/app/x?y=1")"
	assertEquals "https://localhost:$GW_PORT/cgi-bin/app/x?y=1" "$(header Location)"
	assertEquals "a POST gets 400" 400 "$(req --max-time 5 -d a=b "http://localhost:$GW_PORT/cgi-bin/login")"
	assertContains "$(cat "$WORK/body")" "HTTPS"
	assertTrue "answered within 4 s" "[ $(($(date +%s) - start)) -le 4 ]"
	raw "GARBAGE\r\n\r\n"
	assertEquals 400 "$(raw_status)"
}

testHstsAndRsaWithAGivenCertificate() {
	d=$WORK/given
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/key.pem" -out "$d/cert.pem" -days 2 \
		-subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1
	p=$(free_port)
	sh "$TOP/scripts/sh_login" start --nginx "$p" --tmpdir "$WORK/state2" --port "$UP_PORT" \
		--tls-cert "$d/cert.pem" --tls-key "$d/key.pem" >"$WORK/gw2.out" 2>"$WORK/gw2.err" &
	pid=$!
	"$CGI" probe 127.0.0.1 "$p" 10
	i=0
	until grep -q 'Token:' "$WORK/gw2.out" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
	t=$(awk '/Token:/ { print $2 }' "$WORK/gw2.out")
	s=$(req --cacert "$d/cert.pem" --data-urlencode "token=$t" "https://localhost:$p/cgi-bin/login")
	kill -TERM "$pid"
	wait "$pid"
	assertEquals 303 "$s"
	assertEquals "max-age=31536000" "$(header Strict-Transport-Security)"
	assertContains "$(cat "$WORK/gw2.out")" "Certificate:    $d/cert.pem"
}

testWebSocketAsWssThroughTheRelay() {
	if [ "${GATEWAY:-cgi}" != relay ]; then
		skip_test "WebSocket needs the relay (GATEWAY=relay)"
		return
	fi
	"$WSPY" -c 'import websockets' 2>/dev/null || { skip_test "no python3-websockets"; return; }
	slogin
	assertEquals "echo ok" "$(WS_CAFILE=$CERT "$WSPY" "$TOP/tests/wsclient.py" \
		"wss://localhost:$GW_PORT/cgi-bin/app/ws" "$(session)" "https://localhost:$GW_PORT")"
	assertContains "no session" "$(WS_CAFILE=$CERT "$WSPY" "$TOP/tests/wsclient.py" \
		"wss://localhost:$GW_PORT/cgi-bin/app/ws" "")" "HTTP 401"
}

testHundredMegabyteDownloadIsByteExact() {
	slogin
	n=104857600
	want=$(curl -s --max-time 60 "http://127.0.0.1:$UP_PORT/big?bytes=$n" | sha256sum)
	got=$(curl -s --max-time 120 --cacert "$CERT" -b "$WORK/jar" "$BASE/cgi-bin/app/big?bytes=$n" | sha256sum)
	size=$(curl -s --max-time 120 --cacert "$CERT" -b "$WORK/jar" -o /dev/null -w '%{size_download}' \
		"$BASE/cgi-bin/app/big?bytes=$n")
	assertEquals "$n" "$size"
	assertEquals "same bytes as from the app itself" "$want" "$got"
}

testGarbageAndHalfOpenHandshakesLeaveTheOwnerServed() {
	slogin
	python3 "$TOP/tests/tlsflood.py" "$GW_PORT" 1000 8 >"$WORK/flood" 2>&1 &
	fpid=$!
	i=0
	until grep -q opened "$WORK/flood" 2>/dev/null || [ $i -gt 300 ]; do sleep 0.1; i=$((i + 1)); done
	assertContains "$(cat "$WORK/flood")" "opened"
	# the owner, meanwhile, from 127.0.0.1: generous bounds, liveness only
	s1=$(sreq --max-time 5 -b "$WORK/jar" "$BASE/cgi-bin/app/echo/owner1")
	s2=$(sreq --max-time 5 -b "$WORK/jar" "$BASE/cgi-bin/app/echo/owner2")
	kill -0 "$fpid" 2>/dev/null
	during=$?
	wait "$fpid"
	assertEquals "flood still held while the owner was served" 0 "$during"
	assertEquals "owner served during the flood" 200 "$s1"
	assertEquals "and again" 200 "$s2"
	# random bytes and a truncated hello on their own
	head -c 2000 /dev/urandom >"$WORK/rand"
	timeout 3 python3 "$TOP/tests/rawhttp.py" 127.0.0.1 "$GW_PORT" '\x16\x03\x01\x00\x40hello' >/dev/null 2>&1 || :
	curl -s --max-time 3 --data-binary @"$WORK/rand" "telnet://127.0.0.1:$GW_PORT" >/dev/null 2>&1 || :
	assertEquals "owner served after it" 200 "$(sreq --max-time 5 -b "$WORK/jar" "$BASE/cgi-bin/app/echo/owner3")"
	assertTrue "the gateway is still up" "kill -0 $GW_PID"
}

testVersionNamesTheLibrary() {
	v=$("$CGI" tls --version)
	assertEquals 0 $?
	assertContains "$v" "BearSSL"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
