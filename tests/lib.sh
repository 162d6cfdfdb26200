# tests/lib.sh - shared helpers for the shunit2 suites (sourced, POSIX sh).
#
# Each suite runs real programs on loopback: busybox httpd started by the
# real scripts/sh_login, the CGIs from the sanitizer build, and
# tests/upstream.py as the app. Everything lives under one $WORK directory
# that oneTimeTearDown removes.

# TEST_TOP: set (not exported) by the deliberately broken suites under
# tests/meta/, one level deeper than the others.
TOP=${TEST_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
export SH_LOGIN_CGI="${SH_LOGIN_CGI:-$TOP/build/asan/sh_login-cgi}"
CGI=$SH_LOGIN_CGI
# The stock busybox (the CGI path) unless a suite variant names another:
# GATEWAY=relay is the project's own build, whose P: brings in the relay;
# GATEWAY=cgi-own the same build (a suite sets SH_LOGIN_RELAY=no for it).
if [ "${GATEWAY:-cgi}" = relay ] || [ "${GATEWAY:-cgi}" = cgi-own ]; then
	SH_LOGIN_BUSYBOX=$TOP/build/busybox/busybox
elif [ -z "${SH_LOGIN_BUSYBOX:-}" ]; then
	if busybox --list 2>/dev/null | grep -qx httpd; then SH_LOGIN_BUSYBOX=$(command -v busybox)
	else SH_LOGIN_BUSYBOX=busybox-extras; fi
fi
export SH_LOGIN_BUSYBOX
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sh_login-test.XXXXXX")
# Sanitizer reports from any CGI land here; each suite checks none appeared.
export ASAN_OPTIONS="log_path=$WORK/asan:detect_leaks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="log_path=$WORK/ubsan:print_stacktrace=1"
UP_PID= GW_PID=

free_port() { "$CGI" freeport 127.0.0.1; }

# start_upstream tcp|unix: our test app; sets UP_PORT or UP_SOCK, UP_ARGS.
start_upstream() {
	if [ "$1" = unix ]; then
		mkdir -p "$WORK/app" && chmod 700 "$WORK/app"
		UP_SOCK=$WORK/app/app.sock
		UPSTREAM_LOG=$WORK/upstream.log python3 "$TOP/tests/upstream.py" unix "$UP_SOCK" 2>>"$WORK/upstream.err" &
		UP_PID=$!
		UP_ARGS="--socket $UP_SOCK"
		"$CGI" probe unix "$UP_SOCK" 30 || fail "upstream did not start"
	else
		UP_PORT=$(free_port)
		UPSTREAM_LOG=$WORK/upstream.log python3 "$TOP/tests/upstream.py" tcp "$UP_PORT" 2>>"$WORK/upstream.err" &
		UP_PID=$!
		UP_ARGS="--port $UP_PORT"
		"$CGI" probe 127.0.0.1 "$UP_PORT" 30 || fail "upstream did not start"
	fi
}

# restart_upstream: the app again, on the same port or socket as before.
restart_upstream() {
	if [ -n "${UP_SOCK:-}" ] && [ "$UP_ARGS" = "--socket $UP_SOCK" ]; then
		UPSTREAM_LOG=$WORK/upstream.log python3 "$TOP/tests/upstream.py" unix "$UP_SOCK" 2>>"$WORK/upstream.err" &
		UP_PID=$!
		"$CGI" probe unix "$UP_SOCK" 10
	else
		UPSTREAM_LOG=$WORK/upstream.log python3 "$TOP/tests/upstream.py" tcp "$UP_PORT" 2>>"$WORK/upstream.err" &
		UP_PID=$!
		"$CGI" probe 127.0.0.1 "$UP_PORT" 10
	fi
}

stop_upstream() {
	[ -z "$UP_PID" ] || { kill "$UP_PID" 2>/dev/null; wait "$UP_PID" 2>/dev/null; }
	UP_PID=
}

# start_gateway [sh_login options]: runs `sh_login start` (SH_LOGIN_SCRIPT, default
# the checkout's scripts/sh_login) in the background
# with state in $WORK/state; sets GW_PORT, BASE, TOKEN, STATE.
start_gateway() {
	GW_PORT=$(free_port)
	STATE=$WORK/state
	BASE=http://127.0.0.1:$GW_PORT
	# the child truncates gw.out only once it runs: never read a stale one
	rm -f "$WORK/gw.out" "$WORK/gw.err"
	sh "${SH_LOGIN_SCRIPT:-$TOP/scripts/sh_login}" start --nginx "$GW_PORT" --tmpdir "$STATE" "$@" \
		>"$WORK/gw.out" 2>"$WORK/gw.err" &
	GW_PID=$!
	i=0
	until grep -q 'Token:' "$WORK/gw.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$GW_PID" 2>/dev/null; then
			cat "$WORK/gw.err" >&2
			fail "gateway did not start"
			return 1
		fi
		sleep 0.1
	done
	TOKEN=$(awk '/Token:/ { print $2 }' "$WORK/gw.out")
	STATE=$(sed -n 's/^ *State and logs: *//p' "$WORK/gw.out")   # where sh_login put it
	COOKIE_NAME=
}

stop_gateway() {
	[ -z "$GW_PID" ] || { kill -TERM "$GW_PID" 2>/dev/null; wait "$GW_PID" 2>/dev/null; }
	GW_PID=
}

# req [curl args]: one request; prints the status, keeps $WORK/head, $WORK/body.
req() {
	curl -s -o "$WORK/body" -D "$WORK/head" -w '%{http_code}' --max-time 20 "$@"
}

# header NAME: value of the first NAME header of the last response.
header() {
	awk -v n="$1" 'BEGIN { n = tolower(n) ": " }
		index(tolower($0), n) == 1 { sub(/\r$/, ""); print substr($0, length(n) + 1); exit }' \
		"$WORK/head"
}

# skip_test REASON: skip the rest of the current test, visibly: tests/run
# counts it as skipped, not passed.
skip_test() {
	echo "SKIPPED: ${_shunit_test_:-unknown} $*"
	startSkipping
}

# raw BYTES: send a literal request (printf escapes) to the gateway, keep
# the whole answer in $WORK/raw.
raw() {
	python3 "$TOP/tests/rawhttp.py" 127.0.0.1 "$GW_PORT" "$1" >"$WORK/raw"
}
# raw_status [N]: the status code of the Nth answer (default the first) in
# $WORK/raw, exactly (compare it with assertEquals, not as a substring).
raw_status() {
	grep -a '^HTTP/1\.[01] ' "$WORK/raw" | sed -n "${1:-1}p" | tr -d '\r' | cut -d' ' -f2
}

# login: a session cookie in $WORK/jar (checks the 303).
login() {
	rm -f "$WORK/jar"
	s=$(curl -s -o /dev/null -w '%{http_code}' -c "$WORK/jar" --data-urlencode "token=$TOKEN" \
		"$BASE/cgi-bin/login")
	assertEquals "login answers 303" 303 "$s"
}

# The value of the session cookie in the jar.
jar_session() { awk '$6 ~ /^sh_login_/ { print $7 }' "$WORK/jar"; }
jar_cookie_name() { awk '$6 ~ /^sh_login_/ { print $6 }' "$WORK/jar"; }

# Sanitizer logs: none may exist. Call from the last test of a suite.
assert_no_sanitizer_reports() {
	reports=$(ls "$WORK"/asan.* "$WORK"/ubsan.* 2>/dev/null || :)
	[ -z "$reports" ] || cat $reports >&2
	assertEquals "sanitizer reports from the CGIs" "" "$reports"
}

cleanup_all() {
	if [ "${__shunit_assertsFailed:-0}" != 0 ]; then   # leave clues in the suite log
		for f in "$WORK/gw.err" "$WORK/state/sh_login.log" "$WORK/upstream.err"; do
			[ ! -s "$f" ] || { echo "--- $f"; tail -40 "$f"; }
		done
	fi
	stop_gateway
	stop_upstream
	rm -rf "$WORK"
}

# jupyter_session_check APP_URL COOKIE MIB: tests/jupyter_client.py against
# a Jupyter behind the gateway (the tree with its XSRF cookie, a MIB-sized
# notebook saved and read back, a kernel started, print(6*7) run over its
# WebSocket); its output is left in $JUPYTER_OUT for further checks.
jupyter_session_check() {
	JUPYTER_OUT=$("${PY:-python3}" "$TOP/tests/jupyter_client.py" "$1" "$2" "$3")
	echo "$JUPYTER_OUT"
	assertContains "$JUPYTER_OUT" "tree 200 xsrf=yes"
	assertContains "$JUPYTER_OUT" "put 201"
	assertContains "$JUPYTER_OUT" "get 200 same=True"
	assertContains "$JUPYTER_OUT" "kernel 201"
	assertContains "$JUPYTER_OUT" "cell ok output='42"
}

# header_policy_check COOKIE DROPPED: the README's header policy table
# ("Header policy"), sent as raw bytes through whichever path the suite
# runs to the app's /echo, which reports every header that reached it.
# COOKIE is the session ("name=value"); DROPPED the count the access log
# line must show (the CGI path sees fewer names: busybox folds X_Foo onto
# X-Foo before the policy sees them).
header_policy_check() {
	m=policy-$$-$(date +%s)
	raw "GET /cgi-bin/app/echo/$m HTTP/1.1\r\nHost: 127.0.0.1:$GW_PORT\r\nCookie: $1\r\nConnection: close, X-Secret\r\nX-Secret: hop\r\nX_Forwarded_For: 6.6.6.1\r\nX_Real_IP: 6.6.6.2\r\nContent_Type: evil/ct\r\nX-Forwarded-User: mallory1\r\nRemote-User: mallory2\r\nX-Remote-User: mallory3\r\nX-Auth-Request-User: mallory4\r\nX-Forwarded-Email: mallory5\r\nX-Forwarded-Groups: mallory6\r\nX-Forwarded-Preferred-Username: mallory7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\nForwarded: for=6.6.6.3\r\nX-Forwarded-Prefix: /evilprefix\r\nAuthorization: Bearer app-own-t0k\r\nX-Custom-Ok: fine\r\n\r\n"
	assertContains "policy request answered" "$(head -1 "$WORK/raw")" " 200"
	sed '1,/^\r*$/d' "$WORK/raw" >"$WORK/policy.json"
	python3 -c 'import json,sys
for k,v in json.load(open(sys.argv[1]))["headers"]: print(k.lower() + ": " + v)' \
		"$WORK/policy.json" >"$WORK/policy.headers" 2>/dev/null
	got=$(cat "$WORK/policy.headers")
	for v in 6.6.6. evil/ct mallory evil.example /evilprefix hop; do
		assertNotContains "client's '$v' never reaches the app" "$got" "$v"
	done
	assertContains "Authorization forwarded as sent" "$got" "authorization: Bearer app-own-t0k"
	assertContains "other headers pass" "$got" "x-custom-ok: fine"
	assertContains "X-Forwarded-Proto from configuration" "$got" "x-forwarded-proto: http"
	assertNotContains "never https from a client" "$got" "x-forwarded-proto: https"
	assertContains "X-Forwarded-Host is the Host" "$got" "x-forwarded-host: 127.0.0.1:$GW_PORT"
	assertEquals "names with '_' dropped" "" "$(grep '_' "$WORK/policy.headers" | cut -d: -f1)"
	line=$(grep " /cgi-bin/app/echo/$m " "$STATE/access.log")
	assertEquals "one access log line" 1 "$(printf '%s\n' "$line" | grep -c .)"
	assertEquals "dropped headers counted, no names or values" "$2" "${line##* }"
	assertNotContains "$line" mallory
}

# --- the browser suites (browser_test.sh, apps_test.sh) ---
BROWSER_DIR=$TOP/tests/browser
CHROMIUM=${SH_LOGIN_CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || [ ! -x /usr/bin/chromium-browser ] || CHROMIUM=/usr/bin/chromium-browser   # Alpine
SKIP_WHY=
# What the suite needs, installed if missing. Sets SKIP_WHY when impossible.
need_browser() {
	if [ ! -x "$CHROMIUM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "tests: installing chromium (apt-get)" >&2
		DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y --no-install-recommends \
			chromium >"$WORK/apt.log" 2>&1 || tail -5 "$WORK/apt.log" >&2
	fi
	if [ ! -x "$CHROMIUM" ]; then
		SKIP_WHY="no chromium at $CHROMIUM and it could not be installed (sh scripts/deps test)"
		return
	fi
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		SKIP_WHY="node and npm are needed to drive chromium (sh scripts/deps test)"
		return
	fi
	want=$(sed -n 's/.*"playwright-core": *"\([^"]*\)".*/\1/p' "$BROWSER_DIR/package.json")
	have=$(cd "$BROWSER_DIR" && node -p "require('./node_modules/playwright-core/package.json').version" 2>/dev/null)
	if [ "$have" != "$want" ]; then
		echo "tests: installing playwright-core $want (npm ci)" >&2
		(cd "$BROWSER_DIR" && timeout 300 npm ci --no-audit --no-fund) >"$WORK/npm.log" 2>&1 || {
			tail -5 "$WORK/npm.log" >&2
			SKIP_WHY="npm could not install playwright-core $want"
		}
	fi
}

# head_split_check PORT PATH DEADLINES: from 127.0.0.5, the request line of
# PATH dribbled to httpd for HEAD_S - 1 s, then the rest of the head a byte
# every 0.25 s (to the relay, once httpd has handed the connection over).
# Asserts the exact "408 Request Timeout" line within DEADLINES (1, or 2
# behind TCP P:, where httpd stops its alarm when it connects and the relay
# starts its own) times HEAD_S of the first byte, plus 1 s.
head_split_check() {
	out=$(python3 "$TOP/tests/frontdoor.py" split "$1" 127.0.0.5 $((2 * HEAD_S + 4)) $((HEAD_S - 1)) \
		"GET $2 HTTP/1.1\\r\\n" \
		'Host: 127.0.0.1\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n')
	echo "request line to httpd, the rest after it: $out"
	assertEquals "408 with its reason" "HTTP/1.1 408 Request Timeout" "${out#answered 408 * }"
	t=$(echo "$out" | awk '{ print $3 }')
	assertTrue "within $3 deadline(s) ($out)" "awk -v t='$t' 'BEGIN { exit !(t < $3 * $HEAD_S + 1) }'"
}
