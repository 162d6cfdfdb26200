#!/bin/sh
# valgrind_test.sh - the shunit2 flows again, with the normal (non-ASan) build
# of the CGIs run under valgrind: no memory error and no leak may show up.
#
# SH_LOGIN_CGI points at a small wrapper. sh_login links the CGI names to it,
# httpd runs it under one of those names, and it execs valgrind on a link of
# build/sh_login-cgi with that same name, so the dispatch on argv[0] still
# sees "login", "app"... The wrapper notes "PID NAME" before it execs (the
# pid stays), and valgrind writes vg.PID.log: testRepresentativeFlow checks
# that every applet ran under valgrind under its own name, and the answers
# show each name ran its own applet. The helper calls (uuid, freeport,
# probe, create) skip valgrind: they are not CGIs.
#
# `make test` runs only testRepresentativeFlow (every applet, the main
# refusals: about 15 CGI runs); `make valgrind` sets VALGRIND_SUITES to
# whole suites (login_test.sh forward_test.sh security_test.sh), each run
# through tests/run (with its variants), whose counts it checks: a failed
# test fails here, a skipped one is reported SKIPPED here, never passed.
. "$(dirname "$0")/lib.sh"

VALGRIND_SUITES=${VALGRIND_SUITES:-}
VG=$WORK/vg

oneTimeSetUp() {
	vg=$(command -v valgrind) || { fail "valgrind is not installed (sh scripts/deps test)"; return; }
	real=$TOP/build/sh_login-cgi
	[ -x "$real" ] || fail "no $real: make build/sh_login-cgi"
	mkdir -p "$VG/bin" "$VG/logs" "$VG/wrap"
	for n in login logout validate app index.cgi health; do ln -s "$real" "$VG/bin/$n"; done
	cat >"$VG/wrap/sh_login-cgi" <<EOF
#!/bin/sh
name=\${0##*/}
case \$name in
login | logout | validate | app | index.cgi | health)
	echo "\$\$ \$name" >>"$VG/ran"
	exec "$vg" -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \\
		--errors-for-leak-kinds=definite,indirect,possible --track-fds=no \\
		--log-file="$VG/logs/vg.%p.log" "$VG/bin/\$name" "\$@" ;;
*) exec "$real" "\$@" ;;
esac
EOF
	chmod 755 "$VG/wrap/sh_login-cgi"
}
oneTimeTearDown() { cleanup_all; }

# run_suite NAME: one shunit2 suite, through tests/run, with the valgrind
# wrapper as the CGI.
run_suite() {
	rm -f "$VG"/logs/*
	start=$(date +%s)
	out=$(cd "$TOP" && SECURITY_PARALLEL=12 SECURITY_NO_TIMING=1 SH_LOGIN_CGI=$VG/wrap/sh_login-cgi \
		TEST_LOG_DIR="$VG/run-logs" sh tests/run "tests/$1" 2>&1)
	last=$(echo "$out" | tail -n 1)
	echo "$1 under valgrind: $last in $(( $(date +%s) - start )) s, $(ls "$VG"/logs | wc -l) CGI runs" >&2
	# shellcheck disable=SC2086
	set -- "$1" $(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p')
	assertEquals "$1: tests/run's counts" 4 $#
	[ $# = 4 ] || set -- "$1" 0 1 0
	[ "$3" = 0 ] || echo "$out" | head -n 60 >&2
	assertEquals "$1: no test failed under valgrind" 0 "$3"
	assertTrue "$1: its tests ran and passed" "[ $2 -gt 0 ]"
	# -q: a log holds only what valgrind found; every non-empty one is a report
	reports=$(find "$VG/logs" -type f -size +0 | head -n 5)
	for r in $reports; do sed 's/^/    /' "$r" | head -n 40 >&2; done
	assertEquals "$1: valgrind reports (errors or leaks)" "" "$reports"
	assertTrue "$1: the CGIs ran under valgrind" "[ $(ls "$VG"/logs | wc -l) -gt 5 ]"
	if [ "$4" != 0 ]; then   # last: skip_test skips the assertions after it
		skip_test "$4 of $1's tests skipped under valgrind:" \
			"$(sed -n 's/^SKIPPED: //p' "$VG"/run-logs/*.log | tr '\n' ';')"
	fi
}

suite() {
	for s in $VALGRIND_SUITES; do
		fn=test_$(echo "${s%.sh}" | tr -c 'A-Za-z0-9\n' _)
		eval "$fn() { run_suite '$s'; }"
		suite_addTest "$fn"
	done
	suite_addTest testRepresentativeFlow
}

# Every applet and the main refusals. The wrapper keeps argv[0]: a request to
# each CGI name runs that applet (the statuses and bodies say so).
testRepresentativeFlow() {
	rm -f "$VG"/logs/* "$VG/ran"
	start_upstream tcp
	export SH_LOGIN_CGI="$VG/wrap/sh_login-cgi"
	# shellcheck disable=SC2086
	start_gateway $UP_ARGS
	assertEquals "index.cgi: the login page" 200 "$(req "$BASE/")"
	assertContains "$(cat "$WORK/body")" 'name="token"'
	assertEquals "validate" 401 "$(req "$BASE/cgi-bin/validate")"
	login
	assertEquals "app" 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/echo")"
	assertEquals "wrong token" 403 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	assertEquals "malformed form" 400 "$(req -d 'token=%zz' "$BASE/cgi-bin/login")"
	assertEquals "login CSRF" 403 "$(req -H 'Origin: http://evil.example' -d token=x "$BASE/cgi-bin/login")"
	assertEquals "Host check" 403 "$(req -H 'Host: evil.example' -H 'Accept: text/html' "$BASE/cgi-bin/validate")"
	assertEquals "garbage cookie" 401 "$(req -H "Cookie: $(jar_cookie_name)=../token" "$BASE/cgi-bin/app/echo")"
	assertEquals "app: redirect rewritten" 302 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/redirect?to=/x")"
	assertEquals "logout page" 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/logout")"
	assertEquals "logout" 303 "$(req -X POST -b "$WORK/jar" "$BASE/cgi-bin/logout")"
	assertEquals "health" 200 "$(req "$BASE/cgi-bin/health")"
	assertEquals "$(cat "$WORK/body")" "app up"
	stop_gateway
	stop_upstream
	for r in $(find "$VG/logs" -type f -size +0 | head -n 3); do sed 's/^/    /' "$r" | head -n 40 >&2; done
	assertEquals "valgrind reports" "" "$(find "$VG/logs" -type f -size +0)"
	n=$(ls "$VG"/logs | wc -l)
	assertTrue "each request ran under valgrind ($n runs)" "[ $n -ge 12 ]"
	for name in login logout validate app index.cgi health; do
		pid=$(awk -v n="$name" '$2 == n { print $1; exit }' "$VG/ran")
		assertNotNull "$name ran through the wrapper under its own name" "$pid"
		assertTrue "$name ran under valgrind (vg.$pid.log)" "[ -n '$pid' ] && [ -f '$VG/logs/vg.$pid.log' ]"
	done
}

. shunit2
