#!/bin/sh
# Broken on purpose: a test skips its assertions with a bare startSkipping
# (no SKIPPED line, no reason); shunit2 says "OK (skipped=1)". tests/run must
# report a failure, not a pass.
testSkipsSilently() { startSkipping; assertEquals 1 2; }
testAlwaysTrue() { assertTrue true; }
. shunit2
