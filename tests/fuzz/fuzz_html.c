/* fuzz_html.c - html_escape and html_render (the login and error pages).
 *
 * Input: "TEMPLATE\0message\0next\0message_class" (missing parts are empty).
 * Properties: html_escape's output holds none of < > " ' and only the five
 * entities for &, and unescapes to the input; html_render with a template
 * free of '<' (resp. quotes) gives output free of '<' (resp. quotes): no
 * markup ever comes from a value; every output bound is exact. */
#include "fuzz.h"
#include "lib/html.h"

static void check_escape(const char *in)
{
	size_t n = strlen(in), cap = 6 * n + 1, i, o = 0;
	char *out = malloc(cap), *tight;
	long r = html_escape(in, out, cap);

	CHECK(out && r >= 0 && strlen(out) == (size_t)r);
	for (i = 0; i < (size_t)r; i++) {
		static const char *const ent[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
		static const char lit[] = "&<>\"'";
		size_t k;
		CHECK(!strchr("<>\"'", out[i]));
		if (out[i] != '&') {
			CHECK(in[o++] == out[i]);
			continue;
		}
		for (k = 0; k < 5; k++)
			if (strncmp(out + i, ent[k], strlen(ent[k])) == 0)
				break;
		CHECK(k < 5 && in[o++] == lit[k]);
		i += strlen(ent[k]) - 1;
	}
	CHECK(o == n);
	tight = malloc((size_t)r + 1);
	CHECK(tight);
	CHECK(html_escape(in, tight, (size_t)r + 1) == r);
	CHECK(html_escape(in, tight, (size_t)r) == -1);
	free(tight);
	free(out);
}

static void drop(char *s, const char *set)
{
	char *o = s;

	for (; *s; s++)
		if (!strchr(set, *s))
			*o++ = *s;
	*o = '\0';
}

static void check_render(const char *tmpl, const char *const *vals, const char *banned)
{
	static const char *const keys[] = { "message", "next", "message_class" };
	size_t vmax = strlen(vals[0]), tl = strlen(tmpl), cap;
	char *out, *tight;
	long r;

	if (strlen(vals[1]) > vmax) vmax = strlen(vals[1]);
	if (strlen(vals[2]) > vmax) vmax = strlen(vals[2]);
	{       /* every value lands at a "{{", escaped to at most 6 bytes a byte */
		const char *p = tmpl;
		size_t opens = 0;
		while ((p = strstr(p, "{{")) != NULL)
			opens++, p += 2;
		cap = tl + opens * 6 * vmax + 8;
	}
	out = malloc(cap);

	CHECK(out);
	r = html_render(tmpl, keys, vals, 3, out, cap);
	CHECK(r >= 0 && strlen(out) == (size_t)r);
	if (banned) {
		const char *b;
		for (b = banned; *b; b++)
			CHECK(!strchr(out, *b));
	}
	tight = malloc((size_t)r + 1);
	CHECK(tight);
	CHECK(html_render(tmpl, keys, vals, 3, tight, (size_t)r + 1) == r);
	CHECK(memcmp(tight, out, (size_t)r + 1) == 0);
	CHECK(html_render(tmpl, keys, vals, 3, tight, (size_t)r) == -1);
	free(tight);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *part[4] = { "", "", "", "" };
	char *copy = malloc(size + 1), *t;
	size_t i, k = 0;

	CHECK(copy);
	memcpy(copy, data, size);
	copy[size] = '\0';
	if (size > 65536)
		goto done;
	part[k++] = copy;
	for (i = 0; i < size && k < 4; i++)
		if (copy[i] == '\0')
			part[k++] = copy + i + 1;
	for (i = 0; i < 4; i++)
		check_escape(part[i]);
	check_render(part[0], part + 1, NULL);
	t = strdup(part[0]);
	CHECK(t);
	drop(t, "<");
	check_render(t, part + 1, "<");
	drop(t, "\"'");
	check_render(t, part + 1, "<\"'");
	free(t);
done:
	free(copy);
	return 0;
}
