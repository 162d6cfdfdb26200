/* fuzz_form.c - form_field on a login body or query string.
 *
 * Properties: a value comes back only when the name occurs exactly once, it
 * matches an independent decoder ('+' is space), holds no NUL, and the
 * output buffer bound is exact (ret + 1 fits, ret does not). */
#include "fuzz.h"
#include "lib/form.h"

static const char *const names[] = { "token", "next", "a", "" };

/* Pairs of BODY[0..LEN) whose key is NAME; the last one's value in *V, *VLEN. */
static size_t ref_count(const char *body, size_t len, const char *name,
                        const char **v, size_t *vlen)
{
	size_t i = 0, n = 0, nl = strlen(name);

	while (i <= len) {
		size_t e = i, k;
		while (e < len && body[e] != '&')
			e++;
		for (k = i; k < e && body[k] != '='; k++)
			;
		if (k - i == nl && memcmp(body + i, name, nl) == 0) {
			n++;
			*v = k < e ? body + k + 1 : body + e;
			*vlen = k < e ? e - k - 1 : 0;
		}
		i = e + 1;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = fz_bytes(data, size);
	char *out = malloc(size + 1), *ref = malloc(size + 1);
	size_t k;

	CHECK(out && ref);
	for (k = 0; k < sizeof names / sizeof names[0]; k++) {
		const char *v = NULL;
		size_t vlen = 0, n = ref_count(body, size, names[k], &v, &vlen);
		long r = form_field(body, size, names[k], out, size + 1);

		if (n == 0) {
			CHECK(r == FORM_MISSING);
			continue;
		}
		if (n > 1) {
			CHECK(r == FORM_REPEATED || r == FORM_MALFORMED);
			continue;
		}
		{
			long rr = fz_ref_decode(v, vlen, ref, 1);
			CHECK(rr < 0 ? r == FORM_MALFORMED : r == rr);
			if (r < 0)
				continue;
			CHECK(strlen(out) == (size_t)r && memcmp(out, ref, (size_t)r) == 0);
		}
		/* exact bound: ret + 1 bytes suffice, ret bytes do not */
		{
			char *tight = malloc((size_t)r + 1);
			CHECK(tight);
			CHECK(form_field(body, size, names[k], tight, (size_t)r + 1) == r);
			CHECK(memcmp(tight, out, (size_t)r + 1) == 0);
			CHECK(form_field(body, size, names[k], tight, (size_t)r) == FORM_MALFORMED);
			free(tight);
		}
	}
	free(ref);
	free(out);
	free(body);
	return 0;
}
