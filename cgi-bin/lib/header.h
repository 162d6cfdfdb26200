/* header.h - request headers as busybox httpd hands them to a CGI. Pure.
 *
 * httpd turns every request header into HTTP_<NAME>: upper-cased, every
 * non-alphanumeric byte made '_'. The original spelling is lost, so names are
 * rebuilt in canonical form ("HTTP_X_CSRF_TOKEN" -> "X-Csrf-Token"; header
 * names are case-insensitive, RFC 9110 section 5.1). */
#ifndef SHL_HEADER_H
#define SHL_HEADER_H
#include <stddef.h>

/* Canonical header name for an environment key "HTTP_...". Returns the
 * length written to OUT (NUL-terminated), 0 if KEY is not HTTP_[A-Za-z0-9_]+
 * (httpd makes every other byte '_', so such a key is not a request header),
 * -1 if OUT is too small. KEY may be "HTTP_X=..." (stops at '='). */
long header_name_from_env(const char *key, char *out, size_t outsz);

/* The header policy: what becomes of a client's header field NAME[0..NLEN)
 * on its way to the app, the same on both paths (the table in header.c is
 * the contract README's "Header policy" states). */
enum header_class {
	HEADER_PASS,        /* forwarded as the client sent it */
	HEADER_HOP,         /* hop-by-hop (RFC 9110 7.6.1), Proxy-*: ends at the gateway */
	HEADER_GATEWAY,     /* Host, Cookie, Content-Length, Content-Type: the gateway writes its own */
	HEADER_FORWARDING,  /* X-Forwarded-*, Forwarded, X-Real-Ip, Proxy...: only the gateway's */
	HEADER_IDENTITY,    /* X-Forwarded-User, Remote-User, X-Auth-Request-*...: never from a client */
	HEADER_BAD_NAME,    /* a byte other than a letter, digit or '-' (nginx's underscores_in_headers off) */
};
enum header_class header_policy(const char *name, size_t nlen);

/* 1 for the classes a client's field is counted for when dropped (the
 * access log's last column): forwarding, identity, bad names. */
int header_policy_counts(enum header_class c);

/* 1 if the header NAME may be passed to the app as the client sent it:
 * header_policy says HEADER_PASS and CONNECTION (the client's Connection
 * header value, or NULL) does not list it. */
int header_forwardable(const char *name, const char *connection);

/* 1 if C may appear in a token (method, field name; RFC 9110 5.6.2). */
int header_tchar(unsigned char c);

/* One header field of a raw head: spans into the caller's buffer. */
struct resp_field { const char *name, *value; size_t nlen, vlen; };

/* Parse the field line L[0..N) (no CRLF) into *F: a token name, ':', the
 * value without surrounding blanks (RFC 9112 section 5). -1 for a line
 * that cannot be relayed faithfully: no name, a non-token byte in it
 * (also obs-fold, which starts with a blank, and "Name :"), or a control
 * byte in the value. */
int header_field_parse(const char *l, size_t n, struct resp_field *f);

/* 1 if any of the N fields named FIELD (e.g. every Connection field of a
 * raw head) lists TOKEN in its comma-separated value, any case. Walks the
 * values in place: a copy with a size limit would let a long value hide
 * the names it lists. */
int header_fields_list(const struct resp_field *f, size_t n, const char *field,
                       const char *token);

/* 1 if VALUE holds no CR, LF, NUL or other control byte but HTAB. */
int header_value_ok(const char *value, size_t len);

/* Case-insensitive ASCII equality of A[0..ALEN) and NUL-terminated B. */
int header_name_eq(const char *a, size_t alen, const char *b);

/* 1 if the comma-separated token list LIST contains TOKEN (any case). */
int header_list_has(const char *list, const char *token);

#endif
