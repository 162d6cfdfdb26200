/* accesslog.h - one line per request in SH_LOGIN_TMPDIR/access.log.
 *
 * A CGI process answers exactly one request, so the tally is per process:
 * cgi_load starts it, cgi_write (every byte the gateway writes to httpd)
 * feeds it and takes the status from the "Status: NNN" that every response
 * starts with, forward.c adds the bytes it splices past cgi_write, and the
 * line is written at exit (normal return or cgi_fail) with one write(2) to
 * a file opened O_APPEND, so lines of concurrent requests never mix.
 * Requests busybox answers itself (sh_login.css, its own 404s) have no line. */
#ifndef SHL_ACCESSLOG_H
#define SHL_ACCESSLOG_H
#include <stddef.h>
#include "cgi.h"
#include "lib/logline.h"

enum { ACCESSLOG_OFF = 0, ACCESSLOG_FILE = 1, ACCESSLOG_STDERR = 2 };

/* Write one line now, if C's SH_LOGIN_ACCESS_LOG asks for it: for a
 * long-lived process (the relay) that answers many requests. */
void accesslog_write(const struct gw_config *c, const struct logline *l);

/* Start the tally for this CGI request (copies what it needs from G); a
 * process that is no CGI (no REQUEST_METHOD) gets no tally. */
void accesslog_begin(const struct cgi *g);

/* N bytes went to httpd; BUF is them, or NULL when they bypassed cgi_write. */
void accesslog_sent(const void *buf, size_t n);

#endif
