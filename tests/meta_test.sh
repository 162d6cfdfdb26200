#!/bin/sh
# meta_test.sh - the guard that keeps the suite honest: tests/run is given
# deliberately broken suites (tests/meta/: a failed oneTimeSetUp that
# returns 0, one that returns non-zero, a gateway that never started with a
# test that passes on curl's 000, a bare startSkipping (alone, and beside a
# counted skip), a failed setUp after a failed test, a test returning
# non-zero, a test that exits) and must report each failed, never passed;
# a skip done with skip_test counts as skipped; a good suite as passed.
# And a lint over tests/*_test.sh for the patterns that pass by accident,
# itself checked against a suite of them (tests/meta/weak_statuses_test.sh).
. "$(dirname "$0")/lib.sh"
oneTimeTearDown() { cleanup_all; }

# runner SUITE: tests/run on one suite of tests/meta/; sets LAST (its last
# line), RC, and OUT (all it printed).
runner() {
	OUT=$(cd "$TOP" && TEST_LOG_DIR="$WORK/logs" sh tests/run "tests/meta/$1" 2>&1)
	RC=$?
	LAST=$(echo "$OUT" | tail -n 1)
}

testFailedSetupReturningZeroFailsEveryTest() {
	runner setup_fails_test.sh
	assertEquals "shunit2 alone says OK" OK "$(tail -n 1 "$WORK/logs/setup_fails_test.sh.log")"
	assertEquals "0 passed, 2 failed, 0 skipped" "$LAST"
	assertContains "$OUT" "oneTimeSetUp failed: every test counts as failed"
	assertEquals "tests/run exits 1" 1 "$RC"
}

testSetupReturningNonZeroFails() {
	runner setup_errors_test.sh
	assertEquals "0 passed, 1 failed, 0 skipped" "$LAST"
	assertEquals 1 "$RC"
}

testDeadGatewayPassesNothing() {
	runner dead_gateway_test.sh
	assertContains "the setup said so" "$(cat "$WORK/logs/dead_gateway_test.sh.log")" "ASSERT:gateway did not start"
	assertEquals "inside shunit2 the not-200 test passed (no ASSERT after its name)" "SETUP: testLoginPage" \
		"$(sed -n '/^testNoSessionNoApp$/{n;p;}' "$WORK/logs/dead_gateway_test.sh.log")"
	assertEquals "0 passed, 2 failed, 0 skipped" "$LAST"
	assertEquals 1 "$RC"
}

testBareStartSkippingIsAFailure() {
	runner bare_skip_test.sh
	assertEquals "shunit2 alone says OK" "OK (skipped=1)" "$(tail -n 1 "$WORK/logs/bare_skip_test.sh.log")"
	assertEquals "1 passed, 1 failed, 0 skipped" "$LAST"
	assertContains "$OUT" "startSkipping without SKIPPED line in testSkipsSilently (use skip test)"
	assertEquals 1 "$RC"
}

testBareSkipBesideACountedOneIsAFailure() {
	runner bare_skip_beside_counted_test.sh
	assertEquals "1 passed, 1 failed, 1 skipped" "$LAST"
	assertContains "$OUT" "startSkipping without SKIPPED line in testBareSkip (use skip test)"
	assertEquals 1 "$RC"
}

testFailedSetUpCountsForItsOwnTest() {
	runner setup_after_failure_test.sh
	assertEquals "shunit2 prints the ASSERT before the name of the test it belongs to" \
		"testSecondHasAFailedSetup" \
		"$(sed -n '/^ASSERT:the second test.s setup failed$/{n;p;}' "$WORK/logs/setup_after_failure_test.sh.log")"
	assertEquals "1 passed, 2 failed, 0 skipped" "$LAST"
	assertEquals 1 "$RC"
}

testCountedSkipIsASkip() {
	runner counted_skip_test.sh
	assertEquals "1 passed, 0 failed, 1 skipped" "$LAST"
	assertEquals "a skip alone does not fail the run" 0 "$RC"
}

testTestReturningNonZeroFails() {
	runner test_errors_test.sh
	assertEquals "1 passed, 1 failed, 0 skipped" "$LAST"
	assertEquals 1 "$RC"
}

testSuiteExitingEarlyFails() {
	runner exits_early_test.sh
	assertEquals "0 passed, 1 failed, 0 skipped" "$LAST"
	assertEquals 1 "$RC"
}

testGoodSuitePasses() {
	runner passes_test.sh
	assertEquals "2 passed, 0 failed, 0 skipped" "$LAST"
	assertContains "the split of the passes" "$OUT" \
		"passes: 0 unit-table rows, 2 end-to-end tests (shunit2), 0 fuzz harnesses"
	assertEquals 0 "$RC"
}

# lint_statuses FILE...: the lines (FILE:LINE:text) with a status check that
# passes against a dead gateway (curl's 000 is "not 200") or accepts a
# class where the README promises one status: not-200 (assertNotEquals,
# != , -ne), ranges (-ge 400, -lt 500), case patterns (4*, 40?, 4??), and
# a status as a substring of a status line (assertContains ... "200",
# " 403 Forbidden"; a count label such as frontdoor.py's "408 " is not one).
lint_statuses() {
	grep -nE 'assertNotEquals[^#]* 200( |$)|assertNotEquals[^#]*"200"|-ge 4[0-9][0-9]|-lt 5[0-9][0-9]|(!=|-ne) *"?[1-5][0-9][0-9]"?([[:space:];]|\]|$)|(^|[[:space:](|])[1-5]([0-9]?\*|\?\?|[0-9]\?)\)|assertContains[^#]*" ?[1-5][0-9][0-9]( [A-Za-z][A-Za-z ]*)?"[[:space:]]*(#.*)?$' "$@"
}

testLintFlagsEveryWeakStatusCheck() {
	weak=$TOP/tests/meta/weak_statuses_test.sh
	runner weak_statuses_test.sh
	assertEquals "tests/run alone cannot tell" "3 passed, 0 failed, 0 skipped" "$LAST"
	assertEquals "the lint flags each line marked weak, and only those" \
		"$(grep -n '# weak$' "$weak" | cut -d: -f1 | tr '\n' ' ')" \
		"$(lint_statuses "$weak" | cut -d: -f1 | tr '\n' ' ')"
	assertEquals "eight of them" 8 "$(lint_statuses "$weak" | wc -l)"
}

# lint: patterns that let a test pass against a dead gateway or skip
# unseen, in every suite but this one (which names them).
testSuitesUseExactStatusesAndCountedSkips() {
	suites=$(ls "$TOP"/tests/*_test.sh | grep -v '/meta_test\.sh$')
	# shellcheck disable=SC2086
	hits=$(lint_statuses $suites)
	assertEquals "no 'not 200', status-range or substring status checks (assert the exact status)" "" "$hits"
	# a startSkipping must come right after an echo "SKIPPED: ..." (skip_test)
	# shellcheck disable=SC2086
	hits=$(awk '/startSkipping/ && !/^[ \t]*#/ && prev !~ /echo "SKIPPED: / { print FILENAME ":" FNR ": " $0 }
		{ prev = $0 }' $suites)
	assertEquals "skips only through skip_test (counted, with a reason)" "" "$hits"
}

. shunit2
