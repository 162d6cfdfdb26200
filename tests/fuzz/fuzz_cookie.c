/* fuzz_cookie.c - the Cookie request header and Set-Cookie names.
 *
 * Input: "NAME\nHEADER" (without a newline the name is "sh_login"). HEADER is
 * both the client's Cookie header (cookie_next, cookie_strip) and an app's
 * Set-Cookie value (cookie_sets_name).
 * Properties: cookie_next finds exactly the pairs an independent RFC 6265
 * splitter finds, with the same values; after cookie_strip no pair of NAME is
 * left and every other pair is; the strip buffer bound is exact; and any
 * Set-Cookie a browser would send back as "NAME=..." (also a nameless
 * "=NAME=v" cookie, which browsers serialise as "NAME=v") is recognised. */
#include "fuzz.h"
#include "lib/cookie.h"

static int ows(char c) { return c == ' ' || c == '\t'; }

static void trim(const char **s, size_t *n)
{
	while (*n && ows(**s))
		(*s)++, (*n)--;
	while (*n && ows((*s)[*n - 1]))
		(*n)--;
}

/* Independent split: count the pairs named NAME (and, if CHECKVAL, compare
 * the k-th hit's value with VALS/VLENS); OTHERS gets the rest's count. */
static size_t ref_pairs(const char *h, const char *name, size_t *others,
                        const char **vals, const size_t *vlens, size_t nvals)
{
	size_t hits = 0, nl = strlen(name);

	*others = 0;
	while (*h) {
		const char *e = strchr(h, ';'), *p = h, *eq, *k, *v;
		size_t n = e ? (size_t)(e - h) : strlen(h), kn, vn;

		trim(&p, &n);
		h += e ? (size_t)(e - h) + 1 : strlen(h);
		if (n == 0)
			continue;
		eq = memchr(p, '=', n);
		k = p; kn = eq ? (size_t)(eq - p) : 0;
		v = eq ? eq + 1 : p; vn = eq ? n - kn - 1 : n;
		trim(&k, &kn);
		trim(&v, &vn);
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"')
			v++, vn -= 2;
		if (kn == nl && memcmp(k, name, nl) == 0) {
			if (vals && hits < nvals)
				CHECK(vlens[hits] == vn && memcmp(vals[hits], v, vn) == 0);
			hits++;
		} else {
			(*others)++;
		}
	}
	return hits;
}

/* The Cookie header a browser sends back for Set-Cookie V[0..N)
 * (RFC 6265bis 5.6: name-value up to ';', a nameless cookie is sent as its
 * bare value). Returns 1 if the gateway would read it as NAME. */
static int browser_sends_name(const char *v, size_t n, const char *name)
{
	const char *semi = memchr(v, ';', n), *eq, *k, *val;
	size_t kn, vn, pos = 0, vl;
	char *ser;
	const char *hv;
	int hit;

	if (semi)
		n = (size_t)(semi - v);
	if (memchr(v, '\0', n))
		return 0;       /* browsers cut or refuse at NUL */
	eq = memchr(v, '=', n);
	k = v; kn = eq ? (size_t)(eq - v) : 0;
	val = eq ? eq + 1 : v; vn = eq ? n - kn - 1 : n;
	trim(&k, &kn);
	trim(&val, &vn);
	ser = malloc(kn + vn + 2);
	CHECK(ser);
	if (kn) {
		memcpy(ser, k, kn);
		ser[kn] = '=';
		memcpy(ser + kn + 1, val, vn);
		ser[kn + 1 + vn] = '\0';
	} else {
		memcpy(ser, val, vn);
		ser[vn] = '\0';
	}
	hit = cookie_next(ser, name, &pos, &hv, &vl);
	free(ser);
	return hit;
}

#define MAXV 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size < 80 ? size : 80);
	char *name = nl ? fz_str(data, (size_t)(nl - data)) : strdup("sh_login");
	const uint8_t *hd = nl ? nl + 1 : data;
	size_t hsize = size - (size_t)(hd - data);
	char *header = fz_str(hd, hsize), *raw = fz_bytes(hd, hsize), *out;
	const char *vals[MAXV];
	size_t vlens[MAXV], hits = 0, pos = 0, last = 0, others, others2, hlen = strlen(header);
	const char *v;
	size_t vl;
	long r;

	CHECK(name);
	if (name[0] == '\0')
		goto done;      /* the gateway's cookie name is never empty */

	while (cookie_next(header, name, &pos, &v, &vl)) {
		CHECK(v >= header && v + vl <= header + hlen);
		CHECK(pos >= last && pos <= hlen);
		last = pos;
		if (hits < MAXV)
			vals[hits] = v, vlens[hits] = vl;
		hits++;
	}
	CHECK(ref_pairs(header, name, &others, vals, vlens, hits < MAXV ? hits : MAXV) == hits);

	out = malloc(2 * hlen + 1);     /* "a;b" becomes "a; b" */
	CHECK(out);
	r = cookie_strip(header, name, out, 2 * hlen + 1);
	CHECK(r >= 0 && (size_t)r == strlen(out) && (size_t)r <= 2 * hlen);
	pos = 0;
	CHECK(!cookie_next(out, name, &pos, &v, &vl));
	CHECK(ref_pairs(out, name, &others2, NULL, NULL, 0) == 0 && others2 == others);
	CHECK(r == 0 || (!ows(out[0]) && out[0] != ';' && !ows(out[r - 1]) && out[r - 1] != ';'));
	{
		char *tight = malloc((size_t)r + 1);
		CHECK(tight);
		CHECK(cookie_strip(header, name, tight, (size_t)r + 1) == r);
		CHECK(memcmp(tight, out, (size_t)r + 1) == 0);
		CHECK(cookie_strip(header, name, tight, (size_t)r) == -1);
		free(tight);
	}
	free(out);

	/* Set-Cookie: the app may never set the gateway's cookie */
	if (browser_sends_name(raw, hsize, name))
		CHECK(cookie_sets_name(raw, hsize, name));
	(void)cookie_sets_name(raw, hsize, name);
done:
	free(raw);
	free(header);
	free(name);
	return 0;
}
