/* relay.c - `sh_login-cgi relay PORT`: the full-duplex path behind the
 * project's own busybox build.
 *
 * busybox httpd's P: rule (FEATURE_HTTPD_PROXY) hands every connection whose
 * first request is under /cgi-bin/app/ to this relay: it rewrites only that
 * first request line, then copies raw bytes both ways. Later requests on a
 * kept-alive connection therefore arrive unrewritten and uninspected, so the
 * relay parses and authenticates EVERY request on a connection and forwards
 * no byte of one that has no live session.
 *
 * What it carries that the CGI path cannot: request bodies of any method and
 * size (Content-Length or chunked, streamed), WebSocket upgrades (Origin
 * checked against Host, as code-server does), keep-alive towards the client
 * and a persistent connection to the app per client connection.
 * Answers of its own: 303/401 without a session, 307 (same URL, on a new
 * connection) for gateway pages asked on a relayed connection, 400 bad
 * request or framing, 403 cross-origin WebSocket, 405 unknown method, 408
 * client too slow, 431 head too large, 501 other upgrades or codings, 502
 * app refusing or answering garbage, 503 too many connections, 504 app silent.
 * Limits: RELAY_MAX_CONN connections (one process each), REQ_HEAD_MAX head,
 * RELAY_HEAD_TIMEOUT_S to send a whole head (a deadline, not a per-read
 * timeout: a slowloris dribbling a byte at a time is cut off as well),
 * RELAY_IDLE_S between requests, RELAY_WS_IDLE_S on a quiet WebSocket,
 * RELAY_GRACE_S for requests in flight at SIGTERM. SH_LOGIN_RELAY_MAX,
 * SH_LOGIN_RELAY_HEAD_TIMEOUT, SH_LOGIN_RELAY_IDLE and SH_LOGIN_GRACE
 * (seconds) override them. Fixed buffers: ~300 KiB a connection.
 * httpd's P: passes no client address, so the app gets no X-Forwarded-For. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "applets.h"
#include "accesslog.h"
#include "auth.h"
#include "upstream.h"
#include "limits.h"
#include "lib/chunked.h"
#include "lib/cookie.h"
#include "lib/header.h"
#include "lib/reqhead.h"
#include "lib/reqparse.h"
#include "lib/resphead.h"
#include "lib/url.h"

enum { UNTIL_CLOSE = 100 };   /* a response framed by the app closing */

struct conn {
	int client, up;
	struct cgi g;
	char in[REQ_HEAD_MAX + IO_CHUNK];     /* client bytes not yet passed on */
	size_t have;
	char resp[RESP_HEAD_MAX + IO_CHUNK];  /* app bytes not yet passed on */
	size_t rhave;
	char head[REQ_HEAD_MAX], out[RESP_HEAD_MAX * 2];
	char cookies[COOKIE_HEADER_MAX], stripped[COOKIE_HEADER_MAX];
	struct req_head rq;
	struct resp_head rs;
	long timeout_ms;
	long head_ms, idle_ms;   /* RELAY_HEAD_TIMEOUT_S, RELAY_IDLE_S or their overrides */
	int front_https;         /* SH_LOGIN_PROTO=https, read once by cgi_load */
};

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void set_blocking(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, on ? fl & ~O_NONBLOCK : fl | O_NONBLOCK);
}

/* Answers written by the shared code (cgi_fail, cgi_redirect: stdout is the
 * client socket) go out on a blocking socket with a send timeout; the
 * exchange itself runs non-blocking. */
static void answers_blocking(struct conn *c, int on)
{
	struct timeval tv = { 5, 0 };

	set_blocking(c->client, on);
	if (on)
		setsockopt(c->client, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* A refusal: cgi_fail answers and exits. */
static void refuse(struct conn *c, int code, const char *extra, const char *msg)
{
	answers_blocking(c, 1);
	cgi_fail(&c->g, code, extra, msg);
}

/* Copy span S into OUT (NUL-terminated); 0, or -1 if it does not fit. */
static int span(const char *s, size_t n, char *out, size_t outsz)
{
	if (n >= outsz)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static const char *field(const struct req_head *h, const char *name, char *out, size_t outsz)
{
	const struct resp_field *f = reqparse_field(h->field, h->nfields, name);

	if (!f || span(f->value, f->vlen, out, outsz) < 0)
		return NULL;
	return out;
}

/* Read until BUF holds a whole request head. 0 when the client closed (or
 * went quiet) between requests. The head must be whole within head_ms of
 * its first byte (of the connection, for the first request): one deadline,
 * so a byte now and then does not keep a connection slot forever. */
static long read_request_head(struct conn *c, int first)
{
	long deadline = first || c->have ? now_ms() + c->head_ms : 0;

	for (;;) {
		long hl = reqparse_head(c->in, c->have, &c->rq);
		long timeout = deadline ? deadline - now_ms() : c->idle_ms;
		ssize_t n;

		if (hl == REQPARSE_TOO_BIG || hl == REQPARSE_TOO_MANY)
			refuse(c, 431, NULL, "The request head is larger than 32 KiB.");
		if (hl < 0)
			refuse(c, 400, NULL, "The request is not valid HTTP/1.1.");
		if (hl > 0)
			return hl;
		if (timeout <= 0)
			refuse(c, 408, NULL, "The request head did not arrive in time.");
		n = io_read(c->client, c->in + c->have, sizeof c->in - c->have, (int)timeout);
		if (n <= 0 && c->have == 0)
			return 0;
		if (n < 0 && errno == ETIMEDOUT)
			refuse(c, 408, NULL, "The request head did not arrive in time.");
		if (n <= 0)
			return 0;
		if (!deadline)
			deadline = now_ms() + c->head_ms;
		c->have += (size_t)n;
	}
}

/* Move one message body from FROM to TO: first the FR-framed bytes already
 * in BUF, then from the socket. Bytes past the body stay in BUF (the next
 * pipelined message). 0 when the whole body moved; -1 when FROM ended or
 * broke the framing; -2 when TO stopped taking bytes. */
static int move_body(int from, int to, char *buf, size_t cap, size_t *have,
                     int fr, long long len, long timeout_ms, long long *moved)
{
	struct chunked ck;

	chunked_init(&ck);
	for (;;) {
		size_t take = *have;
		ssize_t n;

		if (fr == BODY_LENGTH && (long long)take > len)
			take = (size_t)len;
		if (fr == BODY_CHUNKED) {
			long k = chunked_scan(&ck, buf, *have);
			if (k < 0)
				return -1;
			take = (size_t)k;
		}
		if (take && io_write_all(to, buf, take, (int)timeout_ms) < 0)
			return -2;
		if (moved)
			*moved += (long long)take;
		memmove(buf, buf + take, *have - take);
		*have -= take;
		if (fr == BODY_LENGTH)
			len -= (long long)take;
		if ((fr == BODY_LENGTH && len == 0) || (fr == BODY_CHUNKED && chunked_done(&ck)) ||
		    fr == BODY_NONE)
			return 0;
		n = io_read(from, buf + *have, cap - *have, (int)timeout_ms);
		if (n == 0 && fr == UNTIL_CLOSE)
			return 0;
		if (n <= 0)
			return -1;
		*have += (size_t)n;
	}
}

/* WebSocket (or any upgraded protocol): copy both ways until one side
 * closes or both stay quiet for RELAY_WS_IDLE_S. */
static void tunnel(struct conn *c)
{
	char buf[IO_CHUNK];

	if ((c->have && io_write_all(c->up, c->in, c->have, 10000) < 0) ||
	    (c->rhave && io_write_all(c->client, c->resp, c->rhave, 10000) < 0))
		return;
	for (;;) {
		struct pollfd p[2] = { { c->client, POLLIN, 0 }, { c->up, POLLIN, 0 } };
		int i;
		if (poll(p, 2, RELAY_WS_IDLE_S * 1000) <= 0)
			return;
		for (i = 0; i < 2; i++) {
			ssize_t n;
			if (!p[i].revents)
				continue;
			n = read(p[i].fd, buf, sizeof buf);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0 || io_write_all(p[1 - i].fd, buf, (size_t)n, 10000) < 0)
				return;
		}
	}
}

/* A connection to the app: the kept one if the app has not closed it. */
static int upstream(struct conn *c, int *reused)
{
	char who[256], msg[512];

	*reused = 0;
	if (c->up >= 0) {
		struct pollfd p = { c->up, POLLIN, 0 };
		if (poll(&p, 1, 0) == 0) {
			*reused = 1;
			return c->up;
		}
		close(c->up);   /* closed by the app, or unsolicited bytes */
	}
	c->up = upstream_connect(&c->g.cfg, CONNECT_TIMEOUT_MS);
	if (c->up < 0) {
		upstream_describe(&c->g.cfg, who, sizeof who);
		snprintf(msg, sizeof msg, "%s is not answering (%s). Is it running?", who, strerror(errno));
		refuse(c, 502, NULL, msg);
	}
	return c->up;
}

/* Framing of the app's response (RFC 9112 section 6.3). */
static int response_framing(const struct resp_head *h, const char *method, long long *len)
{
	int fr;

	if (resphead_bodyless(h->status, method))
		return BODY_NONE;
	fr = reqparse_framing(h->field, h->nfields, len);
	if (fr == BODY_NONE && reqparse_field(h->field, h->nfields, "Content-Length"))
		return BODY_NONE;                  /* Content-Length: 0 */
	if (fr == BODY_NONE)
		return UNTIL_CLOSE;
	return fr;
}

/* Gateway pages asked on a relayed connection: send the browser to the
 * same URL on a new connection, whose first request httpd serves itself. */
static void not_the_app(struct conn *c, const char *target)
{
	char loc[PATH_MAX_ENCODED + 64];

	answers_blocking(c, 1);
	if (strcmp(target, APP_PREFIX) == 0 || strncmp(target, APP_PREFIX "?", sizeof APP_PREFIX) == 0) {
		snprintf(loc, sizeof loc, "%s/%s", APP_PREFIX, target + sizeof APP_PREFIX - 1);
		cgi_redirect(308, loc, NULL);
	} else {
		cgi_redirect(307, target, NULL);
	}
	exit(0);
}

/* The shared checks of auth.c, answering as refusals do. */
static void gate(struct conn *c, const char *target)
{
	answers_blocking(c, 1);
	auth_host_check(&c->g);
	auth_require(&c->g, target);
	answers_blocking(c, 0);
}

/* Origin of a WebSocket handshake must name the Host it was sent to. */
static int same_origin(const char *origin, const char *host)
{
	const char *auth = strstr(origin, "://");

	if (!auth || !host)
		return 0;
	auth += 3;
	return header_name_eq(auth, strlen(auth), host);
}

/* One request and its response. 1 to read the next one on this connection. */
/* One access log line for a relayed exchange (the CGIs write theirs at
 * exit; the relay answers many requests in one process). The client's
 * address is unknown here: httpd's P: does not pass it. */
static void log_exchange(const struct conn *c, const struct timespec *start, const char *method,
                         const char *target, int status, long long bytes)
{
	char path[PATH_MAX_ENCODED];
	const char *q = strchr(target, '?');
	size_t plen = q ? (size_t)(q - target) : strlen(target);
	struct logline l;
	struct timespec now;

	if (url_decode(target, plen, path, sizeof path, 0) < 0)
		strcpy(path, "/-");
	clock_gettime(CLOCK_REALTIME, &now);
	memset(&l, 0, sizeof l);
	l.when_s = start->tv_sec;
	l.when_ms = (int)(start->tv_nsec / 1000000);
	l.client = "-";
	l.method = method;
	l.request_uri = path;
	l.query = "";
	l.status = status;
	l.bytes = bytes;
	l.duration_us = (now.tv_sec - start->tv_sec) * 1000000LL + (now.tv_nsec - start->tv_nsec) / 1000;
	accesslog_write(&c->g.cfg, &l);
}

static int exchange(struct conn *c, long hl, int first)
{
	struct timespec start;
	long long sent;
	int m;
	char method[16], target[PATH_MAX_ENCODED], host[256], accept[1024], mode[32];
	char ctype[1024], upgrade[64], origin[512], expect[64], tproto[16];
	struct cgi_request *r = &c->g.req;
	struct req_head *h = &c->rq;
	struct fwd_request fr;
	struct rewrite_ctx rw;
	struct app_authorities authorities;
	long long blen = -1, rlen = -1;
	int framing, rframing, ws = 0, keep, reused, attempt;
	long n, ol;

	(void)first;
	clock_gettime(CLOCK_REALTIME, &start);
	if (span(h->method, h->method_len, method, sizeof method) < 0)
		refuse(c, 501, NULL, "Unknown method.");
	if (span(h->target, h->target_len, target, sizeof target) < 0)
		refuse(c, 414, NULL, "The path is too long.");
	r->method = method;
	r->accept = field(h, "Accept", accept, sizeof accept) ? accept : "";
	r->sec_fetch_mode = field(h, "Sec-Fetch-Mode", mode, sizeof mode) ? mode : "";
	r->host = field(h, "Host", host, sizeof host);
	/* SH_LOGIN_PROTO=https (sh_login's TLS front) holds for every request */
	r->https = c->front_https ||
	           (field(h, "X-Forwarded-Proto", tproto, sizeof tproto) && !strcmp(tproto, "https"));

	if (strncmp(target, APP_PREFIX "/", sizeof APP_PREFIX) != 0)
		not_the_app(c, target);

	/* every request on the connection is authenticated, not just the first */
	if (reqparse_join_cookies(h->field, h->nfields, c->cookies, sizeof c->cookies) < 0)
		refuse(c, 431, NULL, "The Cookie header is too large.");
	r->cookie = c->cookies[0] ? c->cookies : NULL;
	gate(c, target);

	if (!reqhead_method_ok(method))
		refuse(c, 405, "Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n",
		       "The gateway forwards GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS.");
	framing = reqparse_framing(h->field, h->nfields, &blen);
	if (framing == BODY_BAD)
		refuse(c, 400, NULL, "Conflicting or invalid Content-Length / Transfer-Encoding.");
	if (framing == BODY_UNSUPPORTED)
		refuse(c, 501, NULL, "Only the chunked transfer coding is supported.");
	if (field(h, "Upgrade", upgrade, sizeof upgrade)) {
		if (!header_name_eq(upgrade, strlen(upgrade), "websocket") || strcmp(method, "GET") ||
		    !header_fields_list(h->field, h->nfields, "Connection", "upgrade"))
			refuse(c, 501, NULL, "Only WebSocket upgrades are carried.");
		if (field(h, "Origin", origin, sizeof origin) && !same_origin(origin, r->host))
			refuse(c, 403, NULL, "The WebSocket's Origin is not this gateway.");
		ws = 1;
	}
	keep = h->minor == 1 && !header_fields_list(h->field, h->nfields, "Connection", "close") && !ws;
	if (field(h, "Expect", expect, sizeof expect) && header_name_eq(expect, strlen(expect), "100-continue"))
		if (io_write_all(c->client, "HTTP/1.1 100 Continue\r\n\r\n", 25, 10000) < 0)
			return 0;

	if (cookie_strip(c->cookies, c->g.cfg.cookie_name, c->stripped, sizeof c->stripped) < 0)
		refuse(c, 431, NULL, "The Cookie header is too large.");
	memset(&fr, 0, sizeof fr);
	fr.method = method;
	fr.target = c->g.cfg.keep_prefix ? target : target + sizeof APP_PREFIX - 1;
	fr.host = r->host;
	fr.cookie = c->stripped;
	fr.content_type = field(h, "Content-Type", ctype, sizeof ctype);
	fr.content_length = framing == BODY_LENGTH ? blen :
	                    (!strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH")) &&
	                    framing == BODY_NONE ? 0 : -1;
	fr.chunked = framing == BODY_CHUNKED;
	fr.proto = r->https ? "https" : "http";
	fr.prefix = c->g.cfg.keep_prefix ? NULL : APP_PREFIX;
	fr.fields = h->field;
	fr.nfields = h->nfields;
	fr.keep_alive = 1;
	fr.upgrade = ws ? "websocket" : NULL;
	n = reqhead_build(&fr, c->head, sizeof c->head);
	if (n == REQHEAD_BAD_VALUE)
		refuse(c, 400, NULL, "A request header holds bytes that cannot be forwarded.");
	if (n < 0)
		refuse(c, 431, NULL, "The request headers are too large.");
	memmove(c->in, c->in + hl, c->have - (size_t)hl);   /* the head is consumed */
	c->have -= (size_t)hl;

	/* A kept connection the app closed meanwhile fails at once: retry a
	 * request without a body on a fresh one, once. */
	for (attempt = 0;; attempt++) {
		upstream(c, &reused);
		if (io_write_all(c->up, c->head, (size_t)n, (int)c->timeout_ms) == 0)
			break;
		close(c->up);
		c->up = -1;
		if (!reused || attempt)
			refuse(c, 502, NULL, "The app stopped reading the request.");
	}
	if (framing != BODY_NONE) {
		int m = move_body(c->client, c->up, c->in, sizeof c->in, &c->have, framing, blen, c->timeout_ms, NULL);
		if (m < 0) {
			/* the app keeps what it got: a request short of its framing */
			close(c->up);
			c->up = -1;
			if (m == -1)
				return 0;      /* the client left or broke the framing */
			refuse(c, 502, NULL, "The app stopped reading the request body.");
		}
	}

	c->rhave = 0;
	answers_blocking(c, 1);   /* 502/504 from the shared reader */
	ol = upstream_read_head(&c->g, c->up, c->resp, &c->rhave, &c->rs, ws);
	answers_blocking(c, 0);
	rframing = response_framing(&c->rs, method, &rlen);
	if (rframing == BODY_BAD || rframing == BODY_UNSUPPORTED)
		refuse(c, 502, NULL, "The app's response has invalid framing.");
	upstream_rewrite_ctx(&c->g.cfg, r->host, &authorities, &rw);
	rw.http = 1;
	rw.keep_alive = keep && rframing != UNTIL_CLOSE;
	n = resphead_emit(&c->rs, &rw, c->out, sizeof c->out);
	if (n < 0)
		refuse(c, 502, NULL, "The app sent headers too large to relay.");
	memmove(c->resp, c->resp + ol, c->rhave - (size_t)ol);
	c->rhave -= (size_t)ol;
	/* A body that came with the head leaves with it, in one write: httpd
	 * relays each read on its own, and a second small write would wait for
	 * the client's delayed ACK (Nagle on httpd's socket). */
	if (rframing == BODY_LENGTH && c->rhave && (long long)c->rhave <= rlen &&
	    (size_t)n + c->rhave <= sizeof c->out) {
		memcpy(c->out + n, c->resp, c->rhave);
		n += (long)c->rhave;
		rlen -= (long long)c->rhave;
		c->rhave = 0;
	}
	if (io_write_all(c->client, c->out, (size_t)n, (int)c->timeout_ms) < 0)
		return 0;
	if (ws && c->rs.status == 101) {
		log_exchange(c, &start, method, target, 101, n);
		tunnel(c);
		return 0;
	}
	sent = n;
	m = move_body(c->up, c->client, c->resp, sizeof c->resp, &c->rhave, rframing, rlen,
	              c->timeout_ms, &sent);
	log_exchange(c, &start, method, target, c->rs.status, sent);
	if (m < 0)
		return 0;      /* a broken transfer stays broken: close, never pad */
	if (rframing == UNTIL_CLOSE || c->rhave ||
	    reqparse_field(c->rs.field, c->rs.nfields, "Connection")) {
		close(c->up);  /* the app closes, or sent more than it framed */
		c->up = -1;
		c->rhave = 0;
	}
	return rw.keep_alive;
}

static void serve(int client, long head_ms, long idle_ms)
{
	static struct conn c;
	int first = 1;

	cgi_load(&c.g, "relay");
	c.front_https = c.g.req.https;
	cgi_http_mode();
	c.client = client;
	c.up = -1;
	/* A response head and its body leave in separate writes: with Nagle the
	 * body waited for httpd's delayed ACK, 40 ms on every request. */
	setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	c.timeout_ms = c.g.cfg.timeout_s * 1000;
	c.head_ms = head_ms;
	c.idle_ms = idle_ms;
	dup2(client, STDOUT_FILENO);   /* cgi_fail and cgi_redirect answer the client */
	set_blocking(client, 0);
	for (;;) {
		long hl = read_request_head(&c, first);
		if (hl <= 0 || !exchange(&c, hl, first))
			break;
		first = 0;
	}
	if (c.up >= 0)
		close(c.up);
	shutdown(client, SHUT_WR);
	close(client);
}

static volatile sig_atomic_t stopping;
static void on_term(int sig) { (void)sig; stopping = 1; }

static void busy(int fd)
{
	static const char msg[] =
		"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n"
		"Content-Type: text/plain\r\nContent-Length: 42\r\n\r\n"
		"503: the gateway is at its connection cap\n";
	if (write(fd, msg, sizeof msg - 1) < 0) {}
	close(fd);
}

/* A positive whole number from the environment, or DFLT. */
static long env_positive(const char *name, long dflt)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	errno = 0;
	n = strtol(v, &end, 10);
	return *end || errno || n <= 0 || n > 1000000 ? dflt : n;
}

int relay_main(int argc, char **argv)
{
	struct sockaddr_in in;
	struct sigaction sa;
	long max = env_positive("SH_LOGIN_RELAY_MAX", RELAY_MAX_CONN), active = 0;
	long head_ms = env_positive("SH_LOGIN_RELAY_HEAD_TIMEOUT", RELAY_HEAD_TIMEOUT_S) * 1000;
	long idle_ms = env_positive("SH_LOGIN_RELAY_IDLE", RELAY_IDLE_S) * 1000;
	long grace_s = env_positive("SH_LOGIN_GRACE", RELAY_GRACE_S), grace;
	int fd, one = 1;

	if (argc != 3 || atoi(argv[2]) <= 0 || atoi(argv[2]) > 65535) {
		fputs("usage: sh_login-cgi relay PORT\n", stderr);
		return 100;
	}
	/* Our own process group: the kill(0) at the end of the grace period
	 * must reach the connection processes, never whoever started us. */
	setpgid(0, 0);
	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	in.sin_port = htons((unsigned short)atoi(argv[2]));
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);   /* only httpd talks to it */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&in, sizeof in) < 0 || listen(fd, 128) < 0) {
		fprintf(stderr, "sh_login-cgi: fatal: unable to listen on 127.0.0.1:%s: %s\n",
		        argv[2], strerror(errno));
		return 111;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	while (!stopping) {
		struct pollfd p = { fd, POLLIN, 0 };
		int cl;
		if (poll(&p, 1, 500) <= 0) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				active--;
			continue;
		}
		cl = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		/* count the connections that ended meanwhile before the cap check:
		 * a slot freed a moment ago is free */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			active--;
		if (cl < 0)
			continue;
		if (active >= max) {
			busy(cl);
			continue;
		}
		switch (fork()) {
		case -1:
			busy(cl);
			break;
		case 0:
			close(fd);
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			serve(cl, head_ms, idle_ms);
			_exit(0);
		default:
			active++;
			close(cl);
		}
	}
	/* stop accepting; let requests in flight finish, then end the rest */
	close(fd);
	for (grace = 0; grace < grace_s * 10 && active > 0; grace++) {
		struct timespec t = { 0, 100 * 1000 * 1000 };
		while (waitpid(-1, NULL, WNOHANG) > 0)
			active--;
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
