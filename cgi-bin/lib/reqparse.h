/* reqparse.h - a raw HTTP/1.1 request head, as the relay reads it from a
 * connection (RFC 9112 sections 2-3 and 6). Pure. */
#ifndef SHL_REQPARSE_H
#define SHL_REQPARSE_H
#include <stddef.h>
#include "resphead.h"   /* struct resp_field: name/value spans */
#include "../limits.h"

struct req_head {
	const char *method, *target;     /* spans into the parsed buffer */
	size_t method_len, target_len;
	int minor;                       /* HTTP/1.MINOR */
	size_t nfields;
	struct resp_field field[RESP_HEADERS_MAX];
	size_t head_len;                 /* bytes of the head, blank line included */
};

enum {
	REQPARSE_INCOMPLETE = 0,
	REQPARSE_MALFORMED = -1,
	REQPARSE_TOO_MANY = -2,
	REQPARSE_TOO_BIG = -3,
};

/* Parse BUF[0..LEN): "METHOD SP origin-form SP HTTP/1.x" and header lines
 * (CRLF or bare LF). Returns the head length when the blank line was seen,
 * REQPARSE_INCOMPLETE when more is needed (and LEN <= REQ_HEAD_MAX), or a
 * negative code: a bad request line, obs-fold, a bad field name, control
 * bytes in a value, more than RESP_HEADERS_MAX fields, a head over
 * REQ_HEAD_MAX. Leading empty lines are not accepted (no request smuggling
 * through stray CRLFs between requests). */
long reqparse_head(const char *buf, size_t len, struct req_head *h);

/* How the body of a request (or response) is framed. */
enum body_framing {
	BODY_NONE,        /* no body */
	BODY_LENGTH,      /* Content-Length: *LENGTH bytes */
	BODY_CHUNKED,     /* Transfer-Encoding: chunked */
	BODY_BAD,         /* conflicting or invalid framing: refuse, close */
	BODY_UNSUPPORTED, /* a transfer coding other than chunked */
	BODY_UNTIL_CLOSE, /* a response whose body ends when the app closes */
};

/* Request body framing from the fields (RFC 9112 section 6.3): both
 * Transfer-Encoding and Content-Length, differing or malformed lengths, or
 * chunked not last, are BODY_BAD. */
enum body_framing reqparse_framing(const struct resp_field *f, size_t n, long long *length);

/* The one framing decision for an app's response to METHOD, both paths
 * (RFC 9112 section 6.3, in its order): bodyless statuses and HEAD first
 * (BODY_NONE, whatever the fields say); then Transfer-Encoding: chunked as
 * the final coding is BODY_CHUNKED (codings before it travel inside the
 * chunks), any other coding BODY_UNTIL_CLOSE; beside a Content-Length, or
 * "chunked" twice, BODY_BAD; then Content-Length (a list of equal numbers
 * allowed, as for requests), 0 being BODY_NONE; else BODY_UNTIL_CLOSE. */
enum body_framing reqparse_response_framing(const struct resp_head *h, const char *method,
                                            long long *length);

/* All values of the fields named NAME joined as one Cookie header ("; ")
 * into OUT. Returns the length, 0 if none, -1 if OUT is too small. */
long reqparse_join_cookies(const struct resp_field *f, size_t n, char *out, size_t outsz);

/* The first field named NAME (any case), or NULL. */
const struct resp_field *reqparse_field(const struct resp_field *f, size_t n, const char *name);

#endif
