/* resphead.c - parse and relay the app's response head (RFC 9112 sections 4, 5). */
#include <stdio.h>
#include <string.h>
#include "resphead.h"
#include "reqparse.h"
#include "header.h"
#include "cookie.h"

/* Next line of BUF from *POS: sets *LINE and *LLEN (without CR LF). 0 if no
 * full line yet. */
static int line_next(const char *buf, size_t len, size_t *pos, const char **line, size_t *llen)
{
	const char *nl = memchr(buf + *pos, '\n', len - *pos);

	if (!nl)
		return 0;
	*line = buf + *pos;
	*llen = (size_t)(nl - *line);
	if (*llen && (*line)[*llen - 1] == '\r')
		(*llen)--;
	*pos = (size_t)(nl - buf) + 1;
	return 1;
}

static int status_line(const char *l, size_t n, struct resp_head *h)
{
	if (n < 12 || memcmp(l, "HTTP/1.", 7) != 0 || (l[7] != '0' && l[7] != '1') || l[8] != ' ')
		return -1;
	if (l[9] < '1' || l[9] > '5' || l[10] < '0' || l[10] > '9' || l[11] < '0' || l[11] > '9')
		return -1;
	h->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (n > 12 && l[12] != ' ')
		return -1;
	h->reason = n > 13 ? l + 13 : "";
	h->reason_len = n > 13 ? n - 13 : 0;
	return header_value_ok(h->reason, h->reason_len) ? 0 : -1;
}

long resphead_parse(const char *buf, size_t len, struct resp_head *h)
{
	const char *l;
	size_t n, pos = 0;

	h->nfields = 0;
	if (!line_next(buf, len, &pos, &l, &n))
		return len > RESP_HEAD_MAX ? RESPHEAD_MALFORMED : RESPHEAD_INCOMPLETE;
	if (status_line(l, n, h) < 0)
		return RESPHEAD_MALFORMED;
	while (line_next(buf, len, &pos, &l, &n)) {
		if (n == 0) {
			h->head_len = pos;
			return (long)pos;
		}
		if (h->nfields == RESP_HEADERS_MAX)
			return RESPHEAD_TOO_MANY;
		if (header_field_parse(l, n, &h->field[h->nfields++]) < 0)
			return RESPHEAD_MALFORMED;
	}
	return pos > RESP_HEAD_MAX || len > RESP_HEAD_MAX ? RESPHEAD_MALFORMED : RESPHEAD_INCOMPLETE;
}

struct out { char *p; size_t len, cap; int err; };

static void put(struct out *o, const char *s, size_t n)
{
	if (o->err || o->len + n + 1 > o->cap) {
		o->err = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

static int ieq_prefix(const char *s, size_t len, const char *pfx)
{
	size_t n = strlen(pfx);
	return len >= n && header_name_eq(s, n, pfx);
}

/* Length of the authority after "scheme://" in LOC, or 0 if LOC is not an
 * absolute http(s) URL. Sets *AUTH to its start. */
static size_t absolute_authority(const char *loc, size_t len, const char **auth)
{
	size_t skip, i;

	if (ieq_prefix(loc, len, "http://"))
		skip = 7;
	else if (ieq_prefix(loc, len, "https://"))
		skip = 8;
	else
		return 0;
	for (i = skip; i < len && loc[i] != '/' && loc[i] != '?' && loc[i] != '#'; i++)
		;
	*auth = loc + skip;
	return i - skip;
}

/* Does the path P[0..N) start like "//host" or "/\host" to a browser, which
 * drops tabs and newlines from URLs (WHATWG URL) and reads '\' as '/'? */
static int slash_slash(const char *p, size_t n)
{
	size_t i = 1;

	if (n == 0 || p[0] != '/')
		return 0;
	while (i < n && (p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < n && (p[i] == '/' || p[i] == '\\');
}

long resphead_location(const char *loc, size_t len, const struct rewrite_ctx *c,
                       char *out, size_t outsz)
{
	struct out o = { out, 0, outsz, 0 };
	const char *auth;
	size_t alen = absolute_authority(loc, len, &auth), i;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	if (alen) {
		const char *rest = auth + alen;
		size_t rlen = len - (size_t)(rest - loc);
		for (i = 0; c->app_authority[i]; i++) {
			if (header_name_eq(auth, alen, c->app_authority[i])) {
				/* the app's own address means nothing to the client */
				if (c->strip)
					puts_(&o, c->prefix);
				else if (slash_slash(rest, rlen))
					put(&o, "/.", 2);   /* same path, but never "//host" */
				if (rlen == 0 || rest[0] != '/')
					put(&o, "/", 1);
				put(&o, rest, rlen);
				return o.err ? -1 : (long)o.len;
			}
		}
		if (c->strip && c->client_host && header_name_eq(auth, alen, c->client_host) &&
		    !(rlen >= strlen(c->prefix) && memcmp(rest, c->prefix, strlen(c->prefix)) == 0 &&
		      (rlen == strlen(c->prefix) || rest[strlen(c->prefix)] == '/'))) {
			put(&o, loc, (size_t)(rest - loc));
			puts_(&o, c->prefix);
			if (rlen == 0 || rest[0] != '/')
				put(&o, "/", 1);
			put(&o, rest, rlen);
			return o.err ? -1 : (long)o.len;
		}
	} else if (c->strip && len >= 1 && loc[0] == '/' && (len == 1 || (loc[1] != '/' && loc[1] != '\\'))) {
		puts_(&o, c->prefix);
	}
	put(&o, loc, len);
	return o.err ? -1 : (long)o.len;
}

long resphead_set_cookie(const char *val, size_t len, const struct rewrite_ctx *c,
                         char *out, size_t outsz)
{
	struct out o = { out, 0, outsz, 0 };
	size_t i = 0;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	while (i < len) {
		const char *semi = memchr(val + i, ';', len - i);
		size_t end = semi ? (size_t)(semi - val) : len, a = i;
		if (i > 0) {
			while (a < end && (val[a] == ' ' || val[a] == '\t'))
				a++;
			if (c->strip && end - a > 5 && ieq_prefix(val + a, end - a, "path=") &&
			    val[a + 5] == '/') {
				put(&o, val + i, a - i);
				put(&o, val + a, 5);
				puts_(&o, c->prefix);
				put(&o, val + a + 5, end - a - 5);
				goto next;
			}
		}
		put(&o, val + i, end - i);
next:
		if (semi)
			put(&o, ";", 1);
		i = end + 1;
	}
	return o.err ? -1 : (long)o.len;
}

/* Response headers that end at the gateway (hop-by-hop, RFC 9110 7.6.1). */
static int hop_by_hop(const struct resp_field *f)
{
	static const char *const hop[] = {
		"Connection", "Keep-Alive", "Proxy-Connection", "Upgrade",
		"Proxy-Authenticate", "Status",
	};
	size_t i;

	for (i = 0; i < sizeof hop / sizeof hop[0]; i++)
		if (header_name_eq(f->name, f->nlen, hop[i]))
			return 1;
	return 0;
}

long resphead_emit(const struct resp_head *h, const struct rewrite_ctx *c,
                   char *out, size_t outsz)
{
	struct out o = { out, 0, outsz, 0 };
	char line[64], val[8192];
	size_t i;

	/* busybox only honours "Status: " as the first 8 bytes of CGI output */
	snprintf(line, sizeof line, c->http ? "HTTP/1.1 %03d " : "Status: %03d ", h->status);
	puts_(&o, line);
	put(&o, h->reason, h->reason_len);
	put(&o, "\r\n", 2);
	for (i = 0; i < h->nfields; i++) {
		const struct resp_field *f = &h->field[i];
		const char *v = f->value;
		long vlen = (long)f->vlen;

		if (hop_by_hop(f) && !(c->http && h->status == 101 &&
		                       header_name_eq(f->name, f->nlen, "Upgrade")))
			continue;
		if (header_name_eq(f->name, f->nlen, "Content-Length") &&
		    resphead_content_length(h) == -1)
			continue;   /* beside Transfer-Encoding it means nothing (RFC 9112 6.3) */
		if (header_name_eq(f->name, f->nlen, "Location")) {
			vlen = resphead_location(f->value, f->vlen, c, val, sizeof val);
			v = val;
		} else if (header_name_eq(f->name, f->nlen, "Set-Cookie")) {
			if (c->cookie_name && cookie_sets_name(f->value, f->vlen, c->cookie_name))
				continue;   /* the app may not set or clear the gateway's cookie */
			vlen = resphead_set_cookie(f->value, f->vlen, c, val, sizeof val);
			v = val;
		} else if (header_name_eq(f->name, f->nlen, "Clear-Site-Data") &&
		           (memmem(f->value, f->vlen, "\"cookies\"", 9) || memmem(f->value, f->vlen, "\"*\"", 3))) {
			continue;   /* app and gateway share the origin: it would log out too */
		}
		if (vlen < 0)
			return -1;
		put(&o, f->name, f->nlen);
		put(&o, ": ", 2);
		put(&o, v, (size_t)vlen);
		put(&o, "\r\n", 2);
	}
	if (c->http && h->status == 101)
		puts_(&o, "Connection: Upgrade\r\n\r\n");
	else if (c->http && c->keep_alive)
		puts_(&o, "\r\n");
	else
		puts_(&o, "Connection: close\r\n\r\n");
	return o.err ? -1 : (long)o.len;
}

long long resphead_content_length(const struct resp_head *h)
{
	long long len = 0;

	if (reqparse_field(h->field, h->nfields, "Transfer-Encoding"))
		return -1;      /* RFC 9112 6.3: the coding wins */
	switch (reqparse_framing(h->field, h->nfields, &len)) {   /* the requests' rules */
	case BODY_LENGTH:
		return len;
	case BODY_NONE:
		return reqparse_field(h->field, h->nfields, "Content-Length") ? 0 : -1;
	default:
		return RESPHEAD_BAD_LENGTH;
	}
}

int resphead_bodyless(int status, const char *method)
{
	return strcmp(method, "HEAD") == 0 || (status >= 100 && status < 200) ||
	       status == 204 || status == 304;
}
