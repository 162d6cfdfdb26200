#include "check.h"
#include "limits.h"
#include "lib/logline.h"

void test_logline(void)
{
	static const struct {
		const char *client, *method, *uri, *query;
		int status;
		long long bytes, us;
		int dropped;
		const char *want;
	} t[] = {
		{ "127.0.0.1", "GET", "/cgi-bin/app/x", "", 200, 1234, 12345, 3,
		  "2024-02-29T23:59:58.007Z 127.0.0.1 GET /cgi-bin/app/x 200 1234 0.012 3\n" },
		/* the one-click URL: the query (and its token) never reaches the log */
		{ "127.0.0.1", "GET", "/cgi-bin/login?token=s3cret", "token=s3cret", 303, 0, 2500000, 0,
		  "2024-02-29T23:59:58.007Z 127.0.0.1 GET /cgi-bin/login 303 0 2.500 0\n" },
		/* a decoded '?' in the path stays (encoded); only "?" + query is cut */
		{ "::1", "POST", "/a?b?q=1", "q=1", 502, 10, 0, 0,
		  "2024-02-29T23:59:58.007Z ::1 POST /a%3Fb 502 10 0.000 0\n" },
		{ "::1", "GET", "/a?b", "", 200, 0, 0, 0,
		  "2024-02-29T23:59:58.007Z ::1 GET /a%3Fb 200 0 0.000 0\n" },
		/* CR, LF, spaces cannot forge a second line or shift the columns */
		{ "10.0.0.1", "GET", "/x\r\n2024 1.1.1.1 GET /forged 200", "", 404, 5, 1000, 0,
		  "2024-02-29T23:59:58.007Z 10.0.0.1 GET /x%0D%0A2024%201.1.1.1%20GET%20/forged%20200 404 5 0.001 0\n" },
		/* odd client and method become "-"; empty path "-"; nothing answered: 0 */
		{ "1.2.3.4 evil", "G ET", "", "", 0, 0, 0, 0,
		  "2024-02-29T23:59:58.007Z - - - 0 0 0.000 0\n" },
		{ NULL, NULL, NULL, NULL, -5, -1, -1, 0,
		  "2024-02-29T23:59:58.007Z - - - 0 0 0.000 0\n" },
	};
	char out[ACCESS_LINE_MAX], longpath[ACCESS_PATH_MAX * 2 + 2];
	struct logline l;
	size_t i;
	long n;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		memset(&l, 0, sizeof l);
		l.when_s = 1709251198;   /* 2024-02-29T23:59:58Z */
		l.when_ms = 7;
		l.client = t[i].client;
		l.method = t[i].method;
		l.request_uri = t[i].uri;
		l.query = t[i].query;
		l.status = t[i].status;
		l.dropped = t[i].dropped;
		l.bytes = t[i].bytes;
		l.duration_us = t[i].us;
		n = logline_format(&l, out, sizeof out);
		CHECK(n == (long)strlen(t[i].want), "case %zu: length %ld", i, n);
		CHECK_STR(out, t[i].want, t[i].uri ? t[i].uri : "(null)");
	}

	/* long paths are cut, marked, and never split a %XX escape */
	memset(longpath, ' ', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	memset(&l, 0, sizeof l);
	l.client = "127.0.0.1";
	l.method = "GET";
	l.request_uri = longpath;
	l.status = 200;
	n = logline_format(&l, out, sizeof out);
	CHECK(n > 0 && n < ACCESS_LINE_MAX, "long path: length %ld", n);
	CHECK(strstr(out, "%20%20... 200 ") != NULL, "long path cut and marked: %s", out);
	CHECK(strstr(out, "%2...") == NULL && strstr(out, "%...") == NULL, "no half escape: %s", out);

	/* too small a buffer is an error, not a cut line */
	CHECK(logline_format(&l, out, 16) == -1, "small buffer refused");
}
