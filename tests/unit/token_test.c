#include "check.h"
#include "lib/token.h"
#include "limits.h"

void test_token(void)
{
	/* Lengths are explicit (S: a literal and its length without the
	 * terminating NUL), so a NUL inside a token is a byte like any other:
	 * both sides are zero-padded before comparing, and only the lengths
	 * keep "abc\0" from matching "abc". */
#define S(lit) lit, sizeof lit - 1
	static const struct { const char *a; size_t alen; const char *b; size_t blen; int eq; } t[] = {
		{ S("abc"), S("abc"), 1 }, { S("abc"), S("abd"), 0 }, { S("abc"), S("ab"), 0 },
		{ S("ab"), S("abc"), 0 }, { S(""), S(""), 1 }, { S(""), S("a"), 0 },
		{ S("abc\0"), S("abc"), 0 }, { S("abc"), S("abc\0"), 0 }, { S("ab\0c"), S("ab\0d"), 0 },
		{ S("ab\0c"), S("ab\0c"), 1 },
		{ S("050c22cd-e607-46d2-b877-0900bed9a1b8"), S("050c22cd-e607-46d2-b877-0900bed9a1b8"), 1 },
		{ S("050c22cd-e607-46d2-b877-0900bed9a1b8"), S("050c22cd-e607-46d2-b877-0900bed9a1b9"), 0 },
	};
#undef S
	static const struct { const char *t; int ok; } fmt[] = {
		{ "050c22cd-e607-46d2-b877-0900bed9a1b8", 1 }, { "A.b_c~d-9", 1 }, { "", 0 },
		{ "has space", 0 }, { "amp&", 0 }, { "pct%41", 0 }, { "slash/", 0 }, { "nl\n", 0 },
	};
	char longa[TOKEN_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(token_equal(t[i].a, t[i].alen, t[i].b, t[i].blen) == t[i].eq,
		      "token_equal(%s/%zu, %s/%zu)", t[i].a, t[i].alen, t[i].b, t[i].blen);
	memset(longa, 'a', sizeof longa);
	CHECK(token_equal(longa, sizeof longa, longa, sizeof longa) == 0, "over TOKEN_MAX never matches");
	CHECK(token_equal(longa, TOKEN_MAX, longa, TOKEN_MAX) == 1, "exactly TOKEN_MAX");
	for (i = 0; i < sizeof fmt / sizeof fmt[0]; i++)
		CHECK(token_format_ok(fmt[i].t, strlen(fmt[i].t)) == fmt[i].ok, "format %s", fmt[i].t);
	CHECK(token_format_ok(longa, sizeof longa) == 0, "too long");
}
