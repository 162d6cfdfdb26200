#include "check.h"
#include "lib/token.h"
#include "limits.h"

void test_token(void)
{
	static const struct { const char *a, *b; int eq; } t[] = {
		{ "abc", "abc", 1 }, { "abc", "abd", 0 }, { "abc", "ab", 0 }, { "ab", "abc", 0 },
		{ "", "", 1 }, { "", "a", 0 }, { "abc\0", "abc", 1 },
		{ "050c22cd-e607-46d2-b877-0900bed9a1b8", "050c22cd-e607-46d2-b877-0900bed9a1b8", 1 },
		{ "050c22cd-e607-46d2-b877-0900bed9a1b8", "050c22cd-e607-46d2-b877-0900bed9a1b9", 0 },
	};
	static const struct { const char *t; int ok; } fmt[] = {
		{ "050c22cd-e607-46d2-b877-0900bed9a1b8", 1 }, { "A.b_c~d-9", 1 }, { "", 0 },
		{ "has space", 0 }, { "amp&", 0 }, { "pct%41", 0 }, { "slash/", 0 }, { "nl\n", 0 },
	};
	char longa[TOKEN_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(token_equal(t[i].a, strlen(t[i].a), t[i].b, strlen(t[i].b)) == t[i].eq,
		      "token_equal(%s, %s)", t[i].a, t[i].b);
	memset(longa, 'a', sizeof longa);
	CHECK(token_equal(longa, sizeof longa, longa, sizeof longa) == 0, "over TOKEN_MAX never matches");
	CHECK(token_equal(longa, TOKEN_MAX, longa, TOKEN_MAX) == 1, "exactly TOKEN_MAX");
	for (i = 0; i < sizeof fmt / sizeof fmt[0]; i++)
		CHECK(token_format_ok(fmt[i].t, strlen(fmt[i].t)) == fmt[i].ok, "format %s", fmt[i].t);
	CHECK(token_format_ok(longa, sizeof longa) == 0, "too long");
}
