/* forward.c - /cgi-bin/app/...: forward an authenticated request to the app.
 *
 * Inputs: the request from httpd (method, decoded path, raw query, HTTP_*
 *   headers, body on stdin), the session cookie, the app's address.
 * Answers: whatever the app answers (status, headers less hop-by-hop ones,
 *   Location / Set-Cookie rewritten under /cgi-bin/app, body streamed as
 *   produced); 303 to the login page for a browser without a session, 401
 *   for other clients; 400 malformed request; 405 unknown method; 411
 *   chunked upload; 413 a body httpd did not hand over whole; 501 WebSocket;
 *   502 app refusing, dead or answering garbage; 503 session store
 *   unreadable, or SH_LOGIN_CGI_MAX forwarding CGIs already busy (slot.h);
 *   504 app silent for SH_LOGIN_TIMEOUT seconds.
 * Memory: fixed buffers only (about 200 KiB); bodies of any size stream
 *   through one IO_CHUNK buffer, or through splice(2) without a copy.
 * A request is sent to the app only once it is known to be whole: short
 *   bodies are read completely first; a POST body cut off by the client
 *   leaves the app with a request shorter than its Content-Length. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "accesslog.h"
#include "applets.h"
#include "auth.h"
#include "config.h"
#include "upstream.h"
#include "slot.h"
#include "store.h"
#include "limits.h"
#include "lib/chunked.h"
#include "lib/cookie.h"
#include "lib/header.h"
#include "lib/reqhead.h"
#include "lib/reqparse.h"
#include "lib/resphead.h"
#include "lib/url.h"

extern char **environ;

/* What the CGI path cannot carry, said the same way to the browser (the
 * 501/411/413 page) and, once per run, to the user's terminal. */
static const char relay_hint[] =
	" Requests reach the app through the forwarding CGI (this busybox httpd has no P:,"
	" or SH_LOGIN_RELAY=no), which carries no WebSocket and hands on only POST bodies:"
	" run 'make busybox' and restart sh_login, which then uses its full-duplex relay,"
	" or point SH_LOGIN_BUSYBOX at a busybox whose httpd has P:.";

/* Refuse what the CGI path cannot carry. The first refusal of each KIND in
 * a run also leaves a note for sh_login's terminal (store_note_once) and a
 * line in the error log: the app itself only shows its own generic error. */
static __attribute__((noreturn)) void
refuse_duplex(const struct cgi *g, int code, const char *kind, const char *what)
{
	char msg[1024], note[64];

	snprintf(msg, sizeof msg, "%s.%s", what, relay_hint);
	snprintf(note, sizeof note, "refused.%s", kind);
	if (store_note_once(g->cfg.state_dir, note, msg) == 1)
		cgi_log(g, "%s", msg);
	cgi_fail(g, code, NULL, msg);
}

/* Hold one of SH_LOGIN_CGI_MAX slots until this CGI exits (the lock goes
 * with the process), or answer 503: busybox httpd itself forks without
 * limit. No slot files (cap off, or state gone): no cap. */
static void take_slot(const struct cgi *g)
{
	long n = config_number("SH_LOGIN_CGI_MAX");   /* 0: no cap */

	if (slot_take(g->cfg.state_dir, n) == SLOT_BUSY) {
		/* Read (and drop) a POST body first, up to 1 MiB: httpd closing
		 * a socket with unread bytes sends a reset that can overtake the
		 * 503, and the client would see a broken connection instead. */
		static char sink[IO_CHUNK];
		long long left = g->req.content_length > 0 ? g->req.content_length : 0;
		ssize_t got = 1;
		if (left > 1048576)
			left = 0;
		while (left > 0 && got > 0) {
			got = io_read(STDIN_FILENO, sink, left < IO_CHUNK ? (size_t)left : IO_CHUNK, 2000);
			left -= got > 0 ? got : 0;
		}
		cgi_log(g, "%ld requests to the app in flight (SH_LOGIN_CGI_MAX): answered 503", n);
		cgi_fail(g, 503, "Retry-After: 1\r\n",
		         "The gateway is at its cap of requests to the app in flight; try again.");
	}
}

/* A header line HEADER_LINE_MAX long or more, as httpd passed it (HTTP_*
 * and CONTENT_TYPE): busybox cut it at 8191 bytes, or may have. */
static int header_cut(void)
{
	char **e;

	for (e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		size_t nlen;
		if (!eq || (strncmp(*e, "HTTP_", 5) != 0 && strncmp(*e, "CONTENT_TYPE=", 13) != 0))
			continue;
		nlen = (size_t)(eq - *e) - (**e == 'H' ? 5 : 0);
		if (nlen + 1 + strlen(eq + 1) >= HEADER_LINE_MAX)
			return 1;
	}
	return 0;
}

/* Body length to send on, after checking what httpd could deliver. */
static long long body_length(const struct cgi *g)
{
	const struct cgi_request *r = &g->req;

	if (r->transfer_encoding)
		refuse_duplex(g, 411, "body", "The app was sent a chunked request body, which"
		              " busybox httpd does not pass on: it was not forwarded (411)");
	if (r->declared_length == -2 || r->content_length == -2)
		cgi_fail(g, 400, NULL, "The Content-Length header is not a number.");
	if (!strcmp(r->method, "POST")) {
		if (r->declared_length >= 0 && r->content_length >= 0 &&
		    r->declared_length != r->content_length)
			cgi_fail(g, 400, NULL, "Conflicting body lengths.");
		return r->content_length >= 0 ? r->content_length : 0;
	}
	if (r->declared_length >= 0)
		return r->declared_length;
	return !strcmp(r->method, "PUT") || !strcmp(r->method, "PATCH") ? 0 : -1;
}

/* For methods other than POST httpd passes on only the body bytes that came
 * with the header block, then closes stdin. Read them all; forward only if
 * they are the whole declared body. */
static size_t read_short_body(const struct cgi *g, long long want, char *buf)
{
	size_t got = 0;
	char msg[1024];

	if (want > SHORT_BODY_MAX)
		goto short_body;
	while (got <= (size_t)want) {
		ssize_t n = io_read(STDIN_FILENO, buf + got, SHORT_BODY_MAX + 1 - got, 2000);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got == (size_t)want)
		return got;
short_body:
	snprintf(msg, sizeof msg, "The app was sent a %s body of %lld bytes; busybox httpd passed"
	         " on %zu, so it was not forwarded (413)", g->req.method, want, got);
	refuse_duplex(g, 413, "body", msg);
}

/* Move exactly LEN bytes of the POST body from stdin (httpd's pipe) to the
 * app. -1 if the client's body ended early or the app stopped reading. */
static int send_stream_body(int up, long long len, long timeout_ms, char *buf)
{
	while (len > 0) {
		size_t want = len > IO_CHUNK ? IO_CHUNK : (size_t)len;
		ssize_t n = splice(STDIN_FILENO, NULL, up, NULL, want, SPLICE_F_MOVE | SPLICE_F_MORE);
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { up, POLLOUT, 0 };
			if (poll(&p, 1, (int)timeout_ms) <= 0)
				return -1;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {          /* no splice here (stdin not a pipe): copy */
			n = io_read(STDIN_FILENO, buf, want, (int)timeout_ms);
			if (n > 0 && io_write_all(up, buf, (size_t)n, (int)timeout_ms) < 0)
				return -1;
		}
		if (n <= 0)
			return -1;
		len -= n;
	}
	return 0;
}

/* Pass on the part of BUF[0..N) that belongs to the body. 1 when the body
 * goes on, 0 when it ended (or the client left), -1 for broken coding. */
static int relay_part(const struct cgi *g, struct chunked *ck, long long *left,
                      const char *buf, size_t n)
{
	long k = (long)n;

	if (ck) {
		k = chunked_scan(ck, buf, n);
		if (k < 0)
			return -1;
	} else if (*left >= 0 && (long long)n > *left) {
		k = (long)*left;
	}
	if (k > 0 && cgi_write(g, buf, (size_t)k) < 0)
		return 0;
	if (*left > 0)
		*left -= k;
	return ck ? !chunked_done(ck) : *left != 0;
}

/* Relay the rest of the app's answer to httpd as it arrives: LEFT bytes
 * when the head announced a length; with CK (chunked coding) up to the last
 * chunk, copied through BUF to see it; else (-1) until the app closes.
 * Bytes a broken app sends past its body are never relayed, and an app that
 * keeps the connection open after its body does not hold the CGI. A body
 * cut short ends the CGI early: httpd closes, the client sees a short
 * transfer (fewer bytes than Content-Length, or no last chunk). */
static void relay_body(const struct cgi *g, int up, long long left, struct chunked *ck,
                       char *buf, const char *who)
{
	long timeout_ms = g->cfg.timeout_s * 1000;

	while (left != 0) {
		struct pollfd p = { up, POLLIN, 0 };
		size_t want = left >= 0 && left < IO_CHUNK ? (size_t)left : IO_CHUNK;
		ssize_t n;
		int r = poll(&p, 1, (int)timeout_ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			cgi_log(g, "%s was silent for %ld s in the middle of an answer: cut",
			        who, g->cfg.timeout_s);
			return;
		}
		if (ck) {
			int more;
			n = read(up, buf, IO_CHUNK);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			more = n > 0 ? relay_part(g, ck, &left, buf, (size_t)n) : 0;
			if (more < 0)
				cgi_log(g, "%s broke its chunked coding: cut", who);
			if (more <= 0)
				return;
			continue;
		}
		n = splice(up, NULL, STDOUT_FILENO, NULL, want, SPLICE_F_MOVE);
		if (n > 0)
			g->tally->bytes += n;   /* spliced past cgi_write */
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0) {          /* stdout not a pipe: copy */
			n = read(up, buf, want);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n > 0 && cgi_write(g, buf, (size_t)n) < 0)
				return;
		}
		if (n <= 0)
			return;
		if (left > 0)
			left -= n;
	}
}

int forward(struct cgi *g, const char *subpath)
{
	static char head[REQ_HEAD_MAX], resp[RESP_HEAD_MAX + 1], out[RESP_HEAD_MAX * 2];
	static char shortbody[SHORT_BODY_MAX + 1], chunk[IO_CHUNK], cookie[COOKIE_HEADER_MAX];
	static struct resp_head h;
	char enc[PATH_MAX_ENCODED], target[PATH_MAX_ENCODED * 2 + 16], back[PATH_MAX_ENCODED * 2 + 16];
	char who[256];
	struct app_authorities authorities;
	const struct cgi_request *r = &g->req;
	struct fwd_request fr;
	struct rewrite_ctx rw;
	long long blen, clen;
	struct chunked ckst, *ck = NULL;
	size_t sblen = 0, have = 0;
	long hl, rl, ol;
	long timeout_ms = g->cfg.timeout_s * 1000;
	int up;

	/* encoded once: the prefix is plain pchar, so it needs no encoding */
	if (subpath[0] != '/' || url_encode_path(subpath, enc, sizeof enc) < 0)
		cgi_fail(g, 414, NULL, "The path is too long.");
	if (!header_value_ok(r->query, strlen(r->query)) || strchr(r->query, ' ') || strchr(r->query, '#'))
		cgi_fail(g, 400, NULL, "The query string holds bytes that cannot be forwarded.");
	if (header_cut())
		cgi_fail(g, 431, NULL, "A request header line is 8 KiB or longer (busybox cuts such"
		         " lines, so it is refused rather than forwarded cut).");
	/* where the login page sends the browser back to */
	snprintf(back, sizeof back, "%s%s%s%s", APP_PREFIX, enc, *r->query ? "?" : "", r->query);
	if (auth_require(g, back))
		return 0;
	snprintf(target, sizeof target, "%s%s%s%s", g->cfg.keep_prefix ? APP_PREFIX : "", enc,
	         *r->query ? "?" : "", r->query);

	if (r->upgrade)
		refuse_duplex(g, 501, "websocket", "The app asked for a WebSocket (or another"
		              " Upgrade), which needs a full-duplex path: refused (501)");
	if (!reqhead_method_ok(r->method))
		cgi_fail(g, 405, "Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n",
		         "The gateway forwards GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS.");
	blen = body_length(g);
	if (blen >= 0 && strcmp(r->method, "POST") != 0 && blen > 0)
		sblen = read_short_body(g, blen, shortbody);

	if (r->cookie && cookie_strip(r->cookie, g->cfg.cookie_name, cookie, sizeof cookie) < 0)
		cgi_fail(g, 400, NULL, "The Cookie header is too large.");
	memset(&fr, 0, sizeof fr);
	fr.method = r->method;
	fr.target = target;
	fr.host = r->host;
	fr.cookie = r->cookie ? cookie : NULL;
	fr.content_type = r->content_type;
	fr.content_length = blen;
	fr.client_addr = r->remote_addr;
	fr.proto = r->https ? "https" : "http";
	fr.prefix = g->cfg.keep_prefix ? NULL : APP_PREFIX;
	fr.env = environ;
	fr.dropped = &g->tally->dropped;
	hl = reqhead_build(&fr, head, sizeof head);
	if (hl == REQHEAD_BAD_VALUE)
		cgi_fail(g, 400, NULL, "A request header holds bytes that cannot be forwarded.");
	if (hl < 0)
		cgi_fail(g, 431, NULL, "The request headers are too large.");

	take_slot(g);
	upstream_describe(&g->cfg, who, sizeof who);
	up = upstream_connect(&g->cfg, CONNECT_TIMEOUT_MS);
	if (up < 0) {
		upstream_refuse(g, UPSTREAM_UNREACHABLE, errno);
		return 0;
	}
	if (io_write_all(up, head, (size_t)hl, (int)timeout_ms) < 0 ||
	    (sblen && io_write_all(up, shortbody, sblen, (int)timeout_ms) < 0) ||
	    (!strcmp(r->method, "POST") && blen > 0 &&
	     send_stream_body(up, blen, timeout_ms, chunk) < 0)) {
		/* the app keeps what it got: a request shorter than its length */
		upstream_refuse(g, UPSTREAM_NOT_READING, errno);
		close(up);
		return 0;
	}

	rl = upstream_read_head(g, up, resp, &have, &h, 0);
	if (rl < 0) {
		upstream_refuse(g, (int)rl, 0);
		return 0;
	}
	switch (reqparse_response_framing(&h, r->method, &clen)) {
	case BODY_BAD:
		upstream_refuse(g, UPSTREAM_BAD_FRAMING, 0);
		return 0;
	case BODY_LENGTH:
		break;
	case BODY_NONE:
		clen = 0;
		break;
	case BODY_CHUNKED:
		chunked_init(ck = &ckst);
		/* fall through */
	default:                /* until the app closes */
		clen = -1;
	}
	upstream_rewrite_ctx(&g->cfg, r->host, &authorities, &rw);
	ol = resphead_emit(&h, &rw, out, sizeof out);
	if (ol < 0) {
		upstream_refuse(g, UPSTREAM_HEADERS_TOO_BIG, 0);
		return 0;
	}
	cgi_status(g, h.status);
	if (cgi_write(g, out, (size_t)ol) < 0 || clen == 0)
		return 0;
	if (have > (size_t)rl && relay_part(g, ck, &clen, resp + rl, have - (size_t)rl) <= 0)
		return 0;
	relay_body(g, up, clen, ck, chunk, who);
	return 0;
}

int app_main(struct cgi *g)
{
	char loc[PATH_MAX_ENCODED];

	if (g->req.path_info[0] == '\0') {
		/* "/cgi-bin/app": relative links need the trailing slash */
		snprintf(loc, sizeof loc, "%s/%s%s", APP_PREFIX, *g->req.query ? "?" : "", g->req.query);
		cgi_redirect(g, 308, loc, NULL);
		return 0;
	}
	return forward(g, g->req.path_info);
}
