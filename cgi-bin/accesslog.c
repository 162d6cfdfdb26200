/* accesslog.c - the access log line of an exchange (see accesslog.h).
 * Never logs a header, cookie, query or body: only the fields of logline.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "accesslog.h"
#include "limits.h"
#include "lib/logline.h"

/* The log file, opened at the first line and kept for the process: a CGI
 * writes one line, a relay connection process one per exchange (one
 * open(2) per connection, not per request). O_APPEND: lines from parallel
 * processes never interleave (each is one write(2) under PIPE_BUF). */
static int log_fd = -1;

void accesslog_write(const struct gw_config *c, const struct logline *l)
{
	char path[4096], buf[ACCESS_LINE_MAX];
	long n;

	if (c->access_log == ACCESSLOG_OFF || !c->state_dir)
		return;
	n = logline_format(l, buf, sizeof buf);
	if (n <= 0)
		return;
	if (log_fd < 0 && (size_t)snprintf(path, sizeof path, "%s/access.log", c->state_dir) < sizeof path)
		log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (log_fd >= 0 && write(log_fd, buf, (size_t)n) != n)
		fprintf(stderr, "sh_login: access log: short write: %s\n", strerror(errno));
	if (c->access_log == ACCESSLOG_STDERR && write(STDERR_FILENO, buf, (size_t)n) < 0)
		return;
}

static long long mono_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

void accesslog_start(const struct cgi *g, const char *client, const char *method,
                     const char *path, const char *query)
{
	struct cgi_tally *t = g->tally;
	struct timespec now;

	memset(t, 0, sizeof *t);
	t->on = 1;
	t->t0_us = mono_us();
	clock_gettime(CLOCK_REALTIME, &now);
	t->when_s = (long long)now.tv_sec;
	t->when_ms = (int)(now.tv_nsec / 1000000);
	t->client = client;
	t->method = method;
	t->path = path;
	t->query = query;
}

void accesslog_finish(const struct cgi *g)
{
	struct cgi_tally *t = g->tally;
	struct logline l;

	if (!t->on)
		return;
	t->on = 0;
	memset(&l, 0, sizeof l);
	l.when_s = t->when_s;
	l.when_ms = t->when_ms;
	l.client = t->client;
	l.method = t->method;
	l.request_uri = t->path;
	l.query = t->query;
	l.status = t->status;
	l.bytes = t->bytes;
	l.dropped = t->dropped;
	l.duration_us = mono_us() - t->t0_us;
	accesslog_write(&g->cfg, &l);
}
