/* logline.c - format one access log line (see logline.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "logline.h"
#include "url.h"
#include "../limits.h"

/* S if every byte is in ALLOWED and 1 <= length <= MAX, else "-". */
static const char *plain(const char *s, const char *allowed, size_t max)
{
	size_t n;

	if (!s)
		return "-";
	n = strlen(s);
	return n >= 1 && n <= max && strspn(s, allowed) == n ? s : "-";
}

/* The path part of REQUEST_URI: busybox appends "?" + the raw query only
 * when there was one, so cut exactly that suffix (a decoded path may hold
 * '?' itself, so never cut at the first one). */
static size_t path_len(const char *uri, const char *query)
{
	size_t ul = strlen(uri), ql = query ? strlen(query) : 0;

	if (ql && ul > ql && uri[ul - ql - 1] == '?' && strcmp(uri + ul - ql, query) == 0)
		return ul - ql - 1;
	return ul;
}

long logline_format(const struct logline *l, char *out, size_t outsz)
{
	char path[ACCESS_PATH_MAX + 1], enc[ACCESS_PATH_MAX * 3 + 4];
	const char *uri = l->request_uri ? l->request_uri : "";
	size_t pl = path_len(uri, l->query);
	long el;
	time_t t = (time_t)l->when_s;
	struct tm tm;
	char when[32];
	int n, cut = 0;

	/* Cut long paths (decoded, then encoded) and mark the cut. */
	if (pl > ACCESS_PATH_MAX) {
		pl = ACCESS_PATH_MAX;
		cut = 1;
	}
	memcpy(path, uri, pl);
	path[pl] = '\0';
	if (pl == 0)
		el = (long)strlen(strcpy(enc, "-"));
	else
		el = url_encode_path(path, enc, sizeof enc);
	if (el < 0)
		return -1;
	if (el > ACCESS_PATH_MAX) {
		el = ACCESS_PATH_MAX;
		if (enc[el - 1] == '%')            /* never leave half a %XX escape */
			el -= 1;
		else if (enc[el - 2] == '%')
			el -= 2;
		cut = 1;
	}
	strcpy(enc + el, cut ? "..." : "");

	/* by hand, not strftime: that pulls time zone code into the static build */
	if (!gmtime_r(&t, &tm) ||
	    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
	             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec) >= (int)sizeof when)
		strcpy(when, "-");
	n = snprintf(out, outsz, "%s.%03dZ %s %s %s %d %lld %lld.%03lld %d\n",
	             when, l->when_ms >= 0 && l->when_ms <= 999 ? l->when_ms : 0,
	             plain(l->client, "0123456789abcdefABCDEF.:", 45),
	             plain(l->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16),
	             enc, l->status >= 0 && l->status <= 999 ? l->status : 0,
	             l->bytes >= 0 ? l->bytes : 0,
	             l->duration_us >= 0 ? l->duration_us / 1000000 : 0,
	             l->duration_us >= 0 ? l->duration_us / 1000 % 1000 : 0,
	             l->dropped >= 0 ? l->dropped : 0);
	return n < 0 || (size_t)n >= outsz ? -1 : n;
}
