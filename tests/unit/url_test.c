#include "check.h"
#include "lib/url.h"

void test_url(void)
{
	static const struct { const char *in; const char *out; } enc[] = {
		{ "/a/b", "/a/b" },
		{ "/a b", "/a%20b" },
		{ "/100%", "/100%25" },
		{ "/q?x#y", "/q%3Fx%23y" },
		{ "/cr\r\nHost: evil", "/cr%0D%0AHost:%20evil" },
		{ "/\xc3\xa9t\xc3\xa9", "/%C3%A9t%C3%A9" },
		{ "/keep:@!$&'()*+,;=-._~", "/keep:@!$&'()*+,;=-._~" },
		{ "/tab\there", "/tab%09here" },
		{ "/quote\"<>", "/quote%22%3C%3E" },
		{ "/back\\slash", "/back%5Cslash" },
	};
	static const struct { const char *next; int ok; } next[] = {
		{ "/", 1 },
		{ "/cgi-bin/app/tree?x=1", 1 },
		{ "/a//b", 1 },
		{ "", 0 },
		{ "//evil.com", 0 },
		{ "/\\evil.com", 0 },
		{ "\\\\evil.com", 0 },
		{ "https://evil.com", 0 },
		{ "http:/evil.com", 0 },
		{ "javascript:alert(1)", 0 },
		{ "evil.com", 0 },
		{ "/\t/evil.com", 0 },
		{ "/\n/evil.com", 0 },
		{ "/\r\nSet-Cookie: x=1", 0 },
		{ " /app", 0 },
		{ "/a\\b", 0 },
		{ "/caf\xc3\xa9", 0 },
		{ "/%2F%2Fevil.com", 1 },   /* a path on this site: the browser won't decode %2F */
		{ "/\x7f", 0 },
	};
	static const struct { const char *uri, *query; long ret; const char *path; } idx[] = {
		{ "/", "", 1, "/" },
		{ "/?next=/x", "next=/x", 1, "/" },
		{ "/cgi-bin/app/", "", 13, "/cgi-bin/app/" },
		{ "/cgi-bin/app/?a=b", "a=b", 13, "/cgi-bin/app/" },
		{ "/cgi-bin/app/a?b/", "", 17, "/cgi-bin/app/a?b/" },        /* decoded %3F */
		{ "/cgi-bin/app/a?b/?c=d", "c=d", 17, "/cgi-bin/app/a?b/" },
		{ "/x/?", "", 3, "/x/" },
		{ "/x", "", -1, "" },
		{ "/x?y", "y", -1, "" },
	};
	size_t i;
	char out[256];
	char big[8];

	for (i = 0; i < sizeof enc / sizeof enc[0]; i++) {
		char back[256];
		long r = url_encode_path(enc[i].in, out, sizeof out);
		CHECK(r == (long)strlen(enc[i].out), "encode length %ld", r);
		CHECK_STR(out, enc[i].out, enc[i].in);
		CHECK(url_decode(out, strlen(out), back, sizeof back, 0) >= 0 && strcmp(back, enc[i].in) == 0,
		      "round trip of %s", enc[i].in);
	}
	CHECK(url_encode_path("/abcdefgh", big, sizeof big) == -1, "encode overflow");
	CHECK(url_decode("a%2", 3, out, sizeof out, 0) == -1, "truncated escape");
	CHECK(url_decode("a%00", 4, out, sizeof out, 0) == -1, "decoded NUL");
	CHECK(url_decode("a+b", 3, out, sizeof out, 0) == 3 && strcmp(out, "a+b") == 0, "plus kept in paths");
	CHECK(url_decode("a+b", 3, out, sizeof out, 1) == 3 && strcmp(out, "a b") == 0, "plus is space in forms");
	CHECK(url_encode_component("/x?a=1&b=%", out, sizeof out) > 0 &&
	      strcmp(out, "/x%3Fa%3D1%26b%3D%25") == 0, "component: %s", out);

	for (i = 0; i < sizeof next / sizeof next[0]; i++)
		CHECK(url_next_ok(next[i].next) == next[i].ok, "url_next_ok(%s)", next[i].next);
	{
		char longnext[4000];
		memset(longnext, 'a', sizeof longnext - 1);
		longnext[0] = '/';
		longnext[sizeof longnext - 1] = '\0';
		CHECK(url_next_ok(longnext) == 0, "overlong next refused");
	}
	{
		static const struct { const char *in, *want; } dots[] = {
			{ "/", "/" }, { "/a", "/a" }, { "/a/", "/a/" }, { "/a//b", "/a/b" },
			{ "/a/./b", "/a/b" }, { "/a/.", "/a/" }, { "/a/b/..", "/a/" },
			{ "/a/b/../c", "/a/c" }, { "/a/b/c/../../d/", "/a/d/" }, { "//x", "/x" },
			{ "/cgi-bin/app/x/../echo", "/cgi-bin/app/echo" },
			{ "/cgi-bin/app/../../echo", "/echo" },
			{ "/.a/..b/...", "/.a/..b/..." },
			{ "/..", NULL }, { "/a/../..", NULL }, { "a/b", NULL }, { "", NULL },
		};
		for (i = 0; i < sizeof dots / sizeof dots[0]; i++) {
			char p[64];
			long r;
			strcpy(p, dots[i].in);
			r = url_path_normalize(p);
			CHECK((r < 0) == !dots[i].want, "url_path_normalize(%s) = %ld", dots[i].in, r);
			if (r >= 0 && dots[i].want)
				CHECK(r == (long)strlen(dots[i].want) && !strcmp(p, dots[i].want),
				      "url_path_normalize(%s) = %s", dots[i].in, p);
		}
	}
	for (i = 0; i < sizeof idx / sizeof idx[0]; i++) {
		long r = url_index_path(idx[i].uri, idx[i].query, out, sizeof out);
		CHECK(r == idx[i].ret, "url_index_path(%s, %s) = %ld", idx[i].uri, idx[i].query, r);
		if (r >= 0)
			CHECK_STR(out, idx[i].path, idx[i].uri);
	}
}
