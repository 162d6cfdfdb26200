/* fuzz_plainhttp.c - the answer to plain HTTP on the TLS port: the first
 * bytes a stranger sends, echoed back in Location.
 *
 * Properties: the answer is a whole 301 or 400 head; its head has no bare
 * CR or LF and ends at the first empty line; Content-Length is the length
 * of the body after it (none for HEAD); a Location is "https://" followed
 * only by visible ASCII without quotes, angle brackets, backslash or
 * backtick; a 301 only answers a complete GET or HEAD head. */
#include "fuzz.h"
#include "lib/plainhttp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[PLAINHTTP_ANSWER_MAX];
	char *in = fz_bytes(data, size);
	long n = plainhttp_answer(in, size, out, sizeof out);
	char *end, *loc, *cl;
	size_t head, i;

	CHECK(n > 0 && (size_t)n < sizeof out);
	out[n] = '\0';
	CHECK(!strncmp(out, "HTTP/1.1 301 ", 13) || !strncmp(out, "HTTP/1.1 400 ", 13));
	end = strstr(out, "\r\n\r\n");
	CHECK(end);
	head = (size_t)(end - out) + 4;
	for (i = 0; i + 2 < head; i++) {
		if (out[i] == '\r')
			CHECK(out[i + 1] == '\n');
		if (out[i] == '\n')
			CHECK(i > 0 && out[i - 1] == '\r');
	}
	cl = strstr(out, "\r\nContent-Length: ");
	CHECK(cl && cl < end);
	if (!(size >= 5 && !memcmp(in, "HEAD ", 5) && out[9] == '3'))
		CHECK((size_t)strtol(cl + 18, NULL, 10) == (size_t)n - head);
	if (out[9] == '3') {
		CHECK(plainhttp_complete(in, size));
		CHECK((size >= 5 && !memcmp(in, "GET /", 5)) || (size >= 6 && !memcmp(in, "HEAD /", 6)));
		loc = strstr(out, "\r\nLocation: https://");
		CHECK(loc && loc < end);
		for (loc += 20; *loc != '\r'; loc++)
			CHECK(*loc > 0x20 && *loc < 0x7f && *loc != '"' && *loc != '<' && *loc != '>' &&
			      *loc != '\\' && *loc != '`');
	}
	free(in);
	return 0;
}
