#include "check.h"
#include "lib/resphead.h"

static struct resp_head h;

static const struct rewrite_ctx strip_ctx = {
	.prefix = "/cgi-bin/app", .strip = 1,
	.app_authority = { "127.0.0.1:8888", "localhost:8888", NULL },
	.client_host = "gw:9000", .cookie_name = "sh_login_ab",
};
static const struct rewrite_ctx keep_ctx = {
	.prefix = "/cgi-bin/app", .strip = 0,
	.app_authority = { "127.0.0.1:8888", NULL },
	.client_host = "gw:9000", .cookie_name = "sh_login_ab",
};

void test_resphead(void)
{
	static const struct { const char *in; long ret; int status; const char *reason; size_t n; } parse[] = {
		{ "HTTP/1.1 200 OK\r\nA: 1\r\n\r\nbody", 25, 200, "OK", 1 },
		{ "HTTP/1.0 404 Not Found\n\n", 24, 404, "Not Found", 0 },
		{ "HTTP/1.1 204\r\n\r\n", 16, 204, "", 0 },
		{ "HTTP/1.1 200 OK\r\nA: 1\r\n", RESPHEAD_INCOMPLETE, 0, "", 0 },
		{ "HTTP/1.1 200 OK", RESPHEAD_INCOMPLETE, 0, "", 0 },
		{ "HTTP/2 200 OK\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
		{ "HTTP/1.1 20 OK\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
		{ "HTTP/1.1 600 Big\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
		{ "ICY 200 OK\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
		{ "HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
		{ "HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
		{ "HTTP/1.1 200 OK\r\n: empty\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
		{ "HTTP/1.1 200 OK\r\nA: x\ry\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
		{ "HTTP/1.1 200 O\x01K\r\n\r\n", RESPHEAD_MALFORMED, 0, "", 0 },
	};
	static const struct { const char *loc; const struct rewrite_ctx *c; const char *want; } loc[] = {
		{ "/tree", &strip_ctx, "/cgi-bin/app/tree" },
		{ "/", &strip_ctx, "/cgi-bin/app/" },
		{ "http://127.0.0.1:8888/login?next=%2F", &strip_ctx, "/cgi-bin/app/login?next=%2F" },
		{ "http://LOCALHOST:8888", &strip_ctx, "/cgi-bin/app/" },
		{ "http://gw:9000/x", &strip_ctx, "http://gw:9000/cgi-bin/app/x" },
		{ "http://gw:9000/cgi-bin/app/x", &strip_ctx, "http://gw:9000/cgi-bin/app/x" },
		{ "https://example.org/", &strip_ctx, "https://example.org/" },
		{ "//example.org/x", &strip_ctx, "//example.org/x" },
		{ "relative/path", &strip_ctx, "relative/path" },
		{ "?q=1", &strip_ctx, "?q=1" },
		{ "/cgi-bin/app/x", &keep_ctx, "/cgi-bin/app/x" },
		{ "http://127.0.0.1:8888/cgi-bin/app/x", &keep_ctx, "/cgi-bin/app/x" },
		{ "http://127.0.0.1:88889/x", &strip_ctx, "http://127.0.0.1:88889/x" },
	};
	static const struct { const char *v; const struct rewrite_ctx *c; const char *want; } sc[] = {
		{ "a=1; Path=/", &strip_ctx, "a=1; Path=/cgi-bin/app/" },
		{ "a=1; path=/x; HttpOnly", &strip_ctx, "a=1; path=/cgi-bin/app/x; HttpOnly" },
		{ "a=1", &strip_ctx, "a=1" },
		{ "Path=/; a=1", &strip_ctx, "Path=/; a=1" },         /* the first pair is the cookie */
		{ "a=1; Path=/", &keep_ctx, "a=1; Path=/" },
		{ "a=1; Path=relative", &strip_ctx, "a=1; Path=relative" },
	};
	size_t i;
	char out[1024];

	for (i = 0; i < sizeof parse / sizeof parse[0]; i++) {
		long r = resphead_parse(parse[i].in, strlen(parse[i].in), &h);
		CHECK(r == parse[i].ret, "parse(%s) = %ld want %ld", parse[i].in, r, parse[i].ret);
		if (r > 0) {
			CHECK(h.status == parse[i].status, "status %d", h.status);
			CHECK(h.reason_len == strlen(parse[i].reason) &&
			      memcmp(h.reason, parse[i].reason, h.reason_len) == 0, "reason");
			CHECK(h.nfields == parse[i].n, "fields %zu", h.nfields);
		}
	}
	for (i = 0; i < sizeof loc / sizeof loc[0]; i++) {
		long r = resphead_location(loc[i].loc, strlen(loc[i].loc), loc[i].c, out, sizeof out);
		CHECK(r == (long)strlen(loc[i].want), "location length for %s", loc[i].loc);
		CHECK_STR(out, loc[i].want, loc[i].loc);
	}
	for (i = 0; i < sizeof sc / sizeof sc[0]; i++) {
		long r = resphead_set_cookie(sc[i].v, strlen(sc[i].v), sc[i].c, out, sizeof out);
		CHECK(r == (long)strlen(sc[i].want), "set-cookie length for %s", sc[i].v);
		CHECK_STR(out, sc[i].want, sc[i].v);
	}
	{
		static const char app[] =
			"HTTP/1.1 302 Found\r\n"
			"Location: /login\r\n"
			"Set-Cookie: a=1; Path=/\r\n"
			"Set-Cookie: b=2\r\n"
			"Set-Cookie: sh_login_ab=stolen; Path=/\r\n"
			"Connection: keep-alive\r\n"
			"Keep-Alive: timeout=5\r\n"
			"Transfer-Encoding: chunked\r\n"
			"Content-Length: 99\r\n"
			"X-App: yes\r\n\r\n";
		static const char want[] =
			"Status: 302 Found\r\n"
			"Location: /cgi-bin/app/login\r\n"
			"Set-Cookie: a=1; Path=/cgi-bin/app/\r\n"
			"Set-Cookie: b=2\r\n"
			"Transfer-Encoding: chunked\r\n"
			"X-App: yes\r\n"
			"Connection: close\r\n\r\n";
		char small[16];
		CHECK(resphead_parse(app, strlen(app), &h) == (long)strlen(app), "parse app head");
		CHECK(resphead_emit(&h, &strip_ctx, out, sizeof out) == (long)strlen(want), "emit length");
		CHECK_STR(out, want, "emitted head");
		CHECK(resphead_emit(&h, &strip_ctx, small, sizeof small) == -1, "emit overflow");
	}
	{
		char many[8192] = "HTTP/1.1 200 OK\r\n";
		for (i = 0; i <= RESP_HEADERS_MAX; i++)
			strcat(many, "A: 1\r\n");
		strcat(many, "\r\n");
		CHECK(resphead_parse(many, strlen(many), &h) == RESPHEAD_TOO_MANY, "too many fields");
	}
	{
		static const struct { const char *in; long long want; } cl[] = {
			{ "HTTP/1.1 200 OK\r\n\r\n", -1 },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0 },
			{ "HTTP/1.1 200 OK\r\ncontent-length:  1234 \r\n\r\n", 1234 },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 5 },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", RESPHEAD_BAD_LENGTH },
			/* a list of equal values, as for requests (RFC 9110 8.6) */
			{ "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\n", 5 },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", RESPHEAD_BAD_LENGTH },
			{ "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", RESPHEAD_BAD_LENGTH },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", RESPHEAD_BAD_LENGTH },
			{ "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n", RESPHEAD_BAD_LENGTH },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", RESPHEAD_BAD_LENGTH },
			{ "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n", -1 },
			{ "HTTP/1.1 200 OK\r\nContent-Length: x\r\nTransfer-Encoding: chunked\r\n\r\n", -1 },
		};
		for (i = 0; i < sizeof cl / sizeof cl[0]; i++) {
			long long got;
			CHECK(resphead_parse(cl[i].in, strlen(cl[i].in), &h) > 0, "parse %s", cl[i].in);
			got = resphead_content_length(&h);
			CHECK(got == cl[i].want, "content_length(%s) = %lld want %lld", cl[i].in, got, cl[i].want);
		}
	}
	CHECK(resphead_bodyless(204, "GET") && resphead_bodyless(304, "GET") &&
	      resphead_bodyless(200, "HEAD") && !resphead_bodyless(200, "GET"), "bodyless");
}
