# sh_login - token login in front of one web app: C CGIs behind busybox httpd.
#
#   make            build/sh_login-cgi (the CGIs and helpers, one binary), and
#                   build/busybox/busybox when the system busybox has no P:
#                   (full duplex: scripts/full-duplex; SH_LOGIN_RELAY=no skips)
#   make test       unit tests + shunit2 suites against a real busybox httpd,
#                   with an ASan/UBSan build of the CGIs; ends "N passed, N failed, N skipped"
#   make test-stress the stranger's floods and the gateway under load, slow
#                   clients, caps and signals (frontdoor, reliability: ~6 min)
#   make test-image the image (make rootfs) under chroot and in a real OCI
#                   runtime (runc; as root, Debian)
#   make test-apps  the README's app recipes (nginx, Caddy, Jupyter,
#                   Transmission, Syncthing) in headless chromium
#   make run        start the gateway in front of the built-in demo app
#   make install    PREFIX (default /usr/local) and DESTDIR; make uninstall
#   make deb        build/deb/sh_login_VERSION_ARCH.deb (scripts/build-deb)
#   make clean

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
LDLIBS   = -luuid -lbearssl
# The one place the version lives; compiled into the CGI binary, installed
# beside the pages for the installed sh_login to read.
VERSION := $(shell cat VERSION)
DEFS     = -DSH_LOGIN_VERSION='"$(VERSION)"'
SAN      = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC  = $(wildcard cgi-bin/lib/*.c)
CGI_SRC  = $(wildcard cgi-bin/*.c)
HDRS     = $(wildcard cgi-bin/*.h cgi-bin/lib/*.h)
UNIT_SRC = $(wildcard tests/unit/*.c)

all: build/sh_login-cgi full-duplex

# The relay (WebSocket, any body) needs an httpd with P:; a failed build
# leaves the CGI path working, so it warns and make goes on.
full-duplex: build/sh_login-cgi
	@if sh scripts/full-duplex want; then \
		$(MAKE) -s --no-print-directory busybox || sh scripts/full-duplex failed; fi

build/sh_login-cgi: $(CGI_SRC) $(LIB_SRC) $(HDRS) VERSION
	@mkdir -p build
	$(CC) $(WARN) $(DEFS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(CGI_SRC) $(LIB_SRC) $(LDLIBS)

build/asan/sh_login-cgi: $(CGI_SRC) $(LIB_SRC) $(HDRS) VERSION
	@mkdir -p build/asan
	$(CC) $(WARN) $(DEFS) $(SAN) -o $@ $(CGI_SRC) $(LIB_SRC) $(LDLIBS)

build/asan/unit: $(UNIT_SRC) $(LIB_SRC) $(HDRS)
	@mkdir -p build/asan
	$(CC) $(WARN) $(SAN) -Icgi-bin -o $@ $(UNIT_SRC) $(LIB_SRC)

deps:
	sh scripts/deps

# full-duplex: the project's busybox (the relay suites need it; a failed
# build warns, and they skip and say why).
test: build/sh_login-cgi build/asan/sh_login-cgi build/asan/unit full-duplex
	sh tests/run

# The heavy suites, each on its own target so that make test stays short
# (their "# own target:" line keeps tests/run from running them there).
STRESS_SUITES = tests/frontdoor_test.sh tests/reliability_test.sh
test-stress: build/sh_login-cgi build/asan/sh_login-cgi build/asan/unit build/busybox/busybox
	sh tests/run $(STRESS_SUITES)

# The image is built from Debian source packages (a few minutes); on other
# systems its suites skip and say why. The install suite (make install, the
# .deb and the package recipes' compiles) runs here too: make test stays
# under 15 minutes on 2 cores (893 s with it in a clean clone).
TEST_IMAGE = $(if $(wildcard /etc/debian_version),rootfs)
test-image: build/sh_login-cgi build/asan/sh_login-cgi build/asan/unit $(TEST_IMAGE)
	sh tests/run tests/rootfs_test.sh tests/oci_test.sh tests/install_test.sh

# A one-node Slurm cluster running the README's batch recipe (as root, on
# Debian: sh scripts/deps slurm); about a minute, so not part of make test.
test-slurm: rootfs
	sh tests/run tests/slurm_test.sh

# The README's app recipes in a browser (tests/apps_test.sh): a few minutes.
test-apps: build/sh_login-cgi build/asan/sh_login-cgi build/asan/unit build/busybox/busybox
	sh tests/run tests/apps_test.sh

run: all
	sh scripts/sh_login start

clean:
	rm -rf build

.PHONY: all full-duplex deps test test-stress test-image test-slurm test-apps run clean

# --- install (issue 18) --------------------------------------------------------
#   make install [PREFIX=/usr/local] [DESTDIR=]   make uninstall (same variables)
# sh_login finds its parts relative to its own directory, so bin/,
# libexec/sh_login/ and share/sh_login/ keep their places under PREFIX;
# MANDIR and SYSTEMD_USER_UNITDIR may go anywhere (empty: not installed).
#   INSTALL_CGI      which build of the CGIs (build/static/sh_login-cgi: static musl)
#   INSTALL_BUSYBOX  the project's own busybox, installed when it was built
PREFIX     = /usr/local
DESTDIR    =
MANDIR     = $(PREFIX)/share/man
SYSTEMD_USER_UNITDIR = $(PREFIX)/lib/systemd/user
INSTALL_CGI     = build/sh_login-cgi
INSTALL_BUSYBOX = $(wildcard build/busybox/busybox)
BIN_D      = $(DESTDIR)$(PREFIX)/bin
LIBEXEC_D  = $(DESTDIR)$(PREFIX)/libexec/sh_login
SHARE_D    = $(DESTDIR)$(PREFIX)/share/sh_login
PAGES      = $(wildcard html/*.html html/*.css html/*.ico)
DEMO_PAGES = $(wildcard html/demo/*)

install: $(INSTALL_CGI)
	install -d $(BIN_D) $(LIBEXEC_D) $(SHARE_D)/html/demo
	install -m 755 scripts/sh_login $(BIN_D)/sh_login
	install -m 755 $(INSTALL_CGI) $(LIBEXEC_D)/sh_login-cgi
	$(if $(INSTALL_BUSYBOX),install -m 755 $(INSTALL_BUSYBOX) $(LIBEXEC_D)/busybox)
	install -m 644 $(PAGES) $(SHARE_D)/html
	install -m 644 $(DEMO_PAGES) $(SHARE_D)/html/demo
	install -m 644 VERSION $(SHARE_D)/VERSION
	$(if $(MANDIR),install -d $(DESTDIR)$(MANDIR)/man1)
	$(if $(MANDIR),install -m 644 man/sh_login.1 $(DESTDIR)$(MANDIR)/man1/sh_login.1)
	$(if $(SYSTEMD_USER_UNITDIR),install -d $(DESTDIR)$(SYSTEMD_USER_UNITDIR))
	$(if $(SYSTEMD_USER_UNITDIR),sed 's|@BINDIR@|$(PREFIX)/bin|g' packaging/systemd/sh_login@.service.in \
		>$(DESTDIR)$(SYSTEMD_USER_UNITDIR)/sh_login@.service)
	$(if $(SYSTEMD_USER_UNITDIR),chmod 644 $(DESTDIR)$(SYSTEMD_USER_UNITDIR)/sh_login@.service)

# Removes what install puts there (whether or not a busybox came with it)
# and the two directories that are sh_login's own, nothing else.
uninstall:
	rm -f $(BIN_D)/sh_login $(LIBEXEC_D)/sh_login-cgi $(LIBEXEC_D)/busybox
	rm -f $(PAGES:html/%=$(SHARE_D)/html/%) $(DEMO_PAGES:html/%=$(SHARE_D)/html/%) $(SHARE_D)/VERSION
	$(if $(MANDIR),rm -f $(DESTDIR)$(MANDIR)/man1/sh_login.1)
	$(if $(SYSTEMD_USER_UNITDIR),rm -f $(DESTDIR)$(SYSTEMD_USER_UNITDIR)/sh_login@.service)
	for d in $(SHARE_D)/html/demo $(SHARE_D)/html $(SHARE_D) $(LIBEXEC_D); do \
		[ ! -d "$$d" ] || rmdir "$$d" || echo "uninstall: $$d kept: not empty" >&2; done

deb:
	sh scripts/build-deb

.PHONY: install uninstall deb

# --- tiny static-musl image (issue 4) ----------------------------------------
#   make static     build/static/sh_login-cgi: static musl, -Os, stripped
#   make busybox    build/busybox/busybox from Debian's source, rootfs/busybox.config
#   make rootfs     build/rootfs: busybox + the CGI + html + sh_login (<= 1 MiB)
# The scripts install their build dependencies with apt-get when run as root.

MUSL_CC        = musl-gcc
MUSL           = build/musl
STATIC_CFLAGS  = -Os -ffunction-sections -fdata-sections -isystem $(MUSL)/include
STATIC_LDFLAGS = -static -s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,--build-id=none -L$(MUSL)/lib
STATIC_BUDGET  = 225280
ROOTFS_BUDGET  = 1024

static: build/static/sh_login-cgi

# A cache: remove build/musl to build it again.
$(MUSL)/lib/libuuid.a:
	sh scripts/build-libuuid-musl $(MUSL)

# BearSSL from Debian's source (the TLS front, cgi-bin/tls.c); a cache too.
$(MUSL)/lib/libbearssl.a: scripts/build-bearssl-musl
	sh scripts/build-bearssl-musl $(MUSL)

build/static/sh_login-cgi: $(CGI_SRC) $(LIB_SRC) $(HDRS) VERSION $(MUSL)/lib/libuuid.a $(MUSL)/lib/libbearssl.a
	@mkdir -p build/static
	$(MUSL_CC) $(WARN) $(DEFS) $(STATIC_CFLAGS) $(STATIC_LDFLAGS) -o $@ $(CGI_SRC) $(LIB_SRC) -luuid -lbearssl
	@sh scripts/size-check $@ $(STATIC_BUDGET)

busybox: build/busybox/busybox

build/busybox/busybox: rootfs/busybox.config $(wildcard rootfs/busybox-patches/*.patch) \
		scripts/build-busybox scripts/build-common
	sh scripts/build-busybox build/busybox

rootfs: build/static/sh_login-cgi build/busybox/busybox
	sh scripts/build-rootfs build/rootfs $(ROOTFS_BUDGET)

.PHONY: static busybox rootfs

#   make tls-sizes  weigh wolfSSL and mbedTLS as BearSSL was weighed (static musl
#                   from Debian's source; README "Why BearSSL")
tls-sizes:
	sh scripts/tls-lib-sizes build/tls-sizes

.PHONY: tls-sizes

# --- fuzzing -----------------------------------------------------------------
#   make fuzz       libFuzzer (clang, ASan, UBSan) on every lib parser,
#                   FUZZ_SECONDS per harness (default 300); findings in
#                   build/fuzz/findings/. A short pass: sh tests/fuzz/run 8
FUZZ_SECONDS = 300

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run $(FUZZ_SECONDS)

.PHONY: fuzz

# --- valgrind -------------------------------------------------------------------
#   make valgrind   whole shunit2 suites with the normal build of the CGIs under
#                   valgrind (make test runs only a representative flow)
VALGRIND_SUITES = login_test.sh forward_test.sh security_test.sh

valgrind: build/sh_login-cgi build/asan/sh_login-cgi
	VALGRIND_SUITES="$(VALGRIND_SUITES)" sh tests/valgrind_test.sh

.PHONY: valgrind

# --- benchmark (issue 8) -----------------------------------------------------
#   make bench      scripts/bench: sh_login beside direct access and nginx
#                   proxy_pass on loopback (wrk, curl); table in
#                   build/bench/results.md. BENCH_SECONDS, BENCH_REPS, BENCH_MB.
#                   Then scripts/bench-tls: the TLS front vs nginx (handshakes/s,
#                   download MiB/s; build/bench/results-tls.md)
bench:
	sh scripts/bench
	sh scripts/bench-tls

.PHONY: bench

# --- soak (issue 9) ------------------------------------------------------------
#   make soak       SOAK_SECONDS (default 150) of SOAK_CLIENTS (32) clients through
#                   the CGI path, then the relay; prints requests, errors, peak RSS
#                   and fds, and whether everything returned to idle
SOAK_SECONDS = 150
SOAK_CLIENTS = 32

soak: build/sh_login-cgi
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_CLIENTS=$(SOAK_CLIENTS) sh tests/soak.sh

.PHONY: soak
