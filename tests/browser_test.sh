#!/bin/sh
# browser_test.sh - the login flow in a real browser: Debian's headless
# chromium driven by npm playwright-core (tests/browser/e2e.js), against the
# real sh_login, busybox httpd, the sanitizer build of the CGIs and the
# built-in demo app. Typing the token, a wrong token, the one-click URL,
# keyboard focus, contrast in light and dark, a phone-sized screen.
# Screenshots land in build/browser/.
#
# Needs /usr/bin/chromium (sh scripts/deps test installs it; as root this
# suite tries apt-get itself), node and npm (playwright-core is installed
# from tests/browser/package-lock.json into tests/browser/node_modules).
# If one of them truly cannot be had, every test is reported SKIPPED with
# the reason; under CI (CI=true) that is a failure instead: CI must run it.
# Runtime: about 10 s (one browser, one gateway).
# Variant FRONT=https: the same flow over sh_login's TLS front (--tls), the
# generated certificate trusted through chromium's
# --ignore-certificate-errors-spki-list (its public key's SHA-256).
# variants: FRONT=http FRONT=https
. "$(dirname "$0")/lib.sh"

SHOTS=$TOP/build/browser

oneTimeSetUp() {
	need_browser
	if [ -n "$SKIP_WHY" ]; then
		echo "browser_test: skipped: $SKIP_WHY" >&2
		return 0
	fi
	CHROMIUM_ARGS=
	if [ "${FRONT:-http}" = https ]; then
		export SH_LOGIN_TLS_DIR="$WORK/tls"
		start_gateway --tls
		BASE=https://localhost:$GW_PORT
		spki=$(openssl x509 -in "$SH_LOGIN_TLS_DIR/selfsigned-127.0.0.1.pem" -pubkey -noout |
			openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
		CHROMIUM_ARGS="--ignore-certificate-errors-spki-list=$spki"
		SHOTS=$SHOTS-https
	else
		start_gateway
	fi
	rm -rf "$SHOTS"
	BASE=$BASE TOKEN=$TOKEN SHOTS=$SHOTS CHROMIUM=$CHROMIUM CHROMIUM_ARGS=$CHROMIUM_ARGS \
		timeout 300 node "$BROWSER_DIR/e2e.js" >"$WORK/e2e.out" 2>"$WORK/e2e.err"
	E2E_RC=$?
	cat "$WORK/e2e.out"
	[ ! -s "$WORK/e2e.err" ] || { echo "--- e2e.js stderr"; tail -20 "$WORK/e2e.err"; }
}

oneTimeTearDown() { cleanup_all; }

setUp() {
	[ -n "$SKIP_WHY" ] || return 0
	if [ "${CI:-}" = true ]; then
		fail "CI must run the browser suite: $SKIP_WHY"
	else
		skip_test "$SKIP_WHY"
	fi
}

# passed NAME: e2e.js printed "ok NAME" (a check that never ran fails too).
passed() {
	why=$(grep "^not ok $1:" "$WORK/e2e.out" 2>/dev/null | head -1)
	assertTrue "${why:-check $1 did not run (e2e.js exit $E2E_RC)}" "grep -qx 'ok $1' '$WORK/e2e.out'"
	return 0
}

testTypeTokenAndSubmitWithoutJavaScript() { passed login_without_javascript; }
testTypeTokenAndPressEnter() { passed login_with_enter_key; }
testWrongTokenShowsTheMessage() { passed wrong_token_shows_message; }
testOneClickUrlLogsInAndLeavesTheAddressBar() { passed one_click_url_hides_token; }
testOneClickFromAnotherSiteAsksToConfirm() { passed one_click_from_another_site_confirms; }
testLogoutButton() { passed logout_button; }
testFocusOrderAndFocusRing() { passed focus_order_and_ring; }
testContrastLight() { passed contrast_light; }
testContrastDark() { passed contrast_dark; }
testPhoneSizedScreen() { passed phone_layout; }

testScreenshotsSaved() {
	for f in login-light login-dark login-phone login-wrong-token-light login-wrong-token-dark \
		error-401-light error-401-dark; do
		magic=$(od -An -c -N4 "$SHOTS/$f.png" 2>/dev/null | tr -d ' ')
		assertEquals "$f.png is a PNG" '211PNG' "$magic"
	done
}

testTheBrowserNeverSentTheTokenAfterLogin() {
	# The access log holds every CGI request the browser made: no query, so
	# the one-click token cannot be there; and nothing else may carry it.
	assertTrue "requests were logged" "[ -s '$STATE/access.log' ]"
	assertNotContains "$(cat "$STATE/access.log" 2>/dev/null)" "$TOKEN"
	assertNotContains "$(cat "$STATE/sh_login.log" 2>/dev/null)" "$TOKEN"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
