/* tls.c - the TLS front: HTTPS on the front port, busybox httpd behind it.
 *
 *   sh_login-cgi tls --version                     the TLS library (exit 0)
 *   sh_login-cgi tls cert CERT KEY NAME...         create a self-signed ECDSA
 *                                                  P-256 pair (0600) for NAMES
 *   sh_login-cgi tls fingerprint CERT              its SHA-256, as browsers show it
 *   sh_login-cgi tls serve ADDR PORT CERT KEY -- CMD ARGS...
 *
 * serve listens on ADDR:PORT and forks one process per connection, which
 * does the handshake and then runs CMD (busybox httpd -i ...) on the other
 * end of a socketpair, copying bytes between the two. CMD learns the
 * client's address from SH_LOGIN_PEER (its own peer is the socketpair,
 * which has none): the project's busybox makes it REMOTE_ADDR and the
 * address it hands to the relay (httpd-peer-behind-tls-front.patch), and
 * cgi.c uses it when REMOTE_ADDR is not an IP address (a stock busybox).
 * Either takes it only when httpd's peer is no IP socket, so it cannot be
 * set by a client through the plain port.
 *
 * Protocol: TLS 1.2 only (BearSSL has no 1.3), ECDHE with AES-GCM or
 * ChaCha20-Poly1305, no renegotiation (BR_OPT_NO_RENEGOTIATION), no
 * compression and no session tickets (BearSSL has neither), no session
 * cache (each process handles one connection). Plain HTTP on the port gets
 * a redirect to https or a 400 (lib/plainhttp.c).
 *
 * Strangers: at most TLS_CONN_PER_CLIENT connections per client address and
 * TLS_CONN_MAX in all; more are closed at once. A connection must finish its
 * handshake and send its first request bytes within TLS_HANDSHAKE_S, so
 * half-open handshakes hold a slot for that long at most; httpd and the
 * relay time what follows.
 *
 * Exit codes: 0 ok, 1 refused (bad file), 100 usage, 111 system error. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bearssl.h>
#include "applets.h"
#include "limits.h"
#include "tlscert.h"
#include "upstream.h"
#include "lib/plainhttp.h"

#define TLS_LIBRARY "BearSSL 0.6 (TLS 1.2)"

/* Server preference does not matter: the client knows whether it has AES
 * instructions, so its order is kept. */
static const uint16_t suites[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
};

static int usage(void)
{
	fputs("usage: sh_login-cgi tls --version | cert CERT KEY NAME... | fingerprint CERT\n"
	      "       | serve ADDR PORT CERT KEY -- CMD [ARG...]\n", stderr);
	return 100;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Only what the suites above need, so a static link carries no CBC, RC4,
 * 3DES, MD5 or SHA-1 code. */
static void engine_setup(br_ssl_server_context *sc, struct tls_creds *c)
{
	br_ssl_engine_context *eng = &sc->eng;

	br_ssl_server_zero(sc);
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(eng, suites, sizeof suites / sizeof suites[0]);
	br_ssl_engine_set_default_ec(eng);
	br_ssl_engine_set_hash(eng, br_sha256_ID, &br_sha256_vtable);
	br_ssl_engine_set_hash(eng, br_sha384_ID, &br_sha384_vtable);
	br_ssl_engine_set_hash(eng, br_sha512_ID, &br_sha512_vtable);
	br_ssl_engine_set_prf_sha256(eng, &br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(eng, &br_tls12_sha384_prf);
	br_ssl_engine_set_default_aes_gcm(eng);
	br_ssl_engine_set_default_chapol(eng);
	br_ssl_engine_add_flags(eng, BR_OPT_NO_RENEGOTIATION);
	if (c->key_type == BR_KEYTYPE_EC)
		br_ssl_server_set_single_ec(sc, c->chain, c->chain_len, br_skey_decoder_get_ec(&c->key),
		                            BR_KEYTYPE_SIGN, BR_KEYTYPE_EC, br_ec_get_default(),
		                            br_ecdsa_sign_asn1_get_default());
	else
		br_ssl_server_set_single_rsa(sc, c->chain, c->chain_len, br_skey_decoder_get_rsa(&c->key),
		                             BR_KEYTYPE_SIGN, br_rsa_private_get_default(),
		                             br_rsa_pkcs1_sign_get_default());
}

/* --- one connection (a child process) ------------------------------------ */

/* Plain HTTP on the TLS port: read the head briefly, answer, close. */
static void plain_answer(int s)
{
	static char in[PLAINHTTP_HEAD_MAX], out[PLAINHTTP_ANSWER_MAX];
	long long end = now_ms() + TLS_PLAIN_WAIT_MS;
	size_t have = 0;
	long n;

	while (have < sizeof in && !plainhttp_complete(in, have)) {
		struct pollfd p = { s, POLLIN, 0 };
		long long left = end - now_ms();
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		n = read(s, in + have, sizeof in - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	n = plainhttp_answer(in, have, out, sizeof out);
	if (n > 0)
		io_write_all(s, out, (size_t)n, TLS_PLAIN_WAIT_MS);
	shutdown(s, SHUT_WR);
}

/* Run CMD on one end of a socketpair; the other end, or -1. */
static int spawn(char **cmd, const char *peer, pid_t *pid)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	*pid = fork();
	if (*pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (*pid == 0) {
		if (dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0)
			_exit(111);
		setenv("SH_LOGIN_PEER", peer, 1);
		signal(SIGPIPE, SIG_DFL);
		execvp(cmd[0], cmd);
		fprintf(stderr, "sh_login-cgi: tls: unable to run %s: %s\n", cmd[0], strerror(errno));
		_exit(111);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	return sv[0];
}

/* Copy between the TLS engine on S and CMD. Before CMD runs (it starts
 * with the first request bytes) everything must happen by the handshake
 * deadline; after CMD is done, the rest of its answer by TLS_DRAIN_S. */
static void pump(br_ssl_engine_context *eng, int s, char **cmd, const char *peer, long long deadline)
{
	int plain = -1, net_eof = 0, plain_eof = 0, plain_dead = 0;
	pid_t pid = -1;

	for (;;) {
		unsigned st = br_ssl_engine_current_state(eng);
		struct pollfd p[2];
		int np = 0, ni = -1, pi = -1, timeout = -1;
		size_t len;
		unsigned char *buf;
		ssize_t n;

		if (st == BR_SSL_CLOSED)
			break;
		if (plain < 0 && (st & BR_SSL_RECVAPP)) {
			if ((plain = spawn(cmd, peer, &pid)) < 0) {
				fprintf(stderr, "sh_login-cgi: tls: unable to start %s: %s\n", cmd[0], strerror(errno));
				break;
			}
			deadline = -1;              /* httpd times the request from here on */
		}
		if (plain_eof && !(st & BR_SSL_SENDREC))
			break;                      /* all of httpd's answer and close_notify sent */
		p[np].fd = s;
		p[np].events = (short)(((st & BR_SSL_SENDREC) ? POLLOUT : 0) |
		                       ((st & BR_SSL_RECVREC) && !net_eof ? POLLIN : 0));
		p[np].revents = 0;
		if (p[np].events)
			ni = np++;
		if (plain >= 0) {
			p[np].fd = plain;
			p[np].events = (short)(((st & BR_SSL_RECVAPP) ? POLLOUT : 0) |
			                       ((st & BR_SSL_SENDAPP) && !plain_eof ? POLLIN : 0));
			p[np].revents = 0;
			if (p[np].events)
				pi = np++;
		}
		if (np == 0)
			break;                      /* nothing can move any more */
		if (deadline >= 0) {
			long long left = deadline - now_ms();
			if (left <= 0)
				break;
			timeout = (int)left;
		}
		n = poll(p, (nfds_t)np, timeout);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;                      /* a deadline passed */

		if (ni >= 0 && (p[ni].revents & (POLLOUT | POLLERR | POLLHUP)) && (st & BR_SSL_SENDREC)) {
			buf = br_ssl_engine_sendrec_buf(eng, &len);
			n = write(s, buf, len);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				break;                  /* the client is gone */
			if (n > 0)
				br_ssl_engine_sendrec_ack(eng, (size_t)n);
			continue;                   /* the engine's state changed */
		}
		if (ni >= 0 && (p[ni].revents & (POLLIN | POLLERR | POLLHUP)) && (st & BR_SSL_RECVREC)) {
			buf = br_ssl_engine_recvrec_buf(eng, &len);
			n = read(s, buf, len);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				break;
			if (n == 0) {
				/* The client closed without close_notify: let httpd see
				 * the end of its request and still send what it has. */
				net_eof = 1;
				if (plain < 0)
					break;
				shutdown(plain, SHUT_WR);
			}
			if (n > 0)
				br_ssl_engine_recvrec_ack(eng, (size_t)n);
			continue;
		}
		if (pi >= 0 && (p[pi].revents & (POLLOUT | POLLERR | POLLHUP)) && (st & BR_SSL_RECVAPP)) {
			buf = br_ssl_engine_recvapp_buf(eng, &len);
			n = plain_dead ? (ssize_t)len : write(plain, buf, len);
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				plain_dead = 1;         /* httpd stopped reading: drop the rest */
				n = (ssize_t)len;
			}
			if (n > 0)
				br_ssl_engine_recvapp_ack(eng, (size_t)n);
			continue;
		}
		if (pi >= 0 && (p[pi].revents & (POLLIN | POLLERR | POLLHUP)) && (st & BR_SSL_SENDAPP)) {
			buf = br_ssl_engine_sendapp_buf(eng, &len);
			n = read(plain, buf, len);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0) {
				plain_eof = 1;          /* httpd is done: close_notify, then leave */
				br_ssl_engine_close(eng);
				deadline = now_ms() + TLS_DRAIN_S * 1000LL;
				continue;
			}
			br_ssl_engine_sendapp_ack(eng, (size_t)n);
			br_ssl_engine_flush(eng, 0);
			continue;
		}
		if (pi >= 0 && (p[pi].revents & POLLHUP) && !(p[pi].events & POLLIN))
			break;                      /* httpd gone while we wait to give it data */
	}
	if (plain >= 0)
		close(plain);
	(void)pid;                          /* httpd ends on its own; init reaps it */
}

static void serve_conn(int s, br_ssl_server_context *sc, unsigned char *iobuf, size_t iolen,
                       char **cmd, const char *peer)
{
	long long deadline = now_ms() + TLS_HANDSHAKE_S * 1000LL;   /* one for the whole handshake */
	unsigned char first;
	struct pollfd p = { s, POLLIN, 0 };
	int one = 1;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	/* TLS starts with a handshake record (22); a request line with a
	 * letter. Anything else goes to BearSSL, which refuses it. */
	if (poll(&p, 1, TLS_HANDSHAKE_S * 1000) <= 0 || recv(s, &first, 1, MSG_PEEK) != 1)
		return;
	if (plainhttp_looks_like(first)) {
		plain_answer(s);
		return;
	}
	fcntl(s, F_SETFL, O_NONBLOCK);
	br_ssl_engine_set_buffer(&sc->eng, iobuf, iolen, 1);
	if (!br_ssl_server_reset(sc))
		return;
	pump(&sc->eng, s, cmd, peer, deadline);
}

/* --- the listener ----------------------------------------------------------- */

struct kid {
	pid_t pid;
	struct in_addr addr;
};

static volatile sig_atomic_t stop_now;
static void on_term(int sig) { (void)sig; stop_now = 1; }
static void on_chld(int sig) { (void)sig; }

static void reap(struct kid *kids, int *nkids)
{
	pid_t pid;
	int i;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
		for (i = 0; i < *nkids; i++)
			if (kids[i].pid == pid) {
				kids[i] = kids[--*nkids];
				break;
			}
}

static int from_same(const struct kid *kids, int nkids, struct in_addr a)
{
	int i, n = 0;

	for (i = 0; i < nkids; i++)
		n += kids[i].addr.s_addr == a.s_addr;
	return n;
}

static int serve(int argc, char **argv)
{
	static br_ssl_server_context sc;
	static unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
	static struct kid kids[TLS_CONN_MAX];
	static struct tls_creds creds;
	struct sockaddr_in in;
	struct sigaction sa;
	char err[512];
	char **cmd;
	int ls, one = 1, nkids = 0;
	long port;
	char *end;

	if (argc < 9 || strcmp(argv[7], "--") != 0)
		return usage();
	cmd = argv + 8;
	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	port = strtol(argv[4], &end, 10);
	if (inet_pton(AF_INET, argv[3], &in.sin_addr) != 1 || *end || port < 1 || port > 65535)
		return usage();
	in.sin_port = htons((unsigned short)port);
	if (tlscert_load(&creds, argv[5], argv[6], err, sizeof err) < 0) {
		fprintf(stderr, "sh_login-cgi: tls: fatal: %s\n", err);
		return 1;
	}
	engine_setup(&sc, &creds);

	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0)
		return tool_fatal("create a socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(ls, (struct sockaddr *)&in, sizeof in) < 0 || listen(ls, 128) < 0)
		return tool_fatal("listen on the front port");

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_chld;            /* no SA_RESTART: wakes poll to reap */
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!stop_now) {
		struct pollfd p = { ls, POLLIN, 0 };
		struct sockaddr_in peer;
		socklen_t plen = sizeof peer;
		char ip[INET_ADDRSTRLEN];
		pid_t pid;
		int s;

		reap(kids, &nkids);
		if (poll(&p, 1, 1000) <= 0)
			continue;
		s = accept4(ls, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
		if (s < 0)
			continue;
		reap(kids, &nkids);
		if (nkids >= TLS_CONN_MAX || peer.sin_family != AF_INET ||
		    from_same(kids, nkids, peer.sin_addr) >= TLS_CONN_PER_CLIENT) {
			close(s);                   /* over a limit: no process for it */
			continue;
		}
		inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
		pid = fork();
		if (pid == 0) {
			close(ls);
			serve_conn(s, &sc, iobuf, sizeof iobuf, cmd, ip);
			_exit(0);
		}
		close(s);
		if (pid > 0) {
			kids[nkids].pid = pid;
			kids[nkids].addr = peer.sin_addr;
			nkids++;
		}
	}
	/* Connections in flight finish on their own; sh_login waits for them. */
	return 0;
}

int tls_main(int argc, char **argv)
{
	char err[512], fp[96];

	if (argc == 3 && !strcmp(argv[2], "--version")) {
		printf("%s\n", TLS_LIBRARY);
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[2], "cert")) {
		if (tlscert_create(argv[3], argv[4], argv + 5, argc - 5, err, sizeof err) < 0) {
			fprintf(stderr, "sh_login-cgi: tls: fatal: %s\n", err);
			return 111;
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[2], "fingerprint")) {
		if (tlscert_fingerprint(argv[3], fp, err, sizeof err) < 0) {
			fprintf(stderr, "sh_login-cgi: tls: fatal: %s\n", err);
			return 1;
		}
		printf("%s\n", fp);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[2], "serve"))
		return serve(argc, argv);
	return usage();
}
