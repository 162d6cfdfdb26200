/* reqparse.c - raw request heads for the relay. */
#include <string.h>
#include "reqparse.h"
#include "header.h"
#include "decimal.h"

static int request_line(const char *l, size_t n, struct req_head *h)
{
	const char *sp1 = memchr(l, ' ', n), *sp2;
	size_t i;

	if (!sp1 || sp1 == l)
		return -1;
	for (i = 0; l + i < sp1; i++)
		if (!header_tchar((unsigned char)l[i]))
			return -1;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - l));
	if (!sp2 || sp2 == sp1 + 1 || sp1[1] != '/')   /* origin-form only */
		return -1;
	for (i = 0; sp1 + 1 + i < sp2; i++) {
		unsigned char c = (unsigned char)sp1[1 + i];
		if (c <= 0x20 || c >= 0x7f)
			return -1;
	}
	if ((size_t)(l + n - sp2) != 9 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return -1;
	h->method = l;
	h->method_len = (size_t)(sp1 - l);
	h->target = sp1 + 1;
	h->target_len = (size_t)(sp2 - sp1 - 1);
	h->minor = sp2[8] - '0';
	return 0;
}

long reqparse_head(const char *buf, size_t len, struct req_head *h)
{
	size_t pos = 0;
	int first = 1;

	h->nfields = 0;
	for (;;) {
		const char *l = buf + pos, *nl;
		size_t n;

		nl = memchr(l, '\n', len - pos);
		if (!nl)
			return len > REQ_HEAD_MAX ? REQPARSE_TOO_BIG : REQPARSE_INCOMPLETE;
		n = (size_t)(nl - l);
		pos += n + 1;
		if (pos > REQ_HEAD_MAX)
			return REQPARSE_TOO_BIG;
		if (n && l[n - 1] == '\r')
			n--;
		if (first) {
			if (request_line(l, n, h) < 0)
				return REQPARSE_MALFORMED;
			first = 0;
			continue;
		}
		if (n == 0) {
			h->head_len = pos;
			return (long)pos;
		}
		if (h->nfields == RESP_HEADERS_MAX)
			return REQPARSE_TOO_MANY;
		if (header_field_parse(l, n, &h->field[h->nfields++]) < 0)
			return REQPARSE_MALFORMED;
	}
}

const struct resp_field *reqparse_field(const struct resp_field *f, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (header_name_eq(f[i].name, f[i].nlen, name))
			return &f[i];
	return NULL;
}

/* Parse a Content-Length value, which may be a list of equal numbers. */
static int parse_length(const char *v, size_t n, long long *out)
{
	long long seen = -1;
	size_t i = 0;

	while (i < n) {
		long long x;
		size_t start, end;
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		start = i;
		while (i < n && v[i] >= '0' && v[i] <= '9')
			i++;
		end = i;
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (decimal_parse(v + start, end - start, 1000000000000000LL, &x) < 0 ||
		    (i < n && v[i] != ',') || (seen >= 0 && seen != x))
			return -1;
		seen = x;
		i++;
	}
	if (seen < 0)
		return -1;
	*out = seen;
	return 0;
}

enum body_framing reqparse_framing(const struct resp_field *f, size_t n, long long *length)
{
	int te = 0, cl = 0, chunked_last = 0;
	enum body_framing te_fr = BODY_CHUNKED;
	long long len = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (header_name_eq(f[i].name, f[i].nlen, "Transfer-Encoding")) {
			/* chunked must be the final coding; we support it alone.
			 * Decided after the loop: beside a Content-Length any
			 * Transfer-Encoding is BODY_BAD, whatever its codings. */
			const char *v = f[i].value;
			size_t vl = f[i].vlen;
			te++;
			chunked_last = vl >= 7 && header_name_eq(v + vl - 7, 7, "chunked") &&
			               (vl == 7 || v[vl - 8] == ',' || v[vl - 8] == ' ');
			if (!(vl == 7 && chunked_last) && te_fr != BODY_BAD)
				te_fr = chunked_last ? BODY_UNSUPPORTED : BODY_BAD;
		} else if (header_name_eq(f[i].name, f[i].nlen, "Content-Length")) {
			long long x;
			if (parse_length(f[i].value, f[i].vlen, &x) < 0 || (cl && x != len))
				return BODY_BAD;
			cl = 1;
			len = x;
		}
	}
	if (te && cl)
		return BODY_BAD;         /* RFC 9112 6.1: a smuggling attempt, refuse */
	if (te > 1)
		return BODY_BAD;         /* "chunked" twice, or a coding after chunked */
	if (te)
		return te_fr;
	if (cl && len > 0) {
		*length = len;
		return BODY_LENGTH;
	}
	return BODY_NONE;
}

enum body_framing reqparse_response_framing(const struct resp_head *h, const char *method,
                                            long long *length)
{
	enum body_framing fr;

	if (resphead_bodyless(h->status, method))
		return BODY_NONE;
	fr = reqparse_framing(h->field, h->nfields, length);
	if (fr == BODY_UNSUPPORTED)
		return BODY_CHUNKED;          /* "gzip, chunked": the chunks frame it */
	if (fr == BODY_BAD && !reqparse_field(h->field, h->nfields, "Content-Length") &&
	    reqparse_field(h->field, h->nfields, "Transfer-Encoding") &&
	    !header_fields_list(h->field, h->nfields, "Transfer-Encoding", "chunked"))
		return BODY_UNTIL_CLOSE;      /* "gzip" alone: until the app closes */
	if (fr == BODY_NONE && !reqparse_field(h->field, h->nfields, "Content-Length"))
		return BODY_UNTIL_CLOSE;
	return fr;
}

long reqparse_join_cookies(const struct resp_field *f, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0;

	if (outsz == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (!header_name_eq(f[i].name, f[i].nlen, "Cookie") || f[i].vlen == 0)
			continue;
		if (o + (o ? 2 : 0) + f[i].vlen + 1 > outsz)
			return -1;
		if (o) {
			out[o++] = ';';
			out[o++] = ' ';
		}
		memcpy(out + o, f[i].value, f[i].vlen);
		o += f[i].vlen;
	}
	out[o] = '\0';
	return (long)o;
}
