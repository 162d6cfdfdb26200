#!/bin/sh
# frontdoor_test.sh - strangers without the token, on 127.0.0.2-9, attack
# the gateway (half-sent heads, heads a byte a second, slow bodies without
# a session, 40 wrong tokens) while the owner on 127.0.0.1 logs in and
# uses the app: every owner request must get its exact status within 2 s.
# GATEWAY=relay: the project's busybox hands each connection to the relay
# (per-client shares, head deadlines, a cap on httpd's processes); with
# SH_LOGIN_HANDOFF=no httpd reaches the relay over TCP P: instead (the way
# a stock busybox with P: works), so the relay knows no client address.
# GATEWAY=cgi-own: the project's busybox, forwarding CGI (its patches
# guard httpd itself). GATEWAY=cgi: a stock busybox and the forwarding CGI;
# what stock busybox cannot defend (README, "The front door") is skipped
# here, counted, with the reason.
# variants: GATEWAY=cgi GATEWAY=cgi-own GATEWAY=relay GATEWAY=relay,SH_LOGIN_HANDOFF=no
# own target: make test-stress (about 2 min; CI runs it after make test)
GATEWAY=${GATEWAY:-cgi}
. "$(dirname "$0")/lib.sh"
# The login CGI (every variant) and the forwarding CGI are exec'd per
# request: with the sanitizer build each exec costs tens of ms of start-up,
# and under an attack on a loaded machine that start-up, not the gateway,
# is what the 2 s bound would measure (it failed the owner's first round
# while the strangers ramped up). So this suite runs the normal build; the
# other suites (relay_test.sh with the handoff, security_test.sh) run the
# same code under the sanitizers.
export SH_LOGIN_CGI="$TOP/build/sh_login-cgi"
CGI=$SH_LOGIN_CGI
[ "$GATEWAY" != cgi-own ] || export SH_LOGIN_RELAY=no
# TCP_P=yes: the relay behind TCP P:, every client of unknown address ("-")
TCP_P=no
if [ "$GATEWAY" = relay ] && [ "${SH_LOGIN_HANDOFF:-auto}" = no ]; then TCP_P=yes; fi
OWNER_XFF=127.0.0.1   # the X-Forwarded-For the app sees for the owner
[ "$TCP_P" = no ] || OWNER_XFF=
ATTACK_S=12      # the attack's length; the owner works through its middle
HEAD_S=4         # SH_LOGIN_RELAY_HEAD_TIMEOUT: the head deadline, both doors

oneTimeSetUp() {
	SKIP_WHY=
	if [ "$GATEWAY" != cgi ] && [ ! -x "$SH_LOGIN_BUSYBOX" ]; then
		SKIP_WHY="no $SH_LOGIN_BUSYBOX (make busybox)"
		return 0
	fi
	start_upstream tcp
	SH_LOGIN_RELAY_HEAD_TIMEOUT=$HEAD_S start_gateway --port "$UP_PORT" --token "owner-token-$$-0123456789" \
		--timeout 10
}
oneTimeTearDown() { cleanup_all; }
setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }

own_busybox() { [ "$GATEWAY" != cgi ]; }

# spread_ready FILE: wait (10 s at most) until frontdoor.py spread made
# every connection.
spread_ready() { i=0; until [ -e "$1" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done; }

# forwarded_for: the X-Forwarded-For the app saw in the last echo ($WORK/body).
forwarded_for() {
	python3 -c 'import json,sys
h = [v for k, v in json.load(open(sys.argv[1]))["headers"] if k.lower() == "x-forwarded-for"]
print(",".join(h))' "$WORK/body" 2>/dev/null
}

# owner_round N: log in and ask the app, from 127.0.0.1; each within 2 s.
owner_round() {
	out=$(curl -s -o /dev/null -c "$WORK/jar" --max-time 2 -w '%{http_code} %{time_total}' \
		--interface 127.0.0.1 --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")
	echo "round $1: login $out"
	assertEquals "round $1: the owner's login ($out)" 303 "${out%% *}"
	out=$(curl -s -o "$WORK/body" -b "$WORK/jar" --max-time 2 -w '%{http_code} %{time_total}' \
		--interface 127.0.0.1 "$BASE/cgi-bin/app/echo/owner-$1")
	echo "round $1: app $out"
	assertEquals "round $1: the owner's app request ($out)" 200 "${out%% *}"
	assertEquals "round $1: the app sees the owner's address" "$OWNER_XFF" "$(forwarded_for)"
}

# count_of "k=n k2=m" REGEX: the sum of the counts whose key matches REGEX.
count_of() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | awk '{ n += $1 } END { print n + 0 }'; }

# 40 wrong tokens from 8 strangers, then the owner's right one.
testWrongTokensFromStrangersNeverLockTheOwnerOut() {
	out=$(python3 "$TOP/tests/frontdoor.py" tokens "$GW_PORT" 2 9 5)
	echo "40 wrong tokens: $out"
	# 5 each is each stranger's own limit: all compared (the overall limit
	# of 20 only slowed the second half). A 429 only for a stranger's own
	# 6th compare: a guess retried after its connection closed unanswered
	# (token_retried_) was compared too.
	assertEquals "every one answered 403 or 429" 40 "$(count_of "$out" 'token_4[02][39]')"
	assertTrue "429 only past a stranger's own 5 ($out)" \
		"[ $(count_of "$out" token_429) -le $(count_of "$out" 'token_retried_[a-z0-9]*') ]"
	out=$(curl -s -o /dev/null -c "$WORK/jar" --max-time 2 -w '%{http_code}' --data-urlencode "token=$TOKEN" \
		"$BASE/cgi-bin/login")
	assertEquals "the owner's right token, from an address that guessed nothing" 303 "$out"
	assertEquals "a stranger that guessed its 5 waits" 429 "$(req --interface 127.0.0.2 -d token=wrong "$BASE/cgi-bin/login")"
}

# 60 strangers on 127.0.1.1-60 guess once each (three times the overall
# limit), the owner mistypes once, then sends the right token: it is
# compared (at most slowed), never 429 for what others did.
testOwnersTypoAmidManyStrangersStillGetsIn() {
	out=$(python3 "$TOP/tests/frontdoor.py" tokens "$GW_PORT" 1 60 1 127.0.1.)
	echo "60 strangers, one guess each: $out"
	refused=$(count_of "$out" token_429)
	assertEquals "every guess answered" 60 $(($(count_of "$out" token_403) + refused))
	# a stranger is refused only for his own compares (5, SH_LOGIN_THROTTLE_CLIENT):
	# possible only when his guess had to be sent again 4 times after busybox
	# closed before answering, each try compared
	assertTrue "refused only after 5 compares of its own ($out)" \
		"[ $((refused * 4)) -le $(count_of "$out" 'token_retried_[a-z0-9]*') ]"
	assertEquals "the owner's typo" 403 "$(req --interface 127.0.0.1 -d token=typo "$BASE/cgi-bin/login")"
	out=$(curl -s -o /dev/null -c "$WORK/jar" --max-time 5 -w '%{http_code} %{time_total}' \
		--interface 127.0.0.1 --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")
	echo "the owner's right token after the typo: $out"
	assertEquals "the owner's right token after a typo" 303 "${out%% *}"
	assertEquals "the session works" 200 "$(req -b "$WORK/jar" --interface 127.0.0.1 "$BASE/cgi-bin/app/echo/typo")"
}

# 16 login POSTs from each of 127.0.0.2-3 whose body comes a byte a
# second: each CGI answers 408 at the deadline (SH_LOGIN_RELAY_HEAD_TIMEOUT
# for the whole body), and the owner logs in meanwhile.
testSlowLoginBodiesAreCutAtTheDeadline() {
	python3 "$TOP/tests/frontdoor.py" slowlogin "$GW_PORT" 127.0.0.2 16 $((HEAD_S + 6)) >"$WORK/slow2" &
	p2=$!
	python3 "$TOP/tests/frontdoor.py" slowlogin "$GW_PORT" 127.0.0.3 16 $((HEAD_S + 6)) >"$WORK/slow3" &
	p3=$!
	sleep 1
	out=$(curl -s -o /dev/null -c "$WORK/jar" --max-time 2 -w '%{http_code} %{time_total}' \
		--interface 127.0.0.1 --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")
	echo "the owner's login meanwhile: $out"
	assertEquals "the owner logs in meanwhile ($out)" 303 "${out%% *}"
	wait "$p2"
	wait "$p3"
	for f in slow2 slow3; do
		out=$(cat "$WORK/$f")
		echo "16 slow login bodies ($f): $out"
		# 408, or (when the stranger's next byte met the closed socket
		# first) a reset that took the 408 with it: none still held
		assertNotContains "none held past the deadline ($out)" "$out" held
		assertContains "answered 408 ($out)" "$out" "408 "
		assertEquals "all 16 ended ($out)" 16 "$(echo "${out% slowest *}" | awk '{ for (i = 2; i <= NF; i += 2) n += $i } END { print n }')"
		assertTrue "within the deadline and 2 s ($out)" "awk -v t='${out##* }' 'BEGIN { exit !(t < $HEAD_S + 2) }'"
	done
	assertContains "logged" "$(cat "$STATE/sh_login.log" "$WORK/gw.err" 2>/dev/null)" "not sent within $HEAD_S s"
}

testOwnerIsServedThroughTheAttack() {
	own_busybox || { skip_test "stock busybox: half heads, dribbled heads and floods hold a process each, no cap, and its listen backlog of 9 overflows: the owner waits (README: The front door)"; return; }
	python3 "$TOP/tests/frontdoor.py" attack "$GW_PORT" "$ATTACK_S" 2 9 >"$WORK/attack" 2>&1 &
	apid=$!
	sleep 3        # let the strangers fill what they can
	i=1
	while [ $i -le 6 ]; do
		owner_round "$i"
		i=$((i + 1))
		sleep 0.5
	done
	wait "$apid"
	echo "attack: $(cat "$WORK/attack")"
	assertContains "the attack ran" "$(cat "$WORK/attack")" "half_sent="
	assertContains "the strangers' wrong tokens were answered" "$(cat "$WORK/attack")" "token_4"
	assertEquals "no stranger's request reached the app" 0 \
		"$(grep -c -e '^GET /x$' -e '/upload' "$WORK/upstream.log")"
	owner_round after
}

testAccessLogShowsTheRealClient() {
	if [ "$TCP_P" = yes ]; then
		# httpd connects to the relay itself: no address to pass on, and a
		# client's own X-Forwarded-For is still not believed
		login
		assertEquals 200 "$(req -b "$WORK/jar" -H 'X-Forwarded-For: 6.6.6.6' --interface 127.0.0.6 \
			"$BASE/cgi-bin/app/echo/from-six")"
		assertEquals "no address behind TCP P:" "" "$(forwarded_for)"
		sleep 0.2
		assertContains "$(cat "$STATE/access.log")" "- GET /cgi-bin/app/echo/from-six 200"
		return
	fi
	login
	assertEquals 200 "$(req -b "$WORK/jar" --interface 127.0.0.1 "$BASE/cgi-bin/app/echo/from-one")"
	assertEquals "the app sees the owner's address" 127.0.0.1 "$(forwarded_for)"
	assertEquals 200 "$(req -b "$WORK/jar" --interface 127.0.0.6 "$BASE/cgi-bin/app/echo/from-six")"
	assertEquals "the app sees that client's address" 127.0.0.6 "$(forwarded_for)"
	assertEquals 200 "$(req -b "$WORK/jar" -H 'X-Forwarded-For: 6.6.6.6' "$BASE/cgi-bin/app/echo/spoof")"
	assertEquals "a client's own X-Forwarded-For is not believed" 127.0.0.1 "$(forwarded_for)"
	sleep 0.2
	assertContains "$(cat "$STATE/access.log")" "127.0.0.6 GET /cgi-bin/app/echo/from-six 200"
	assertContains "$(cat "$STATE/access.log")" "127.0.0.1 GET /cgi-bin/app/echo/from-one 200"
}

# 64 request lines from one stranger, then silence.
testHalfHeadsFromOneStrangerHoldOnlyHisShare() {
	python3 "$TOP/tests/frontdoor.py" hold "$GW_PORT" 127.0.0.2 64 $((HEAD_S + 3)) 'GET /cgi-bin/app/x HTTP/1.1\r\n' \
		>"$WORK/hold" &
	hpid=$!
	sleep 1
	out=$(curl -s -o "$WORK/body" -b "$WORK/jar" --max-time 2 -w '%{http_code}' "$BASE/cgi-bin/app/echo/meanwhile")
	assertEquals "the owner meanwhile" 200 "$out"
	wait "$hpid"
	echo "64 half heads from 127.0.0.2: $(cat "$WORK/hold")"
	if [ "$TCP_P" = yes ]; then
		# httpd's share (16 a client) first; behind it the relay sees 16
		# clients of unknown address, within the strangers' 32
		assertEquals "held: 16, refused: 48" "503 48 held 16" "$(cat "$WORK/hold")"
	elif [ "$GATEWAY" = relay ]; then
		# the relay keeps 8 (a quarter of the strangers' half of 64), the
		# rest hear 503 at once (from httpd's or the relay's share)
		assertEquals "held: 8, refused: 56" "503 56 held 8" "$(cat "$WORK/hold")"
	elif own_busybox; then
		assertEquals "httpd holds 16 processes for one client" "503 48 held 16" "$(cat "$WORK/hold")"
	else
		assertEquals "stock busybox holds them all (a process each)" "held 64" "$(cat "$WORK/hold")"
	fi
}

# Connections that send nothing: httpd's own processes, capped per client.
testHttpdCapsItsProcessesPerClient() {
	own_busybox || { skip_test "stock busybox forks without a cap (README: The front door)"; return; }
	python3 "$TOP/tests/frontdoor.py" hold "$GW_PORT" 127.0.0.3 30 $((HEAD_S + 3)) '' >"$WORK/hold"
	echo "30 silent connections from 127.0.0.3: $(cat "$WORK/hold")"
	assertEquals "16 processes for one client, 14 refused at once" "503 14 held 16" "$(cat "$WORK/hold")"
	assertEquals "the owner meanwhile" 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/echo/x")"
}

testHeadDeadlineIsNotExtendedByDribbling() {
	own_busybox || { skip_test "stock busybox re-arms its 60 s head alarm on every read (README: The front door)"; return; }
	# the request line itself, a byte a second: httpd's deadline
	out=$(python3 "$TOP/tests/frontdoor.py" dribble "$GW_PORT" 127.0.0.4 $((HEAD_S + 6)) '' \
		'GET /cgi-bin/app/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx HTTP/1.1\r\n')
	echo "request line dribbled to httpd: $out"
	assertContains "httpd: 408" "$out" "answered 408"
	assertTrue "within its deadline ($out)" "awk -v t='${out##* }' 'BEGIN { exit !(t < $HEAD_S + 2) }'"
	# the request line at once (httpd hands it over to the relay, or reads
	# on), then the rest of the head a byte a second: the relay's deadline,
	# or httpd's
	out=$(python3 "$TOP/tests/frontdoor.py" dribble "$GW_PORT" 127.0.0.4 $((HEAD_S + 6)) \
		'GET /cgi-bin/app/x HTTP/1.1\r\n' 'Host: 127.0.0.1\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n')
	echo "rest of the head dribbled: $out"
	assertContains "408" "$out" "answered 408"
	assertTrue "within its deadline ($out)" "awk -v t='${out##* }' 'BEGIN { exit !(t < $HEAD_S + 2) }'"
}

# One half-sent head from each of 64 addresses (127.0.1.1-64): many
# addresses beat any per-address share, so the relay's strangers displace
# each other, oldest first, and the owner's new connection gets in.
testManyAddressesOneHalfHeadEach() {
	login
	rm -f "$WORK/ready"
	python3 "$TOP/tests/frontdoor.py" spread "$GW_PORT" 127.0.1 1 64 $((HEAD_S + 3)) \
		'GET /cgi-bin/app/x HTTP/1.1\r\n' 1 "$WORK/ready" >"$WORK/spread" &
	spid=$!
	spread_ready "$WORK/ready"
	sleep 0.5      # the last handoffs reach the relay
	out=$(curl -s -o "$WORK/body" -b "$WORK/jar" --interface 127.0.0.1 --max-time 2 -w '%{http_code}' \
		"$BASE/cgi-bin/app/echo/amid-64")
	assertEquals "the owner amid 64 addresses" 200 "$out"
	assertEquals "the app sees the owner's address" "$OWNER_XFF" "$(forwarded_for)"
	wait "$spid"
	echo "64 addresses, one half head each: $(cat "$WORK/spread")"
	if [ "$GATEWAY" = relay ]; then
		# 32 slots for strangers: the 32 later ones and the owner each
		# ended the oldest (closed, no answer); 31 held to the deadline
		assertEquals "held: 31, displaced: 33" "closed 33 held 31" "$(cat "$WORK/spread")"
	else
		assertEquals "httpd holds a process each" "held 64" "$(cat "$WORK/spread")"
	fi
}

# 16 addresses of 16 silent connections each fill httpd's 256 processes:
# the owner's connection ends the oldest process still reading a head
# instead of getting 503 (stock busybox: no cap, a process each).
testManyAddressesFillHttpdsProcesses() {
	login
	rm -f "$WORK/ready"
	python3 "$TOP/tests/frontdoor.py" spread "$GW_PORT" 127.0.3 1 16 $((HEAD_S + 3)) '' 16 "$WORK/ready" \
		>"$WORK/spread" &
	spid=$!
	spread_ready "$WORK/ready"
	sleep 0.5      # httpd accepted the last ones
	out=$(curl -s -o "$WORK/body" -b "$WORK/jar" --interface 127.0.0.1 --max-time 2 -w '%{http_code}' \
		"$BASE/cgi-bin/app/echo/amid-256")
	assertEquals "the owner amid 256 silent connections" 200 "$out"
	wait "$spid"
	echo "16 addresses x 16 silent connections: $(cat "$WORK/spread")"
	if own_busybox; then
		assertEquals "the oldest one ended for the owner, 255 held" "closed 1 held 255" "$(cat "$WORK/spread")"
	else
		assertEquals "stock busybox holds a process each" "held 256" "$(cat "$WORK/spread")"
	fi
}

# The request line dribbled to httpd for HEAD_S - 1 s, then the rest of the
# head a byte every 0.25 s (to the relay, once httpd has handed it over):
# one deadline for the whole head, not one at each door.
testHeadDeadlineSpansBothDoors() {
	own_busybox || { skip_test "stock busybox re-arms its 60 s head alarm on every read (README: The front door)"; return; }
	before=$(grep -c 'Z 127.0.0.5 - - 408 ' "$STATE/access.log")
	if [ "$TCP_P" = yes ]; then n=2; else n=1; fi
	head_split_check "$GW_PORT" /cgi-bin/app/split $n
	if [ "$GATEWAY" = relay ] && [ "$TCP_P" = no ]; then
		assertEquals "the relay answered it, from the client's address" "$((before + 1))" \
			"$(grep -c 'Z 127.0.0.5 - - 408 ' "$STATE/access.log")"
	fi
}

testStartupSaysWhichDoor() {
	if [ "$TCP_P" = yes ]; then
		assertContains "$(cat "$WORK/gw.err")" "relay over TCP from httpd's P:"
		assertContains "$(cat "$STATE/httpd.conf")" "P:/cgi-bin/app/:127.0.0.1:"
	elif [ "$GATEWAY" = relay ]; then
		assertContains "$(cat "$WORK/gw.err")" "relay, handed each client connection by httpd"
		assertContains "$(cat "$STATE/httpd.conf")" "P:/cgi-bin/app/:$STATE/relay.sock"
		assertEquals "the handoff socket is private" 700 "$(stat -c %a "$STATE")"
	else
		assertContains "$(cat "$WORK/gw.err")" "through the forwarding CGI"
	fi
}


. shunit2
