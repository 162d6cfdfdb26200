/* form.c - form field lookup (WHATWG URL "application/x-www-form-urlencoded"). */
#include <string.h>
#include "form.h"
#include "url.h"

long form_field(const char *body, size_t len, const char *name, char *out, size_t outsz)
{
	size_t nlen = strlen(name), i = 0;
	long found = FORM_MISSING;

	while (i <= len) {
		const char *pair = body + i;
		const char *amp = memchr(pair, '&', len - i);
		size_t plen = amp ? (size_t)(amp - pair) : len - i;
		const char *eq = memchr(pair, '=', plen);
		size_t klen = eq ? (size_t)(eq - pair) : plen;

		if (klen == nlen && memcmp(pair, name, nlen) == 0) {
			const char *v = eq ? eq + 1 : pair + plen;
			size_t vlen = eq ? plen - klen - 1 : 0;
			if (found != FORM_MISSING)
				return FORM_REPEATED;
			found = url_decode(v, vlen, out, outsz, 1);
			if (found < 0)
				return FORM_MALFORMED;
		}
		i += plen + 1;
	}
	return found;
}
