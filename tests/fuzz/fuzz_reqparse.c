/* fuzz_reqparse.c - a raw request head as the relay reads it, its body
 * framing, its cookies, and the head the relay rebuilds for the app.
 *
 * Input: the bytes a client sent on the connection (head, maybe body and a
 * pipelined request).
 * Properties: reqparse_head returns a code or a length within the input that
 * ends the first blank line, and the head alone parses the same while one
 * byte less is incomplete; method is a token, the target origin-form without
 * control bytes or blanks, every field inside the head with a tchar name and
 * a trimmed value free of control bytes. reqparse_framing never says LENGTH
 * with a length under 1, says BAD for any Transfer-Encoding beside a
 * Content-Length, CHUNKED only for a Transfer-Encoding and LENGTH only with
 * the value every Content-Length holds. reqparse_join_cookies joins exactly
 * the non-empty Cookie values with "; ", and its bound is exact.
 * reqhead_build (relay mode, as relay.c fills it, with and without
 * keep-alive) writes one well-formed head: the request line, Host once,
 * "Name: value" lines with tchar names and no control bytes, exactly one
 * blank line at the end; the client's fields in order minus exactly those
 * header_forwardable refuses and those any Connection field lists;
 * Transfer-Encoding only (and always) when chunked, Content-Length only from
 * the framing; Connection: Upgrade with the upgrade, nothing with
 * keep-alive, else "close". Its output bound is exact. */
#include "fuzz.h"
#include "limits.h"
#include "lib/cookie.h"
#include "lib/header.h"
#include "lib/reqhead.h"
#include "lib/reqparse.h"
#include "oracle.h"

#define COOKIE "shl_c0ffee"

static int named(const struct resp_field *f, const char *name)
{
	return ieq(f->name, f->nlen, name);
}

/* Is NAME[0..NL) an element of the list V[0..VN)? Written independently
 * of header_list_has, on spans, with no length limit. */
static int ref_listed(const char *v, size_t vn, const char *name, size_t nl)
{
	size_t i = 0;

	while (i <= vn) {
		size_t s = i, e, k;
		while (i < vn && v[i] != ',')
			i++;
		e = i++;
		while (s < e && (v[s] == ' ' || v[s] == '\t'))
			s++;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e - s != nl || !nl)
			continue;
		for (k = 0; k < nl; k++) {
			char x = v[s + k], y = name[k];
			if (x >= 'A' && x <= 'Z') x += 32;
			if (y >= 'A' && y <= 'Z') y += 32;
			if (x != y)
				break;
		}
		if (k == nl)
			return 1;
	}
	return 0;
}

static int listed_in_connection(const struct req_head *h, const char *name, size_t nl)
{
	size_t i;

	for (i = 0; i < h->nfields; i++)
		if (named(&h->field[i], "Connection") &&
		    ref_listed(h->field[i].value, h->field[i].vlen, name, nl))
			return 1;
	return 0;
}

/* Reference Content-Length: the numbers of a comma list, empty elements
 * ignored. The value, -1 if an element is no number or two differ or
 * there is none, -3 if a number is too large to judge here. */
static long long ref_length(const char *v, size_t n)
{
	long long seen = -1;
	size_t i = 0;
	int big = 0;

	while (i <= n) {
		size_t s = i, e, k;
		long long x = 0;
		while (i < n && v[i] != ',')
			i++;
		e = i++;
		while (s < e && (v[s] == ' ' || v[s] == '\t'))
			s++;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (s == e)
			continue;
		for (k = s; k < e; k++)
			if (v[k] < '0' || v[k] > '9')
				return -1;
		while (s < e - 1 && v[s] == '0')
			s++;
		if (e - s > 15) {
			big = 1;
			continue;
		}
		for (k = s; k < e; k++)
			x = x * 10 + (v[k] - '0');
		if (seen >= 0 && x != seen)
			return -1;
		seen = x;
	}
	return big ? -3 : seen;
}

static void check_framing(const struct req_head *h)
{
	long long len = -7, ref = -1;
	enum body_framing fr = reqparse_framing(h->field, h->nfields, &len);
	size_t i, te = 0, cl = 0;

	for (i = 0; i < h->nfields; i++) {
		if (named(&h->field[i], "Transfer-Encoding"))
			te++;
		if (named(&h->field[i], "Content-Length"))
			cl++;
	}
	CHECK(fr == BODY_NONE || fr == BODY_LENGTH || fr == BODY_CHUNKED ||
	      fr == BODY_BAD || fr == BODY_UNSUPPORTED);
	if (fr == BODY_LENGTH)
		CHECK(len > 0);
	else
		CHECK(len == -7);
	if (te && cl)
		CHECK(fr == BODY_BAD);
	if (fr == BODY_CHUNKED || fr == BODY_UNSUPPORTED)
		CHECK(te && !cl);
	if (fr == BODY_LENGTH || (fr == BODY_NONE && cl))
		CHECK(cl && !te);
	if (fr == BODY_NONE)
		CHECK(!te);
	if (fr == BODY_CHUNKED) {
		/* exactly one coding, chunked, in exactly one field */
		CHECK(te == 1);
		for (i = 0; i < h->nfields; i++)
			if (named(&h->field[i], "Transfer-Encoding"))
				CHECK(ieq(h->field[i].value, h->field[i].vlen, "chunked"));
	}
	if (cl && !te) {
		/* every Content-Length must agree on one number */
		for (i = 0; i < h->nfields && ref != -2; i++) {
			long long x;
			if (!named(&h->field[i], "Content-Length"))
				continue;
			x = ref_length(h->field[i].value, h->field[i].vlen);
			if (x == -3)
				ref = -3;
			else if (x < 0 || (ref >= 0 && x != ref))
				ref = -2;
			else if (ref != -3)
				ref = x;
		}
		if (ref == -2)
			CHECK(fr == BODY_BAD);
		else if (ref >= 0 && fr != BODY_BAD)
			CHECK(ref == 0 ? fr == BODY_NONE : fr == BODY_LENGTH && len == ref);
	}
}

static void check_cookies(const struct req_head *h)
{
	size_t cap = 1, i, o = 0;
	char *ref, *out;
	long r;

	for (i = 0; i < h->nfields; i++)
		cap += h->field[i].vlen + 2;
	ref = malloc(cap);
	out = malloc(cap);
	CHECK(ref && out);
	for (i = 0; i < h->nfields; i++) {
		if (!named(&h->field[i], "Cookie") || !h->field[i].vlen)
			continue;
		if (o) {
			memcpy(ref + o, "; ", 2);
			o += 2;
		}
		memcpy(ref + o, h->field[i].value, h->field[i].vlen);
		o += h->field[i].vlen;
	}
	ref[o] = '\0';
	r = reqparse_join_cookies(h->field, h->nfields, out, cap);
	CHECK(r == (long)o && memcmp(out, ref, o + 1) == 0);
	CHECK(reqparse_join_cookies(h->field, h->nfields, out, 0) == -1);
	free(out);
	out = malloc(o + 1);
	CHECK(out);
	CHECK(reqparse_join_cookies(h->field, h->nfields, out, o + 1) == (long)o);
	CHECK(memcmp(out, ref, o + 1) == 0);
	if (o)
		CHECK(reqparse_join_cookies(h->field, h->nfields, out, o) == -1);
	free(out);
	free(ref);
}

/* Gateway-written names: never a client's copy (header_forwardable). */
static const char *const gateway[] = {
	"Cookie", "Content-Type", "Transfer-Encoding", "Content-Length",
	"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host",
	"X-Forwarded-Prefix", "Connection", "Upgrade",
};

static void check_head(const char *out, size_t len, const struct fwd_request *r,
                       const struct req_head *h)
{
	const char *p = out, *end = out + len, *eol;
	size_t seen[sizeof gateway / sizeof gateway[0]] = { 0 }, g, next = 0, hosts = 0;
	char num[32];

	CHECK(strlen(out) == len);
	CHECK(len >= 4 && memcmp(end - 4, "\r\n\r\n", 4) == 0);
	eol = strstr(p, "\r\n");
	CHECK(eol);
	CHECK((size_t)(eol - p) == strlen(r->method) + strlen(r->target) + 10);
	CHECK(strncmp(p, r->method, strlen(r->method)) == 0 && p[strlen(r->method)] == ' ');
	CHECK(memcmp(p + strlen(r->method) + 1, r->target, strlen(r->target)) == 0);
	CHECK(memcmp(eol - 9, " HTTP/1.1", 9) == 0);
	CHECK(ctl_free(p, (size_t)(eol - p)));
	for (p = eol + 2; (eol = strstr(p, "\r\n")) != NULL && eol != p; p = eol + 2) {
		const char *colon = memchr(p, ':', (size_t)(eol - p)), *q, *v;
		size_t nl, vl;
		CHECK(colon && colon > p && colon[1] == ' ');
		nl = (size_t)(colon - p);
		v = colon + 2;
		vl = (size_t)(eol - v);
		for (q = p; q < colon; q++)
			CHECK(tchar((unsigned char)*q));
		CHECK(ctl_free(v, vl));
		if (ieq(p, nl, "Host")) {
			hosts++;
			continue;
		}
		for (g = 0; g < sizeof gateway / sizeof gateway[0]; g++)
			if (ieq(p, nl, gateway[g]))
				break;
		if (g < sizeof gateway / sizeof gateway[0]) {
			seen[g]++;
			continue;
		}
		/* a client field: the next one the filter lets through */
		for (; next < h->nfields; next++) {
			const struct resp_field *f = &h->field[next];
			char name[256];
			CHECK(f->nlen < sizeof name);
			memcpy(name, f->name, f->nlen);
			name[f->nlen] = '\0';
			if (header_forwardable(name, NULL) &&
			    !listed_in_connection(h, f->name, f->nlen))
				break;
		}
		CHECK(next < h->nfields);
		CHECK(nl == h->field[next].nlen && memcmp(p, h->field[next].name, nl) == 0);
		CHECK(vl == h->field[next].vlen && memcmp(v, h->field[next].value, vl) == 0);
		CHECK(!listed_in_connection(h, p, nl));
		next++;
	}
	CHECK(eol == p && eol + 2 == end);
	/* no forwardable client field left out */
	for (; next < h->nfields; next++) {
		const struct resp_field *f = &h->field[next];
		char name[256];
		memcpy(name, f->name, f->nlen);
		name[f->nlen] = '\0';
		CHECK(!header_forwardable(name, NULL) || listed_in_connection(h, f->name, f->nlen));
	}
	CHECK(hosts == 1);
	for (g = 0; g < sizeof gateway / sizeof gateway[0]; g++)
		CHECK(seen[g] <= 1);
	/* Transfer-Encoding (index 2) only when chunked; Content-Length (3)
	 * only from the framing */
	CHECK(seen[2] == (r->chunked ? 1u : 0u));
	CHECK(seen[3] == (!r->chunked && r->content_length >= 0 ? 1u : 0u));
	if (seen[3]) {
		snprintf(num, sizeof num, "\r\nContent-Length: %lld\r\n", r->content_length);
		CHECK(strstr(out, num));
	}
	if (seen[2])
		CHECK(strstr(out, "\r\nTransfer-Encoding: chunked\r\n"));
	/* Connection (8), Upgrade (9) */
	if (r->upgrade) {
		CHECK(seen[8] == 1 && seen[9] == 1 && strstr(out, "\r\nConnection: Upgrade\r\n"));
	} else {
		CHECK(seen[9] == 0);
		CHECK(seen[8] == (r->keep_alive ? 0u : 1u));
		if (seen[8])
			CHECK(strstr(out, "\r\nConnection: close\r\n"));
	}
}

/* Copy span S[0..N) to OUT (NUL-terminated), as relay.c does: -1 if too long. */
static int span(const char *s, size_t n, char *out, size_t outsz)
{
	if (n >= outsz)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static void check_build(const struct req_head *h, enum body_framing fr, long long blen)
{
	char method[16], target[4096], host[256], ctype[1024], cookies[8192], stripped[8192];
	const struct resp_field *f;
	struct fwd_request r;
	size_t cap = 2 * REQ_HEAD_MAX;
	char *out = malloc(cap), *tight;
	long n;

	CHECK(out);
	memset(&r, 0, sizeof r);
	if (span(h->method, h->method_len, method, sizeof method) < 0 || !reqhead_method_ok(method))
		strcpy(method, "GET");
	if (span(h->target, h->target_len, target, sizeof target) < 0)
		strcpy(target, "/");
	r.method = method;
	r.target = target;
	f = reqparse_field(h->field, h->nfields, "Host");
	r.host = f && span(f->value, f->vlen, host, sizeof host) == 0 ? host : NULL;
	if (reqparse_join_cookies(h->field, h->nfields, cookies, sizeof cookies) < 0 ||
	    cookie_strip(cookies, COOKIE, stripped, sizeof stripped) < 0)
		stripped[0] = '\0';
	r.cookie = stripped;
	f = reqparse_field(h->field, h->nfields, "Content-Type");
	r.content_type = f && span(f->value, f->vlen, ctype, sizeof ctype) == 0 ? ctype : NULL;
	r.content_length = fr == BODY_LENGTH ? blen :
	                   (!strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH")) &&
	                   fr == BODY_NONE ? 0 : -1;
	r.chunked = fr == BODY_CHUNKED;
	r.client_addr = "127.0.0.1";
	r.proto = "http";
	r.prefix = "/cgi-bin/app";
	r.fields = h->field;
	r.nfields = h->nfields;
	f = reqparse_field(h->field, h->nfields, "Upgrade");
	r.upgrade = f && ieq(f->value, f->vlen, "websocket") ? "websocket" : NULL;

	for (r.keep_alive = 0; r.keep_alive <= 1; r.keep_alive++) {
		n = reqhead_build(&r, out, cap);
		/* the parser let no control byte through: only size can fail */
		CHECK(n == REQHEAD_TOO_BIG || (n > 0 && (size_t)n < cap));
		if (n < 0)
			continue;
		check_head(out, (size_t)n, &r, h);
		tight = malloc((size_t)n + 1);
		CHECK(tight);
		CHECK(reqhead_build(&r, tight, (size_t)n + 1) == n);
		CHECK(memcmp(tight, out, (size_t)n + 1) == 0);
		CHECK(reqhead_build(&r, tight, (size_t)n) == REQHEAD_TOO_BIG);
		free(tight);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fz_bytes(data, size);
	struct req_head *h = malloc(sizeof *h), *h2 = malloc(sizeof *h2);
	long r;
	size_t i;
	enum body_framing fr;
	long long blen = -1;

	CHECK(h && h2);
	r = reqparse_head(buf, size, h);
	CHECK(r == REQPARSE_INCOMPLETE || r == REQPARSE_MALFORMED || r == REQPARSE_TOO_MANY ||
	      r == REQPARSE_TOO_BIG || (r > 0 && (size_t)r <= size));
	if (r == REQPARSE_INCOMPLETE)
		CHECK(size <= REQ_HEAD_MAX);
	if (r <= 0)
		goto done;
	CHECK(r <= REQ_HEAD_MAX);
	CHECK(h->head_len == (size_t)r && buf[r - 1] == '\n');
	CHECK((buf[r - 2] == '\n') || (r >= 3 && buf[r - 2] == '\r' && buf[r - 3] == '\n'));
	CHECK(h->method == buf && h->method_len > 0);
	for (i = 0; i < h->method_len; i++)
		CHECK(tchar((unsigned char)h->method[i]));
	CHECK(h->target == buf + h->method_len + 1 && h->target_len > 0 && h->target[0] == '/');
	for (i = 0; i < h->target_len; i++)
		CHECK((unsigned char)h->target[i] > 0x20 && (unsigned char)h->target[i] < 0x7f);
	CHECK(h->minor == 0 || h->minor == 1);
	CHECK(h->nfields <= RESP_HEADERS_MAX);
	for (i = 0; i < h->nfields; i++) {
		const struct resp_field *f = &h->field[i];
		size_t k;
		CHECK(f->name > buf && f->name + f->nlen <= buf + r && f->nlen > 0);
		CHECK(f->value >= buf && f->value + f->vlen <= buf + r);
		for (k = 0; k < f->nlen; k++)
			CHECK(tchar((unsigned char)f->name[k]));
		CHECK(ctl_free(f->value, f->vlen));
		CHECK(f->vlen == 0 || (f->value[0] != ' ' && f->value[0] != '\t' &&
		                       f->value[f->vlen - 1] != ' ' && f->value[f->vlen - 1] != '\t'));
	}
	/* the head alone parses the same; one byte less is not a head yet */
	CHECK(reqparse_head(buf, (size_t)r, h2) == r && h2->nfields == h->nfields);
	CHECK(reqparse_head(buf, (size_t)r - 1, h2) == REQPARSE_INCOMPLETE);

	check_framing(h);
	check_cookies(h);
	fr = reqparse_framing(h->field, h->nfields, &blen);
	if (fr != BODY_BAD && fr != BODY_UNSUPPORTED)   /* the relay refuses those */
		check_build(h, fr, blen);
done:
	free(h2);
	free(h);
	free(buf);
	return 0;
}
