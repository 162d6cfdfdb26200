#include "check.h"
#include "lib/chunked.h"

/* Scan IN in pieces of STEP bytes; returns body length or -1, and whether done. */
static long scan(const char *in, size_t len, size_t step, int *done)
{
	struct chunked c;
	size_t pos = 0;

	chunked_init(&c);
	while (pos < len && !chunked_done(&c)) {
		size_t n = len - pos < step ? len - pos : step;
		long k = chunked_scan(&c, in + pos, n);
		if (k < 0)
			return -1;
		pos += (size_t)k;
		if ((size_t)k < n)
			break;
	}
	*done = chunked_done(&c);
	return (long)pos;
}

void test_chunked(void)
{
	static const struct { const char *in; long body; int done; } t[] = {
		{ "0\r\n\r\n", 5, 1 },
		{ "5\r\nhello\r\n0\r\n\r\n", 15, 1 },
		{ "5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1", 15, 1 },       /* next message kept apart */
		{ "5;ext=1\r\nhello\r\n0\r\n\r\n", 21, 1 },
		{ "A\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n", 32, 1 },
		{ "5\r\nhel", 6, 0 },
		{ "5\r\nhello\r\n", 10, 0 },
		{ "x\r\n", -1, 0 },
		{ "\r\n", -1, 0 },
		{ "5\r\nhelloXX0\r\n\r\n", -1, 0 },
		{ "5\nhello\r\n", -1, 0 },
		{ "fffffffffffffffff\r\n", -1, 0 },
		{ "0\r\nbad\nline\r\n\r\n", -1, 0 },
	};
	size_t i, step;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		for (step = 1; step <= 7; step += 3) {
			int done;
			long r = scan(t[i].in, strlen(t[i].in), step, &done);
			CHECK(r == t[i].body, "chunked [%s] step %zu: %ld want %ld", t[i].in, step, r, t[i].body);
			CHECK(done == t[i].done, "done [%s] step %zu", t[i].in, step);
		}
}
