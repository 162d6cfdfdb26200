#!/bin/sh
# Broken on purpose: oneTimeSetUp fails an assertion and returns 0 (as
# jupyter_test.sh does when Jupyter does not start); shunit2 still says OK.
# tests/run must count both tests failed.
TEST_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TEST_TOP/tests/lib.sh"
oneTimeSetUp() { fail "the app did not start"; return 0; }
oneTimeTearDown() { cleanup_all; }
testAlwaysTrue() { assertTrue true; }
testOneIsOne() { assertEquals 1 1; }
. shunit2
