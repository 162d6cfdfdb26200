/* logline.h - one access log line from what a CGI knows about its request. Pure.
 *
 *   2025-05-01T10:00:00.123Z 127.0.0.1 GET /cgi-bin/app/x 200 1234 0.012 0
 *   time (UTC, ms)           client    method path       status bytes seconds dropped
 *
 * Every field is free of spaces and control bytes, so the line splits on
 * spaces: the path is re-encoded (url_encode_path) and never carries the
 * query, where the one-click URL's token travels; an odd client address or
 * method becomes "-". The line holds no header, cookie or query value. */
#ifndef SHL_LOGLINE_H
#define SHL_LOGLINE_H
#include <stddef.h>

struct logline {
	long long when_s;          /* request start, seconds since the epoch */
	int when_ms;               /* and milliseconds, 0-999 */
	const char *client;        /* REMOTE_ADDR */
	const char *method;        /* REQUEST_METHOD */
	const char *request_uri;   /* busybox: decoded path + ("?" + raw query) */
	const char *query;         /* QUERY_STRING, raw */
	int status;                /* 0: nothing was answered */
	long long bytes;           /* bytes written to httpd: head and body */
	long long duration_us;
	int dropped;               /* client header fields the header policy dropped */
};

/* Write the line, '\n'-terminated and NUL-terminated, to OUT. A path longer
 * than ACCESS_PATH_MAX encoded bytes is cut there and ends in "...".
 * Returns the length, or -1 if OUT is too small (ACCESS_LINE_MAX is enough). */
long logline_format(const struct logline *l, char *out, size_t outsz);

#endif
