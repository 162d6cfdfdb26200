#include "check.h"
#include "lib/html.h"

void test_html(void)
{
	const char *keys[] = { "message", "next" };
	const char *vals[] = { "Wrong <token> & \"x\" 'y'", "/a?b=1&c=<2>" };
	static const struct { const char *tmpl, *want; } t[] = {
		{ "<p>{{message}}</p>", "<p>Wrong &lt;token&gt; &amp; &quot;x&quot; &#39;y&#39;</p>" },
		{ "<input value=\"{{next}}\">", "<input value=\"/a?b=1&amp;c=&lt;2&gt;\">" },
		{ "{{unknown}}x", "x" },
		{ "a {{ b", "a {{ b" },
		{ "{{message", "{{message" },
		{ "no keys", "no keys" },
		{ "", "" },
	};
	char out[256], small[8];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		long r = html_render(t[i].tmpl, keys, vals, 2, out, sizeof out);
		CHECK(r == (long)strlen(t[i].want), "render length of %s: %ld", t[i].tmpl, r);
		CHECK_STR(out, t[i].want, t[i].tmpl);
	}
	CHECK(html_render("{{message}}", keys, vals, 2, small, sizeof small) == -1, "render overflow");
	CHECK(html_escape("<>", small, 5) == -1, "escape overflow");
}
