#!/bin/sh
# jupyter_relay_test.sh - a real Jupyter Notebook (Debian's jupyter-notebook,
# its own token off, base URL /cgi-bin/app/, on a unix socket in a private
# directory) behind the gateway's relay: its UI page, a multi-MB notebook
# saved with PUT and read back, a kernel started and a cell run over the
# kernel WebSocket. This is the recipe in README.
GATEWAY=relay
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

oneTimeSetUp() {
	SKIP_WHY=
	[ -x "$SH_LOGIN_BUSYBOX" ] || { SKIP_WHY="no $SH_LOGIN_BUSYBOX (make busybox)"; return 0; }
	command -v jupyter-notebook >/dev/null || { SKIP_WHY="no jupyter-notebook"; return 0; }
	"$PY" -c 'import websockets' 2>/dev/null || { SKIP_WHY="no python3-websockets"; return 0; }
	mkdir -p "$WORK/nb" "$WORK/run" && chmod 700 "$WORK/run"
	start_gateway --socket "$WORK/run/jupyter.sock" --keep-prefix --cmd \
		"HOME='$WORK' JUPYTER_RUNTIME_DIR='$WORK/rt' exec jupyter-notebook --allow-root --no-browser \
		--NotebookApp.token= --NotebookApp.password= --NotebookApp.base_url=\"\$SH_LOGIN_BASE_URL\" \
		--NotebookApp.sock=\"\$SH_LOGIN_SOCKET\" --notebook-dir='$WORK/nb' >'$WORK/jupyter.log' 2>&1"
	login
	SESSION="$(jar_cookie_name)=$(jar_session)"
}
oneTimeTearDown() {
	[ "${__shunit_assertsFailed:-0}" = 0 ] || tail -30 "$WORK/jupyter.log"
	cleanup_all
}
setUp() { [ -z "$SKIP_WHY" ] || skip_test "$SKIP_WHY"; }

testNotebookUiIsServed() {
	assertEquals 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/tree")"
	assertContains "$(cat "$WORK/body")" "/cgi-bin/app/static/"
	assertEquals "Jupyter unreachable without a session" 401 "$(req "$BASE/cgi-bin/app/api/contents")"
}

testSaveBigNotebookAndRunACellOverTheKernelWebSocket() {
	jupyter_session_check "$BASE/cgi-bin/app" "$SESSION" 4
	assertContains "$JUPYTER_OUT" "delete 204"
	assertTrue "the notebook is on disk" "[ -s '$WORK/nb/big.ipynb' ]"
}

testKernelWebSocketNeedsASession() {
	out=$("$PY" "$TOP/tests/wsclient.py" "ws://127.0.0.1:$GW_PORT/cgi-bin/app/api/kernels/x/channels" "")
	assertContains "$out" "HTTP 401"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
