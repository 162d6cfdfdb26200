/* accesslog.h - one line per exchange in SH_LOGIN_TMPDIR/access.log.
 *
 * An exchange is one request and its answer: a CGI process has one, a relay
 * connection one per request it reads (refusals included). accesslog_start
 * opens the exchange's tally (struct cgi_tally in cgi.h); every answer
 * written through cgi.c records its status and counts its bytes, forward.c
 * and the relay add the app's status and the bytes they move past cgi_write;
 * accesslog_finish writes the line with one write(2) to a file opened
 * O_APPEND, so lines of concurrent exchanges never mix. Requests busybox
 * answers itself (sh_login.css, its own 404s) have no line. */
#ifndef SHL_ACCESSLOG_H
#define SHL_ACCESSLOG_H
#include <stddef.h>
#include "cgi.h"
#include "lib/logline.h"

enum { ACCESSLOG_OFF = 0, ACCESSLOG_FILE = 1, ACCESSLOG_STDERR = 2 };

/* Write one formatted line now, if C's SH_LOGIN_ACCESS_LOG asks for it. */
void accesslog_write(const struct gw_config *c, const struct logline *l);

/* Open G's tally for an exchange: the client's address as text ("-" when
 * unknown), the method, the decoded path and the raw query (QUERY: a suffix
 * "?QUERY" of PATH is cut, as busybox's REQUEST_URI carries it; the query
 * itself is never logged). The strings must live until accesslog_finish. */
void accesslog_start(const struct cgi *g, const char *client, const char *method,
                     const char *path, const char *query);

/* Write the line of G's open exchange, if one is open, and close it. */
void accesslog_finish(const struct cgi *g);

#endif
