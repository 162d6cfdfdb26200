#!/bin/sh
# Broken on purpose: a test returns non-zero without any assertion failing
# (shunit2 prints an ERROR, no ASSERT). tests/run must count it failed.
testReturnsFalse() { assertTrue true; false; }
testAlwaysTrue() { assertTrue true; }
. shunit2
