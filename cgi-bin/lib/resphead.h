/* resphead.h - the app's response head: parse it, rewrite it for the client. Pure. */
#ifndef SHL_RESPHEAD_H
#define SHL_RESPHEAD_H
#include <stddef.h>
#include "../limits.h"

#include "header.h"   /* struct resp_field */

struct resp_head {
	int status;                 /* 100..599 */
	const char *reason;         /* points into the parsed buffer */
	size_t reason_len;
	size_t nfields;
	struct resp_field field[RESP_HEADERS_MAX];
	size_t head_len;            /* bytes of BUF the head took, blank line included */
};

enum { RESPHEAD_INCOMPLETE = 0, RESPHEAD_MALFORMED = -1, RESPHEAD_TOO_MANY = -2,
       RESPHEAD_BAD_LENGTH = -3 };

/* Parse "HTTP/1.x NNN reason" and header lines from BUF[0..LEN). Lines may end
 * in CRLF or LF. Returns the head length (> 0) when the blank line was seen,
 * RESPHEAD_INCOMPLETE when more bytes are needed, or a negative code for a
 * head that cannot be relayed faithfully (obs-fold, bad name, control bytes,
 * bad status line, too many fields). Pointers in *H refer into BUF. */
long resphead_parse(const char *buf, size_t len, struct resp_head *h);

/* How the gateway's URL space maps onto the app's. */
struct rewrite_ctx {
	const char *prefix;            /* "/cgi-bin/app" */
	int strip;                     /* the app sees paths without PREFIX */
	const char *app_authority[4];  /* "127.0.0.1:8888", ... NULL-terminated */
	const char *client_host;       /* Host the client used, or NULL */
	const char *cookie_name;       /* the gateway's own cookie */
	int http;                      /* relay: "HTTP/1.1 NNN" line, not a CGI "Status:" */
	int keep_alive;                /* relay: the client connection stays open */
};

/* Rewrite a Location value so the client stays under PREFIX: absolute URLs
 * naming the app's own address lose it; root-relative paths (and absolute
 * ones on the client's Host) gain PREFIX when the app sees it stripped.
 * Returns the length written to OUT, or -1 if OUT is too small. */
long resphead_location(const char *loc, size_t len, const struct rewrite_ctx *c,
                       char *out, size_t outsz);

/* Move a Set-Cookie Path attribute under PREFIX when stripping. Same returns. */
long resphead_set_cookie(const char *val, size_t len, const struct rewrite_ctx *c,
                         char *out, size_t outsz);

/* The CGI response head for H: "Status: NNN reason", the app's headers less
 * hop-by-hop ones (Transfer-Encoding stays: the body is relayed as is),
 * Location and Set-Cookie rewritten, any Set-Cookie for the gateway's own
 * cookie dropped, Content-Length dropped beside a Transfer-Encoding,
 * "Connection: close" (httpd closes after a CGI), blank line.
 * With C->http (the relay) the first line is "HTTP/1.1 NNN reason"; a 101
 * keeps its Upgrade header and says "Connection: Upgrade"; C->keep_alive
 * leaves the connection open (no Connection header).
 * Returns the length, or -1 if OUT is too small. */
long resphead_emit(const struct resp_head *h, const struct rewrite_ctx *c,
                   char *out, size_t outsz);

/* The body length the head announces: -1 when it has none or has a
 * Transfer-Encoding (which wins; resphead_emit then drops Content-Length),
 * RESPHEAD_BAD_LENGTH for a value that is not a number or several values
 * that differ (RFC 9112 6.3: a proxy answers 502). */
long long resphead_content_length(const struct resp_head *h);

/* 1 if a response with this status to METHOD never has a body. */
int resphead_bodyless(int status, const char *method);

#endif
