/* relay_accept.c - `sh_login-cgi relay --handoff SOCKET | PORT`: the relay's
 * front, which decides who gets a connection process (relay.c serves it).
 *
 * Two ways in:
 * - --handoff SOCKET (the project's busybox, P: to a unix socket path): a
 *   datagram socket in the 0700 state directory; httpd sends each client's
 *   own connection (SCM_RIGHTS) with the bytes it read (lib/handoff.h) and
 *   exits. The relay serves the client directly, so it knows its address:
 *   the kernel's (getpeername) for a TCP client, httpd's word for anything
 *   else (behind the TLS front, which gives httpd a socketpair, httpd says
 *   what the front put in SH_LOGIN_PEER).
 * - PORT (a stock busybox with P:, such as Alpine's busybox-extras): httpd
 *   connects to 127.0.0.1:PORT and copies bytes; every client is httpd, of
 *   unknown address ("-"): all share the strangers' half, no per-client
 *   share; and httpd's head deadline ends when it connects, so the relay's
 *   starts anew (the handoff carries the time httpd spent instead).
 * Fair shares (lib/admit.h): at most SH_LOGIN_RELAY_MAX connections (503
 * beyond; 0: no cap and no shares); connections not yet authenticated hold at most half of them,
 * one client address (IPv6: its /64) a quarter of that, and a newcomer
 * displaces the oldest such connection of the client holding the most (or
 * of anyone, when nobody holds more than the newcomer): half-sent requests
 * from strangers, from one address or many, never lock the owner out. Each
 * connection process marks its slot authed itself, in shared memory.
 * SIGTERM: stop accepting, give requests in flight SH_LOGIN_GRACE seconds.
 * Exit codes: 0 stopped, 100 usage, 111 cannot listen. */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "applets.h"
#include "config.h"
#include "limits.h"
#include "relay.h"
#include "lib/admit.h"
#include "lib/decimal.h"
#include "lib/handoff.h"

/* SH_LOGIN_RELAY_MAX=0: no cap; the table then only records authed flags */
enum { RELAY_SLOTS_UNCAPPED = 4096 };

static volatile sig_atomic_t stopping;
static void on_term(int sig) { (void)sig; stopping = 1; }

static long long mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void busy(int fd)
{
	static const char msg[] =
		"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n"
		"Content-Type: text/plain\r\nContent-Length: 42\r\n\r\n"
		"503: the gateway is at its connection cap\n";
	if (send(fd, msg, sizeof msg - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {}
	close(fd);
}

static int listen_tcp(long long port)
{
	struct sockaddr_in in;
	int fd, one = 1;

	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	in.sin_port = htons((unsigned short)port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);   /* only httpd talks to it */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&in, sizeof in) < 0 || listen(fd, 128) < 0)
		return -1;
	return fd;
}

/* The handoff socket: its directory keeps everyone but httpd (same user) out. */
static int listen_handoff(const char *path)
{
	struct sockaddr_un un;
	int fd, big = HANDOFF_MAX * 16;

	if (strlen(path) >= sizeof un.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&un, 0, sizeof un);
	un.sun_family = AF_UNIX;
	strcpy(un.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&un, sizeof un) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
	return fd;
}

/* One handed-over connection: its socket, peer and bytes, or -1. */
static int receive(int fd, struct relay_client *cl)
{
	static char msg[HANDOFF_MAX];
	union { struct cmsghdr align; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
	struct iovec iov = { msg, sizeof msg };
	struct msghdr m;
	struct cmsghdr *cm;
	struct sockaddr_storage sa;
	socklen_t salen = sizeof sa;
	char addr[CLIENT_KEY_MAX + 1];
	ssize_t n;
	long off;

	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl.buf;
	m.msg_controllen = sizeof ctl.buf;
	n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -1;
	cl->fd = -1;
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&cl->fd, CMSG_DATA(cm), sizeof(int));
	off = (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ? -1 :
	      handoff_parse(msg, (size_t)n, addr, sizeof addr, &cl->spent_ms);
	if (cl->fd < 0 || off < 0) {
		fprintf(stderr, "sh_login-cgi: relay: dropped a malformed handoff from httpd\n");
		if (cl->fd >= 0)
			close(cl->fd);
		return -1;
	}
	cl->pre = msg + off;
	cl->npre = (size_t)(n - off);
	/* The kernel's word on a TCP client; httpd's for anything else. */
	snprintf(cl->peer, sizeof cl->peer, "%s", addr);
	if (getpeername(cl->fd, (struct sockaddr *)&sa, &salen) == 0) {
		if (sa.ss_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, cl->peer, sizeof cl->peer);
		else if (sa.ss_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, cl->peer, sizeof cl->peer);
	}
	return cl->fd;
}

static void reap(struct admit_slot *slot, size_t n, long *active)
{
	pid_t pid;
	size_t i;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
		(*active)--;
		for (i = 0; i < n; i++)
			if (slot[i].pid == pid)
				memset(&slot[i], 0, sizeof slot[i]);
	}
}

int relay_main(int argc, char **argv)
{
	struct sigaction sa;
	struct admit_limits lim;
	struct admit_slot *slot;
	long max = config_number("SH_LOGIN_RELAY_MAX"), active = 0, evict;   /* 0: no cap, no shares */
	long head_ms = config_number("SH_LOGIN_RELAY_HEAD_TIMEOUT") * 1000;
	long idle_ms = config_number("SH_LOGIN_RELAY_IDLE") * 1000;
	long grace_s = config_number("SH_LOGIN_GRACE"), grace;
	size_t nslots = max ? (size_t)max * 2 : RELAY_SLOTS_UNCAPPED, free;
	long long port = 0;
	int fd, handoff = argc == 4 && strcmp(argv[2], "--handoff") == 0;
	static unsigned char authed_unseen;   /* no slot left to record it: nobody reads it */

	if (!handoff && (argc != 3 || decimal_parse(argv[2], strlen(argv[2]), 65535, &port) < 0 || port == 0)) {
		fputs("usage: sh_login-cgi relay PORT | relay --handoff SOCKET\n", stderr);
		return 100;
	}
	/* Our own process group: the kill(0) at the end of the grace period
	 * must reach the connection processes, never whoever started us. */
	setpgid(0, 0);
	fd = handoff ? listen_handoff(argv[3]) : listen_tcp(port);
	if (fd < 0) {
		fprintf(stderr, "sh_login-cgi: fatal: unable to listen on %s%s: %s\n",
		        handoff ? "" : "127.0.0.1:", argv[argc - 1], strerror(errno));
		return 111;
	}
	/* the slot table, shared with the connection processes (authed flags) */
	slot = mmap(NULL, nslots * sizeof *slot, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slot == MAP_FAILED) {
		fprintf(stderr, "sh_login-cgi: fatal: unable to map the relay's slot table: %s\n", strerror(errno));
		return 111;
	}
	admit_limits_for(max, &lim);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!stopping) {
		struct pollfd p = { fd, POLLIN, 0 };
		struct relay_client cl;
		pid_t pid;

		if (poll(&p, 1, 500) <= 0) {
			reap(slot, nslots, &active);
			continue;
		}
		memset(&cl, 0, sizeof cl);
		if (handoff) {
			if (receive(fd, &cl) < 0)
				continue;
		} else {
			cl.fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
			strcpy(cl.peer, "-");
		}
		/* count the connections that ended meanwhile before the cap
		 * check: a slot freed a moment ago is free */
		reap(slot, nslots, &active);
		if (cl.fd < 0)
			continue;
		{
			char key[CLIENT_KEY_MAX + 1] = "";
			if (strcmp(cl.peer, "-") != 0 && client_key(cl.peer, key) < 0)
				strcpy(key, "?");
			if (!max) {              /* no cap: a slot only for the authed flag */
				evict = -1;
				for (free = 0; free < nslots && slot[free].pid; free++)
					;
			} else if (!admit(slot, nslots, key, &lim, &free, &evict)) {
				busy(cl.fd);
				continue;
			}
			if (evict >= 0) {
				kill(slot[evict].pid, SIGKILL);
				slot[evict].ending = 1;
			}
			if (free < nslots) {
				memset(&slot[free], 0, sizeof slot[free]);
				snprintf(slot[free].key, sizeof slot[free].key, "%s", key);
				slot[free].since_ms = mono_ms();
			}
		}
		pid = fork();
		if (pid < 0) {
			busy(cl.fd);
			continue;
		}
		if (pid == 0) {
			close(fd);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			cl.authed = free < nslots ? &slot[free].authed : &authed_unseen;
			relay_serve(&cl, head_ms, idle_ms);
			_exit(0);
		}
		if (free < nslots)
			slot[free].pid = pid;
		active++;
		close(cl.fd);
	}
	/* stop accepting; let requests in flight finish, then end the rest */
	close(fd);
	for (grace = 0; grace < grace_s * 10 && active > 0; grace++) {
		struct timespec t = { 0, 100 * 1000 * 1000 };
		reap(slot, nslots, &active);
		nanosleep(&t, NULL);
	}
	if (active > 0) {
		signal(SIGTERM, SIG_IGN);
		kill(0, SIGTERM);
		while (waitpid(-1, NULL, 0) > 0)
			;
	}
	return 0;
}
