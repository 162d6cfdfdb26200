#include "check.h"
#include "lib/plainhttp.h"

void test_plainhttp(void)
{
	static const struct { const char *in; const char *status, *location; } t[] = {
		{ "GET /a?b=1 HTTP/1.1\r\nHost: localhost:8443\r\n\r\n", "301", "https://localhost:8443/a?b=1" },
		{ "HEAD / HTTP/1.0\r\nhost:  10.0.0.2 \r\n\r\n", "301", "https://10.0.0.2/" },
		{ "GET / HTTP/1.1\nHost: [::1]:9\n\n", "301", "https://[::1]:9/" },
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400", NULL },       /* two Hosts */
		{ "GET / HTTP/1.1\r\n\r\n", "400", NULL },                            /* no Host */
		{ "GET / HTTP/1.1\r\nHost: evil\r\n.com\r\n\r\n", "301", "https://evil/" },
		{ "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "400", NULL },
		{ "GET / HTTP/1.1\r\nHost: a\"><script>\r\n\r\n", "400", NULL },
		{ "GET /\"<x> HTTP/1.1\r\nHost: a\r\n\r\n", "400", NULL },
		{ "GET http://x/ HTTP/1.1\r\nHost: a\r\n\r\n", "400", NULL },         /* absolute form */
		{ "POST / HTTP/1.1\r\nHost: a\r\n\r\n", "400", NULL },
		{ "GET / HTTP/1.1\r\nHost: a\r\n", "400", NULL },                     /* incomplete */
		{ "GARBAGE\r\n\r\n", "400", NULL },
		{ "", "400", NULL },
	};
	char out[PLAINHTTP_ANSWER_MAX];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		long n = plainhttp_answer(t[i].in, strlen(t[i].in), out, sizeof out);
		char want[600];
		CHECK(n > 0 && (size_t)n < sizeof out, "case %zu: length %ld", i, n);
		if (n <= 0)
			continue;
		out[n] = '\0';
		CHECK(strncmp(out + 9, t[i].status, 3) == 0, "case %zu: [%.40s] want %s", i, out, t[i].status);
		if (t[i].location) {
			snprintf(want, sizeof want, "\r\nLocation: %s\r\n", t[i].location);
			CHECK(strstr(out, want) != NULL, "case %zu: no [%s] in [%s]", i, t[i].location, out);
		}
		CHECK(strstr(out, "\r\n\r\n") != NULL, "case %zu: a whole head", i);
	}
	CHECK(plainhttp_looks_like('G') && plainhttp_looks_like('P') && !plainhttp_looks_like(0x16) &&
	      !plainhttp_looks_like('g'), "first byte");
	CHECK(plainhttp_answer("GET / HTTP/1.1\r\nHost: a\r\n\r\n", 27, out, 20) == -1, "small out");
}
