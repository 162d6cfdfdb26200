#!/bin/sh
# apps_test.sh - every README recipe whose program installs from Debian, run
# as the README writes it (the text between its "<!-- recipe: NAME -->"
# marker and the end of the code block that follows, with ports and paths
# put in), then used in headless chromium (tests/browser/apps.js): log in,
# one real action, log out with the gateway's button, locked out.
#   nginx auth_request, Caddy forward_auth: each on a free port in front of
#     the gateway and a small app; the login through the proxy's origin.
#   Jupyter Notebook (run a cell, save), jupyter_server (a kernel over its
#     WebSocket), Transmission (add a torrent: its 409 session-id handshake),
#     Syncthing (add a folder: CSRF header, PUT, long-poll), behind the relay.
#   A static site (busybox httpd, python3 http.server): with curl, 303/401
#     before the login, the page after.
# And issue 17's stale UI: an app page the browser may keep a day
# (tests/upstream.py /cached) is not shown from the cache after logout.
# After each logout the app's URL must answer exactly 303 to the login page
# and one of the app's real API calls exactly 401.
# A program that is not installed (sh scripts/deps test installs them) skips
# its test with the reason; under CI=true that fails instead.
# Runtime: about 1-2 minutes on a quiet machine (one browser and one gateway
# per recipe), more under load: so not in make test.
# own target: make test-apps
GATEWAY=relay
. "$(dirname "$0")/lib.sh"
SHOTS=$TOP/build/browser-apps
APP_PID= PROXY_PID=

# recipe NAME: the README's code block after <!-- recipe: NAME -->.
recipe() {
	awk -v m="<!-- recipe: $1 -->" '
		$0 == m { found = 1; next }
		found && /^```/ { if (inblock) exit; inblock = 1; next }
		found && inblock { print }' "$TOP/README.md"
}

oneTimeSetUp() {
	need_browser
	[ -x "$SH_LOGIN_BUSYBOX" ] || SKIP_WHY="no $SH_LOGIN_BUSYBOX (make busybox): the apps need the relay"
	[ -z "$SKIP_WHY" ] || echo "apps_test: skipped: $SKIP_WHY" >&2
	mkdir -p "$WORK/home"
	# The tests run as root; the apps' own "not as root" guards are lifted by
	# configuration, so the recipes' command lines stay as written.
	mkdir -p "$WORK/jupyter-config"
	# and they serve HOME, not the checkout the recipe is run from
	printf 'c.NotebookApp.allow_root = True\nc.ServerApp.allow_root = True\n' \
		>"$WORK/jupyter-config/jupyter_notebook_config.py"
	printf 'c.NotebookApp.notebook_dir = "%s"\nc.ServerApp.root_dir = "%s"\n' "$WORK/home" "$WORK/home" \
		>>"$WORK/jupyter-config/jupyter_notebook_config.py"
	cp "$WORK/jupyter-config/jupyter_notebook_config.py" "$WORK/jupyter-config/jupyter_server_config.py"
	rm -rf "$SHOTS"
}
oneTimeTearDown() { cleanup_all; }

setUp() {
	[ -n "$SKIP_WHY" ] || return 0
	if [ "${CI:-}" = true ]; then fail "CI must run the apps suite: $SKIP_WHY"; else skip_test "$SKIP_WHY"; fi
}
tearDown() {
	if [ "${__shunit_assertsFailed:-0}" != 0 ]; then
		for f in "$WORK/gw.err" "$STATE/sh_login.log" "$WORK/proxy.log"; do
			[ ! -s "$f" ] || { echo "--- $f"; tail -20 "$f"; }
		done
	fi
	stop_gateway
	[ -z "$APP_PID" ] || { kill "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null; }
	[ -z "$PROXY_PID" ] || { kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; }
	APP_PID= PROXY_PID=
}

# need PROGRAM...: skip this test (fail under CI) when one is not installed.
need() {
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 && continue
		if [ "${CI:-}" = true ]; then fail "$p is not installed (sh scripts/deps test)"
		else skip_test "$p is not installed (sh scripts/deps test)"; fi
		return 1
	done
}

# run_recipe NAME [LINE]: the README's sh_login recipe (only its line LINE:
# a block of alternatives), run from the checkout with sh, the gateway on a
# free port with its state in $STATE and HOME=$WORK/home; sh_login is
# exec'd, so that stopping the gateway stops sh_login itself.
run_recipe() {
	GW_PORT=$(free_port)
	STATE=$WORK/state.$1${2:+.$2}
	BASE=http://127.0.0.1:$GW_PORT
	recipe "$1" | sed -n "${2:-1,\$}p" |
		sed 's|^scripts/sh_login start|exec scripts/sh_login start|' >"$WORK/recipe.sh"
	assertTrue "README has the $1 recipe" "grep -q 'sh_login start' '$WORK/recipe.sh'"
	rm -f "$WORK/gw.out" "$WORK/gw.err"
	(cd "$TOP" && HOME=$WORK/home PATH=/usr/bin:$PATH JUPYTER_CONFIG_DIR=$WORK/jupyter-config \
		SH_LOGIN_NGINX=$GW_PORT SH_LOGIN_TMPDIR=$STATE SH_LOGIN_APP_WAIT=90 \
		exec sh "$WORK/recipe.sh") >"$WORK/gw.out" 2>"$WORK/gw.err" &
	GW_PID=$!
	wait_token 1200
}

# wait_token TENTHS: until sh_login printed its token; sets TOKEN.
wait_token() {
	i=0
	until grep -q 'Token:' "$WORK/gw.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt "$1" ] || ! kill -0 "$GW_PID" 2>/dev/null; then
			tail -20 "$WORK/gw.err" >&2
			fail "the gateway did not start"
			return 1
		fi
		sleep 0.1
	done
	TOKEN=$(awk '/Token:/ { print $2 }' "$WORK/gw.out")
	assertContains "through the relay" "$(cat "$WORK/gw.err")" "go through the relay, handed each client connection by httpd (full duplex"
}

# browse SCENARIO [VAR=value...]: apps.js in chromium; asserts every step.
browse() {
	sc=$1; shift
	env "$@" BASE="$BASE" TOKEN="$TOKEN" SHOTS="$SHOTS" CHROMIUM="$CHROMIUM" \
		timeout 240 node "$BROWSER_DIR/apps.js" "$sc" >"$WORK/apps.out" 2>"$WORK/apps.err"
	rc=$?
	sed "s/^/    $sc: /" "$WORK/apps.out"
	[ ! -s "$WORK/apps.err" ] || tail -5 "$WORK/apps.err"
	assertEquals "apps.js $sc exit status" 0 "$rc"
	for s in login logout locked_out ${API:+api_logged_in}; do
		assertTrue "$sc: step $s passed" "grep -qx 'ok $s' '$WORK/apps.out'"
	done
}

# The app behind the proxies: a static page on busybox httpd.
start_static_app() {
	APP_PORT=$(free_port)
	mkdir -p "$WORK/site"
	printf '<!doctype html><title>app</title><h1>the app behind the proxy</h1>\n' >"$WORK/site/index.html"
	busybox httpd -f -p "127.0.0.1:$APP_PORT" -h "$WORK/site" &
	APP_PID=$!
	"$CGI" probe 127.0.0.1 "$APP_PORT" 10 || fail "the static app did not start"
}

# proxy_recipe NAME: the README's proxy config with the gateway's and the
# app's ports (37017 and 8080 there) put in.
proxy_recipe() {
	recipe "$1" | sed "s/37017/$GW_PORT/g; s/127\.0\.0\.1:8080/127.0.0.1:$APP_PORT/g"
}

# proxy_origin_checks URL: login and logout through the proxy with the
# Origin a browser sends from a page with a referrer (Firefox sends it for
# the login form too; chromium sends "null" there): port included, so a
# proxy that drops the port from Host gets every login refused.
proxy_origin_checks() {
	assertEquals "login with Origin $1" 303 "$(req -c "$WORK/pjar" -H "Origin: $1" \
		--data-urlencode "token=$TOKEN" --data-urlencode next=/ "$1/cgi-bin/login")"
	assertEquals "to the app" / "$(header Location)"
	assertEquals "the app through the proxy" 200 "$(req -b "$WORK/pjar" "$1/")"
	assertContains "$(cat "$WORK/body")" "the app behind the proxy"
	assertEquals "logout with Origin $1" 303 "$(req -X POST -b "$WORK/pjar" -H "Origin: $1" "$1/cgi-bin/logout")"
	assertEquals "then the login page again" 303 "$(req -b "$WORK/pjar" "$1/")"
	assertEquals "/sh_login/?next=/" "$(header Location | sed 's|^http://[^/]*||')"
}

testNginxAuthRequestRecipe() {
	need nginx || return 0
	start_static_app
	start_gateway --port "$APP_PORT"
	PX_PORT=$(free_port)
	mkdir -p "$WORK/nginx/logs"
	{
		[ "$(id -u)" != 0 ] || echo 'user root;'
		echo "daemon off; pid $WORK/nginx/nginx.pid; error_log $WORK/proxy.log;"
		echo 'events {}'
		echo "http { access_log $WORK/nginx/access.log;"
		echo "client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;"
		echo "server { listen 127.0.0.1:$PX_PORT;"
		proxy_recipe nginx
		echo '} }'
	} >"$WORK/nginx/nginx.conf"
	assertTrue "README has the nginx recipe" "grep -q auth_request '$WORK/nginx/nginx.conf'"
	nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/proxy.log" &
	PROXY_PID=$!
	proxy_serves nginx 10
}

# proxy_serves NAME SECONDS: the proxy started on $PX_PORT answers within
# SECONDS, chromium logs in and uses the app through it, and its Origin
# checks pass.
proxy_serves() {
	"$CGI" probe 127.0.0.1 "$PX_PORT" "$2" || fail "$1 did not start"
	browse "$1" PROXY="http://127.0.0.1:$PX_PORT"
	assertTrue "the app page was served" "grep -qx 'ok app' '$WORK/apps.out'"
	proxy_origin_checks "http://127.0.0.1:$PX_PORT"
}

testCaddyForwardAuthRecipe() {
	need caddy || return 0
	start_static_app
	start_gateway --port "$APP_PORT"
	PX_PORT=$(free_port)
	mkdir -p "$WORK/caddy"
	{   # no admin endpoint (its port is fixed), no HTTPS for a loopback test
		printf '{\n\tadmin off\n\tauto_https off\n\tstorage file_system %s\n}\n' "$WORK/caddy"
		proxy_recipe caddy | sed "s|^lab\.example\.org {|http://127.0.0.1:$PX_PORT {|"
	} >"$WORK/caddy/Caddyfile"
	assertTrue "README has the Caddy recipe" "grep -q forward_auth '$WORK/caddy/Caddyfile'"
	HOME=$WORK/home XDG_CONFIG_HOME=$WORK/caddy XDG_DATA_HOME=$WORK/caddy \
		caddy run --adapter caddyfile --config "$WORK/caddy/Caddyfile" >"$WORK/proxy.log" 2>&1 &
	PROXY_PID=$!
	proxy_serves caddy 15
}

testJupyterNotebookRecipe() {
	need jupyter-notebook || return 0
	mkdir -p "$WORK/home"
	# the user's notebook, in the directory the recipe serves (HOME)
	printf '%s\n' '{"cells":[{"cell_type":"code","execution_count":null,"metadata":{},"outputs":[],"source":[]}],' \
		'"metadata":{"kernelspec":{"display_name":"Python 3","language":"python","name":"python3"}},' \
		'"nbformat":4,"nbformat_minor":5}' >"$WORK/home/cell.ipynb"
	run_recipe jupyter-notebook || return 0
	API=yes browse jupyter-notebook
	assertTrue "a cell ran and the notebook was saved" "grep -qx 'ok run_cell' '$WORK/apps.out'"
	assertContains "saved through the relay (PUT)" "$(cat "$WORK/home/cell.ipynb")" 'print(6*7)'
}

testJupyterServerRecipe() {
	/usr/bin/python3 -c 'import jupyter_server' 2>/dev/null || {
		if [ "${CI:-}" = true ]; then fail "no python3-jupyter-server"; else skip_test "no python3-jupyter-server"; fi
		return 0
	}
	run_recipe jupyter-server || return 0
	API=yes browse jupyter-server
	assertTrue "a cell ran over the kernel WebSocket" "grep -qx 'ok run_cell' '$WORK/apps.out'"
}

testTransmissionRecipe() {
	need transmission-daemon || return 0
	run_recipe transmission || return 0
	API=yes browse transmission
	assertTrue "a torrent was added" "grep -qx 'ok add_torrent' '$WORK/apps.out'"
	# The web UI's first RPC had no session id: Transmission's 409 (with
	# X-Transmission-Session-Id), then the same RPC with it: 200. Both
	# through the gateway, so both in its access log.
	rpc=$(awk '$3 == "POST" && $4 == "/cgi-bin/app/transmission/rpc" { print $5 }' "$STATE/access.log")
	echo "    access.log: POST /cgi-bin/app/transmission/rpc:" $(echo "$rpc" | head -8)
	assertEquals "the browser's first RPC: Transmission's 409" 409 "$(echo "$rpc" | head -1)"
	ok=$(echo "$rpc" | sed 1d | grep -cx 200)
	assertTrue "then RPCs with the session id: 200 (got $ok)" "[ $ok -ge 1 ]"
	# Transmission has the torrent the browser added, by hash and name: asked
	# through the gateway with a session of our own (the handshake by curl).
	login
	body='{"method":"torrent-get","arguments":{"fields":["hashString","name"]}}'
	assertEquals "RPC without the session id" 409 "$(req -b "$WORK/jar" --data "$body" "$BASE/cgi-bin/app/transmission/rpc")"
	sid=$(header X-Transmission-Session-Id)
	assertNotEquals "409 names the session id" "" "$sid"
	assertEquals "RPC with it" 200 "$(req -b "$WORK/jar" -H "X-Transmission-Session-Id: $sid" \
		--data "$body" "$BASE/cgi-bin/app/transmission/rpc")"
	assertEquals "the torrent added in the browser" "c12fe1c06bba254a9dc9f519b335aa7c1367a88a sh_login-test" \
		"$(python3 -c 'import json,sys
for t in json.load(open(sys.argv[1]))["arguments"]["torrents"]: print(t["hashString"], t["name"])' "$WORK/body")"
}

testSyncthingRecipe() {
	need syncthing || return 0
	mkdir -p "$WORK/home/shared"
	run_recipe syncthing || return 0
	API=yes browse syncthing FOLDER="$WORK/home/shared"
	assertTrue "a folder was added" "grep -qx 'ok add_folder' '$WORK/apps.out'"
	assertTrue "Syncthing's config has it" "grep -q '$WORK/home/shared' '$WORK/home/.config/syncthing/config.xml'"
	# the GUI's event long-poll, answered through the relay
	events=$(awk '$3 == "GET" && $4 == "/cgi-bin/app/rest/events" && $5 == 200' "$STATE/access.log" | wc -l)
	echo "    access.log: $events × GET /cgi-bin/app/rest/events 200"
	assertTrue "a /rest/events long-poll answered 200 (got $events)" "[ $events -ge 1 ]"
	# Add Folder saves the whole config with a PUT: Syncthing takes it only
	# with the CSRF header (the access log shows no headers: below, curl)
	saved=$(awk '$3 == "PUT" && $4 == "/cgi-bin/app/rest/config" && $5 == 200' "$STATE/access.log" | wc -l)
	assertTrue "the GUI's PUT /rest/config answered 200 (got $saved)" "[ $saved -ge 1 ]"
	# Syncthing refuses its REST API without the header (its own 403, not
	# the gateway's), and takes it with the header from its cookie: the
	# header is what let the browser's requests pass.
	login
	assertEquals "the GUI page sets Syncthing's CSRF cookie" 200 "$(req -b "$WORK/jar" -c "$WORK/jar" "$BASE/cgi-bin/app/")"
	csrf=$(awk '$6 ~ /^CSRF-Token-/ { print $6 ": " $7 }' "$WORK/jar")
	assertNotEquals "a CSRF-Token-* cookie" "" "$csrf"
	assertEquals "REST without the CSRF header" 403 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/rest/system/status")"
	assertContains "Syncthing's own refusal" "$(cat "$WORK/body")" "CSRF Error"
	assertEquals "REST with X-$csrf" 200 "$(req -b "$WORK/jar" -H "X-$csrf" "$BASE/cgi-bin/app/rest/system/status")"
	assertContains "Syncthing's status" "$(cat "$WORK/body")" '"myID"'
}

# The README's static site: each of its two lines, with curl.
testStaticSiteRecipe() {
	need busybox python3 || return 0
	mkdir -p "$WORK/home/site"
	printf '<!doctype html><title>site</title><h1>the static site</h1>\n' >"$WORK/home/site/index.html"
	for n in 1 2; do
		run_recipe static-site $n || return 0
		echo "    static-site line $n: $(cut -c1-90 "$WORK/recipe.sh")"
		assertEquals "line $n: a browser's page without a session" 303 \
			"$(req -H 'Accept: text/html' "$BASE/cgi-bin/app/index.html")"
		assertEquals "line $n: to the login page" "/?next=/cgi-bin/app/index.html" "$(header Location)"
		assertEquals "line $n: a script's request without a session" 401 "$(req "$BASE/cgi-bin/app/index.html")"
		login
		assertEquals "line $n: the page after login" 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/index.html")"
		assertContains "line $n: served by the site" "$(cat "$WORK/body")" "the static site"
		stop_gateway
	done
}

# Issue 17: an app page sent with Cache-Control max-age=86400 and Expires a
# day ahead, loaded logged in, then the gateway's logout button: the next
# visit ends on the login page, not on the browser's cached copy.
testCachedAppPageNotShownAfterLogout() {
	start_upstream tcp
	start_gateway $UP_ARGS
	API=yes browse cached
	for s in cacheable cached_without_cookies; do
		assertTrue "cached: step $s passed" "grep -qx 'ok $s' '$WORK/apps.out'"
	done
	# the app saw the page loaded once and the header check (no-store):
	# every other visit came from the browser's cache or the gateway
	assertEquals "the app served /cached twice" 2 "$(grep -c '^GET /cached$' "$WORK/upstream.log")"
	stop_upstream
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
