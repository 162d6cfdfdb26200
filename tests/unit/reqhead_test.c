#include "check.h"
#include "lib/reqhead.h"

void test_reqhead(void)
{
	char *env[] = {
		"PATH=/bin",
		"HTTP_HOST=gw.example:8000",
		"HTTP_ACCEPT=text/html",
		"HTTP_COOKIE=sid=secret; a=1",
		"HTTP_X_FORWARDED_FOR=6.6.6.6",
		"HTTP_FORWARDED=for=6.6.6.6",
		"HTTP_X_REAL_IP=6.6.6.6",
		"HTTP_CONNECTION=close, X-Hop",
		"HTTP_X_HOP=1",
		"HTTP_PROXY=http://evil:1",
		"HTTP_TRANSFER_ENCODING=chunked",
		"HTTP_CONTENT_LENGTH=5",
		"HTTP_UPGRADE=websocket",
		"HTTP_X_KEEP=yes",
		NULL,
	};
	struct fwd_request r = {
		.method = "POST", .target = "/a%20b?q=1", .host = "gw.example:8000",
		.cookie = "a=1", .content_type = "text/plain", .content_length = 5,
		.client_addr = "127.0.0.1", .proto = "http", .prefix = "/cgi-bin/app", .env = env,
	};
	static const char want[] =
		"POST /a%20b?q=1 HTTP/1.1\r\n"
		"Host: gw.example:8000\r\n"
		"Accept: text/html\r\n"
		"X-Keep: yes\r\n"
		"Cookie: a=1\r\n"
		"Content-Type: text/plain\r\n"
		"Content-Length: 5\r\n"
		"X-Forwarded-For: 127.0.0.1\r\n"
		"X-Forwarded-Proto: http\r\n"
		"X-Forwarded-Host: gw.example:8000\r\n"
		"X-Forwarded-Prefix: /cgi-bin/app\r\n"
		"Connection: close\r\n"
		"\r\n";
	char out[2048], small[32];
	long n = reqhead_build(&r, out, sizeof out);

	CHECK(n == (long)strlen(want), "length %ld want %zu", n, strlen(want));
	CHECK_STR(out, want, "full head");
	CHECK(reqhead_build(&r, small, sizeof small) == REQHEAD_TOO_BIG, "too big");

	{
		char *bad_env[] = { "HTTP_X_EVIL=a\r\nX-Injected: 1", NULL };
		struct fwd_request b = r;
		b.env = bad_env;
		CHECK(reqhead_build(&b, out, sizeof out) == REQHEAD_BAD_VALUE, "CRLF in a header value");
		b.env = env;
		b.target = "/a b";
		CHECK(reqhead_build(&b, out, sizeof out) == REQHEAD_BAD_VALUE, "space in target");
		b.target = "/a\r\n";
		CHECK(reqhead_build(&b, out, sizeof out) == REQHEAD_BAD_VALUE, "CRLF in target");
		b.target = "/";
		b.content_length = -1;
		b.cookie = "";
		b.prefix = NULL;
		b.host = NULL;
		n = reqhead_build(&b, out, sizeof out);
		CHECK(n > 0 && strstr(out, "Content-Length") == NULL, "no body, no length");
		CHECK(strstr(out, "Cookie:") == NULL, "empty cookie omitted");
		CHECK(strstr(out, "X-Forwarded-Prefix") == NULL, "prefix kept: no header");
		CHECK(strstr(out, "Host: localhost\r\n") != NULL, "default Host");
	}
	{
		static const struct { const char *m; int ok, idem; } m[] = {
			{ "GET", 1, 1 }, { "HEAD", 1, 1 }, { "POST", 1, 0 }, { "PUT", 1, 1 },
			{ "PATCH", 1, 0 }, { "DELETE", 1, 1 }, { "OPTIONS", 1, 1 },
			{ "TRACE", 0, 0 }, { "CONNECT", 0, 0 }, { "get", 0, 0 }, { "", 0, 0 },
			{ "PROPFIND", 0, 0 }, { "LOCK", 0, 0 },
		};
		size_t i;
		for (i = 0; i < sizeof m / sizeof m[0]; i++) {
			CHECK(reqhead_method_ok(m[i].m) == m[i].ok, "method %s", m[i].m);
			CHECK(reqhead_method_idempotent(m[i].m) == m[i].idem, "idempotent %s", m[i].m);
		}
	}
}
