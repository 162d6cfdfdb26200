#!/bin/sh
# install_test.sh - sh_login as users install it: make install under a
# DESTDIR (every file and its mode), the installed `sh_login --version` and
# `start` in front of the demo app with a one-click login, make uninstall
# leaving nothing; the man page (mandoc lint, man -l, every option,
# variable and exit code of `sh_login help`); the .deb (scripts/build-deb)
# installed into a scratch dpkg root, run, purged; the Alpine APKBUILD and
# the Buildroot package run against make install's file list; the systemd
# user unit (systemd-analyze verify); the token file's permission check.
# own target: make test-image (the image and the packages; about 1 min; CI runs it after make test)
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR="$WORK/xdg"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset SSH_CONNECTION
# Installed copies find their own CGI binary and busybox: no test overrides.
unset SH_LOGIN_CGI SH_LOGIN_BUSYBOX
VERSION=$(cat "$TOP/VERSION")
OWN_BB=
[ ! -x "$TOP/build/busybox/busybox" ] || OWN_BB=$TOP/build/busybox/busybox

oneTimeTearDown() { cleanup_all; }
tearDown() { stop_gateway; rm -rf "$WORK/state"; }

# install_into DIR [make variables]: make install DESTDIR=DIR PREFIX=/usr.
install_into() {
	dir=$1; shift
	make -s -C "$TOP" install DESTDIR="$dir" PREFIX=/usr "$@" >"$WORK/make.out" 2>&1
}

# What make install PREFIX=/usr puts down: the spec the packages are held to.
expected_files() {
	{
		echo "755 usr/bin/sh_login"
		echo "755 usr/libexec/sh_login/sh_login-cgi"
		[ -z "$1" ] || echo "755 usr/libexec/sh_login/busybox"
		echo "644 usr/share/sh_login/VERSION"
		for f in login.html logout.html error.html sh_login.css favicon.ico demo/index.html; do
			echo "644 usr/share/sh_login/html/$f"
		done
		echo "644 usr/share/man/man1/sh_login.1"
		[ -z "$2" ] || echo "644 usr/lib/systemd/user/sh_login@.service"
	} | LC_ALL=C sort
}

testMakeInstallPutsEveryFileWithItsMode() {
	install_into "$WORK/dest" || { cat "$WORK/make.out"; fail "make install failed"; return; }
	(cd "$WORK/dest" && find . -type f -printf '%m %P\n' | LC_ALL=C sort) >"$WORK/got"
	expected_files "$OWN_BB" unit >"$WORK/want"
	assertEquals "installed files and modes" "$(cat "$WORK/want")" "$(cat "$WORK/got")"
	dirs=$(cd "$WORK/dest" && find . -mindepth 1 -type d ! -perm 755 -printf '%m %P\n')
	assertEquals "every directory 755" "" "$dirs"
	cmp -s "$TOP/scripts/sh_login" "$WORK/dest/usr/bin/sh_login"; assertTrue "the script as is" $?
	cmp -s "$TOP/build/sh_login-cgi" "$WORK/dest/usr/libexec/sh_login/sh_login-cgi"
	assertTrue "the CGI build" $?
	cmp -s "$TOP/html/login.html" "$WORK/dest/usr/share/sh_login/html/login.html"
	assertTrue "the login page" $?
	assertEquals "unit runs the installed script" "ExecStart=/usr/bin/sh_login start" \
		"$(grep '^ExecStart=' "$WORK/dest/usr/lib/systemd/user/sh_login@.service")"
	assertEquals "unit reads the token from its 0600 file" "Environment=SH_LOGIN_TOKEN_FILE=%E/sh_login/%i.token" \
		"$(grep 'SH_LOGIN_TOKEN_FILE' "$WORK/dest/usr/lib/systemd/user/sh_login@.service" | grep -v '^#')"
}

# Without PREFIX: everything under usr/local (the Makefile's default), and
# that copy finds its own parts there.
testMakeInstallDefaultPrefixIsUsrLocal() {
	d=$WORK/localdest
	make -s -C "$TOP" install DESTDIR="$d" >"$WORK/make.out" 2>&1 || { cat "$WORK/make.out"; fail "make install DESTDIR=$d"; return; }
	(cd "$d" && find . -type f -printf '%m %P\n' | LC_ALL=C sort) >"$WORK/got"
	expected_files "$OWN_BB" unit | sed 's| usr/| usr/local/|' >"$WORK/want"
	assertEquals "installed under usr/local" "$(cat "$WORK/want")" "$(cat "$WORK/got")"
	assertEquals "unit runs /usr/local/bin/sh_login" "ExecStart=/usr/local/bin/sh_login start" \
		"$(grep '^ExecStart=' "$d/usr/local/lib/systemd/user/sh_login@.service")"
	assertContains "$("$d/usr/local/bin/sh_login" version)" \
		"cgi:     $d/usr/local/libexec/sh_login/sh_login-cgi: sh_login-cgi $VERSION"
	rm -rf "$d"
}

testInstalledVersionReportsItsParts() {
	[ -x "$WORK/dest/usr/bin/sh_login" ] || install_into "$WORK/dest"
	bin=$WORK/dest/usr/bin/sh_login
	cgi=$WORK/dest/usr/libexec/sh_login/sh_login-cgi
	out=$("$bin" --version); rc=$?
	assertEquals "--version exits 0" 0 "$rc"
	assertEquals "first line" "sh_login $VERSION" "$(echo "$out" | head -n 1)"
	assertEquals "version is --version" "$out" "$("$bin" version)"
	# The build kind, against readelf's view of the same file.
	if readelf -l "$cgi" | grep -q INTERP; then kind=dynamic; else kind=static; fi
	assertContains "$out" "cgi:     $cgi: sh_login-cgi $VERSION ($kind, "
	if [ -n "$OWN_BB" ]; then
		assertContains "own busybox used" "$out" "busybox: $WORK/dest/usr/libexec/sh_login/busybox: BusyBox v"
		assertContains "$out" "httpd: yes; P: yes"
	else
		assertContains "$out" "busybox: $(command -v busybox): BusyBox v"
	fi
	if tls=$("$cgi" tls --version 2>/dev/null); then
		assertContains "$out" "tls:     yes: $tls"
	else
		assertContains "$out" "tls:     no"
	fi
	# Through symlinks (a ~/bin link, absolute or relative), the same parts.
	mkdir -p "$WORK/links/bin" "$WORK/links/rel"
	ln -sf "$bin" "$WORK/links/bin/sh_login"
	ln -sf ../bin/sh_login "$WORK/links/rel/sh_login"
	for link in "$WORK/links/bin/sh_login" "$WORK/links/rel/sh_login"; do
		assertContains "via $link" "$("$link" version)" "cgi:     $cgi: sh_login-cgi $VERSION"
	done
	out=$("$bin" version --busybox /bin/false)
	assertContains "another busybox" "$out" "httpd: no (sh_login start refuses it); P: no"
	"$bin" version --bogus >/dev/null 2>&1; assertEquals "usage" 100 $?
	# The checkout reports its own build, and a static build says so.
	assertContains "$(sh "$TOP/scripts/sh_login" version)" "cgi:     $TOP/build/sh_login-cgi: sh_login-cgi $VERSION"
}

testStaticBuildSaysSo() {
	if [ ! -x "$TOP/build/static/sh_login-cgi" ]; then
		skip_test "no static build to ask (make static)"
		return
	fi
	assertEquals "sh_login-cgi $VERSION (static, musl)" "$("$TOP/build/static/sh_login-cgi" version)"
}

# A login through the one-click URL printed by a running gateway, then the
# demo page: what a user does after sh_login start.
one_click_to_demo() {
	url=$(sed -n 's/^ *One-click URL: *//p' "$WORK/gw.out")
	assertContains "one-click URL printed" "$url" "/cgi-bin/login?token=$TOKEN"
	url=http://127.0.0.1:$GW_PORT/${url#http://*/}
	rm -f "$WORK/jar"
	assertEquals "one-click login" 303 "$(req -c "$WORK/jar" "$url")"
	assertEquals "to the app" /cgi-bin/app/ "$(header Location | tr -d '\r')"
	assertEquals "demo app" 200 "$(req -b "$WORK/jar" "$BASE/cgi-bin/app/")"
	assertContains "$(cat "$WORK/body")" "It works: you are behind sh_login"
	assertEquals "no session, no app" 401 "$(req "$BASE/cgi-bin/app/")"
}

testInstalledStartServesTheDemoWithOneClickLogin() {
	[ -x "$WORK/dest/usr/bin/sh_login" ] || install_into "$WORK/dest"
	SH_LOGIN_SCRIPT=$WORK/dest/usr/bin/sh_login
	start_gateway
	SH_LOGIN_SCRIPT=
	one_click_to_demo
	assertEquals "the installed CGI behind httpd" "$WORK/dest/usr/libexec/sh_login/sh_login-cgi" \
		"$(readlink "$STATE/www/cgi-bin/login")"
	assertEquals "the installed stylesheet" 200 "$(req "$BASE/sh_login.css")"
	cmp -s "$WORK/body" "$WORK/dest/usr/share/sh_login/html/sh_login.css"; assertTrue "same bytes" $?
	if [ -n "$OWN_BB" ]; then
		assertContains "the installed busybox's P:" "$(cat "$WORK/gw.err")" "through the relay"
	fi
	kill -TERM "$GW_PID"; wait "$GW_PID"; rc=$?; GW_PID=
	assertEquals "stops with 0" 0 "$rc"
}

testUninstallLeavesNothingOfItsOwn() {
	d=$WORK/undest
	mkdir -p "$d/usr/bin" "$d/usr/share/man/man1"
	echo other >"$d/usr/bin/other"
	echo other >"$d/usr/share/man/man1/other.1"
	install_into "$d" || fail "make install"
	make -s -C "$TOP" uninstall DESTDIR="$d" PREFIX=/usr >"$WORK/make.out" 2>&1
	assertEquals "make uninstall" 0 $?
	assertEquals "only the files that were there before" "usr/bin/other
usr/share/man/man1/other.1" "$(cd "$d" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)"
	assertEquals "no directory of sh_login's own" "" "$(find "$d" -name 'sh_login*')"
	rm -rf "$d"
}

testManPageLintsCleanAndCoversHelp() {
	if ! command -v mandoc >/dev/null 2>&1; then
		skip_test "no mandoc (apt-get install mandoc)"; return
	fi
	page=$TOP/man/sh_login.1
	# mandoc's complaints about the system's own outdated mandoc.db are not
	# about this page.
	lint=$(mandoc -T lint -W style "$page" 2>&1 | grep -v 'outdated mandoc.db lacks')
	assertEquals "mandoc -T lint" "" "$lint"
	err=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	assertEquals "man -l warnings" "" "$err"
	text=$(mandoc -T ascii "$page" | col -b)
	for word in $(sh "$TOP/scripts/sh_login" help | grep -o -e '--[a-z][a-z-]*' -e 'SH_LOGIN_[A-Z_]*' | sort -u); do
		assertContains "man page covers $word" "$text" "$word"
	done
	for code in 0 1 100 111; do
		assertTrue "exit status $code" "mandoc -T ascii '$page' | col -b | sed -n '/^EXIT STATUS/,/^EXAMPLES/p' | grep -q '^ *${code}[[:space:]]'"
	done
	assertContains "$text" "PREFIX/libexec/sh_login/sh_login-cgi"
}

testDebBuildsInstallsRunsAndPurges() {
	if ! command -v dpkg-deb >/dev/null 2>&1; then
		skip_test "not a Debian system (no dpkg-deb)"; return
	fi
	deb=$(sh "$TOP/scripts/build-deb" "$WORK/deb" 2>"$WORK/deb.err" | tail -n 1)
	assertTrue "build-deb: $(cat "$WORK/deb.err")" "[ -f '$deb' ]"
	[ -f "$deb" ] || return
	assertEquals "package name" "sh-login $VERSION" "$(dpkg-deb -f "$deb" Package Version | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
	linted=no
	if command -v lintian >/dev/null 2>&1; then
		assertEquals "lintian errors and warnings" "" "$(grep '^[EW]:' "$WORK/deb/lintian.txt")"
		linted=yes
	fi
	# A scratch dpkg root whose database knows the host's packages, so the
	# dependencies are checked for real (the programs run on the host).
	r=$WORK/dpkgroot
	mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates"
	cp /var/lib/dpkg/status "$r/var/lib/dpkg/status"
	root_opt=
	[ "$(id -u)" = 0 ] || root_opt=--force-not-root
	dpkg --root="$r" $root_opt -i "$deb" >"$WORK/dpkg.out" 2>&1
	assertEquals "dpkg -i: $(cat "$WORK/dpkg.out")" 0 $?
	assertEquals "install ok installed" "$(dpkg --root="$r" -s sh-login | sed -n 's/^Status: //p')"
	for f in $(dpkg --root="$r" -L sh-login); do
		assertTrue "listed and there: $f" "[ -e '$r$f' ]"
	done
	out=$("$r/usr/bin/sh_login" version)
	assertEquals "sh_login $VERSION" "$(echo "$out" | head -n 1)"
	assertContains "$out" "cgi:     $r/usr/libexec/sh_login/sh_login-cgi: sh_login-cgi $VERSION"
	SH_LOGIN_SCRIPT=$r/usr/bin/sh_login
	start_gateway
	SH_LOGIN_SCRIPT=
	one_click_to_demo
	stop_gateway
	dpkg --root="$r" $root_opt --purge sh-login >"$WORK/dpkg.out" 2>&1
	assertEquals "dpkg --purge: $(cat "$WORK/dpkg.out")" 0 $?
	left=$(cd "$r" && find . -mindepth 1 -path ./var -prune -o -print)
	assertEquals "nothing left outside dpkg's database" "" "$left"
	assertFalse "purged from the database" "dpkg --root='$r' -s sh-login >/dev/null 2>&1"
	rm -rf "$r"
	# last, as a skip ends the test's assertions: the rest was checked
	[ "$linted" = yes ] || skip_test "no lintian (apt-get install lintian): the package was not linted"
}

# source_copy DIR: a copy of the sources for the package recipes, without
# build/: their build step compiles and links the CGIs for real (a library
# or flag the recipe lacks fails there), as on a clean build machine.
source_copy() {
	rm -rf "$1"; mkdir -p "$1"
	(cd "$TOP" && cp -Rp Makefile VERSION cgi-bin html man packaging scripts "$1/")
}

# built_by_the_recipe DIR: the recipe's build step (not make install after
# it) made DIR/build/sh_login-cgi, and it runs.
built_by_the_recipe() {
	assertTrue "the build step compiled build/sh_login-cgi" "[ -x '$1/build/sh_login-cgi' ]"
	assertEquals "it runs" "sh_login-cgi $VERSION (dynamic, glibc)" "$("$1/build/sh_login-cgi" version 2>&1)"
}

# The list make install gives without the project's busybox and unit.
plain_install_list() {
	install_into "$WORK/plain" INSTALL_BUSYBOX= SYSTEMD_USER_UNITDIR= || fail "make install"
	(cd "$WORK/plain" && find . -type f -printf '%m %P\n' | LC_ALL=C sort)
	rm -rf "$WORK/plain"
}

testAlpineApkbuildInstallsMakeInstallsList() {
	apk=$TOP/packaging/alpine/APKBUILD
	sh -n "$apk"; assertEquals "sh -n APKBUILD" 0 $?
	assertEquals "pkgver is VERSION" "$VERSION" "$(sed -n 's/^pkgver=//p' "$apk")"
	src=$WORK/apk/src
	source_copy "$src"
	# abuild's part, as far as it matters here: startdir, pkgdir, the
	# CFLAGS and LDFLAGS abuild.conf exports, then build() and package() in
	# builddir; the -doc split moves usr/share/man.
	(
		set -e
		startdir=$src/packaging/alpine pkgdir=$WORK/apk/pkg
		export CFLAGS="-Os -fstack-clash-protection -Wformat -Werror=format-security"
		export LDFLAGS="-Wl,--as-needed,-O1,--sort-common"
		# shellcheck source=/dev/null
		. "$startdir/APKBUILD"
		cd "$builddir"
		build >/dev/null
		[ -x build/sh_login-cgi ] || { echo "build() built nothing"; exit 1; }
		package
	) >"$WORK/apk.out" 2>&1
	assertEquals "build and package: $(cat "$WORK/apk.out")" 0 $?
	built_by_the_recipe "$src"
	assertEquals "the APKBUILD's files are make install's" "$(plain_install_list)" \
		"$(cd "$WORK/apk/pkg" && find . -type f -printf '%m %P\n' | LC_ALL=C sort)"
	rm -rf "$WORK/apk"
}

testBuildrootPackageInstallsMakeInstallsList() {
	br=$TOP/packaging/buildroot
	assertEquals "version is VERSION" "$VERSION" "$(sed -n 's/^SH_LOGIN_VERSION = //p' "$br/package/sh-login/sh-login.mk")"
	src=$WORK/br/src
	source_copy "$src"
	# Buildroot's part: the br2-external path, target variables (the host's
	# cc standing in for the target toolchain, Buildroot's usual flags),
	# generic-package (nothing), and a rule whose $(@D) is the source tree,
	# as Buildroot's are; the build step checked before the install step.
	cat >"$WORK/br/stub.mk" <<EOF
BR2_EXTERNAL_SH_LOGIN_PATH = $src/packaging/buildroot
TARGET_DIR = $WORK/br/target
TARGET_MAKE_ENV = PATH="\$(PATH)"
TARGET_CPPFLAGS = -D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64
TARGET_CONFIGURE_OPTS = CC="cc" CPPFLAGS="\$(TARGET_CPPFLAGS)" CFLAGS="\$(TARGET_CPPFLAGS) -O2 -g0" LDFLAGS=""
define generic-package
endef
include \$(BR2_EXTERNAL_SH_LOGIN_PATH)/external.mk
$src/.stamp_target_installed:
	test -f \$(SH_LOGIN_SITE)/VERSION
	\$(SH_LOGIN_BUILD_CMDS)
	test -x $src/build/sh_login-cgi
	\$(SH_LOGIN_INSTALL_TARGET_CMDS)
EOF
	make -n -s -f "$WORK/br/stub.mk" >"$WORK/br.out" 2>&1
	assertEquals "make -n: $(cat "$WORK/br.out")" 0 $?
	make -s -f "$WORK/br/stub.mk" >"$WORK/br.out" 2>&1
	assertEquals "build and install: $(cat "$WORK/br.out")" 0 $?
	built_by_the_recipe "$src"
	assertEquals "the package's files are make install's" "$(plain_install_list)" \
		"$(cd "$WORK/br/target" && find . -type f -printf '%m %P\n' | LC_ALL=C sort)"
	# The Kconfig part, with the Buildroot symbols it refers to.
	# Debian's python3-kconfiglib is for Debian's python3 (not a pyenv one).
	kpy=
	for py in python3 /usr/bin/python3; do
		if "$py" -c 'import kconfiglib' 2>/dev/null; then kpy=$py; break; fi
	done
	if [ -n "$kpy" ]; then
		cat >"$WORK/br/Config.in" <<EOF
config BR2_USE_MMU
	def_bool y
config BR2_PACKAGE_BUSYBOX
	def_bool y
config BR2_PACKAGE_UTIL_LINUX
	bool
config BR2_PACKAGE_UTIL_LINUX_LIBUUID
	bool
config BR2_PACKAGE_BEARSSL
	bool
source "\$BR2_EXTERNAL_SH_LOGIN_PATH/Config.in"
EOF
		out=$(cd "$WORK/br" && BR2_EXTERNAL_SH_LOGIN_PATH=$br "$kpy" -c '
import kconfiglib
k = kconfiglib.Kconfig("Config.in", warn_to_stderr=False)
k.syms["BR2_PACKAGE_SH_LOGIN"].set_value("y")
print(" ".join(k.warnings) or "no warnings", k.syms["BR2_PACKAGE_UTIL_LINUX_LIBUUID"].str_value,
      k.syms["BR2_PACKAGE_BEARSSL"].str_value)' 2>&1)
		assertEquals "Config.in parses, selects libuuid and bearssl" "no warnings y y" "$out"
	else
		echo "kconfiglib missing: Config.in not parsed (apt-get install python3-kconfiglib)" >&2
		fail "no python3-kconfiglib"
	fi
	rm -rf "$WORK/br"
}

# lib_pkg RECIPE LIB: what provides -lLIB's headers and library to each
# recipe: alpine (an Alpine -dev package), br (a Buildroot package), brsym
# (its Kconfig symbol), deb (a Debian -dev package). Empty: not known yet.
lib_pkg() {
	case $1:$2 in
	alpine:uuid) echo util-linux-dev ;;
	br:uuid) echo util-linux ;;
	brsym:uuid) echo BR2_PACKAGE_UTIL_LINUX_LIBUUID ;;
	deb:uuid) echo uuid-dev ;;
	alpine:bearssl) echo bearssl-dev ;;
	br:bearssl) echo bearssl ;;
	brsym:bearssl) echo BR2_PACKAGE_BEARSSL ;;
	deb:bearssl) echo libbearssl-dev ;;
	esac
}

# A clean build machine has only what a recipe declares: every library the
# Makefile links the CGIs with (read from the command make runs) must be
# declared by each recipe, or the package does not link there (and the
# builds above, on this machine with every -dev package, would not notice).
testRecipesDeclareEveryLibraryTheMakefileLinks() {
	libs=$(make -s -n -B --no-print-directory -C "$TOP" build/sh_login-cgi | tr ' ' '\n' | sed -n 's/^-l//p' | sort -u)
	assertNotEquals "the Makefile links libraries" "" "$libs"
	makedepends=$(startdir=$TOP/packaging/alpine; . "$startdir/APKBUILD"; echo " $makedepends ")
	cat >"$WORK/deps.mk" <<EOF
BR2_EXTERNAL_SH_LOGIN_PATH = $TOP/packaging/buildroot
define generic-package
endef
include \$(BR2_EXTERNAL_SH_LOGIN_PATH)/external.mk
deps:
	@echo " \$(SH_LOGIN_DEPENDENCIES) "
EOF
	br_deps=$(make -s -f "$WORK/deps.mk" deps)
	# the selects of BR2_PACKAGE_SH_LOGIN (kconfiglib checks they take effect)
	br_selects=" $(awk '/^config /{ c = $2 } c == "BR2_PACKAGE_SH_LOGIN" && $1 == "select" { print $2 }' \
		"$TOP/packaging/buildroot/package/sh-login/Config.in" | tr '\n' ' ') "
	# The Debian package is built by scripts/build-deb (no debian/ source
	# package): its need_pkgs line is the build dependencies; a debian/control
	# with Build-Depends, if one is added, is held to the same.
	deb_sets=" $(sed -n 's/^need_pkgs //p' "$TOP/scripts/build-deb") "
	for control in $(cd "$TOP" && git ls-files | grep -E '(^|/)debian/control$'); do
		deb_sets="$deb_sets|$(sed -n '/^Build-Depends:/,/^[^[:space:]]/p' "$TOP/$control" |
			sed 's/^Build-Depends://; /^[^[:space:]]/d' | tr ',\n\t' '   ' | sed 's/([^)]*)//g; s/\[[^]]*\]//g') "
	done
	for lib in $libs; do
		a=$(lib_pkg alpine "$lib") b=$(lib_pkg br "$lib") k=$(lib_pkg brsym "$lib") d=$(lib_pkg deb "$lib")
		if [ -z "$a$b$k$d" ]; then
			fail "-l$lib: no package known for it; add it to lib_pkg and to every recipe"
			continue
		fi
		assertContains "APKBUILD makedepends has $a (-l$lib)" "$makedepends" " $a "
		assertContains "SH_LOGIN_DEPENDENCIES has $b (-l$lib)" "$br_deps" " $b "
		assertContains "Config.in selects $k (-l$lib)" "$br_selects" " $k "
		old_ifs=$IFS; IFS='|'
		set -- $deb_sets     # (shunit2's asserts need the usual IFS)
		IFS=$old_ifs
		for set in "$@"; do
			assertContains "Debian build dependencies have $d (-l$lib)" "$set" " $d "
		done
	done
}

testSystemdUserUnitVerifies() {
	if ! command -v systemd-analyze >/dev/null 2>&1; then
		skip_test "no systemd-analyze"; return
	fi
	# An install whose ExecStart exists on this machine (no DESTDIR).
	p=$WORK/prefix
	make -s -C "$TOP" install PREFIX="$p" >"$WORK/make.out" 2>&1 || fail "make install PREFIX=$p"
	mkdir -p "$WORK/unit" "$WORK/run" && chmod 700 "$WORK/run"
	cp "$p/lib/systemd/user/sh_login@.service" "$WORK/unit/sh_login@lab.service"
	out=$(XDG_RUNTIME_DIR=$WORK/run systemd-analyze --user --man=no verify "$WORK/unit/sh_login@lab.service" 2>&1)
	assertEquals "systemd-analyze verify: $out" 0 $?
	assertEquals "no complaints" "" "$out"
	# and it does notice a broken one
	sed 's/^KillMode=mixed/KillMode=gentle/' "$WORK/unit/sh_login@lab.service" >"$WORK/unit/sh_login@bad.service"
	out=$(XDG_RUNTIME_DIR=$WORK/run systemd-analyze --user --man=no verify "$WORK/unit/sh_login@bad.service" 2>&1)
	assertContains "a bad unit is noticed" "$out" "gentle"
	rm -rf "$p" "$WORK/unit" "$WORK/run"
}

testTokenFileOpenToOthersIsRefused() {
	bin=$TOP/scripts/sh_login
	printf 'a-token-from-a-file-1234567890\n' >"$WORK/tok"
	for mode in 644 604 602 666; do
		chmod "$mode" "$WORK/tok"
		SH_LOGIN_TOKEN_FILE=$WORK/tok SH_LOGIN_CGI=$CGI sh "$bin" start --port 1 \
			--tmpdir "$WORK/state" >/dev/null 2>"$WORK/err"
		assertEquals "mode $mode refused" 100 $?
		assertContains "$(cat "$WORK/err")" "open to all users (mode $mode): chmod 600"
		assertNotContains "the token is not echoed" "$(cat "$WORK/err")" "a-token-from-a-file"
	done
	chmod 600 "$WORK/tok"
	ln -sf "$WORK/tok" "$WORK/toklink"
	SH_LOGIN_TOKEN_FILE=$WORK/toklink start_gateway
	assertEquals "0600 (through a symlink) accepted" "a-token-from-a-file-1234567890" "$TOKEN"
	assertEquals 303 "$(req -d "token=$TOKEN" "$BASE/cgi-bin/login")"
	stop_gateway
	for mode in 400 640; do     # 640: a Kubernetes Secret shared by fsGroup is 0440
		chmod "$mode" "$WORK/tok"
		SH_LOGIN_TOKEN_FILE=$WORK/tok start_gateway
		assertEquals "$mode accepted" "a-token-from-a-file-1234567890" "$TOKEN"
		stop_gateway
	done
}

. shunit2
