#include "check.h"
#include "lib/header.h"

void test_header(void)
{
	static const struct { const char *env, *name; long ret; } names[] = {
		{ "HTTP_ACCEPT=text/html", "Accept", 6 },
		{ "HTTP_ACCEPT_LANGUAGE=en", "Accept-Language", 15 },
		{ "HTTP_X_CSRF_TOKEN", "X-Csrf-Token", 12 },
		{ "HTTP_DNT=1", "Dnt", 3 },
		{ "HTTP_=x", "", 0 },
		{ "CONTENT_TYPE=text/plain", "", 0 },
		{ "PATH=/bin", "", 0 },
		{ "HTTPS=on", "", 0 },
	};
	static const struct { const char *name, *conn; int fwd; } fwd[] = {
		{ "Accept", NULL, 1 },
		{ "X-Custom", NULL, 1 },
		{ "Connection", NULL, 0 },
		{ "Keep-Alive", NULL, 0 },
		{ "Te", NULL, 0 },
		{ "Trailer", NULL, 0 },
		{ "Transfer-Encoding", NULL, 0 },
		{ "Upgrade", NULL, 0 },
		{ "Proxy-Authorization", NULL, 0 },
		{ "Proxy-Connection", NULL, 0 },
		{ "Proxy", NULL, 0 },
		{ "Host", NULL, 0 },
		{ "Cookie", NULL, 0 },
		{ "Content-Length", NULL, 0 },
		{ "X-Forwarded-For", NULL, 0 },
		{ "X-Forwarded-Proto", NULL, 0 },
		{ "X-Forwarded-Host", NULL, 0 },
		{ "Forwarded", NULL, 0 },
		{ "X-Real-Ip", NULL, 0 },
		{ "Expect", NULL, 0 },
		{ "X-Secret", "close, x-secret", 0 },
		{ "X-Secret", "keep-alive", 1 },
		{ "Authorization", NULL, 1 },   /* README: forwarded on both paths */
		{ "X-Forwarded-User", NULL, 0 },
		{ "x-forwarded-email", NULL, 0 },
		{ "X-Forwarded-Preferred-Username", NULL, 0 },
		{ "X-Forwarded-Groups", NULL, 0 },
		{ "Remote-User", NULL, 0 },
		{ "X-Remote-User", NULL, 0 },
		{ "X-Auth-Request-User", NULL, 0 },
		{ "X-Auth-Request-Anything", NULL, 0 },
		{ "X_Forwarded_For", NULL, 0 },
		{ "Content_Length", NULL, 0 },
		{ "X_Custom", NULL, 0 },
		{ "X.Custom", NULL, 0 },
		{ "X-Forwarded-Users", NULL, 1 },
		{ "Remote-Users", NULL, 1 },
	};
	static const struct { const char *name; enum header_class cls; int counted; } pol[] = {
		{ "Accept", HEADER_PASS, 0 },
		{ "Connection", HEADER_HOP, 0 },
		{ "Proxy-Authorization", HEADER_HOP, 0 },
		{ "Host", HEADER_GATEWAY, 0 },
		{ "cookie", HEADER_GATEWAY, 0 },
		{ "X-Forwarded-Proto", HEADER_FORWARDING, 1 },
		{ "Forwarded", HEADER_FORWARDING, 1 },
		{ "Proxy", HEADER_FORWARDING, 1 },
		{ "X-Auth-Request-Email", HEADER_IDENTITY, 1 },
		{ "REMOTE-USER", HEADER_IDENTITY, 1 },
		{ "X_Real_IP", HEADER_BAD_NAME, 1 },
		{ "", HEADER_BAD_NAME, 1 },
	};
	static const struct { const char *v; int ok; } vals[] = {
		{ "plain value", 1 }, { "tab\there", 1 }, { "cr\rx", 0 }, { "lf\nx", 0 },
		{ "del\x7f", 0 }, { "utf8 \xc3\xa9", 1 }, { "", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		char out[64] = "";
		long r = header_name_from_env(names[i].env, out, sizeof out);
		CHECK(r == names[i].ret, "header_name_from_env(%s) = %ld", names[i].env, r);
		if (r > 0)
			CHECK_STR(out, names[i].name, names[i].env);
	}
	{
		char small[4];
		CHECK(header_name_from_env("HTTP_ACCEPT", small, sizeof small) == -1, "name overflow");
	}
	for (i = 0; i < sizeof fwd / sizeof fwd[0]; i++)
		CHECK(header_forwardable(fwd[i].name, fwd[i].conn) == fwd[i].fwd,
		      "header_forwardable(%s, %s)", fwd[i].name, fwd[i].conn ? fwd[i].conn : "-");
	for (i = 0; i < sizeof pol / sizeof pol[0]; i++) {
		enum header_class c = header_policy(pol[i].name, strlen(pol[i].name));
		CHECK(c == pol[i].cls, "header_policy(%s) = %d", pol[i].name, (int)c);
		CHECK(header_policy_counts(c) == pol[i].counted, "counted(%s)", pol[i].name);
	}
	for (i = 0; i < sizeof vals / sizeof vals[0]; i++)
		CHECK(header_value_ok(vals[i].v, strlen(vals[i].v)) == vals[i].ok, "value_ok(%s)", vals[i].v);
	CHECK(header_value_ok("a\0b", 3) == 0, "NUL in value");
	CHECK(header_list_has("close, Upgrade", "upgrade") == 1, "list has");
	CHECK(header_list_has("closed", "close") == 0, "list token boundary");
}
