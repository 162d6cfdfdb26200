#!/bin/sh
# rootfs_test.sh - the image tree from `make rootfs`, run under chroot with
# nothing from the host but three device nodes: its own busybox (sh, httpd),
# the static CGI and sh_login, as the unprivileged user sh_login (1000).
# curl logs in from outside over loopback; the apps are a busybox httpd
# inside the chroot (sh_login's demo app) and tests/upstream.py on the host.
# Skips (passes as skipped) unless root and build/rootfs exists.
# own target: make test-image (builds the image first; CI runs it after make test)
TEST_TOP=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=$TEST_TOP/build/rootfs
# The host-side helpers (free_port, probe) use the image's own static CGI.
SH_LOGIN_CGI=$IMAGE/usr/libexec/sh_login/sh_login-cgi
. "$(dirname "$0")/lib.sh"

CHROOT_PATH=/usr/bin:/bin:/usr/sbin:/sbin
SKIP_WHY=
ROOT='' DEMO_PID='' DEMO_PORT='' DEMO_BASE='' FWD_PID='' FWD_PORT='' FWD_BASE=''

# start_in_chroot NAME [sh_login options]: `sh_login start` inside the
# chroot as uid 1000; sets NAME_PID and NAME_PORT via the caller.
start_in_chroot() {
	name=$1
	shift
	port=$(free_port)
	# shellcheck disable=SC2086
	chroot --userspec=1000:1000 "$ROOT" /usr/bin/env -i PATH="$CHROOT_PATH" HOME=/tmp \
		/usr/bin/sh_login start --nginx "$port" "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.err" &
	pid=$!
	i=0
	until grep -q 'Token:' "$WORK/$name.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
			cat "$WORK/$name.err" >&2
			return 1
		fi
		sleep 0.1
	done
	started_pid=$pid
	started_port=$port
}

oneTimeSetUp() {
	if [ "$(id -u)" != 0 ]; then
		SKIP_WHY="not root (chroot and mknod need it)"
	elif [ ! -x "$IMAGE/bin/busybox" ] || [ ! -x "$SH_LOGIN_CGI" ]; then
		SKIP_WHY="no $IMAGE: run 'make rootfs' first"
	elif ! command -v chroot >/dev/null 2>&1; then
		SKIP_WHY="no chroot"
	fi
	if [ -z "$SKIP_WHY" ]; then
		# A private copy: the devices the runtime would give, nothing else.
		ROOT=$WORK/root
		cp -a "$IMAGE" "$ROOT" &&
			mknod -m 666 "$ROOT/dev/null" c 1 3 &&
			mknod -m 666 "$ROOT/dev/zero" c 1 5 &&
			mknod -m 666 "$ROOT/dev/urandom" c 1 9 ||
			SKIP_WHY="cannot copy the image or make device nodes"
	fi
	if [ -n "$SKIP_WHY" ]; then
		echo "rootfs_test: skipped: $SKIP_WHY" >&2
		return 0
	fi
	start_in_chroot demo && DEMO_PID=$started_pid DEMO_PORT=$started_port ||
		fail "the demo gateway did not start in the chroot"
	start_upstream tcp
	start_in_chroot fwd --port "$UP_PORT" && FWD_PID=$started_pid FWD_PORT=$started_port ||
		fail "the forwarding gateway did not start in the chroot"
	DEMO_BASE=http://127.0.0.1:$DEMO_PORT
	FWD_BASE=http://127.0.0.1:$FWD_PORT
}

oneTimeTearDown() {
	for pid in $DEMO_PID $FWD_PID; do
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	cleanup_all
}

# shunit2 ends skipping before each test: setUp starts it again, and each
# test begins with `ready || return 0`, whose fail then only counts as a
# skipped assertion (shunit2 ends "OK (skipped=N)").
setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }
ready() {
	[ -n "$SKIP_WHY" ] || return 0
	fail "skipped: $SKIP_WHY"
	return 1
}

token_of() { awk '/Token:/ { print $2 }' "$WORK/$1.out"; }

# chroot_login BASE NAME: session cookie for gateway NAME in $WORK/NAME.jar
chroot_login() {
	curl -s -o /dev/null -w '%{http_code}' -c "$WORK/$2.jar" \
		--data-urlencode "token=$(token_of "$2")" "$1/cgi-bin/login"
}

testImageIsStaticAndWithinBudget() {
	ready || return 0
	for f in bin/busybox usr/libexec/sh_login/sh_login-cgi; do
		assertEquals "$f is ELF" ELF "$(dd if="$IMAGE/$f" bs=1 skip=1 count=3 2>/dev/null)"
		assertFalse "$f names no program interpreter" "grep -q 'ld-linux\|ld-musl' '$IMAGE/$f'"
	done
	budget=$(sed -n 's/^STATIC_BUDGET *= *//p' "$TOP/Makefile")
	assertTrue "sh_login-cgi <= STATIC_BUDGET ($budget bytes)" "[ $(wc -c <"$SH_LOGIN_CGI") -le ${budget:-0} ]"
	assertTrue "rootfs <= 1 MiB" "[ $(du -sk "$IMAGE" | cut -f1) -le 1024 ]"
	assertEquals "/tmp is 1777" 1777 "$(stat -c %a "$IMAGE/tmp")"
	assertContains "$(cat "$IMAGE/etc/passwd")" "sh_login:x:1000:1000:"
}

testBusyboxHasTheAppletsSh_loginRuns() {
	ready || return 0
	list=$(chroot "$ROOT" /bin/busybox --list)
	for a in httpd sh cat chmod cp cut dirname env grep hostname id kill ln mkdir mktemp \
		rm setsid sleep stat printf; do
		assertTrue "applet $a" "echo '$list' | grep -qx '$a'"
	done
	assertEquals "applets run from their links" "/tmp" \
		"$(chroot "$ROOT" /usr/bin/env -i PATH="$CHROOT_PATH" /bin/sh -c 'cd /tmp && pwd')"
}

testVersionFromTheImage() {
	ready || return 0
	out=$(chroot --userspec=1000:1000 "$ROOT" /usr/bin/env -i PATH="$CHROOT_PATH" /usr/bin/sh_login --version)
	assertEquals "exit 0" 0 $?
	assertEquals "sh_login $(cat "$TOP/VERSION")" "$(echo "$out" | head -n 1)"
	assertContains "$out" "cgi:     /usr/libexec/sh_login/sh_login-cgi: sh_login-cgi $(cat "$TOP/VERSION") (static, musl)"
	assertContains "$out" "busybox: /usr/libexec/sh_login/busybox: BusyBox v"
	assertContains "$out" "httpd: yes; P: yes"
}

testGatewayRunsAsUnprivilegedUser() {
	ready || return 0
	assertNotNull "the demo gateway started" "$DEMO_PID"
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$DEMO_PID/status")
	assertEquals "sh_login runs as uid 1000" 1000 "$uid"
	state=$(awk '/State and logs:/ { print $4 }' "$WORK/demo.out")
	assertEquals "state dir in the image's /tmp, mode 700, owned by 1000" "700 1000" \
		"$(stat -c '%a %u' "$ROOT$state")"
}

testLoginPageFromTheImage() {
	ready || return 0
	assertEquals 200 "$(req "$DEMO_BASE/")"
	assertContains "$(cat "$WORK/body")" 'action="/cgi-bin/login"'
	assertEquals 200 "$(req "$DEMO_BASE/sh_login.css")"
}

testNoSessionNoApp() {
	ready || return 0
	assertEquals "no session: 401, not the app" 401 "$(req "$DEMO_BASE/cgi-bin/app/")"
	assertNotContains "$(cat "$WORK/body")" "It works"
	assertEquals "wrong token" 403 "$(req -d token=wrong-token-0123456789 "$DEMO_BASE/cgi-bin/login")"
}

testLoginReachesDemoAppInsideTheChroot() {
	ready || return 0
	assertEquals "login" 303 "$(chroot_login "$DEMO_BASE" demo)"
	# /cgi-bin/app/ ends in '/': busybox 1.35 runs it as cgi-bin/index.cgi
	assertEquals 200 "$(req -b "$WORK/demo.jar" "$DEMO_BASE/cgi-bin/app/")"
	assertContains "$(cat "$WORK/body")" "It works: you are behind sh_login"
	assertEquals 200 "$(req -b "$WORK/demo.jar" "$DEMO_BASE/cgi-bin/app/index.html")"
	assertContains "$(cat "$WORK/body")" "It works: you are behind sh_login"
}

testForwardsToHostAppWithHeadersBusyboxWouldEat() {
	ready || return 0
	assertEquals "login" 303 "$(chroot_login "$FWD_BASE" fwd)"
	# RANGES, BASIC_AUTH, ETAG and GZIP are off in rootfs/busybox.config.
	assertEquals 200 "$(req -b "$WORK/fwd.jar" -H 'Range: bytes=0-1' \
		-H 'Authorization: Basic YTpi' -H 'If-None-Match: "x1"' -H 'Accept-Encoding: gzip' \
		"$FWD_BASE/cgi-bin/app/echo/a?b=c")"
	body=$(cat "$WORK/body")
	assertContains "$body" '"target": "/echo/a?b=c"'
	assertContains "$body" '"bytes=0-1"'
	assertContains "$body" '"Basic YTpi"'
	assertContains "$body" '"\"x1\""'
	assertContains "$body" '"gzip"'
	assertNotContains "the session cookie stays in the gateway" "$body" "sh_login_"
}

testTlsFromTheImage() {
	ready || return 0
	start_in_chroot tls --tls --port "$UP_PORT" || fail "sh_login --tls did not start in the chroot"
	tls_pid=$started_pid
	cert=$ROOT/tmp/.config/sh_login/tls/selfsigned-127.0.0.1.pem
	base=https://localhost:$started_port
	s=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$cert" -c "$WORK/tls.jar" \
		--data-urlencode "token=$(token_of tls)" "$base/cgi-bin/login")
	assertEquals "login over https, certificate made inside the image" 303 "$s"
	assertEquals 200 "$(req --cacert "$cert" -b "$WORK/tls.jar" "$base/cgi-bin/app/echo/tls")"
	assertContains "$(cat "$WORK/tls.out")" "SHA-256:        $(openssl x509 -in "$cert" -noout -fingerprint -sha256 | sed 's/^.*=//')"
	kill -TERM "$tls_pid"
	wait "$tls_pid"
}

testZzStopRemovesItsState() {
	ready || return 0
	state=$(awk '/State and logs:/ { print $4 }' "$WORK/demo.out")
	kill -TERM "$DEMO_PID"
	wait "$DEMO_PID"
	assertEquals "exit 0 on SIGTERM" 0 $?
	DEMO_PID=
	assertFalse "state dir removed" "[ -e '$ROOT$state' ]"
}

. shunit2
