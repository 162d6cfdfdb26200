#!/bin/sh
# Broken on purpose: one test skips the right way (skip_test), the next
# with a bare startSkipping. Judged per suite, the first's SKIPPED line
# hides the second. tests/run must fail the second, count the first skipped.
TEST_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TEST_TOP/tests/lib.sh"
oneTimeTearDown() { cleanup_all; }
testCountedSkip() { skip_test "no such tool here"; assertEquals 1 2; }
testBareSkip() { startSkipping; assertEquals 1 2; }
testAlwaysTrue() { assertTrue true; }
. shunit2
