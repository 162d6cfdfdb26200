#!/bin/sh
# Broken on purpose: oneTimeSetUp returns non-zero (shunit2:FATAL, no test runs).
oneTimeSetUp() { return 1; }
testAlwaysTrue() { assertTrue true; }
. shunit2
