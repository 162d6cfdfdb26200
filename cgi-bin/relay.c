/* relay.c - `sh_login-cgi relay PORT`: the full-duplex path behind the
 * project's own busybox build.
 *
 * busybox httpd's P: rule (FEATURE_HTTPD_PROXY) hands every connection whose
 * first request is under /cgi-bin/app/ to this relay: the project's busybox
 * passes the client's socket itself (relay_accept.c); a stock one rewrites
 * only the first request line, then copies raw bytes both ways. Either way
 * httpd inspects nothing after the first line, so the relay parses and
 * authenticates EVERY request on a connection and forwards no byte of one
 * that has no live session.
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
 * X-Forwarded-For and the access log get the client's address from the
 * handed-over socket ("-" behind a TCP P:, which passes none). */
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
#include "relay.h"
#include "store.h"
#include "config.h"
#include "upstream.h"
#include "limits.h"
#include "lib/chunked.h"
#include "lib/cookie.h"
#include "lib/decimal.h"
#include "lib/header.h"
#include "lib/reqhead.h"
#include "lib/reqparse.h"
#include "lib/resphead.h"
#include "lib/url.h"

/* One client connection. Everything that lives from one request to the
 * next, and everything an answer or the access log line may point at, is
 * here: never in a function's frame, which a pointer in g would outlive. */
struct conn {
	int client, up;             /* up: the kept app connection, or -1 */
	const struct relay_client *cl;   /* from the accept loop: its shared authed flag */
	char peer[INET6_ADDRSTRLEN + 8]; /* client address as text, "-" when unknown;
	                               set by whoever accepted the connection */
	int authed;                 /* a request on it passed the session gate */
	struct cgi g;               /* g.req points into x; g.tally at tally; g.hold at hold */
	struct cgi_tally tally;     /* the current exchange's access log line */
	struct session_hold hold;   /* the last session that passed, kept open */
	struct {                    /* the current request's fields, NUL-terminated */
		char method[16], target[PATH_MAX_ENCODED], path[PATH_MAX_ENCODED];
		char enc[PATH_MAX_ENCODED * 3], back[PATH_MAX_ENCODED * 3 + 16];
		char host[256], accept[1024], mode[32], ctype[1024], upgrade[64];
		char origin[512], expect[64];
	} x;
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
};

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A refusal: answered on the connection, which then closes (bytes of the
 * refused request may still be in flight, so nothing after it is read). */
static int refuse(struct conn *c, int code, const char *extra, const char *msg)
{
	cgi_answer(&c->g, code, extra, msg);
	return 0;
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

/* Read until c->in holds a whole request head: its length; 0 when the
 * client closed (or went quiet) between requests; or minus the status of a
 * refusal (400, 408, 431) not yet answered. The head must be whole within
 * head_ms of its first byte (of the connection, for the first request): one
 * deadline, so a byte now and then does not keep a connection slot. For the
 * first request that deadline counts the time httpd already spent on the
 * connection before the handoff: one deadline across both doors, not two. */
static long read_request_head(struct conn *c, int first)
{
	long deadline = first ? now_ms() + c->head_ms - c->cl->spent_ms :
	                c->have ? now_ms() + c->head_ms : 0;

	for (;;) {
		long hl = reqparse_head(c->in, c->have, &c->rq);
		long timeout = deadline ? deadline - now_ms() : c->idle_ms;
		ssize_t n;

		if (hl == REQPARSE_TOO_BIG || hl == REQPARSE_TOO_MANY)
			return -431;
		if (hl < 0)
			return -400;
		if (hl > 0)
			return hl;
		if (timeout <= 0)
			return -408;
		n = io_read(c->client, c->in + c->have, sizeof c->in - c->have, (int)timeout);
		if (n <= 0 && c->have == 0)
			return 0;
		if (n < 0 && errno == ETIMEDOUT)
			return -408;
		if (n <= 0)
			return 0;
		if (!deadline)
			deadline = now_ms() + c->head_ms;
		c->have += (size_t)n;
	}
}

static int refuse_head(struct conn *c, int code)
{
	if (code == 431)
		return refuse(c, 431, NULL, "The request head is larger than 32 KiB.");
	if (code == 408)
		return refuse(c, 408, NULL, "The request head did not arrive in time.");
	return refuse(c, 400, NULL, "The request is not valid HTTP/1.1.");
}

/* Move one message body from FROM to TO: first the FR-framed bytes already
 * in BUF, then from the socket. Bytes past the body stay in BUF (the next
 * pipelined message). 0 when the whole body moved; -1 when FROM ended or
 * broke the framing; -2 when TO stopped taking bytes. (splice(2) through a
 * pipe was tried instead of read and write: slower on loopback in two of
 * three same-run A/B benchmarks, so not kept.) */
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
		if (n == 0 && fr == BODY_UNTIL_CLOSE)
			return 0;
		if (n <= 0)
			return -1;
		*have += (size_t)n;
	}
}

/* WebSocket (or any upgraded protocol): copy both ways until one side
 * closes, both stay quiet for RELAY_WS_IDLE_S, or the session that opened
 * it ends: it is looked up again every RELAY_WS_RECHECK_S, so a logout or
 * an expiry closes an open terminal within that time. */
static void tunnel(struct conn *c)
{
	char buf[IO_CHUNK];
	long quiet_until = now_ms() + RELAY_WS_IDLE_S * 1000L;
	long recheck = now_ms() + RELAY_WS_RECHECK_S * 1000L;

	if ((c->have && io_write_all(c->up, c->in, c->have, 10000) < 0) ||
	    (c->rhave && io_write_all(c->client, c->resp, c->rhave, 10000) < 0))
		return;
	for (;;) {
		struct pollfd p[2] = { { c->client, POLLIN, 0 }, { c->up, POLLIN, 0 } };
		long now = now_ms(), wait = (recheck < quiet_until ? recheck : quiet_until) - now;
		int i, r;

		if (now >= recheck) {
			if (auth_session(&c->g) != AUTH_OK)
				return;             /* logged out or expired: close both ways */
			recheck = now + RELAY_WS_RECHECK_S * 1000L;
			continue;
		}
		if (now >= quiet_until)
			return;
		r = poll(p, 2, (int)(wait > 0 ? wait : 0));
		if (r < 0 && errno != EINTR)
			return;
		if (r <= 0)
			continue;
		quiet_until = now_ms() + RELAY_WS_IDLE_S * 1000L;
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

/* A connection to the app: the kept one if the app has not closed it.
 * 0, or UPSTREAM_UNREACHABLE with errno. */
static int upstream(struct conn *c, int *reused)
{
	*reused = 0;
	if (c->up >= 0) {
		struct pollfd p = { c->up, POLLIN, 0 };
		if (poll(&p, 1, 0) == 0) {
			*reused = 1;
			return 0;
		}
		close(c->up);   /* closed by the app, or unsolicited bytes */
	}
	c->up = upstream_connect(&c->g.cfg, CONNECT_TIMEOUT_MS);
	return c->up < 0 ? UPSTREAM_UNREACHABLE : 0;
}

static void upstream_drop(struct conn *c)
{
	if (c->up >= 0)
		close(c->up);
	c->up = -1;
	c->rhave = 0;
}

/* Gateway pages asked on a relayed connection (the Host check passed):
 * send the browser to the same URL on a new connection, whose first
 * request httpd serves itself; only to a target `next` would accept. */
static int not_the_app(struct conn *c)
{
	const char *target = c->x.target;
	char loc[PATH_MAX_ENCODED + 64];

	if (strcmp(target, APP_PREFIX) == 0 || strncmp(target, APP_PREFIX "?", sizeof APP_PREFIX) == 0) {
		snprintf(loc, sizeof loc, "%s/%s", APP_PREFIX, target + sizeof APP_PREFIX - 1);
		cgi_redirect(&c->g, 308, loc, NULL);
		return 0;
	}
	if (!url_next_ok(target))
		return refuse(c, 400, NULL, "That is not a path on this gateway.");
	cgi_redirect(&c->g, 307, target, NULL);
	return 0;
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

/* The path of c->x.target decoded into c->x.path (for the log line and
 * the checks); -1 for a bad %-escape or a NUL byte. */
static int decode_path(struct conn *c)
{
	const char *q = strchr(c->x.target, '?');
	size_t plen = q ? (size_t)(q - c->x.target) : strlen(c->x.target);

	return url_decode(c->x.target, plen, c->x.path, sizeof c->x.path, 0) < 0 ? -1 : 0;
}

/* The app's path as the CGI path gets it from busybox: decoded, "%2F"
 * refused (a '/' that is not one), dot-segments resolved and still under
 * the prefix; re-encoded into c->x.enc and, with the raw query, c->x.back.
 * 1, or 0 after a refusal. */
static int request_path(struct conn *c, int decoded)
{
	const char *q = strchr(c->x.target, '?'), *query = q ? q + 1 : "";
	size_t plen = q ? (size_t)(q - c->x.target) : strlen(c->x.target), i;

	if (decoded < 0)
		return refuse(c, 400, NULL, "The path holds a bad %-escape or a NUL byte.");
	for (i = 0; i + 2 < plen; i++)
		if (c->x.target[i] == '%' && c->x.target[i + 1] == '2' &&
		    (c->x.target[i + 2] == 'f' || c->x.target[i + 2] == 'F'))
			return refuse(c, 400, NULL, "The path holds an encoded '/' (%2F).");
	if (url_path_normalize(c->x.path) < 0 ||
	    strncmp(c->x.path, APP_PREFIX "/", sizeof APP_PREFIX) != 0)
		return refuse(c, 400, NULL, "The path climbs above the app's prefix.");
	if (url_encode_path(c->x.path, c->x.enc, sizeof c->x.enc) < 0)
		return refuse(c, 414, NULL, "The path is too long.");
	if (strchr(query, '#'))
		return refuse(c, 400, NULL, "The query string holds bytes that cannot be forwarded.");
	snprintf(c->x.back, sizeof c->x.back, "%s%s%s", c->x.enc, q ? "?" : "", query);
	return 1;
}

/* One request and its response: 1 to read the next one on this
 * connection, 0 to close it (after an answer of the gateway's own, a
 * broken transfer, or a client or app that closes). */
static int exchange(struct conn *c, long hl)
{
	struct cgi_request *r = &c->g.req;
	struct req_head *h = &c->rq;
	struct fwd_request fr;
	struct rewrite_ctx rw;
	struct app_authorities authorities;
	int decoded;
	size_t i;
	long long blen = -1, rlen = -1, sent;
	int framing, rframing, ws = 0, keep, reused, attempt, status, app_closes, m;
	long n, ol = 0;

	memset(r, 0, sizeof *r);
	r->method = r->accept = r->sec_fetch_mode = r->script_name = r->path_info = "";
	r->request_uri = r->query = "";
	r->remote_addr = c->peer;
	r->https = c->g.cfg.https;
	r->content_length = r->declared_length = -1;
	if (span(h->method, h->method_len, c->x.method, sizeof c->x.method) < 0)
		return refuse(c, 501, NULL, "Unknown method.");
	r->method = c->tally.method = c->x.method;
	if (span(h->target, h->target_len, c->x.target, sizeof c->x.target) < 0)
		return refuse(c, 414, NULL, "The path is too long.");
	r->accept = field(h, "Accept", c->x.accept, sizeof c->x.accept) ? c->x.accept : "";
	r->sec_fetch_mode = field(h, "Sec-Fetch-Mode", c->x.mode, sizeof c->x.mode) ? c->x.mode : "";
	r->host = field(h, "Host", c->x.host, sizeof c->x.host);
	decoded = decode_path(c);
	if (decoded == 0)
		c->tally.path = c->x.path;

	if (auth_host_check(&c->g))   /* before anything else is answered */
		return 0;
	if (strncmp(c->x.target, APP_PREFIX "/", sizeof APP_PREFIX) != 0)
		return not_the_app(c);
	if (!request_path(c, decoded))
		return 0;
	for (i = 0; i < h->nfields; i++)   /* the CGI path's limit (busybox cuts there) */
		if (h->field[i].nlen + 1 + h->field[i].vlen >= HEADER_LINE_MAX)
			return refuse(c, 431, NULL, "A request header line is 8 KiB or longer.");

	/* every request on the connection is authenticated, not just the first */
	if (reqparse_join_cookies(h->field, h->nfields, c->cookies, sizeof c->cookies) < 0)
		return refuse(c, 431, NULL, "The Cookie header is too large.");
	r->cookie = c->cookies[0] ? c->cookies : NULL;
	if (auth_require(&c->g, c->x.back))
		return 0;
	c->authed = 1;
	*c->cl->authed = 1;   /* the accept loop now counts it as the owner's, not a stranger's */

	if (!reqhead_method_ok(c->x.method))
		return refuse(c, 405, "Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n",
		              "The gateway forwards GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS.");
	framing = reqparse_framing(h->field, h->nfields, &blen);
	if (framing == BODY_BAD)
		return refuse(c, 400, NULL, "Conflicting or invalid Content-Length / Transfer-Encoding.");
	if (framing == BODY_UNSUPPORTED)
		return refuse(c, 501, NULL, "Only the chunked transfer coding is supported.");
	if (field(h, "Upgrade", c->x.upgrade, sizeof c->x.upgrade)) {
		if (!header_name_eq(c->x.upgrade, strlen(c->x.upgrade), "websocket") ||
		    strcmp(c->x.method, "GET") ||
		    !header_fields_list(h->field, h->nfields, "Connection", "upgrade"))
			return refuse(c, 501, NULL, "Only WebSocket upgrades are carried.");
		if (field(h, "Origin", c->x.origin, sizeof c->x.origin) && !same_origin(c->x.origin, r->host))
			return refuse(c, 403, NULL, "The WebSocket's Origin is not this gateway.");
		ws = 1;
	}
	keep = h->minor == 1 && !header_fields_list(h->field, h->nfields, "Connection", "close") && !ws;

	if (cookie_strip(c->cookies, c->g.cfg.cookie_name, c->stripped, sizeof c->stripped) < 0)
		return refuse(c, 431, NULL, "The Cookie header is too large.");
	memset(&fr, 0, sizeof fr);
	fr.method = c->x.method;
	fr.target = c->g.cfg.keep_prefix ? c->x.back : c->x.back + sizeof APP_PREFIX - 1;
	fr.host = r->host;
	fr.cookie = c->stripped;
	fr.content_type = field(h, "Content-Type", c->x.ctype, sizeof c->x.ctype);
	fr.content_length = framing == BODY_LENGTH ? blen :
	                    (!strcmp(c->x.method, "POST") || !strcmp(c->x.method, "PUT") ||
	                     !strcmp(c->x.method, "PATCH")) && framing == BODY_NONE ? 0 : -1;
	fr.chunked = framing == BODY_CHUNKED;
	fr.client_addr = strcmp(c->peer, "-") ? c->peer : NULL;
	fr.proto = r->https ? "https" : "http";
	fr.prefix = c->g.cfg.keep_prefix ? NULL : APP_PREFIX;
	fr.fields = h->field;
	fr.nfields = h->nfields;
	fr.keep_alive = 1;
	fr.upgrade = ws ? "websocket" : NULL;
	fr.dropped = &c->tally.dropped;
	n = reqhead_build(&fr, c->head, sizeof c->head);
	if (n == REQHEAD_BAD_VALUE)
		return refuse(c, 400, NULL, "A request header holds bytes that cannot be forwarded.");
	if (n < 0)
		return refuse(c, 431, NULL, "The request headers are too large.");
	if (field(h, "Expect", c->x.expect, sizeof c->x.expect) &&
	    header_name_eq(c->x.expect, strlen(c->x.expect), "100-continue") &&
	    io_write_all(c->client, "HTTP/1.1 100 Continue\r\n\r\n", 25, 10000) < 0)
		return 0;
	memmove(c->in, c->in + hl, c->have - (size_t)hl);   /* the head is consumed */
	c->have -= (size_t)hl;

	/* A kept app connection may have been closed by the app meanwhile: a
	 * request is tried once more on a fresh connection when the app cannot
	 * have acted on it (its head could not be written), or when it is
	 * idempotent and none of its body has left (as nginx's
	 * proxy_next_upstream: a POST or PATCH the app took is never replayed). */
	for (attempt = 0;; attempt++) {
		int fault = upstream(c, &reused), head_sent = 0, body_sent = 0, err = errno;

		if (!fault && io_write_all(c->up, c->head, (size_t)n, (int)c->timeout_ms) < 0)
			fault = UPSTREAM_NOT_READING, err = errno;
		else if (!fault)
			head_sent = 1;
		if (!fault && framing != BODY_NONE) {
			body_sent = 1;
			m = move_body(c->client, c->up, c->in, sizeof c->in, &c->have, framing, blen,
			              c->timeout_ms, NULL);
			if (m == -1) {           /* the client left or broke its framing */
				upstream_drop(c);    /* the app keeps a request short of its framing */
				return refuse(c, 400, NULL, "The request body ended early or broke its chunked coding.");
			}
			if (m < 0)
				fault = UPSTREAM_NOT_READING, err = errno;
		}
		if (!fault) {
			c->rhave = 0;
			ol = upstream_read_head(&c->g, c->up, c->resp, &c->rhave, &c->rs, ws);
			if (ol > 0)
				break;
			fault = (int)ol;
		}
		upstream_drop(c);
		if (attempt == 0 && reused && !body_sent &&
		    (fault == UPSTREAM_NOT_READING || fault == UPSTREAM_CLOSED) &&
		    (!head_sent || reqhead_method_idempotent(c->x.method)))
			continue;
		upstream_refuse(&c->g, fault, err);
		return 0;
	}

	/* Decided before the body moves: c->rs points into c->resp, which the
	 * move overwrites. */
	status = c->rs.status;
	rframing = reqparse_response_framing(&c->rs, c->x.method, &rlen);
	if (rframing == BODY_BAD) {
		upstream_drop(c);
		upstream_refuse(&c->g, UPSTREAM_BAD_FRAMING, 0);
		return 0;
	}
	app_closes = rframing == BODY_UNTIL_CLOSE ||
	             header_fields_list(c->rs.field, c->rs.nfields, "Connection", "close");
	upstream_rewrite_ctx(&c->g.cfg, r->host, &authorities, &rw);
	rw.http = 1;
	rw.keep_alive = keep && rframing != BODY_UNTIL_CLOSE;
	n = resphead_emit(&c->rs, &rw, c->out, sizeof c->out);
	if (n < 0) {
		upstream_drop(c);
		upstream_refuse(&c->g, UPSTREAM_HEADERS_TOO_BIG, 0);
		return 0;
	}
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
	cgi_status(&c->g, status);
	if (cgi_write(&c->g, c->out, (size_t)n) < 0)
		return 0;
	if (ws && status == 101) {
		tunnel(c);
		return 0;
	}
	sent = 0;
	m = move_body(c->up, c->client, c->resp, sizeof c->resp, &c->rhave, rframing, rlen,
	              c->timeout_ms, &sent);
	c->tally.bytes += sent;
	if (m < 0)
		return 0;      /* a broken transfer stays broken: close, never pad */
	if (app_closes || c->rhave)
		upstream_drop(c);   /* the app closes, or sent more than it framed */
	return rw.keep_alive;
}

/* Serve the connection C->client (from C->peer) until it closes. */
static void serve(struct conn *c)
{
	int first = 1;

	c->up = -1;
	c->g.out = c->client;
	c->g.http = 1;
	c->timeout_ms = c->g.cfg.timeout_s * 1000;
	/* the exchange runs non-blocking with deadlines (io_read, io_write_all) */
	fcntl(c->client, F_SETFL, fcntl(c->client, F_GETFL) | O_NONBLOCK);
	/* A response head and its body leave in separate writes: with Nagle the
	 * body waited for httpd's delayed ACK, 40 ms on every request. */
	setsockopt(c->client, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	for (;;) {
		long hl = read_request_head(c, first);
		int keep;

		if (hl == 0)
			break;
		accesslog_start(&c->g, c->peer, NULL, NULL, NULL);
		keep = hl > 0 ? exchange(c, hl) : refuse_head(c, (int)-hl);
		accesslog_finish(&c->g);
		if (!keep)
			break;
		first = 0;
	}
	upstream_drop(c);
	store_session_release(&c->hold);
	shutdown(c->client, SHUT_WR);
	close(c->client);
}

void relay_serve(const struct relay_client *cl, long head_ms, long idle_ms)
{
	static struct conn c;

	cgi_load(&c.g, "relay", &c.tally);
	c.hold.fd = -1;
	c.g.hold = &c.hold;
	c.client = cl->fd;
	c.cl = cl;
	snprintf(c.peer, sizeof c.peer, "%s", cl->peer);
	c.head_ms = head_ms;
	c.idle_ms = idle_ms;
	if (cl->npre)      /* handed over: the bytes httpd read; npre < HANDOFF_MAX < sizeof c.in */
		memcpy(c.in, cl->pre, cl->npre);
	c.have = cl->npre;
	serve(&c);
}
