/* upstream.h - the connection to the protected app, with deadlines. */
#ifndef SHL_UPSTREAM_H
#define SHL_UPSTREAM_H
#include <stddef.h>
#include <sys/types.h>
#include "cgi.h"
#include "lib/resphead.h"

/* Connect to the app (unix socket when configured, else 127.0.0.1:port)
 * within TIMEOUT_MS. fd, or -1 with errno (ECONNREFUSED, ETIMEDOUT, ENOENT...). */
int upstream_connect(const struct gw_config *c, int timeout_ms);

/* Write all of BUF to FD, waiting at most TIMEOUT_MS for each step.
 * 0, or -1 with errno (ETIMEDOUT when the peer stopped reading). */
int io_write_all(int fd, const void *buf, size_t len, int timeout_ms);

/* One read with a deadline: bytes, 0 at EOF, -1 with errno (ETIMEDOUT). */
ssize_t io_read(int fd, void *buf, size_t len, int timeout_ms);

/* "the app on port 8888" / "the app on socket /path": for messages. */
void upstream_describe(const struct gw_config *c, char *out, size_t outsz);

/* Why the app could not be relayed: each has one refusal (upstream_refuse). */
enum upstream_fault {
	UPSTREAM_UNREACHABLE = -1,  /* connect failed (errno says why) */
	UPSTREAM_BAD_HEAD = -2,     /* a head that cannot be relayed faithfully */
	UPSTREAM_HEAD_TOO_BIG = -3, /* over RESP_HEAD_MAX */
	UPSTREAM_SILENT = -4,       /* nothing for SH_LOGIN_TIMEOUT seconds */
	UPSTREAM_CLOSED = -5,       /* closed before a whole head */
	UPSTREAM_BAD_FRAMING = -6,  /* Content-Length / Transfer-Encoding not to be trusted */
	UPSTREAM_HEADERS_TOO_BIG = -7, /* the rewritten head does not fit */
	UPSTREAM_NOT_READING = -8,  /* the app stopped taking the request */
};

/* Read the app's final response head into BUF (*HAVE bytes already there,
 * RESP_HEAD_MAX at most), skipping 1xx interim answers; a 101 counts only
 * when UPGRADE asked for one. Returns the head length, or an
 * upstream_fault (nothing answered: the caller may retry or refuse). */
long upstream_read_head(const struct cgi *g, int up, char *buf, size_t *have,
                        struct resp_head *h, int upgrade);

/* Answer the client for FAULT (ERR: errno of UPSTREAM_UNREACHABLE): 504 for
 * a silent app, else 502, with a message naming the app. Returns the status. */
int upstream_refuse(const struct cgi *g, int fault, int err);

/* How Location and Set-Cookie are rewritten for this gateway and the
 * client's HOST; AUTH holds the app's own addresses (for TCP apps). */
struct app_authorities { char name[3][64]; };
void upstream_rewrite_ctx(const struct gw_config *c, const char *host,
                          struct app_authorities *auth, struct rewrite_ctx *rw);

#endif
