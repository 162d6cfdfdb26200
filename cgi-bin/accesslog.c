/* accesslog.c - the access log tally and its one write (see accesslog.h).
 * Never logs a header, cookie, query or body: only the fields of logline.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "accesslog.h"
#include "limits.h"
#include "lib/logline.h"

static struct {
	int mode;
	const char *state_dir;   /* environment strings: valid until exit */
	struct logline line;
	struct timespec t0;
	int first_seen;
} tally;

void accesslog_write(const struct gw_config *c, const struct logline *l)
{
	char path[4096], buf[ACCESS_LINE_MAX];
	long n;
	int fd;

	if (c->access_log == ACCESSLOG_OFF || !c->state_dir)
		return;
	n = logline_format(l, buf, sizeof buf);
	if (n <= 0)
		return;
	if ((size_t)snprintf(path, sizeof path, "%s/access.log", c->state_dir) < sizeof path) {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			if (write(fd, buf, (size_t)n) != n)
				fprintf(stderr, "sh_login: access log: short write: %s\n", strerror(errno));
			close(fd);
		}
	}
	if (c->access_log == ACCESSLOG_STDERR && write(STDERR_FILENO, buf, (size_t)n) < 0)
		return;
}

static void accesslog_end(void)
{
	struct gw_config c;
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	tally.line.duration_us = (long long)(t1.tv_sec - tally.t0.tv_sec) * 1000000 +
	                         (t1.tv_nsec - tally.t0.tv_nsec) / 1000;
	memset(&c, 0, sizeof c);
	c.access_log = tally.mode;
	c.state_dir = tally.state_dir;
	accesslog_write(&c, &tally.line);
}

void accesslog_begin(const struct cgi *g)
{
	struct timespec now;

	/* only a CGI run by httpd (not the relay or the tools) has a method */
	if (g->cfg.access_log == ACCESSLOG_OFF || !g->cfg.state_dir || !*g->req.method)
		return;
	memset(&tally, 0, sizeof tally);
	tally.mode = g->cfg.access_log;
	tally.state_dir = g->cfg.state_dir;
	clock_gettime(CLOCK_MONOTONIC, &tally.t0);
	clock_gettime(CLOCK_REALTIME, &now);
	tally.line.when_s = (long long)now.tv_sec;
	tally.line.when_ms = (int)(now.tv_nsec / 1000000);
	tally.line.client = g->req.remote_addr;
	tally.line.method = g->req.method;
	tally.line.request_uri = g->req.request_uri;
	tally.line.query = g->req.query;
	if (atexit(accesslog_end) != 0)
		tally.mode = ACCESSLOG_OFF;
}

void accesslog_sent(const void *buf, size_t n)
{
	const char *p = buf;

	if (tally.mode == ACCESSLOG_OFF)
		return;
	if (!tally.first_seen && p) {
		/* busybox honours "Status: " only as the first 8 bytes; without it
		 * httpd answers 200 */
		tally.first_seen = 1;
		tally.line.status = 200;
		if (n >= 11 && memcmp(p, "Status: ", 8) == 0 &&
		    p[8] >= '1' && p[8] <= '5' && p[9] >= '0' && p[9] <= '9' && p[10] >= '0' && p[10] <= '9')
			tally.line.status = (p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0');
	}
	tally.line.bytes += (long long)n;
}
