# sh_login - token login in front of one web app: C CGIs behind busybox httpd.
#
#   make            build/sh_login-cgi (the CGIs and helpers, one binary)
#   make test       unit tests + shunit2 suites against a real busybox httpd,
#                   with an ASan/UBSan build of the CGIs; ends "N passed, N failed"
#   make run        start the gateway in front of the built-in demo app
#   make clean

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
LDLIBS   = -luuid
SAN      = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC  = $(wildcard cgi-bin/lib/*.c)
CGI_SRC  = $(wildcard cgi-bin/*.c)
HDRS     = $(wildcard cgi-bin/*.h cgi-bin/lib/*.h)
UNIT_SRC = $(wildcard tests/unit/*.c)

all: build/sh_login-cgi

build/sh_login-cgi: $(CGI_SRC) $(LIB_SRC) $(HDRS)
	@mkdir -p build
	$(CC) $(WARN) $(CFLAGS) -o $@ $(CGI_SRC) $(LIB_SRC) $(LDLIBS)

build/asan/sh_login-cgi: $(CGI_SRC) $(LIB_SRC) $(HDRS)
	@mkdir -p build/asan
	$(CC) $(WARN) $(SAN) -o $@ $(CGI_SRC) $(LIB_SRC) $(LDLIBS)

build/asan/unit: $(UNIT_SRC) $(LIB_SRC) $(HDRS)
	@mkdir -p build/asan
	$(CC) $(WARN) $(SAN) -Icgi-bin -o $@ $(UNIT_SRC) $(LIB_SRC)

deps:
	sh scripts/deps

test: build/sh_login-cgi build/asan/sh_login-cgi build/asan/unit
	sh tests/run

run: build/sh_login-cgi
	sh scripts/sh_login start

clean:
	rm -rf build

.PHONY: all deps test run clean
