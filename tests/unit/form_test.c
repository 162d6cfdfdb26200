#include "check.h"
#include "lib/form.h"

void test_form(void)
{
	static const struct { const char *body, *name; long ret; const char *val; } t[] = {
		{ "token=abc", "token", 3, "abc" },
		{ "a=1&token=x%2By+z&next=%2Fapp", "token", 5, "x+y z" },
		{ "a=1&token=x&next=%2Fapp", "next", 4, "/app" },
		{ "token=", "token", 0, "" },
		{ "token", "token", 0, "" },
		{ "", "token", FORM_MISSING, "" },
		{ "tokens=1&xtoken=2", "token", FORM_MISSING, "" },
		{ "token=1&token=2", "token", FORM_REPEATED, "" },
		{ "token=%zz", "token", FORM_MALFORMED, "" },
		{ "token=%4", "token", FORM_MALFORMED, "" },
		{ "token=a%00b", "token", FORM_MALFORMED, "" },
		{ "token=0123456789abcdef0", "token", FORM_MALFORMED, "" },   /* longer than out */
		{ "&&token=a&&", "token", 1, "a" },
		{ "token=a;next=b", "token", 8, "a;next=b" },
		{ "token=%C3%A9", "token", 2, "\xc3\xa9" },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		char out[17] = "";
		long r = form_field(t[i].body, strlen(t[i].body), t[i].name, out, sizeof out);
		CHECK(r == t[i].ret, "form_field(%s, %s) = %ld, want %ld", t[i].body, t[i].name, r, t[i].ret);
		if (r >= 0)
			CHECK_STR(out, t[i].val, t[i].body);
	}
	{       /* length-bounded: bytes past LEN are never read */
		char out[8];
		CHECK(form_field("token=ab&x", 8, "token", out, sizeof out) == 2, "bounded");
	}
}
