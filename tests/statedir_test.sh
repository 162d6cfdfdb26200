#!/bin/sh
# statedir_test.sh - sh_login never touches what is not its own: --tmpdir ~
# leaves a home that holds www/, sessions/, token, state and notes.txt byte
# for byte and mode for mode; an empty directory is used in place without a
# chmod; a directory (or one above it) that other users could write to is
# refused with exit 100; links and directories planted by another user (a
# real second uid, via setpriv, as root) are never followed, in the state
# directory and in the registry of `sh_login list`.
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR="$WORK/xdg"     # a private registry, not the user's real one
mkdir -p "$XDG_RUNTIME_DIR"
OTHER=65534                            # nobody: the other local user
SHARED=

oneTimeSetUp() { start_upstream tcp; }
oneTimeTearDown() { cleanup_all; }
tearDown() {
	stop_gateway
	rm -rf "$WORK/state" "$WORK/home" "$WORK/given"
	[ -z "$SHARED" ] || rm -rf "$SHARED"
	SHARED=
}

sh_login() { sh "$TOP/scripts/sh_login" "$@"; }

# snapshot DIR: every entry under DIR, DIR itself included (type, mode,
# owner, size, link target, and the bytes of files), except our own
# sh_login.XXXXXX state directory while a gateway runs.
snapshot() {
	(cd "$1" && find . -path './sh_login.??????' -prune -o -printf '%p %y %m %U %s %l\n' | sort &&
		find . -path './sh_login.??????' -prune -o -type f -exec sha256sum {} + | sort)
}

# as_other CMD...: run CMD as another user; skips the test unless we can.
can_be_other() {
	[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 ||
		{ skip_test "needs root and setpriv to act as a second user"; return 1; }
}
as_other() { setpriv --reuid="$OTHER" --regid="$OTHER" --clear-groups -- "$@"; }

# shared_dir: a fresh directory like /tmp (1777, root's), reachable by the
# other user (our $WORK is 0700).
shared_dir() {
	SHARED=$(mktemp -d "${TMPDIR:-/tmp}/sh_login-shared.XXXXXX")
	chmod 1777 "$SHARED"
}

testHomeAsTmpdirIsLeftByteForByte() {
	home=$WORK/home
	mkdir -p "$home/www/cgi-bin" "$home/sessions"
	echo '<h1>my site</h1>' >"$home/www/index.html"
	echo 'my session notes' >"$home/sessions/monday"
	printf 'my-own-api-token\n' >"$home/token"
	printf 'state=mine\n' >"$home/state"
	printf 'notes\nmore notes\n' >"$home/notes.txt"
	chmod 751 "$home"; chmod 755 "$home/www"; chmod 750 "$home/sessions"
	chmod 644 "$home/token" "$home/notes.txt"; chmod 640 "$home/state"
	before=$(snapshot "$home")
	saved_home=$HOME
	HOME=$home
	start_gateway --port "$UP_PORT" --tmpdir ~
	HOME=$saved_home
	case $STATE in "$home/sh_login."??????) ok=yes ;; *) ok=no ;; esac
	assertEquals "state in a fresh ~/sh_login.XXXXXX ($STATE)" yes "$ok"
	assertEquals "ours is private" 700 "$(stat -c %a "$STATE")"
	login
	assertEquals "the session is in our sessions/" 1 "$(ls "$STATE/sessions" | wc -l)"
	assertEquals 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/echo")"
	assertEquals "while running: the home untouched" "$before" "$(snapshot "$home")"
	stop_gateway
	assertEquals "after stop: every byte and mode of the home as before" "$before" "$(snapshot "$home")"
	assertEquals "home mode" 751 "$(stat -c %a "$home")"
	assertFalse "our directory is gone" "[ -e '$STATE' ]"
}

testEmptyDirIsUsedInPlaceWithoutChmod() {
	mkdir -m 750 "$WORK/given"
	start_gateway --port "$UP_PORT" --tmpdir "$WORK/given"
	assertEquals "an empty dir of ours: used as is" "$WORK/given" "$STATE"
	assertEquals "its mode kept" 750 "$(stat -c %a "$WORK/given")"
	assertEquals "the token file is private all the same" 600 "$(stat -c %a "$STATE/token")"
	assertTrue "sh_login's marker" "[ -f '$WORK/given/.sh_login' ]"
	login
	stop_gateway
	assertEquals "what this run made is gone; the logs and the marker stay" \
		".sh_login access.log sh_login.log" "$(ls -A "$WORK/given" | tr '\n' ' ' | sed 's/ $//')"
	assertEquals "mode still" 750 "$(stat -c %a "$WORK/given")"
	# marked and clean: used again, the logs appended to
	start_gateway --port "$UP_PORT" --tmpdir "$WORK/given"
	assertEquals "a marked dir: used again" "$WORK/given" "$STATE"
	stop_gateway
	# a run that died without cleaning up left a token: not ours to remove
	echo 'left by a dead run' >"$WORK/given/token"
	start_gateway --port "$UP_PORT" --tmpdir "$WORK/given"
	case $STATE in "$WORK/given/sh_login."??????) ok=yes ;; *) ok=no ;; esac
	assertEquals "leftovers: a fresh dir inside instead ($STATE)" yes "$ok"
	stop_gateway
	assertEquals "the leftover untouched" 'left by a dead run' "$(cat "$WORK/given/token")"
}

# refused DESCRIPTION WHY-PART sh_login ARGS...: exit 100, saying why.
refused() {
	what=$1 why=$2
	shift 2
	"$@" >"$WORK/out" 2>"$WORK/err"
	assertEquals "$what: exit 100" 100 $?
	assertContains "$what: says why" "$(cat "$WORK/err")" "$why"
	assertEquals "$what: prints no token" "" "$(cat "$WORK/out")"
}

testDirectoriesOthersCanWriteToAreRefused() {
	mkdir -m 777 "$WORK/given"
	refused "a 777 dir" "other users may write to $WORK/given and it has no sticky bit (mode 777)" \
		sh_login start --port "$UP_PORT" --tmpdir "$WORK/given"
	refused "a new dir in a 777 dir" "refusing the state directory $WORK/given/new" \
		sh_login start --port "$UP_PORT" --tmpdir "$WORK/given/new"
	refused "TMPDIR 777, no --tmpdir" "refusing the state directory $WORK/given" \
		env TMPDIR="$WORK/given" sh "$TOP/scripts/sh_login" start --port "$UP_PORT"
	chmod 770 "$WORK/given"
	refused "group-writable" "(mode 770)" sh_login start --port "$UP_PORT" --tmpdir "$WORK/given"
	assertEquals "nothing made in it" "" "$(ls -A "$WORK/given")"
	assertEquals "no chmod" 770 "$(stat -c %a "$WORK/given")"
	# one of ours, but inside one others could rename it out of
	chmod 777 "$WORK/given"
	mkdir -m 700 "$WORK/given/mine"
	refused "a private dir under a 777 one" "other users may write to $WORK/given" \
		sh_login start --port "$UP_PORT" --tmpdir "$WORK/given/mine"
	assertEquals "nothing made in it" "" "$(ls -A "$WORK/given/mine")"
	# sticky, as /tmp: others cannot touch our entry, so a fresh one of ours
	rmdir "$WORK/given/mine"
	chmod 1777 "$WORK/given"
	start_gateway --port "$UP_PORT" --tmpdir "$WORK/given"
	case $STATE in "$WORK/given/sh_login."??????) ok=yes ;; *) ok=no ;; esac
	assertEquals "1777: a fresh dir of ours inside ($STATE)" yes "$ok"
	assertEquals 303 "$(req --data-urlencode "token=$TOKEN" "$BASE/cgi-bin/login")"
}

testLinksPlantedByAnotherUserAreNeverFollowed() {
	can_be_other || return
	shared_dir
	as_other sh -c '
		cd "$1" && : >loot && chmod 666 loot && mkdir -m 777 evil &&
		for n in token sh_login.log access.log state state.new .sh_login httpd.conf throttle; do
			ln -s loot "$n"; done &&
		ln -s evil www && ln -s evil sessions && ln -s evil slots && ln -s evil demo' sh "$SHARED"
	assertEquals "planted as the other user" "$OTHER" "$(stat -c %u "$SHARED/token")"
	before=$(snapshot "$SHARED")
	start_gateway --port "$UP_PORT" --tmpdir "$SHARED"
	case $STATE in "$SHARED/sh_login."??????) ok=yes ;; *) ok=no ;; esac
	assertEquals "a fresh dir of ours, next to the links ($STATE)" yes "$ok"
	login
	assertEquals 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/echo")"
	assertEquals 403 "$(req -d token=wrong "$BASE/cgi-bin/login")"
	stop_gateway
	assertEquals "no byte written through a link" "$before" "$(snapshot "$SHARED")"
	assertEquals "the other user's file still empty" 0 "$(stat -c %s "$SHARED/loot")"
	assertEquals "the other user's dir still empty" "" "$(ls -A "$SHARED/evil")"

	# a name we would create, taken first by the other user: a link to
	# their directory, or a directory of theirs
	as_other ln -s evil "$SHARED/state-link"
	refused "--tmpdir a link to another user's dir" "belongs to another user (uid $OTHER)" \
		sh_login start --port "$UP_PORT" --tmpdir "$SHARED/state-link"
	as_other mkdir -m 755 "$SHARED/taken"
	refused "--tmpdir another user's dir" "$SHARED/taken belongs to another user (uid $OTHER)" \
		sh_login start --port "$UP_PORT" --tmpdir "$SHARED/taken"
	assertEquals "nothing written into theirs" "" "$(ls -A "$SHARED/evil")"
	assertEquals "nor into the other" "" "$(ls -A "$SHARED/taken")"
}

# The race the walk alone would lose: the parent of a --tmpdir that does not
# exist yet is made by the other user after sh_login looked and before its
# mkdir -p, which passes over it. A mkdir first on PATH plays the other
# user at that moment; sh_login walks again from the directory it made.
testParentMadeByAnotherUserMeanwhileIsRefused() {
	can_be_other || return
	shared_dir
	mkdir -p "$WORK/race"
	cat >"$WORK/race/mkdir" <<EOF
#!/bin/sh
[ "\$*" != "-p -- $SHARED/a" ] ||
	setpriv --reuid=$OTHER --regid=$OTHER --clear-groups -- /bin/mkdir -m 777 "$SHARED/a"
exec /bin/mkdir "\$@"
EOF
	chmod 755 "$WORK/race/mkdir"
	# --cmd that exits: a run that is not refused ends (1) instead of serving
	refused "a parent made by another user meanwhile" \
		"refusing the state directory $SHARED/a/b: $SHARED/a belongs to another user (uid $OTHER)." \
		env PATH="$WORK/race:$PATH" sh "$TOP/scripts/sh_login" start --cmd 'exit 3' --tmpdir "$SHARED/a/b"
	assertEquals "the other user made it" "$OTHER" "$(stat -c %u "$SHARED/a")"
	assertEquals "what sh_login made in it is gone again" "" "$(ls -A "$SHARED/a")"
}

testRegistryPlantedByAnotherUserIsRefused() {
	can_be_other || return
	shared_dir
	rundir=$SHARED/sh_login-$(id -u)
	as_other mkdir -m 777 "$SHARED/theirs"
	as_other ln -s theirs "$rundir"
	refused "start: registry a link of another user" "refusing the registry of running gateways $rundir" \
		env XDG_RUNTIME_DIR="$SHARED" sh "$TOP/scripts/sh_login" start --port "$UP_PORT" --tmpdir "$WORK/state"
	assertFalse "nothing started, no state made" "[ -e '$WORK/state' ]"
	as_other rm "$rundir"
	as_other mkdir -m 777 "$rundir"
	as_other sh -c 'printf "pid=1\nurl=http://evil.example/\ntmpdir=/\napp=x\n" >"$1/1.state"' sh "$rundir"
	refused "list: registry another user's dir" "$rundir belongs to another user (uid $OTHER)" \
		env XDG_RUNTIME_DIR="$SHARED" sh "$TOP/scripts/sh_login" list
	assertNotContains "their entry never listed" "$(cat "$WORK/out")" "evil.example"
	refused "start: registry another user's dir" "$rundir belongs to another user" \
		env XDG_RUNTIME_DIR="$SHARED" sh "$TOP/scripts/sh_login" start --port "$UP_PORT"
	assertEquals "nothing written into theirs" "1.state" "$(ls -A "$rundir")"
	assertEquals "" "$(ls -A "$SHARED/theirs")"
}

testZzNoSanitizerReports() { assert_no_sanitizer_reports; }

. shunit2
