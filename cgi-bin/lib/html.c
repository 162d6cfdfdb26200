/* html.c - HTML escaping and template filling. */
#include <string.h>
#include "html.h"

long html_escape(const char *in, char *out, size_t outsz)
{
	size_t o = 0;

	if (outsz == 0)
		return -1;
	for (; *in; in++) {
		const char *rep = NULL;
		char one[2] = { *in, 0 };
		size_t n;
		switch (*in) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: rep = one;
		}
		n = strlen(rep);
		if (o + n + 1 > outsz)
			return -1;
		memcpy(out + o, rep, n);
		o += n;
	}
	out[o] = '\0';
	return (long)o;
}

long html_render(const char *tmpl, const char *const *keys, const char *const *vals,
                 size_t n, char *out, size_t outsz)
{
	size_t o = 0, i;

	if (outsz == 0)
		return -1;
	while (*tmpl) {
		const char *open = strstr(tmpl, "{{"), *close;
		size_t lit = open ? (size_t)(open - tmpl) : strlen(tmpl);

		if (o + lit + 1 > outsz)
			return -1;
		memcpy(out + o, tmpl, lit);
		o += lit;
		tmpl += lit;
		if (!open)
			break;
		close = strstr(open + 2, "}}");
		if (!close) {           /* a lone "{{" is literal text */
			if (o + 3 > outsz)
				return -1;
			out[o++] = '{';
			out[o++] = '{';
			tmpl += 2;
			continue;
		}
		for (i = 0; i < n; i++) {
			size_t klen = strlen(keys[i]);
			if (klen == (size_t)(close - open - 2) && memcmp(open + 2, keys[i], klen) == 0) {
				long e = html_escape(vals[i] ? vals[i] : "", out + o, outsz - o);
				if (e < 0)
					return -1;
				o += (size_t)e;
				break;
			}
		}
		tmpl = close + 2;
	}
	out[o] = '\0';
	return (long)o;
}
