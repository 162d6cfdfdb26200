#!/bin/sh
# cli_test.sh - scripts/sh_login as a user meets it: help, usage errors and
# exit codes, token sources, the state directory, --cmd supervision, signals,
# the built-in demo app, two instances side by side, the startup output
# (logs, SSH tunnel hint), the state file and `sh_login list`.
. "$(dirname "$0")/lib.sh"
# A private registry for `sh_login list`, not the user's real one.
export XDG_RUNTIME_DIR="$WORK/xdg"
mkdir -p "$XDG_RUNTIME_DIR"
unset SSH_CONNECTION

oneTimeTearDown() { cleanup_all; }
tearDown() { stop_gateway; stop_upstream; rm -rf "$WORK/state"; }

sh_login() { sh "$TOP/scripts/sh_login" "$@"; }

testHelpDocumentsFlagsVariablesAndExitCodes() {
	out=$(sh_login help); rc=$?
	assertEquals 0 "$rc"
	for word in --port --socket --nginx --token --tmpdir --cmd --bind --busybox \
		SH_LOGIN_PORT SH_LOGIN_SOCKET SH_LOGIN_NGINX SH_LOGIN_TOKEN SH_LOGIN_TOKEN_FILE \
		SH_LOGIN_TMPDIR SH_LOGIN_CMD SH_LOGIN_ACCESS_LOG --access-log 'sh_login list' \
		/cgi-bin/health 'Exit codes' 100 111; do
		assertContains "help mentions $word" "$out" "$word"
	done
	sh_login --help >/dev/null; assertEquals 0 $?
}

testUsageErrorsExit100() {
	for args in "start --bogus" "start --port" "start --port abc" "start --port 70000" \
		"start --port 1 --socket /tmp/x" "start --socket relative" "start --token bad/token" \
		"start --timeout 1.5" "frobnicate"; do
		# shellcheck disable=SC2086
		sh_login $args >/dev/null 2>"$WORK/err"
		assertEquals "sh_login $args" 100 $?
		assertContains "$(cat "$WORK/err")" "sh_login"
	done
}

# One table (cgi-bin/config.c) judges every number: 0 is "no limit" where
# the table allows it and refused at start, with the range, where not.
testNumbersCheckedAgainstTheConfigTable() {
	for v in SH_LOGIN_TIMEOUT=0 SH_LOGIN_RELAY_IDLE=0 SH_LOGIN_SESSION_IDLE=0 \
		SH_LOGIN_THROTTLE_WINDOW=0 SH_LOGIN_GRACE=x SH_LOGIN_CGI_MAX=4097 \
		SH_LOGIN_RELAY_MAX=-1 SH_LOGIN_RELAY_HEAD_TIMEOUT=+5 SH_LOGIN_THROTTLE_ALL=' 5'; do
		env "$v" sh "$TOP/scripts/sh_login" start --tmpdir "$WORK/state" >/dev/null 2>"$WORK/err"
		assertEquals "$v" 100 $?
		assertContains "$v" "$(cat "$WORK/err")" "${v%%=*} must be a whole number from"
	done
	for v in SH_LOGIN_RELAY_MAX SH_LOGIN_CGI_MAX SH_LOGIN_THROTTLE_CLIENT SH_LOGIN_THROTTLE_ALL; do
		assertEquals "$v=0: no limit, accepted" "" "$(env "$v=0" "$CGI" config 2>&1)"
		assertEquals "$v=0 reads as 0" 0 "$(env "$v=0" "$CGI" config "$v")"
	done
	assertEquals "default from limits.h" 64 "$(env -u SH_LOGIN_RELAY_MAX "$CGI" config SH_LOGIN_RELAY_MAX)"
}

testBusyboxWithoutHttpdExits111() {
	sh_login start --busybox /bin/false --tmpdir "$WORK/state" >/dev/null 2>"$WORK/err"
	assertEquals 111 $?
	assertContains "$(cat "$WORK/err")" "no httpd applet"
}

testFrontPortInUseExits111() {
	start_upstream tcp
	sh_login start --port "$UP_PORT" --nginx "$UP_PORT" --tmpdir "$WORK/state" >/dev/null 2>"$WORK/err"
	assertEquals 111 $?
	assertContains "$(cat "$WORK/err")" "already in use"
}

testTokenFromFileAndCommandLineWarning() {
	echo "my-secret-token-1234567890" >"$WORK/tokenfile"
	chmod 600 "$WORK/tokenfile"     # one open to others is refused (install_test.sh)
	start_upstream tcp
	SH_LOGIN_TOKEN_FILE=$WORK/tokenfile start_gateway --port "$UP_PORT"
	assertEquals "my-secret-token-1234567890" "$TOKEN"
	assertEquals 303 "$(req -d "token=$TOKEN" "$BASE/cgi-bin/login")"
	stop_gateway
	start_gateway --port "$UP_PORT" --token short
	assertContains "$(cat "$WORK/gw.err")" "shows in ps"
	assertContains "$(cat "$WORK/gw.err")" "easy to guess"
	assertEquals 303 "$(req -d "token=short" "$BASE/cgi-bin/login")"
}

testStateDirCreatedPrivateAndRemovedOnExit() {
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	assertEquals "made by sh_login: used as named" "$WORK/state" "$STATE"
	assertEquals 700 "$(stat -c %a "$STATE")"
	assertEquals 700 "$(stat -c %a "$STATE/sessions")"
	assertEquals 600 "$(stat -c %a "$STATE/token")"
	stop_gateway
	assertFalse "created by sh_login: removed" "[ -e '$STATE' ]"

	# a directory of the user's, not empty: a fresh one of ours inside it
	mkdir -m 755 "$WORK/state"
	echo keep >"$WORK/state/mine"
	start_gateway --port "$UP_PORT"
	case $STATE in "$WORK/state/sh_login."??????) ok=yes ;; *) ok=no ;; esac
	assertEquals "state in a fresh $WORK/state/sh_login.XXXXXX ($STATE)" yes "$ok"
	assertEquals "the given dir is not made private" 755 "$(stat -c %a "$WORK/state")"
	assertEquals "ours is" 700 "$(stat -c %a "$STATE")"
	login
	stop_gateway
	assertEquals "given dir kept as it was" "mine" "$(ls -A "$WORK/state")"
	assertEquals "its file too" keep "$(cat "$WORK/state/mine")"
	assertEquals "its mode too" 755 "$(stat -c %a "$WORK/state")"
}

# broken_install: sh_login installed without its style sheet (or with a
# FIFO in its place): start gets past its state directory and token file,
# then fails (or blocks) copying the sheet into the web root.
broken_install() {
	rm -rf "$WORK/inst"
	mkdir -p "$WORK/inst/bin" "$WORK/inst/share/sh_login/html"
	cp "$TOP/scripts/sh_login" "$WORK/inst/bin/"
	cp "$TOP/html/login.html" "$WORK/inst/share/sh_login/html/"
	CSS=$WORK/inst/share/sh_login/html/sh_login.css
}

testFailureAfterTheStateDirIsMadeLeavesNothingOfTheRun() {
	broken_install
	start_upstream tcp
	sh "$WORK/inst/bin/sh_login" start --port "$UP_PORT" --tmpdir "$WORK/state" >"$WORK/out" 2>"$WORK/err"
	assertEquals "cat's failure ends it (set -e)" 1 $?
	assertContains "$(cat "$WORK/err")" "$CSS"
	assertEquals "no token printed" "" "$(cat "$WORK/out")"
	assertFalse "the state directory it made is gone, token and all" "[ -e '$WORK/state' ]"

	# a directory of the user's: the fresh one made inside it goes, nothing else
	rm -rf "$WORK/state"; mkdir -m 755 "$WORK/state"
	echo keep >"$WORK/state/mine"
	sh "$WORK/inst/bin/sh_login" start --port "$UP_PORT" --tmpdir "$WORK/state" >/dev/null 2>&1
	assertEquals 1 $?
	assertEquals "only the user's file is left" "mine" "$(ls -A "$WORK/state")"
	assertEquals "its bytes" keep "$(cat "$WORK/state/mine")"
	assertEquals "its mode" 755 "$(stat -c %a "$WORK/state")"

	# an empty directory used in place: what this run made in it goes; the
	# marker and the log stay, as after a normal stop
	rm -rf "$WORK/state"; mkdir -m 700 "$WORK/state"
	sh "$WORK/inst/bin/sh_login" start --port "$UP_PORT" --tmpdir "$WORK/state" >/dev/null 2>&1
	assertEquals 1 $?
	assertEquals ".sh_login sh_login.log" "$(ls -A "$WORK/state" | tr '\n' ' ' | sed 's/ $//')"
}

testSigtermWhileStartingCleansUp() {
	broken_install
	mkfifo "$CSS"          # start blocks reading it, its token already written
	start_upstream tcp
	sh "$WORK/inst/bin/sh_login" start --port "$UP_PORT" --tmpdir "$WORK/state" >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	i=0
	until [ -s "$WORK/state/token" ] || [ $i -gt 200 ]; do sleep 0.1; i=$((i + 1)); done
	assertTrue "blocked with its token written" "[ -s '$WORK/state/token' ]"
	kill -TERM "$pid"
	# the shell runs its trap once the cat it waits for ends: feed the cat
	# (timeout: a shell that exited at once left no reader)
	timeout 10 sh -c 'echo "body {}" >"$1"' sh "$CSS" || :
	wait "$pid"
	assertEquals "a TERM while starting: exit 0, as one later" 0 $?
	assertFalse "the state directory it made is gone, token and all" "[ -e '$WORK/state' ]"
}

testSigtermStopsEverythingWithExit0() {
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	kill -TERM "$GW_PID"; wait "$GW_PID"; rc=$?
	GW_PID=
	assertEquals 0 "$rc"
	assertFalse "front port closed" "'$CGI' probe 127.0.0.1 '$GW_PORT' 0"
}

testCmdStartsTheAppWithItsVariablesAndStopsIt() {
	start_gateway --cmd "env > '$WORK/app.env'; exec python3 '$TOP/tests/upstream.py' tcp \"\$SH_LOGIN_PORT\""
	login
	assertEquals 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/echo")"
	assertContains "$(cat "$WORK/app.env")" "SH_LOGIN_BASE_URL=/cgi-bin/app/"
	assertContains "$(cat "$WORK/app.env")" "SH_LOGIN_PORT="
	assertNotContains "the app never sees the token" "$(cat "$WORK/app.env")" "$TOKEN"
	app_port=$(sed -n 's/^SH_LOGIN_PORT=//p' "$WORK/app.env")
	stop_gateway
	assertFalse "the app was stopped" "'$CGI' probe 127.0.0.1 '$app_port' 0"
}

testCmdOnUnixSocket() {
	mkdir -p "$WORK/sock" && chmod 700 "$WORK/sock"
	start_gateway --socket "$WORK/sock/app.sock" \
		--cmd "exec python3 '$TOP/tests/upstream.py' unix \"\$SH_LOGIN_SOCKET\""
	login
	assertEquals 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/echo")"
	assertContains "$(cat "$WORK/gw.out")" "socket $WORK/sock/app.sock"
}

testAppDyingStopsTheGatewayWithExit1() {
	start_gateway --cmd "echo \$\$ >'$WORK/app.pid'; exec python3 '$TOP/tests/upstream.py' tcp \"\$SH_LOGIN_PORT\""
	kill "$(cat "$WORK/app.pid")"
	wait "$GW_PID"; rc=$?
	GW_PID=
	assertEquals 1 "$rc"
	assertContains "$(cat "$WORK/gw.err")" "the app exited"
	assertFalse "httpd stopped too" "'$CGI' probe 127.0.0.1 '$GW_PORT' 0"
}

testAppThatNeverListensFails() {
	SH_LOGIN_APP_WAIT=2 sh_login start --tmpdir "$WORK/state" --cmd "sleep 30" >/dev/null 2>"$WORK/err"
	assertEquals 1 $?
	assertContains "$(cat "$WORK/err")" "did not start listening"
}

testDemoAppWhenNoAppGiven() {
	start_gateway
	assertContains "$(cat "$WORK/gw.err")" "built-in demo app"
	login
	assertEquals 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/")"
	assertContains "$(cat "$WORK/body")" "you are behind sh_login"
}

testTwoGatewaysHaveDistinctCookieNames() {
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	login; first=$(jar_cookie_name); first_pid=$GW_PID; first_base=$BASE
	cp "$WORK/jar" "$WORK/jar1"
	GW_PID=
	STATE_SAVE=$STATE
	sh "$TOP/scripts/sh_login" start --port "$UP_PORT" --tmpdir "$WORK/state2" >"$WORK/gw2.out" 2>&1 &
	second_pid=$!
	sleep 1
	until grep -q Token: "$WORK/gw2.out"; do sleep 0.2; done
	port2=$(sed -n 's|.*Login page: *http://localhost:\([0-9]*\)/.*|\1|p' "$WORK/gw2.out")
	token2=$(awk '/Token:/ { print $2 }' "$WORK/gw2.out")
	curl -s -o /dev/null -c "$WORK/jar2" -d "token=$token2" "http://127.0.0.1:$port2/cgi-bin/login"
	second=$(awk '$6 ~ /^sh_login_/ { print $6 }' "$WORK/jar2")
	assertNotEquals "$first" "$second"
	assertNotEquals "the tokens differ" "$TOKEN" "$token2"
	assertEquals "a session of one is no session of the other" 401 \
		"$(req -b "$WORK/jar1" "http://127.0.0.1:$port2/cgi-bin/validate")"
	kill -TERM "$first_pid" "$second_pid"; wait "$first_pid" "$second_pid"
	: "$first_base" "$STATE_SAVE"
}

testStartupOutputSaysWhereLogsGoAndNoTunnelOnLoopback() {
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	out=$(cat "$WORK/gw.out")
	assertContains "$out" "Token:          $TOKEN"
	assertContains "$out" "One-click URL:  http://localhost:$GW_PORT/cgi-bin/login?token=$TOKEN"
	assertContains "$out" "Health check:   http://localhost:$GW_PORT/cgi-bin/health"
	assertContains "$out" "Access log:     $STATE/access.log"
	assertContains "$out" "Error log:      $STATE/sh_login.log"
	assertContains "$out" "sh_login list"
	assertNotContains "local and loopback: no tunnel hint" "$out" "ssh -N"
}

testTunnelHintOverSsh() {
	start_upstream tcp
	SSH_CONNECTION="192.0.2.7 50000 192.0.2.1 22" start_gateway --port "$UP_PORT"
	out=$(cat "$WORK/gw.out")
	assertContains "$out" "logged in over SSH"
	assertContains "$out" "ssh -N -L $GW_PORT:localhost:$GW_PORT $(id -un)@"
	assertContains "the local one-click URL" "$out" \
		"    http://localhost:$GW_PORT/cgi-bin/login?token=$TOKEN"
}

# In a Slurm job the browser is elsewhere: the tunnel goes through the host
# the job was submitted from (ssh -J), as the README's batch recipe says.
testTunnelHintInASlurmJob() {
	start_upstream tcp
	SLURM_JOB_ID=4711 SLURM_SUBMIT_HOST=login1.cluster.example start_gateway --port "$UP_PORT"
	out=$(cat "$WORK/gw.out")
	assertContains "$out" "This looks like a remote machine: this is Slurm job 4711."
	assertContains "$out" "ssh -N -L $GW_PORT:localhost:$GW_PORT -J $(id -un)@login1.cluster.example $(id -un)@"
	stop_gateway
	SLURM_JOB_ID=4712 SLURM_SUBMIT_HOST=$(hostname) start_gateway --port "$UP_PORT"
	assertContains "submitted on this host: no jump" "$(cat "$WORK/gw.out")" \
		"ssh -N -L $GW_PORT:localhost:$GW_PORT $(id -un)@"
}

testTunnelHintWhenBoundBeyondLoopback() {
	start_upstream tcp
	start_gateway --port "$UP_PORT" --bind 0.0.0.0
	out=$(cat "$WORK/gw.out")
	assertContains "$out" "listens on 0.0.0.0"
	assertContains "$out" "ssh -N -L $GW_PORT:localhost:$GW_PORT "
}

testStateFileIsPrivateAndHoldsNoToken() {
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	assertEquals 600 "$(stat -c %a "$STATE/state")"
	st=$(cat "$STATE/state")
	assertContains "$st" "pid=$GW_PID"
	assertContains "$st" "url=http://localhost:$GW_PORT/"
	assertContains "$st" "front_port=$GW_PORT"
	assertContains "$st" "app_port=$UP_PORT"
	assertContains "$st" "tmpdir=$STATE"
	assertContains "$st" "access_log=$STATE/access.log"
	assertNotContains "the token stays in one file" "$st" "$TOKEN"
	rundir=$XDG_RUNTIME_DIR/sh_login-$(id -u)
	assertEquals "registry is private" 700 "$(stat -c %a "$rundir")"
	assertEquals "registered under its pid" "$st" "$(cat "$rundir/$GW_PID.state")"
	pid=$GW_PID
	stop_gateway
	assertFalse "entry removed on exit" "[ -e '$rundir/$pid.state' ]"
}

testListShowsRunningGatewaysAndDropsStaleOnes() {
	out=$(sh_login list); rc=$?
	assertEquals 0 "$rc"
	assertEquals "No sh_login gateway is running." "$out"
	start_upstream tcp
	start_gateway --port "$UP_PORT"
	rundir=$XDG_RUNTIME_DIR/sh_login-$(id -u)
	# a gateway that died without cleaning up: its pid is gone
	sh -c 'exit 0' & dead=$!
	wait "$dead"
	printf 'pid=%s\nurl=http://localhost:1/\ntmpdir=/nonexistent\napp=x\n' "$dead" >"$rundir/$dead.state"
	out=$(sh_login list); rc=$?
	assertEquals 0 "$rc"
	assertContains "$out" "Running sh_login gateways:"
	assertContains "jupyter-style: one-click URL :: what" "$out" \
		"http://localhost:$GW_PORT/cgi-bin/login?token=$TOKEN :: the app on port $UP_PORT (pid $GW_PID, state $STATE)"
	assertEquals "one line per gateway" 2 "$(echo "$out" | wc -l)"
	assertFalse "stale entry removed" "[ -e '$rundir/$dead.state' ]"
	assertEquals "a login works with the listed URL" 303 \
		"$(req "$(echo "$out" | sed -n 's/ :: .*//p')")"
	sh_login list extra >/dev/null 2>&1
	assertEquals "list takes no arguments" 100 $?
}

# A registry another user could plant entries in (its entries name the state
# directories whose tokens `list` prints) is refused by start and list alike
# (100, saying why). Other users are in statedir_test.sh.
testRegistryOthersCouldWriteToIsRefused() {
	rundir=$XDG_RUNTIME_DIR/sh_login-$(id -u)
	rm -rf "$rundir"
	mkdir -p "$WORK/elsewhere"
	ln -s "$WORK/elsewhere" "$rundir"
	start_upstream tcp
	sh_login start --port "$UP_PORT" --tmpdir "$WORK/state" >/dev/null 2>"$WORK/err"
	assertEquals "start: a symlinked registry" 100 $?
	assertContains "$(cat "$WORK/err")" "refusing the registry of running gateways $rundir: $rundir is a symbolic link"
	assertFalse "nothing started, no state left" "[ -e '$WORK/state' ]"
	sh_login list >"$WORK/out" 2>"$WORK/err"
	assertEquals "list: a symlinked registry" 100 $?
	assertEquals "list prints nothing on stdout" "" "$(cat "$WORK/out")"
	assertContains "$(cat "$WORK/err")" "is a symbolic link"
	assertEquals "nothing written through the symlink" "" "$(ls -A "$WORK/elsewhere")"
	rm -f "$rundir"
	mkdir -m 775 "$rundir"
	sh_login list >/dev/null 2>"$WORK/err"
	assertEquals "list: group-writable" 100 $?
	assertContains "$(cat "$WORK/err")" "other users may write to $rundir (mode 775)"
	chmod 755 "$rundir"
	assertEquals "ours and writable by no one else: used" "No sh_login gateway is running." "$(sh_login list)"
	rmdir "$rundir"
}

# make asks scripts/full-duplex whether to build the project's busybox.
testMakeBuildsBusyboxOnlyWhenNoBusyboxHasP() {
	fd="$TOP/scripts/full-duplex"
	out=$(SH_LOGIN_RELAY=no sh "$fd" want 2>&1); rc=$?
	assertEquals "SH_LOGIN_RELAY=no: not built" 1 "$rc"
	assertContains "$out" "SH_LOGIN_RELAY=no: sh_login will use the forwarding CGI"
	out=$(SH_LOGIN_BUSYBOX=/usr/bin/busybox sh "$fd" want 2>&1); rc=$?
	assertEquals "the user's own busybox: not built" 1 "$rc"
	assertContains "$out" "has no P: (httpd's proxy), so sh_login will use the forwarding CGI"
	# no busybox with P: on PATH and none built: build it, saying so first
	mkdir -p "$WORK/fd/scripts" "$WORK/fd/bin"
	cp "$fd" "$WORK/fd/scripts/"
	ln -sf /usr/bin/busybox "$WORK/fd/bin/busybox"
	out=$(env -u SH_LOGIN_BUSYBOX PATH="$WORK/fd/bin:/usr/bin:/bin" sh "$WORK/fd/scripts/full-duplex" want 2>&1); rc=$?
	if grep -q 'proxy:%s' /usr/bin/busybox; then
		assertEquals "this system's busybox has P:" 1 "$rc"
	else
		assertEquals "Debian's busybox: build it" 0 "$rc"
		assertContains "$out" "this system's busybox has no P:"
		assertContains "the time said up front" "$out" "about 1-2 minutes"
	fi
	out=$(sh "$fd" failed 2>&1); rc=$?
	assertEquals "a failed build does not stop make" 0 "$rc"
	assertContains "$out" "sh_login will use"
}

testMakeDoesNotRebuildABusyboxThatHasP() {
	if [ ! -x "$TOP/build/busybox/busybox" ]; then
		skip_test "no $TOP/build/busybox/busybox to ask about (make busybox)"
		return
	fi
	out=$(SH_LOGIN_BUSYBOX="$TOP/build/busybox/busybox" sh "$TOP/scripts/full-duplex" want 2>&1); rc=$?
	assertEquals "the project's busybox: not built again" 1 "$rc"
	assertContains "$out" "has P: (httpd's proxy), so sh_login will use its relay"
}

# The helper every state file is made by: a link or a FIFO in place of the
# name is never opened (sh's `>` follows links, and under set -C still opens
# a link to a FIFO), only refused with 111; the target keeps every byte.
testCreateRefusesLinksAndFifos() {
	d=$WORK/create
	rm -rf "$d"; mkdir -m 700 "$d"
	printf 'theirs\n' >"$d/target"; chmod 644 "$d/target"
	ln -s target "$d/link"
	ln -s nowhere "$d/dangling"
	mkfifo "$d/fifo"
	ln -s fifo "$d/fifolink"
	for n in link dangling fifo fifolink; do
		timeout 10 "$CGI" create "$d/$n" 2>"$WORK/err"
		assertEquals "create $n: refused" 111 $?
		assertContains "create $n: says which" "$(cat "$WORK/err")" "unable to create $d/$n"
	done
	assertEquals "the link's target untouched" theirs "$(cat "$d/target")"
	assertEquals "and its mode" 644 "$(stat -c %a "$d/target")"
	assertFalse "nothing made through the dangling link" "[ -e '$d/nowhere' ]"
	assertTrue "the links still links" "[ -L '$d/link' ] && [ -L '$d/dangling' ] && [ -L '$d/fifolink' ]"
	assertTrue "the FIFO still a FIFO" "[ -p '$d/fifo' ] && [ ! -L '$d/fifo' ]"
	# a list stops at the first refusal; what came before it is made
	"$CGI" create "$d/new" "$d/fifo" "$d/after" 2>/dev/null
	assertEquals 111 $?
	assertEquals "made: empty, 0600" "600 0" "$(stat -c '%a %s' "$d/new")"
	assertFalse "none after the refusal" "[ -e '$d/after' ]"
}

# The self-signed pair's directory gets the state directory's walk: ours,
# 0700, no one else can write to it or swap it from above; else exit 100
# and nothing is made (and what the run made is gone).
testUnsafeCertificateDirectoryIsRefusedWith100() {
	if ! "$CGI" tls --version >/dev/null 2>&1; then
		skip_test "$CGI was built without TLS"
		return
	fi
	start_upstream tcp
	mkdir -m 755 "$WORK/tls"
	mkdir -m 777 "$WORK/open"
	mkdir -m 700 "$WORK/open/tls"
	ln -s tls "$WORK/tlslink"
	for c in "$WORK/tls:its mode is 755, not 0700" \
		"$WORK/open/tls:other users may write to $WORK/open and it has no sticky bit (mode 777)" \
		"$WORK/open/new/tls:other users may write to $WORK/open and it has no sticky bit (mode 777)" \
		"$WORK/tlslink:$WORK/tlslink is a symbolic link"; do
		dir=${c%%:*} why=${c#*:}
		# (timeout: a gateway that takes the directory would serve on)
		SH_LOGIN_TLS_DIR=$dir timeout 60 sh "$TOP/scripts/sh_login" start --port "$UP_PORT" --tls \
			--tmpdir "$WORK/state" >"$WORK/out" 2>"$WORK/err"
		assertEquals "$dir: exit 100" 100 $?
		assertContains "$dir: says why" "$(cat "$WORK/err")" "refusing the certificate directory $dir: $why."
		assertEquals "$dir: no token printed" "" "$(cat "$WORK/out")"
		assertFalse "$dir: the state directory is gone" "[ -e '$WORK/state' ]"
	done
	assertEquals "nothing made in the 0755 one" "" "$(ls -A "$WORK/tls")"
	assertEquals "nor under the 0777 one" "tls" "$(ls -A "$WORK/open")"
	assertEquals "nor in its 0700 one" "" "$(ls -A "$WORK/open/tls")"
	assertEquals "modes kept" "755 777" "$(stat -c %a "$WORK/tls" "$WORK/open" | tr '\n' ' ' | sed 's/ $//')"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
