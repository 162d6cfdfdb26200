/* upstream.h - the connection to the protected app, with deadlines. */
#ifndef SHL_UPSTREAM_H
#define SHL_UPSTREAM_H
#include <stddef.h>
#include <sys/types.h>
#include "cgi.h"

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

#endif
