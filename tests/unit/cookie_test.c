#include "check.h"
#include "lib/cookie.h"

void test_cookie(void)
{
	static const struct { const char *hdr, *name; int hits; const char *first; } find[] = {
		{ "sid=abc", "sid", 1, "abc" },
		{ "a=1; sid=abc; b=2", "sid", 1, "abc" },
		{ "a=1;sid=abc", "sid", 1, "abc" },
		{ "sid=one; sid=two", "sid", 2, "one" },
		{ "xsid=1; sidx=2", "sid", 0, "" },
		{ "sid=\"quoted\"", "sid", 1, "quoted" },
		{ "  sid = spaced ; a=b", "sid", 1, "spaced" },
		{ "", "sid", 0, "" },
		{ ";;;", "sid", 0, "" },
		{ "sid", "sid", 0, "" },
		{ "sid=", "sid", 1, "" },
		{ "a=b=c; sid=v=w", "sid", 1, "v=w" },
	};
	static const struct { const char *hdr, *name; long ret; const char *out; } strip[] = {
		{ "sid=abc", "sid", 0, "" },
		{ "a=1; sid=abc; b=2", "sid", 8, "a=1; b=2" },
		{ "sid=1;a=1;sid=2", "sid", 3, "a=1" },
		{ "a=1", "sid", 3, "a=1" },
		{ "xsid=1;sidx=2", "sid", 14, "xsid=1; sidx=2" },
		{ "_xsrf=2|abc; username-localhost-8888=\"2:abc\"", "sid", 44,
		  "_xsrf=2|abc; username-localhost-8888=\"2:abc\"" },
	};
	static const struct { const char *value, *name; int yes; } sets[] = {
		{ "sid=abc; Path=/", "sid", 1 },
		{ " sid =; Max-Age=0", "sid", 1 },
		{ "sidx=abc", "sid", 0 },
		{ "other=sid", "sid", 0 },
		{ "sid", "sid", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof find / sizeof find[0]; i++) {
		const char *v;
		size_t vlen, pos = 0;
		int hits = 0;
		char first[64] = "";
		while (cookie_next(find[i].hdr, find[i].name, &pos, &v, &vlen)) {
			if (!hits)
				snprintf(first, sizeof first, "%.*s", (int)vlen, v);
			hits++;
		}
		CHECK(hits == find[i].hits, "cookie_next(%s): %d hits, want %d", find[i].hdr, hits, find[i].hits);
		CHECK_STR(first, find[i].first, find[i].hdr);
	}
	for (i = 0; i < sizeof strip / sizeof strip[0]; i++) {
		char out[128];
		long r = cookie_strip(strip[i].hdr, strip[i].name, out, sizeof out);
		CHECK(r == strip[i].ret, "cookie_strip(%s) = %ld, want %ld", strip[i].hdr, r, strip[i].ret);
		if (r >= 0)
			CHECK_STR(out, strip[i].out, strip[i].hdr);
	}
	{
		char small[4];
		CHECK(cookie_strip("a=1; b=2", "sid", small, sizeof small) == -1, "overflow is refused");
	}
	for (i = 0; i < sizeof sets / sizeof sets[0]; i++)
		CHECK(cookie_sets_name(sets[i].value, strlen(sets[i].value), sets[i].name) == sets[i].yes,
		      "cookie_sets_name(%s)", sets[i].value);
}
