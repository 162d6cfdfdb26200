/* fuzz_url.c - url_decode, url_encode_path/_component, url_next_ok,
 * url_index_path.
 *
 * Input: raw bytes; for url_index_path "REQUEST_URI\nQUERY_STRING".
 * Properties: url_decode agrees with an independent decoder (both '+' modes)
 * and its bound is exact; decode(encode(x)) == x for every NUL-free x, and
 * encoded output holds only RFC 3986 pchar (path) or unreserved (component)
 * bytes plus '/' and well-formed %XX; whatever url_next_ok accepts starts
 * with '/', never with "//" or "/\" (nor does it after a browser drops tabs
 * and newlines), has no control, backslash or non-ASCII byte, fits NEXT_MAX;
 * url_index_path returns a prefix of REQUEST_URI ending in '/', cut only at
 * "?" + QUERY_STRING. */
#include "fuzz.h"
#include "limits.h"
#include "lib/url.h"

static int unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

static void check_encoded(const char *e, size_t n, const char *extra)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)e[i];
		if (c == '%') {
			CHECK(i + 2 < n && strchr("0123456789ABCDEF", e[i + 1]) && e[i + 1] &&
			      strchr("0123456789ABCDEF", e[i + 2]) && e[i + 2]);
			i += 2;
			continue;
		}
		CHECK(unreserved(c) || c == '/' || (c && strchr(extra, c)));
	}
}

static void roundtrip(const char *x, int path)
{
	size_t n = strlen(x), cap = 3 * n + 1;
	char *e = malloc(cap), *d = malloc(cap), *tight;
	long el = path ? url_encode_path(x, e, cap) : url_encode_component(x, e, cap), dl;

	CHECK(e && d && el >= 0 && strlen(e) == (size_t)el);
	check_encoded(e, (size_t)el, path ? "!$&'()*+,;=:@" : "");
	dl = url_decode(e, (size_t)el, d, cap, 0);
	CHECK(dl == (long)n && memcmp(d, x, n + 1) == 0);
	tight = malloc((size_t)el + 1);
	CHECK(tight);
	CHECK((path ? url_encode_path(x, tight, (size_t)el + 1) :
	              url_encode_component(x, tight, (size_t)el + 1)) == el);
	CHECK(memcmp(tight, e, (size_t)el + 1) == 0);
	CHECK((path ? url_encode_path(x, tight, (size_t)el) :
	              url_encode_component(x, tight, (size_t)el)) == -1);
	free(tight);
	free(d);
	free(e);
}

static void check_next(const char *s)
{
	size_t n = strlen(s), i;
	char *clean;

	if (!url_next_ok(s))
		return;
	CHECK(n >= 1 && n <= NEXT_MAX && s[0] == '/');
	CHECK(s[1] != '/' && s[1] != '\\');
	for (i = 0; i < n; i++)
		CHECK((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f && s[i] != '\\');
	clean = malloc(n + 1);
	CHECK(clean);
	fz_url_clean(s, n, clean);
	CHECK(clean[0] == '/' && !fz_protocol_relative(clean));
	free(clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = fz_bytes(data, size), *s = fz_str(data, size);
	char *out = malloc(size + 1), *ref = malloc(size + 1);
	int plus;

	CHECK(out && ref);
	for (plus = 0; plus <= 1; plus++) {
		long r = url_decode(raw, size, out, size + 1, plus);
		long rr = fz_ref_decode(raw, size, ref, plus);
		CHECK(r == rr);
		if (r >= 0) {
			CHECK(memcmp(out, ref, (size_t)r + 1) == 0);
			CHECK(url_decode(raw, size, out, (size_t)r + 1, plus) == r);
			CHECK(url_decode(raw, size, out, (size_t)r, plus) == -1);
			check_next(out);        /* `next` is checked after form decoding */
		}
	}
	roundtrip(s, 1);
	roundtrip(s, 0);
	check_next(s);

	{
		char *nl = strchr(s, '\n');
		const char *q = "";
		long r;
		size_t ul;
		if (nl) {
			*nl = '\0';
			q = nl + 1;
		}
		ul = strlen(s);
		r = url_index_path(s, q, out, size + 1);
		if (r >= 0) {
			CHECK((size_t)r <= ul && r > 0 && out[r - 1] == '/');
			CHECK(memcmp(out, s, (size_t)r) == 0 && out[r] == '\0');
			CHECK((size_t)r == ul || (s[r] == '?' && strcmp(s + r + 1, q) == 0));
			CHECK(url_index_path(s, q, ref, (size_t)r + 1) == r);
			CHECK(url_index_path(s, q, ref, (size_t)r) == -1);
		}
	}
	free(ref);
	free(out);
	free(s);
	free(raw);
	return 0;
}
