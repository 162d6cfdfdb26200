#!/bin/sh
# Broken on purpose: the setUp of the second test fails an assertion, right
# after a first test that failed. shunit2 runs setUp before it prints the
# test's name: read by position, the ASSERT lands on the first test (failed
# already) and the second passes. tests/run must count both failed.
n=0
setUp() {
	n=$((n + 1))
	[ "$n" != 2 ] || fail "the second test's setup failed"
	return 0     # an assertion failed, the function did not (as lib.sh's checks do)
}
testFirstFails() { assertEquals 1 2; }
testSecondHasAFailedSetup() { assertTrue true; }
testThirdPasses() { assertTrue true; }
. shunit2
