/* fuzz_logline.c - one access log line.
 *
 * Input: 28 bytes of numbers (time, ms, status, bytes, duration), then
 * lines: client address, method, REQUEST_URI, QUERY_STRING (a missing line
 * is NULL).
 * Properties: logline_format always fits ACCESS_LINE_MAX and writes one
 * line: printable ASCII, exactly eight fields split by single spaces, a
 * trailing '\n'; the path field never holds '?' (the query, where the
 * one-click token travels, is never logged) and is no longer than
 * ACCESS_PATH_MAX plus "..."; the output bound is exact. */
#include "fuzz.h"
#include "limits.h"
#include "lib/logline.h"

static long long num(const uint8_t *d, size_t n)
{
	unsigned long long v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | d[i];
	if (n == 8)
		return (long long)v;
	return (long long)v - (long long)(1ULL << (8 * n - 1));   /* signed too */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *part[4] = { NULL, NULL, NULL, NULL }, *out, *tight, *p, *f[9];
	struct logline l;
	size_t n, i, spaces = 0;
	long r;

	if (size < 28)
		return 0;
	memset(&l, 0, sizeof l);
	l.when_s = num(data, 8);
	l.when_ms = (int)num(data + 8, 2);
	l.status = (int)num(data + 10, 2);
	l.dropped = (int)num(data + 10, 2) - 30000;   /* negative too: logged as 0 */
	l.bytes = num(data + 12, 8);
	l.duration_us = num(data + 20, 8);
	text = fz_str(data + 28, size - 28);
	n = fz_split(text, '\n', part, 4);
	l.client = n > 0 ? part[0] : NULL;
	l.method = n > 1 ? part[1] : NULL;
	l.request_uri = n > 2 ? part[2] : NULL;
	l.query = n > 3 ? part[3] : NULL;

	out = malloc(ACCESS_LINE_MAX);
	CHECK(out);
	r = logline_format(&l, out, ACCESS_LINE_MAX);
	CHECK(r > 0 && r < ACCESS_LINE_MAX && strlen(out) == (size_t)r);
	CHECK(out[r - 1] == '\n' && memchr(out, '\n', (size_t)r - 1) == NULL);
	for (i = 0; i + 1 < (size_t)r; i++) {
		CHECK((unsigned char)out[i] > 0x20 || out[i] == ' ');
		CHECK((unsigned char)out[i] < 0x7f);
		if (out[i] == ' ') {
			CHECK(i > 0 && out[i - 1] != ' ');
			spaces++;
		}
	}
	CHECK(spaces == 7 && out[0] != ' ' && out[r - 2] != ' ');
	tight = fz_str((const uint8_t *)out, (size_t)r + 1);
	tight[r - 1] = '\0';
	CHECK(fz_split(tight, ' ', f, 9) == 8);
	CHECK(!strchr(f[3], '?'));
	CHECK(strlen(f[3]) <= ACCESS_PATH_MAX + 3);
	for (p = f[3]; *p; p++)            /* escapes are whole */
		if (*p == '%')
			CHECK(fz_hex((unsigned char)p[1]) >= 0 && fz_hex((unsigned char)p[2]) >= 0);
	free(tight);
	tight = malloc((size_t)r + 1);
	CHECK(tight);
	CHECK(logline_format(&l, tight, (size_t)r + 1) == r && memcmp(tight, out, (size_t)r + 1) == 0);
	CHECK(logline_format(&l, tight, (size_t)r) == -1);
	free(tight);
	free(out);
	free(text);
	return 0;
}
