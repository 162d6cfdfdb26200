#include "check.h"
#include "lib/reqparse.h"
#include "lib/decimal.h"

static struct req_head h;

void test_reqparse(void)
{
	static const struct { const char *in; long ret; const char *method, *target; size_t n; } t[] = {
		{ "GET /x HTTP/1.1\r\nHost: a\r\n\r\n", 28, "GET", "/x", 1 },
		{ "POST /a%20b?q=1 HTTP/1.0\n\n", 26, "POST", "/a%20b?q=1", 0 },
		{ "GET /x HTTP/1.1\r\nHost: a\r\n", REQPARSE_INCOMPLETE, "", "", 0 },
		{ "GET /x HTTP/1.1", REQPARSE_INCOMPLETE, "", "", 0 },
		{ "\r\nGET /x HTTP/1.1\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET http://evil/ HTTP/1.1\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET * HTTP/1.1\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET /x HTTP/2.0\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET  /x HTTP/1.1\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET /x y HTTP/1.1\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "G(T /x HTTP/1.1\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET /\x01 HTTP/1.1\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET /x HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET /x HTTP/1.1\r\nHost : a\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
		{ "GET /x HTTP/1.1\r\nA: x\0y\r\n\r\n", REQPARSE_INCOMPLETE, "", "", 0 },   /* strlen stops */
		{ "GET /x HTTP/1.1\r\nA: x\ry\r\n\r\n", REQPARSE_MALFORMED, "", "", 0 },
	};
	static const struct { const char *head; int framing; long long len; } fr[] = {
		{ "GET / HTTP/1.1\r\n\r\n", BODY_NONE, -1 },
		{ "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", BODY_LENGTH, 5 },
		{ "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", BODY_NONE, -1 },
		{ "POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n", BODY_LENGTH, 5 },
		{ "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", BODY_CHUNKED, -1 },
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: CHUNKED\r\n\r\n", BODY_CHUNKED, -1 },
		{ "POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\nContent-Length: 5\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", BODY_UNSUPPORTED, -1 },
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", BODY_BAD, -1 },
		/* fuzz_reqparse: any Transfer-Encoding beside Content-Length is BAD */
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 3\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", BODY_BAD, -1 },
		{ "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", BODY_BAD, -1 },
	};
	size_t i;
	char out[64], small[4];

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		long r = reqparse_head(t[i].in, strlen(t[i].in), &h);
		CHECK(r == t[i].ret, "reqparse_head(%s) = %ld want %ld", t[i].in, r, t[i].ret);
		if (r > 0) {
			CHECK(h.method_len == strlen(t[i].method) && !memcmp(h.method, t[i].method, h.method_len), "method");
			CHECK(h.target_len == strlen(t[i].target) && !memcmp(h.target, t[i].target, h.target_len), "target");
			CHECK(h.nfields == t[i].n, "fields %zu", h.nfields);
		}
	}
	for (i = 0; i < sizeof fr / sizeof fr[0]; i++) {
		long long len = -1;
		int f;
		CHECK(reqparse_head(fr[i].head, strlen(fr[i].head), &h) > 0, "parse %s", fr[i].head);
		f = reqparse_framing(h.field, h.nfields, &len);
		CHECK(f == fr[i].framing, "framing of %s: %d want %d", fr[i].head, f, fr[i].framing);
		if (f == BODY_LENGTH)
			CHECK(len == fr[i].len, "length %lld", len);
	}
	{
		const char *two = "GET / HTTP/1.1\r\nCookie: a=1\r\nX: y\r\ncookie: b=2\r\n\r\n";
		CHECK(reqparse_head(two, strlen(two), &h) > 0, "two cookies");
		CHECK(reqparse_join_cookies(h.field, h.nfields, out, sizeof out) == 8 &&
		      !strcmp(out, "a=1; b=2"), "joined: %s", out);
		CHECK(reqparse_join_cookies(h.field, h.nfields, small, sizeof small) == -1, "join overflow");
		CHECK(reqparse_field(h.field, h.nfields, "x") != NULL, "field lookup any case");
		CHECK(reqparse_field(h.field, h.nfields, "Host") == NULL, "missing field");
	}
	{       /* a head over REQ_HEAD_MAX without its end is refused, not waited for */
		static char big[REQ_HEAD_MAX + 64];
		memset(big, 'a', sizeof big);
		memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
		CHECK(reqparse_head(big, sizeof big, &h) == REQPARSE_TOO_BIG, "too big");
	}
}

/* The one framing decision for app responses, both paths. */
void test_response_framing(void)
{
	static const struct { const char *head, *method; int fr; long long len; } t[] = {
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "GET", BODY_LENGTH, 5 },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", "GET", BODY_LENGTH, 5 },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "GET", BODY_NONE, -1 },
		{ "HTTP/1.1 200 OK\r\n\r\n", "GET", BODY_UNTIL_CLOSE, -1 },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "GET", BODY_CHUNKED, -1 },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "GET", BODY_CHUNKED, -1 },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "GET", BODY_UNTIL_CLOSE, -1 },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", "GET", BODY_BAD, -1 },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "GET", BODY_BAD, -1 },
		{ "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", "GET", BODY_BAD, -1 },
		/* bodyless first: whatever the fields say */
		{ "HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\n\r\n", "GET", BODY_NONE, -1 },
		{ "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", "GET", BODY_NONE, -1 },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", "HEAD", BODY_NONE, -1 },
	};
	static const struct { const char *s; long long max, want; int ok; } d[] = {
		{ "0", 10, 0, 0 }, { "10", 10, 10, 0 }, { "11", 10, 0, -1 }, { "", 10, 0, -1 },
		{ "+1", 10, 0, -1 }, { "-0", 10, 0, -1 }, { " 1", 10, 0, -1 }, { "1 ", 10, 0, -1 },
		{ "0x5", 10, 0, -1 }, { "99999999999999999999", 1000000000000000LL, 0, -1 },
		{ "1000000000000000", 1000000000000000LL, 1000000000000000LL, 0 },
	};
	struct resp_head rh;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		long long len = -1;
		int fr;
		CHECK(resphead_parse(t[i].head, strlen(t[i].head), &rh) > 0, "parse %zu", i);
		fr = reqparse_response_framing(&rh, t[i].method, &len);
		CHECK(fr == t[i].fr, "response framing case %zu: %d", i, fr);
		if (fr == BODY_LENGTH)
			CHECK(len == t[i].len, "response length case %zu: %lld", i, len);
	}
	for (i = 0; i < sizeof d / sizeof d[0]; i++) {
		long long v = -1;
		int r = decimal_parse(d[i].s, strlen(d[i].s), d[i].max, &v);
		CHECK(r == d[i].ok && (r < 0 || v == d[i].want), "decimal_parse(%s) = %d, %lld", d[i].s, r, v);
	}
}
