#!/bin/sh
# jupyter_test.sh - Debian's jupyter-notebook, a real app, behind the
# forwarding CGI (stock busybox httpd), over TCP and over a unix socket:
# its pages and static files, the contents API (list, open, save, create,
# rename, delete), its XSRF check through the gateway, a save too large for
# the CGI path refused with a clear 413, a kernel WebSocket refused with 501.
# Jupyter runs with base_url=/cgi-bin/app/ behind --keep-prefix, its own
# token off (the gateway is the login). It starts once per suite (1-2 s idle).
# variants: UPSTREAM=tcp UPSTREAM=unix
. "$(dirname "$0")/lib.sh"
UPSTREAM=${UPSTREAM:-tcp}
JUPYTER=${JUPYTER:-$(command -v jupyter-notebook || :)}
J_OK=

oneTimeSetUp() {
	[ -n "$JUPYTER" ] || return 0
	mkdir -p "$WORK/nb" "$WORK/jhome" "$WORK/japp"
	chmod 700 "$WORK/japp"
	printf '%s\n' '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["hello from disk"]}],' \
		'"metadata": {}, "nbformat": 4, "nbformat_minor": 5}' >"$WORK/nb/hello.ipynb"
	if [ "$UPSTREAM" = unix ]; then
		where="--sock=$WORK/japp/jupyter.sock"
		UP_ARGS="--socket $WORK/japp/jupyter.sock"
	else
		UP_PORT=$(free_port)
		where="--ip=127.0.0.1 --port=$UP_PORT --port-retries=0"
		UP_ARGS="--port $UP_PORT"
	fi
	# shellcheck disable=SC2086
	HOME=$WORK/jhome JUPYTER_CONFIG_DIR=$WORK/jhome/config JUPYTER_DATA_DIR=$WORK/jhome/data \
	JUPYTER_RUNTIME_DIR=$WORK/jhome/runtime IPYTHONDIR=$WORK/jhome/ipython \
		"$JUPYTER" --allow-root --no-browser $where --notebook-dir="$WORK/nb" \
		--NotebookApp.token= --NotebookApp.password= \
		--NotebookApp.base_url=/cgi-bin/app/ >"$WORK/upstream.err" 2>&1 &
	UP_PID=$!
	if [ "$UPSTREAM" = unix ]; then
		"$CGI" probe unix "$WORK/japp/jupyter.sock" 60
	else
		"$CGI" probe 127.0.0.1 "$UP_PORT" 60
	fi || { cat "$WORK/upstream.err" >&2; fail "jupyter-notebook did not start"; return 0; }
	# shellcheck disable=SC2086
	start_gateway $UP_ARGS --keep-prefix || return 0
	login
	J_OK=1
}
oneTimeTearDown() { cleanup_all; }

setUp() {
	[ -n "$JUPYTER" ] || skip_test "jupyter-notebook is not installed (sh scripts/deps test)"
	[ -z "$JUPYTER" ] || [ -n "$J_OK" ] || fail "jupyter-notebook or the gateway did not start"
}

J=/cgi-bin/app
app() { req -b "$WORK/jar" -c "$WORK/jar" "$@"; }
xsrf() { awk '$6 == "_xsrf" { print $7 }' "$WORK/jar"; }
# json EXPR: evaluate a Python expression over the last body as `j`
json() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$WORK/body" "$1"; }
# nb_model SOURCE [PAD]: a contents-API save body for a one-cell notebook
nb_model() {
	python3 -c 'import json,sys
cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
        "source": [sys.argv[1] + "#" * int(sys.argv[2])]}
print(json.dumps({"type": "notebook", "format": "json", "content": {"cells": [cell],
      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}}, separators=(",", ":")))' "$1" "${2:-0}"
}
save() {   # save PATH BODY [curl args]: PUT with Jupyter's XSRF header
	p=$1 b=$2
	shift 2
	app -X PUT -H 'Content-Type: application/json' -H "X-XSRFToken: $(xsrf)" "$@" \
		--data-binary "$b" "$BASE$J/api/contents/$p"
}

testRootRedirectsToTheTreePage() {
	assertEquals 302 "$(app "$BASE$J/")"
	assertEquals "/cgi-bin/app/tree?" "$(header Location)"
	assertEquals 200 "$(app "$BASE$J/tree")"
	assertContains "$(cat "$WORK/body")" 'data-base-url="/cgi-bin/app/"'
	assertNotNull "the _xsrf cookie reached the browser" "$(xsrf)"
}

testListFiles() {
	assertEquals 200 "$(app "$BASE$J/api/contents")"
	assertEquals directory "$(json 'j["type"]')"
	assertContains "$(json '[c["name"] for c in j["content"]]')" "hello.ipynb"
}

testOpenNotebook() {
	assertEquals 200 "$(app -H 'Accept: text/html' "$BASE$J/notebooks/hello.ipynb")"
	assertContains "$(cat "$WORK/body")" 'data-notebook-name="hello.ipynb"'
	assertEquals 200 "$(app "$BASE$J/api/contents/hello.ipynb?type=notebook&content=1")"
	assertEquals "hello from disk" "$(json 'j["content"]["cells"][0]["source"]')"
	# a static file of the page, byte for byte, then the same as 304 without a body
	py=$(sed -n '1s/^#! *//p' "$JUPYTER")   # the Python that runs Jupyter
	js=$($py -c 'import notebook,os; print(os.path.dirname(notebook.__file__))')/static/components/es6-promise/promise.min.js
	assertEquals 200 "$(app "$BASE$J/static/components/es6-promise/promise.min.js")"
	assertTrue "static file intact" "cmp -s '$js' '$WORK/body'"
	lm=$(header Last-Modified)
	rm -f "$WORK/body"    # curl writes no file for an empty body
	assertEquals 304 "$(app -H "If-Modified-Since: $lm" "$BASE$J/static/components/es6-promise/promise.min.js")"
	assertEquals 0 "$(cat "$WORK/body" 2>/dev/null | wc -c)"
}

testSaveSmallNotebook() {
	body=$(nb_model 'print(1 + 1)')
	assertEquals 201 "$(save saved.ipynb "$body")"
	assertEquals saved.ipynb "$(json 'j["name"]')"
	assertContains "written to disk" "$(cat "$WORK/nb/saved.ipynb" 2>/dev/null)" 'print(1 + 1)'
	assertEquals "saving again updates" 200 "$(save saved.ipynb "$(nb_model 'print(2 + 2)')")"
	assertEquals 200 "$(app "$BASE$J/api/contents/saved.ipynb")"
	assertEquals "print(2 + 2)" "$(json 'j["content"]["cells"][0]["source"]')"
}

testXsrfIsEnforcedThroughTheGateway() {
	body=$(nb_model 'x = 1')
	assertEquals "no X-XSRFToken" 403 "$(app -X PUT --data-binary "$body" "$BASE$J/api/contents/nox.ipynb")"
	assertContains "$(cat "$WORK/body")" "_xsrf"
	assertEquals "a wrong X-XSRFToken" 403 \
		"$(app -X PUT -H 'X-XSRFToken: 2|00|00|1' --data-binary "$body" "$BASE$J/api/contents/nox.ipynb")"
	assertFalse "nothing written" "[ -e '$WORK/nb/nox.ipynb' ]"
	assertEquals "the right one" 201 "$(save yes.ipynb "$body")"
}

testSaveTooLargeForTheCgiPathIsRefusedWith413() {
	# busybox hands a PUT body to a CGI only if it came within the 1 KiB
	# block that ended the head; a 4 KiB notebook never does
	body=$(nb_model 'big = 1' 4000)
	assertEquals 413 "$(save big.ipynb "$body")"
	assertContains "$(cat "$WORK/body")" "so it was not forwarded (413)"
	assertContains "$(cat "$WORK/body")" "busybox"
	assertFalse "no truncated notebook written" "[ -e '$WORK/nb/big.ipynb' ]"
	assertEquals "a browser is told in a page" 413 "$(save big.ipynb "$body" -H 'Accept: text/html')"
	assertContains "$(cat "$WORK/body")" "sh_login.css"
}

testCreateRenameDelete() {
	assertEquals "POST creates" 201 "$(app -X POST -H "X-XSRFToken: $(xsrf)" \
		-H 'Content-Type: application/json' --data-binary '{"type":"notebook"}' "$BASE$J/api/contents")"
	name=$(json 'j["name"]')
	assertContains "$name" "Untitled"
	assertEquals "PATCH renames" 200 "$(app -X PATCH -H "X-XSRFToken: $(xsrf)" \
		-H 'Content-Type: application/json' --data-binary '{"path":"renamed.ipynb"}' \
		"$BASE$J/api/contents/$name")"
	assertTrue "renamed on disk" "[ -e '$WORK/nb/renamed.ipynb' ]"
	assertEquals "DELETE removes" 204 "$(app -X DELETE -H "X-XSRFToken: $(xsrf)" \
		"$BASE$J/api/contents/renamed.ipynb")"
	assertFalse "gone from disk" "[ -e '$WORK/nb/renamed.ipynb' ]"
}

testKernelWebSocketIsRefusedClearly() {
	assertEquals 501 "$(app -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
		-H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
		"$BASE$J/api/kernels/00000000-0000-0000-0000-000000000000/channels")"
	assertContains "$(cat "$WORK/body")" "WebSocket"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
