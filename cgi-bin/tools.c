/* tools.c - helpers for scripts/sh_login, so the POSIX sh script needs no
 * python, nc or uuidgen on a scratch image.
 *
 *   sh_login-cgi uuid                      random v4 UUID (libuuid), the default token
 *   sh_login-cgi freeport ADDR             a free TCP port on ADDR (bind to port 0)
 *   sh_login-cgi probe ADDR PORT [SECONDS] connect to ADDR:PORT, retrying until SECONDS
 *   sh_login-cgi probe unix PATH [SECONDS] the same for a unix socket
 *   sh_login-cgi relay PORT                the relay for busybox's P: (relay.c)
 *   sh_login-cgi version                   version and build kind, for sh_login --version
 *   sh_login-cgi config                    check the SH_LOGIN_* numbers (config.h): 0 or 100
 *   sh_login-cgi config NAME               the value NAME has (its default when unset)
 *   sh_login-cgi create FILE...            new empty 0600 files, never through a link (create.c)
 *   sh_login-cgi tls ...                   the TLS front and its certificate (tls.c)
 *
 * Exit codes (skarnet style): 0 ok, 1 refused / not reachable in time,
 * 100 usage, 111 system error. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "applets.h"
#include "config.h"
#include "lib/decimal.h"

static int usage(void)
{
	fputs("usage: sh_login-cgi uuid | freeport ADDR | probe ADDR PORT [SECONDS]"
	      " | probe unix PATH [SECONDS] | version | config [NAME] | create FILE...\n"
	      "       | logcap MAX_KIB FILE... | tls ...\n", stderr);
	return 100;
}

/* Exit code 111 with errno's reason: every command-line helper says it so. */
int tool_fatal(const char *what)
{
	fprintf(stderr, "sh_login-cgi: fatal: unable to %s: %s\n", what, strerror(errno));
	return 111;
}

static int parse_addr(const char *s, struct sockaddr_in *in)
{
	memset(in, 0, sizeof *in);
	in->sin_family = AF_INET;
	if (!strcmp(s, "localhost"))
		s = "127.0.0.1";
	return inet_pton(AF_INET, s, &in->sin_addr) == 1 ? 0 : -1;
}

static int freeport(const char *addr)
{
	struct sockaddr_in in;
	socklen_t len = sizeof in;
	int fd;

	if (parse_addr(addr, &in) < 0)
		return usage();
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return tool_fatal("create a socket");
	if (bind(fd, (struct sockaddr *)&in, sizeof in) < 0 ||
	    getsockname(fd, (struct sockaddr *)&in, &len) < 0)
		return tool_fatal("bind a free port");
	printf("%d\n", ntohs(in.sin_port));
	close(fd);
	return 0;
}

static int connect_once(int unix_sock, const char *a, const char *b)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, ok;

	memset(&ss, 0, sizeof ss);
	if (unix_sock) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;
		if (strlen(b) >= sizeof un->sun_path)
			return -2;
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, b);
		sl = sizeof *un;
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		long long port = 0;
		if (parse_addr(a, in) < 0 || decimal_parse(b, strlen(b), 65535, &port) < 0 || port == 0)
			return -2;
		in->sin_port = htons((unsigned short)port);
		sl = sizeof *in;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	ok = connect(fd, (struct sockaddr *)&ss, sl) == 0;
	close(fd);
	return ok ? 0 : -1;
}

/* "2", "0.5", "10.25" seconds as milliseconds (no floating point: atof
 * would pull musl's float parser into the static build). -1 if malformed. */
static long seconds_to_ms(const char *s)
{
	long ms = 0, scale = 1000;

	for (; *s >= '0' && *s <= '9' && ms < 100000000; s++)
		ms = ms * 10 + (*s - '0');
	ms *= 1000;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			if ((scale /= 10) > 0)
				ms += (*s - '0') * scale;
	return *s ? -1 : ms;
}

static int probe(int argc, char **argv)
{
	int unix_sock = !strcmp(argv[2], "unix");
	long limit_ms = argc > 4 ? seconds_to_ms(argv[4]) : 0;
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	struct timespec start, now;

	if (limit_ms < 0)
		return usage();
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int r = connect_once(unix_sock, argv[2], argv[3]);
		if (r == 0)
			return 0;
		if (r == -2)
			return usage();
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000 >= limit_ms)
			return 1;
		nanosleep(&pause, NULL);
	}
}

#ifndef SH_LOGIN_VERSION
#define SH_LOGIN_VERSION "unknown"    /* the Makefile passes the VERSION file's line */
#endif

/* "sh_login-cgi 0.1.0 (static, musl)": asked of the running binary, not of
 * the Makefile, so an installed or copied binary reports what it is. A
 * dynamically linked program has an interpreter (ld.so), whose load address
 * the kernel passes as AT_BASE; a static one gets 0. */
static int version(void)
{
	const char *libc = "musl";
	const char *extra = "";

#if defined(__GLIBC__)
	libc = "glibc";
#elif defined(__UCLIBC__)
	libc = "uClibc";
#endif
#if defined(__SANITIZE_ADDRESS__)
	extra = ", ASan";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	extra = ", ASan";
#endif
#endif
	printf("sh_login-cgi %s (%s, %s%s)\n", SH_LOGIN_VERSION,
	       getauxval(AT_BASE) ? "dynamic" : "static", libc, extra);
	return 0;
}

int tool_main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "uuid")) {
		uuid_t u;
		char s[37];
		uuid_generate_random(u);
		uuid_unparse_lower(u, s);
		puts(s);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "config"))
		return config_check();
	if (argc == 3 && !strcmp(argv[1], "config"))
		return config_print(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "relay"))
		return relay_main(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "create"))
		return create_main(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "logcap"))
		return logcap_main(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "tls"))
		return tls_main(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "freeport"))
		return freeport(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "version"))
		return version();
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "probe"))
		return probe(argc, argv);
	return usage();
}
