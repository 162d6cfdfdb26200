#!/bin/sh
# oci_test.sh - the image in a real OCI runtime: build/rootfs (make rootfs) as
# an OCI bundle run by Debian's runc with the Containerfile's own ENV, USER
# and ENTRYPOINT (tests/oci_config.py), a read-only root, uid 1000, a tmpfs
# /tmp, no capabilities, no_new_privs, its own pid namespace and a private
# network namespace joined to the host by a veth pair. The app is
# tests/upstream.py on the host, on a unix socket in a directory
# bind-mounted at /run/app (as a sidecar shares an emptyDir).
#
# Two gateways run: A takes the relay (the image's busybox has P:), B is
# forced onto the CGI path (SH_LOGIN_RELAY=no), where httpd's
# per-connection child can exit before its CGI and leave it to PID 1.
# Checked: the one-click login from outside, a WebSocket through the relay,
# 200 requests (some cut off by the client mid-stream) and no zombie left,
# PID 1 (sh_login itself) reaping orphans against a PID 1 that does not,
# SIGTERM to PID 1 ending everything within the grace time.
# own target: make test-image (about 2 min; CI runs it after make test)
#
# Then the Containerfile's final stage, built without a registry: its
# builder stage replaced by a base made with `podman import` of build/rootfs,
# in a private podman storage; the image's files and config compared with
# what the bundle ran. Skips (counted) unless root, runc, iproute2 and
# build/rootfs are there; the Containerfile test skips without podman.
TEST_TOP=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=$TEST_TOP/build/rootfs
SH_LOGIN_CGI=$IMAGE/usr/libexec/sh_login/sh_login-cgi
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3     # Debian's, with python3-websockets and python3-yaml

SKIP_WHY=
NS='' VETH='' NET=''
IP_CT='' RUNC_ROOT=''
A_PID='' B_PID='' C_PID=''
GRACE=5

runc_() { runc --root "$RUNC_ROOT" "$@"; }

# bundle NAME [KEY=VALUE...] [-- ARG...]: a bundle in $WORK/NAME over a
# private copy of the image (runc creates mount points in it).
bundle() {
	name=$1
	shift
	mkdir -p "$WORK/$name" || return 1
	cp -a "$IMAGE" "$WORK/$name/rootfs" && mkdir -p "$WORK/$name/rootfs/run/app" || return 1
	(cd "$WORK/$name" && runc spec) || return 1
	OCI_BINDS="$WORK/app:/run/app" "$PY" "$TEST_TOP/tests/oci_config.py" \
		"$WORK/$name/config.json" "$TEST_TOP/Containerfile" "/var/run/netns/$NS" "$@" \
		>"$WORK/$name/config.new" && mv "$WORK/$name/config.new" "$WORK/$name/config.json"
}

# run_container NAME: runc runs it in the foreground (in the background of
# this shell); its stdout and stderr are the container's.
run_container() {
	runc_ run -b "$WORK/$1" "oci-$$-$1" >"$WORK/$1.out" 2>"$WORK/$1.err" &
	started_pid=$!
}

# wait_gateway NAME PORT: until it printed its token and answers on PORT.
wait_gateway() {
	i=0
	until grep -q 'Token:' "$WORK/$1.out" 2>/dev/null && "$CGI" probe "$IP_CT" "$2" 1; do
		i=$((i + 1))
		if [ $i -gt 150 ]; then
			cat "$WORK/$1.err" >&2
			return 1
		fi
		sleep 0.2
	done
}

# procs NAME: "pid ppid state comm" of every process in the container's pid
# namespace, read from /proc inside it (a busybox sh exec'd as uid 1000).
procs() {
	runc_ exec --user 1000:1000 "oci-$$-$1" /bin/sh -c \
		'for f in /proc/[0-9]*/stat; do read -r l <"$f" && echo "$l"; done 2>/dev/null' |
		awk '{ c = $2; gsub(/[()]/, "", c); print $1, $4, $3, c }'
}
zombies() { procs "$1" | awk '$3 == "Z"' | wc -l; }
# cmdlines NAME: the command line of every process in container NAME, one a
# line, arguments separated by spaces (a zombie's is empty).
cmdlines() {
	runc_ exec --user 1000:1000 "oci-$$-$1" /bin/sh -c \
		'for f in /proc/[0-9]*/cmdline; do tr "\0" " " <"$f"; echo; done 2>/dev/null'
}

oneTimeSetUp() {
	if [ "$(id -u)" != 0 ]; then
		SKIP_WHY="not root (runc, network namespaces)"
	elif ! command -v runc >/dev/null 2>&1; then
		SKIP_WHY="no runc (apt-get install runc)"
	elif ! command -v ip >/dev/null 2>&1; then
		SKIP_WHY="no ip (iproute2)"
	elif [ ! -x "$IMAGE/bin/busybox" ] || [ ! -x "$SH_LOGIN_CGI" ]; then
		SKIP_WHY="no $IMAGE: run 'make rootfs' first"
	elif ! "$PY" -c 'import websockets' 2>/dev/null; then
		SKIP_WHY="no python3-websockets"
	fi
	if [ -n "$SKIP_WHY" ]; then
		echo "oci_test: skipped: $SKIP_WHY" >&2
		return 0
	fi
	RUNC_ROOT=$WORK/runc
	# A private network namespace and a veth pair; a /30 picked from the pid.
	NS=shl-oci-$$
	VETH=shlh$$
	NET=10.213.$(($$ % 250 + 1))
	IP_CT=$NET.2
	ip netns add "$NS" &&
		ip link add "$VETH" type veth peer name "shlc$$" &&
		ip link set "shlc$$" netns "$NS" &&
		ip addr add "$NET.1/30" dev "$VETH" && ip link set "$VETH" up &&
		ip -n "$NS" addr add "$IP_CT/30" dev "shlc$$" &&
		ip -n "$NS" link set "shlc$$" up && ip -n "$NS" link set lo up ||
		fail "cannot make the network namespace and veth pair"
	# The app: on a unix socket in a directory only uid 1000 (the image's
	# user) may enter, as in the sidecar recipe.
	start_upstream unix
	chown 1000:1000 "$WORK/app" "$WORK/app/app.sock"
	bundle a SH_LOGIN_GRACE="$GRACE" -- --socket /run/app/app.sock &&
		bundle b SH_LOGIN_RELAY=no SH_LOGIN_NGINX=8081 -- --socket /run/app/app.sock &&
		bundle c -- || fail "cannot make the OCI bundles"
	# C: a PID 1 that never waits (busybox sleep), the control for the reaping test
	"$PY" -c 'import json, sys
c = json.load(open(sys.argv[1])); c["process"]["args"] = ["/bin/sleep", "300"]
json.dump(c, open(sys.argv[1], "w"))' "$WORK/c/config.json" || fail "control bundle"
	run_container a && A_PID=$started_pid
	run_container b && B_PID=$started_pid
	run_container c && C_PID=$started_pid
	wait_gateway a 8080 || fail "gateway A did not start in runc"
	wait_gateway b 8081 || fail "gateway B did not start in runc"
	A_BASE=http://$IP_CT:8080
	B_BASE=http://$IP_CT:8081
}

# sigterm NAME PID: SIGTERM to the container's PID 1 through runc, then
# wait for `runc run` (PID) to end; sets rc (its exit) and took (seconds).
sigterm() {
	start=$(date +%s)
	runc_ kill "oci-$$-$1" TERM
	wait "$2"
	rc=$?
	took=$(($(date +%s) - start))
}

stop_container() {
	[ -n "$2" ] || return 0
	runc_ kill "oci-$$-$1" KILL 2>/dev/null
	wait "$2" 2>/dev/null
	runc_ delete -f "oci-$$-$1" 2>/dev/null
}

oneTimeTearDown() {
	if [ "${__shunit_assertsFailed:-0}" != 0 ]; then
		for f in "$WORK"/a.err "$WORK"/b.err; do [ ! -s "$f" ] || { echo "--- $f"; tail -20 "$f"; }; done
	fi
	stop_container a "$A_PID"
	stop_container b "$B_PID"
	stop_container c "$C_PID"
	[ -z "$NS" ] || ip netns del "$NS" 2>/dev/null
	[ -z "$VETH" ] || ip link del "$VETH" 2>/dev/null
	cleanup_all
}

setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }
ready() {
	[ -n "$SKIP_WHY" ] || return 0
	fail "skipped: $SKIP_WHY"
	return 1
}

one_click() { sed -n 's/^ *One-click URL: *//p' "$WORK/$1.out"; }
# ct_cookie NAME: "name=value" of the session (the jar files it under the
# container's host name, which the requests by address would not send)
ct_cookie() { awk '$6 ~ /^sh_login_/ { print $6 "=" $7 }' "$WORK/$1.jar"; }

# ct_login NAME BASE: the container's one-click URL, as printed, asked of the
# container's address (its host name resolved by curl); cookie in NAME.jar.
ct_login() {
	url=$(one_click "$1")
	hostport=${url#http://}
	hostport=${hostport%%/*}
	curl -s -o /dev/null -D "$WORK/$1.head" -w '%{http_code}' -c "$WORK/$1.jar" \
		--resolve "$hostport:$IP_CT" --max-time 10 "$url"
}

testContainerRunsAsUid1000ReadOnlyWithoutCapabilities() {
	ready || return 0
	status=$(runc_ exec --user 1000:1000 "oci-$$-a" /bin/cat /proc/1/status)
	assertContains "PID 1 is uid 1000" "$status" "$(printf 'Uid:\t1000\t1000\t1000\t1000')"
	assertContains "no effective capabilities" "$status" "$(printf 'CapEff:\t0000000000000000')"
	assertContains "no bounding capabilities" "$status" "$(printf 'CapBnd:\t0000000000000000')"
	assertContains "no_new_privs" "$status" "$(printf 'NoNewPrivs:\t1')"
	assertEquals "PID 1 is sh_login (busybox sh)" "/bin/sh /usr/bin/sh_login start --socket /run/app/app.sock" \
		"$(runc_ exec --user 1000:1000 "oci-$$-a" /bin/sh -c 'tr "\0" " " </proc/1/cmdline' | sed 's/ $//')"
	assertFalse "the root is read-only" \
		"runc_ exec --user 1000:1000 oci-$$-a /bin/sh -c ': >/usr/x' 2>/dev/null"
	assertContains "state on the tmpfs /tmp" "$(cat "$WORK/a.out")" "State and logs: /tmp/sh_login."
	assertContains "/tmp is a tmpfs" "$(runc_ exec --user 1000:1000 "oci-$$-a" /bin/cat /proc/mounts)" \
		"tmpfs /tmp tmpfs"
	assertContains "A took the relay" "$(cat "$WORK/a.err")" "through the relay"
	assertContains "B took the CGI path" "$(cat "$WORK/b.err")" "through the forwarding CGI"
}

testOneClickLoginFromOutsideTheNetworkNamespace() {
	ready || return 0
	url=$(one_click a)
	assertContains "one-click URL names the container's host and port" "$url" \
		"http://sh-login-oci:8080/cgi-bin/login?token="
	assertEquals "no session: 401" 401 "$(req "$A_BASE/cgi-bin/app/echo")"
	assertEquals "one-click login" 303 "$(ct_login a)"
	assertContains "$(cat "$WORK/a.head")" "Location: /cgi-bin/app/"
	assertEquals "the app through the relay" 200 "$(req -b "$(ct_cookie a)" "$A_BASE/cgi-bin/app/echo/x?y=1")"
	assertContains "$(cat "$WORK/body")" '"target": "/echo/x?y=1"'
	assertEquals "health" 200 "$(req "$A_BASE/cgi-bin/health")"
	assertEquals "one-click login on B" 303 "$(ct_login b)"
	assertEquals "the app through the CGI" 200 "$(req -b "$(ct_cookie b)" "$B_BASE/cgi-bin/app/echo/z")"
	assertContains "$(cat "$WORK/body")" '"target": "/echo/z"'
	assertEquals "A's cookie is no session on B" 401 "$(req -b "$(ct_cookie a)" "$B_BASE/cgi-bin/app/echo")"
}

testWebSocketThroughTheRelayInTheContainer() {
	ready || return 0
	[ -s "$WORK/a.jar" ] || ct_login a >/dev/null
	assertEquals "echo ok" "$("$PY" "$TOP/tests/wsclient.py" "ws://$IP_CT:8080/cgi-bin/app/ws" "$(ct_cookie a)")"
	assertContains "no session" "$("$PY" "$TOP/tests/wsclient.py" "ws://$IP_CT:8080/cgi-bin/app/ws" "")" \
		"HTTP 401"
}

# 200 requests: 100 to A (50 on one kept-alive connection through the relay,
# 50 separate), 100 to B (60 whole, 40 server-sent event streams the client
# cuts off after 0.3 s, so httpd's child can end before its CGI). Every
# whole answer is checked; then no zombie may be left in either container.
testTwoHundredRequestsLeaveNoZombie() {
	ready || return 0
	[ -s "$WORK/a.jar" ] || ct_login a >/dev/null
	[ -s "$WORK/b.jar" ] || ct_login b >/dev/null
	urls=
	i=0
	while [ $i -lt 50 ]; do urls="$urls $A_BASE/cgi-bin/app/echo/k$i"; i=$((i + 1)); done
	# shellcheck disable=SC2086
	ok=$(curl -s -b "$(ct_cookie a)" -o /dev/null -w '%{http_code} %{num_connects}\n' $urls |
		awk '$1 == 200 { n++ } $2 == 1 { c++ } END { print n + 0, c + 0 }')
	assertEquals "50 x 200 over one kept connection" "50 1" "$ok"
	: >"$WORK/codes"
	# each batch in a subshell: its `wait` is for its curls only
	i=0
	while [ $i -lt 50 ]; do
		(
			for j in 0 1 2 3 4; do
				curl -s -b "$(ct_cookie a)" -o /dev/null -w '%{http_code}\n' "$A_BASE/cgi-bin/app/echo/s$i.$j" &
				curl -s -b "$(ct_cookie b)" -o /dev/null -w '%{http_code}\n' "$B_BASE/cgi-bin/app/echo/c$i.$j" &
			done
			wait
		) >>"$WORK/codes"
		i=$((i + 5))
	done
	# 40 event streams (events at 0, 3, 6 and 9 s) cut by the client after
	# 0.3 s. Should httpd's child exit on its failed write before the CGI
	# ends, the CGI is PID 1's: counted at about 7.5 s from the container's
	# /proc, for the log (none were seen with busybox 1.35 here: the child
	# outlives its CGI in this case; testPid1ReapsOrphans makes orphans).
	: >"$WORK/orphans"
	i=0
	while [ $i -lt 40 ]; do
		(
			for j in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
				curl -s -b "$(ct_cookie b)" -o /dev/null --max-time 0.3 \
					"$B_BASE/cgi-bin/app/sse?n=4&gap=3" &
			done
			wait
			sleep 7
			procs b | awk '$2 == 1 && $4 == "sh_login-cgi"' >>"$WORK/orphans"
		)
		i=$((i + 20))
	done
	i=0
	while [ $i -lt 10 ]; do
		curl -s -b "$(ct_cookie b)" -o /dev/null -w '%{http_code}\n' "$B_BASE/cgi-bin/app/echo/t$i" >>"$WORK/codes"
		i=$((i + 1))
	done
	assertEquals "110 separate requests answered 200" 110 "$(grep -c '^200$' "$WORK/codes")"
	orphans=$(wc -l <"$WORK/orphans")
	echo "CGIs seen as orphans of PID 1 after their streams were cut: $orphans"
	# the cut streams' CGIs end at their next write (the 9 s event)
	i=0
	while [ $i -lt 50 ] && [ "$(procs b | awk '$4 == "sh_login-cgi"' | wc -l)" != 0 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	sleep 2     # PID 1 waits at least once a second
	assertEquals "no CGI left in B" 0 "$(procs b | awk '$4 == "sh_login-cgi"' | wc -l)"
	assertEquals "no zombie in A" 0 "$(zombies a)"
	assertEquals "no zombie in B" 0 "$(zombies b)"
	procs b | awk '$3 == "Z"'
}

# Orphans made on purpose: 20 background sleeps of a shell run by `runc
# exec`. When that shell exits, runc ends what it left behind and the
# kernel hands the 20 dead children to PID 1 of the container's pid
# namespace. sh_login as PID 1 (A) reaps them; busybox sleep as PID 1 (C,
# the control, never waits) keeps 20 zombies whose parent is PID 1.
testPid1ReapsOrphans() {
	ready || return 0
	orphan20='i=0; while [ $i -lt 20 ]; do sleep 30 & i=$((i + 1)); done'
	for c in a c; do
		runc_ exec --user 1000:1000 "oci-$$-$c" /bin/sh -c "$orphan20"
	done
	sleep 2     # PID 1 waits at least once a second
	assertEquals "sh_login as PID 1 reaped them" 0 "$(zombies a)"
	# and none is left in any other state: an orphan still running (not
	# ended, or not handed to PID 1) would leave no zombie either. (sh_login's
	# own monitor sleep is "sleep 1".)
	cmdlines a >"$WORK/a.cmdlines"
	assertTrue "the container's command lines read: $(head -c 300 "$WORK/a.cmdlines" | tr '\n' ';')" \
		"grep -q '^/bin/sh /usr/bin/sh_login start' '$WORK/a.cmdlines'"
	assertEquals "no orphan left in A: $(grep -E '^([^ ]*/)?sleep ' "$WORK/a.cmdlines" | tr '\n' ';')" 0 \
		"$(grep -E '^([^ ]*/)?sleep ' "$WORK/a.cmdlines" | grep -cv '^sleep 1 $')"
	assertEquals "a PID 1 that never waits keeps 20 zombies (control)" 20 \
		"$(procs c | awk '$3 == "Z" && $2 == 1 && $4 == "sleep"' | wc -l)"
}

# The Containerfile's final stage, as written, over a builder stage that
# is a `podman import` of build/rootfs placed where the real builder leaves
# it (/src/build/rootfs): no registry, no RUN (podman's crun cannot run
# containers here: README.md, "The image", the table of what the tests
# ran), private storage under $WORK.
testContainerfileFinalStageBuildsWithoutARegistry() {
	ready || return 0
	command -v podman >/dev/null 2>&1 || { skip_test "no podman (apt-get install podman)"; return 0; }
	pm() { podman --root "$WORK/podman/root" --runroot "$WORK/podman/run" --storage-driver vfs "$@"; }
	mkdir -p "$WORK/base/src/build" "$WORK/ctx" && cp -a "$IMAGE" "$WORK/base/src/build/rootfs" &&
		tar -C "$WORK/base" -cf "$WORK/base.tar" . || fail "cannot make the base tree"
	if ! pm import "$WORK/base.tar" "localhost/sh_login-build:oci$$" >"$WORK/podman.log" 2>&1; then
		skip_test "podman import fails here: $(tail -1 "$WORK/podman.log")"
		return 0
	fi
	{
		echo "FROM localhost/sh_login-build:oci$$ AS build"
		awk -v last="$(grep -c '^FROM ' "$TOP/Containerfile")" '/^FROM /{ n++ } n == last' "$TOP/Containerfile"
	} >"$WORK/Containerfile.final"
	assertEquals "the final stage starts FROM scratch" "FROM scratch" "$(sed -n 2p "$WORK/Containerfile.final")"
	pm build --pull=never -t "localhost/sh_login:oci$$" -f "$WORK/Containerfile.final" "$WORK/ctx" \
		>>"$WORK/podman.log" 2>&1
	assertEquals "podman build of the final stage" 0 $?
	cfg=$(pm image inspect --format '{{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.ExposedPorts}}' \
		"localhost/sh_login:oci$$")
	assertEquals '1000:1000 ["sh_login","start"] {"8080/tcp":{}}' "$cfg"
	env=$(pm image inspect --format '{{range .Config.Env}}{{.}} {{end}}' "localhost/sh_login:oci$$")
	for e in SH_LOGIN_BIND=0.0.0.0 SH_LOGIN_NGINX=8080 HOME=/tmp TMPDIR=/tmp; do
		assertContains "image env $e" "$env" "$e"
	done
	# the image's files are make rootfs's, byte for byte, links and modes too
	ctr=$(pm create "localhost/sh_login:oci$$") && mkdir "$WORK/img" &&
		pm export "$ctr" | tar -C "$WORK/img" -xf - || fail "cannot export the image"
	assertEquals "same tree as build/rootfs" "" "$(diff -r --no-dereference "$IMAGE" "$WORK/img" 2>&1)"
	assertEquals "same modes and links" "$(cd "$IMAGE" && find . -printf '%p %m %l\n' | sort)" \
		"$(cd "$WORK/img" && find . -printf '%p %m %l\n' | sort)"
	# What `podman run` says on this machine (runc above ran the same tree).
	pm run --rm --pull=never --network none "localhost/sh_login:oci$$" help >"$WORK/podman-run.log" 2>&1 ||
		echo "podman run here: $(tail -1 "$WORK/podman-run.log")"
	pm rm -f "$ctr" >/dev/null 2>&1
	pm rmi -f "localhost/sh_login:oci$$" "localhost/sh_login-build:oci$$" >/dev/null 2>&1
}

testZzSigtermToPid1StopsEverythingWithinGrace() {
	ready || return 0
	[ -s "$WORK/a.jar" ] || ct_login a >/dev/null
	# a request in flight when the signal comes: it gets the grace to finish
	curl -s -b "$(ct_cookie a)" -o "$WORK/slow" -w '%{http_code}' --max-time 20 \
		"$A_BASE/cgi-bin/app/slow?s=2" >"$WORK/slow.code" &
	curl_pid=$!
	sleep 0.5
	init=$(runc_ state "oci-$$-a" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
	sigterm a "$A_PID"
	A_PID=
	wait "$curl_pid"
	assertEquals "PID 1 exits 0 on SIGTERM" 0 "$rc"
	assertTrue "stopped within the grace time ($took s; grace $GRACE s)" "[ $took -le $((GRACE + 2)) ]"
	assertEquals "the request in flight finished" 200 "$(cat "$WORK/slow.code")"
	assertContains "$(cat "$WORK/a.err")" "stopping"
	assertFalse "no process left of the container" "[ -d /proc/$init ]"
	assertFalse "runc forgot the container" "runc_ state oci-$$-a 2>/dev/null"
	# B, on the CGI path, with a request that outlasts the grace: ended
	curl -s -b "$(ct_cookie b)" -o /dev/null --max-time 40 "$B_BASE/cgi-bin/app/slow?s=30" &
	curl_pid=$!
	sleep 1
	sigterm b "$B_PID"
	B_PID=
	wait "$curl_pid"
	assertEquals "B exits 0 on SIGTERM" 0 "$rc"
	assertTrue "B stopped within the grace time with a request stuck ($took s; grace 5 s)" \
		"[ $took -le $((5 + 3)) ]"
	assertContains "$(cat "$WORK/b.err")" "ending requests still running after 5 s"
}

. shunit2
