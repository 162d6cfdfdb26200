#!/bin/sh
# Broken on purpose: the gateway never starts (a busybox without httpd), the
# setup says so and carries on (return 0, as jupyter_test.sh does), and one
# test asserts only "not 200", which curl's 000 satisfies. tests/run must
# count both tests failed.
TEST_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TEST_TOP/tests/lib.sh"
oneTimeSetUp() {
	start_upstream tcp
	# shellcheck disable=SC2086
	SH_LOGIN_BUSYBOX=/bin/false start_gateway $UP_ARGS || return 0
}
oneTimeTearDown() { cleanup_all; }
testNoSessionNoApp() { assertNotEquals "no session: not the app" 200 "$(req "$BASE/cgi-bin/app/")"; }
testLoginPage() { assertEquals 200 "$(req "$BASE/")"; }
. shunit2
