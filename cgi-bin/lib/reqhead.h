/* reqhead.h - the request head sent to the app. Pure. */
#ifndef SHL_REQHEAD_H
#define SHL_REQHEAD_H
#include <stddef.h>
#include "resphead.h"   /* struct resp_field */

struct fwd_request {
	const char *method;        /* checked with reqhead_method_ok */
	const char *target;        /* re-encoded path, '?', raw query */
	const char *host;          /* client's Host, kept so apps build right URLs */
	const char *cookie;        /* Cookie without the gateway's cookie, or NULL */
	const char *content_type;  /* or NULL */
	long long content_length;  /* -1: no body */
	const char *client_addr;   /* REMOTE_ADDR: the only X-Forwarded-For we trust */
	const char *proto;         /* "http" or "https" */
	const char *prefix;        /* X-Forwarded-Prefix when stripped, else NULL */
	char *const *env;          /* CGI: environment holding the HTTP_* headers */
	/* relay: the client's header fields as sent (used when ENV is NULL) */
	const struct resp_field *fields;
	size_t nfields;
	int chunked;               /* body sent as Transfer-Encoding: chunked */
	int keep_alive;            /* no "Connection: close": the relay reuses the connection */
	const char *upgrade;       /* "websocket": pass the upgrade on, else NULL */
	int *dropped;              /* out, or NULL: client fields the header policy dropped
	                              (header_policy_counts) */
};

enum { REQHEAD_TOO_BIG = -1, REQHEAD_BAD_VALUE = -2 };

/* Write "METHOD target HTTP/1.1" and headers, ending with the blank line.
 * Client headers come from HTTP_* (CGI) or FIELDS (relay), minus those
 * header_forwardable refuses; the gateway adds Host, Cookie, Content-*,
 * X-Forwarded-*, and Connection ("close", or the upgrade, or nothing for
 * keep-alive). Returns the length, or a REQHEAD_ code. */
long reqhead_build(const struct fwd_request *r, char *out, size_t outsz);

/* 1 for the methods the gateway forwards. */
int reqhead_method_ok(const char *method);
/* 1 for those of them that may be sent twice (GET HEAD OPTIONS PUT DELETE):
 * the relay resends only these once their head has reached the app. */
int reqhead_method_idempotent(const char *method);

#endif
