/* cookie.c - Cookie header parsing: "name=value" pairs split on ';'. */
#include <string.h>
#include "cookie.h"

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* One pair starting at HEADER+*POS: name, value (trimmed), then advance. */
static int pair_next(const char *header, size_t *pos,
                     const char **name, size_t *nlen,
                     const char **val, size_t *vlen, const char **raw, size_t *rawlen)
{
	const char *p = header + *pos, *end, *eq;

	while (*p == ';' || is_ows(*p))
		p++;
	if (*p == '\0')
		return 0;
	end = strchr(p, ';');
	if (!end)
		end = p + strlen(p);
	*pos = (size_t)(end - header);
	*raw = p;
	while (end > p && is_ows(end[-1]))
		end--;
	*rawlen = (size_t)(end - p);
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq) {          /* a bare word: a cookie with an empty name */
		*name = p; *nlen = 0;
		*val = p; *vlen = (size_t)(end - p);
		return 1;
	}
	*name = p;
	*nlen = (size_t)(eq - p);
	while (*nlen && is_ows(p[*nlen - 1]))
		(*nlen)--;
	*val = eq + 1;
	while (*val < end && is_ows(**val))
		(*val)++;
	*vlen = (size_t)(end - *val);
	if (*vlen >= 2 && (*val)[0] == '"' && (*val)[*vlen - 1] == '"') {
		(*val)++;
		*vlen -= 2;
	}
	return 1;
}

int cookie_next(const char *header, const char *name, size_t *pos,
                const char **val, size_t *vlen)
{
	const char *n, *raw;
	size_t nlen, rawlen, want = strlen(name);

	while (pair_next(header, pos, &n, &nlen, val, vlen, &raw, &rawlen))
		if (nlen == want && memcmp(n, name, want) == 0)
			return 1;
	return 0;
}

long cookie_strip(const char *header, const char *name, char *out, size_t outsz)
{
	const char *n, *v, *raw;
	size_t nlen, vlen, rawlen, pos = 0, o = 0, want = strlen(name);

	if (outsz == 0)
		return -1;
	while (pair_next(header, &pos, &n, &nlen, &v, &vlen, &raw, &rawlen)) {
		if (nlen == want && memcmp(n, name, want) == 0)
			continue;
		if (o + (o ? 2 : 0) + rawlen + 1 > outsz)
			return -1;
		if (o) {
			out[o++] = ';';
			out[o++] = ' ';
		}
		memcpy(out + o, raw, rawlen);
		o += rawlen;
	}
	out[o] = '\0';
	return (long)o;
}

int cookie_sets_name(const char *value, size_t vlen, const char *name)
{
	size_t want = strlen(name), i = 0;

	while (i < vlen && is_ows(value[i]))
		i++;
	/* A nameless cookie "=NAME=v" is sent back by browsers as its bare
	 * value "NAME=v" (RFC 6265bis 5.7), so it sets NAME too. */
	if (i < vlen && value[i] == '=') {
		i++;
		while (i < vlen && is_ows(value[i]))
			i++;
	}
	if (vlen - i < want || memcmp(value + i, name, want) != 0)
		return 0;
	i += want;
	while (i < vlen && is_ows(value[i]))
		i++;
	return i < vlen && value[i] == '=';
}
