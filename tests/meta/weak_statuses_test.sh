#!/bin/sh
# Broken on purpose: status checks that pass by accident. A gateway that
# never started makes curl print 000, which is "not 200"; a 403 where the
# contract says 404 is "a 4xx". tests/run counts them passed (it cannot see
# inside an assertion): the lint in meta_test.sh must flag every line that
# ends in "# weak".
dead=000     # what req prints when nothing listens
wrong=403    # the contract says 404
testNotTwoHundred() {
	assertTrue "refused" "[ $dead != 200 ]"             # weak
	assertTrue "refused" "[ \"$dead\" -ne 200 ]"         # weak
	[ "$dead" != "200" ] || fail "served"              # weak
}
testAnyClientError() {
	case $wrong in 4*) ;; *) fail "not refused" ;; esac      # weak
	case $wrong in 40?) ;; *) fail "not refused" ;; esac     # weak
	case $wrong in 4??) ;; *) fail "not refused" ;; esac     # weak
}
testSubstringStatus() {
	line="HTTP/1.1 $wrong Forbidden"
	assertContains "$line" "403"                        # weak
	assertContains "$line" " 403 Forbidden"             # weak
}
. shunit2
