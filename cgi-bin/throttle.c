/* throttle.c - the login throttle's state under SH_LOGIN_TMPDIR.
 *
 * One small text file, locked with flock(2) for the whole read, token
 * compare and write, so parallel logins serialise and the count is exact.
 * The lock goes with the process: a CGI that dies cannot leave it held. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "throttle.h"
#include "limits.h"

static void on_alarm(int sig) { (void)sig; }

/* flock with a deadline: SIGALRM without SA_RESTART interrupts the wait. */
static int lock_wait(int fd)
{
	struct sigaction sa, old;
	int r;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	alarm((THROTTLE_LOCK_WAIT_MS + 999) / 1000);
	r = flock(fd, LOCK_EX);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	return r;
}

static void unlock_close(struct throttle_state *s)
{
	flock(s->fd, LOCK_UN);
	close(s->fd);
	s->fd = -1;
}

/* Lock the state and read it into S->t; 503 (cgi_fail) when it cannot. */
static void lock_load(const struct cgi *g, struct throttle_state *s)
{
	static char buf[THROTTLE_FILE_MAX];
	ssize_t n;

	if (lock_wait(s->fd) < 0) {
		cgi_log(g, "cannot lock the login throttle's state: %s", strerror(errno));
		close(s->fd);
		cgi_fail(g, 503, NULL, "The gateway is too busy to check a login; try again.");
	}
	n = pread(s->fd, buf, sizeof buf, 0);
	throttle_parse(buf, n > 0 ? (size_t)n : 0, &s->t);
	s->now = (long long)time(NULL);
}

long throttle_begin(const struct cgi *g, struct throttle_state *s)
{
	char path[4200];
	long wait;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->client.limit = g->cfg.throttle_client;
	s->all.limit = g->cfg.throttle_all;
	s->client.window_s = s->all.window_s = g->cfg.throttle_window_s > 0 ? g->cfg.throttle_window_s : 1;
	s->client.backoff_max_s = s->all.backoff_max_s =
		g->cfg.throttle_backoff_s > s->client.window_s ? g->cfg.throttle_backoff_s : s->client.window_s;
	if (s->client.limit <= 0 && s->all.limit <= 0)
		return 0;                       /* both rules off */
	if (!g->cfg.state_dir ||
	    (size_t)snprintf(path, sizeof path, "%s/throttle", g->cfg.state_dir) >= sizeof path)
		cgi_fail(g, 503, NULL, "The gateway has no state directory for its login throttle.");
	s->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->fd < 0) {
		cgi_log(g, "cannot open the login throttle's state: %s", strerror(errno));
		cgi_fail(g, 503, NULL, "The gateway cannot keep count of login attempts.");
	}
	throttle_who(g->req.remote_addr, s->who);
	lock_load(g, s);
	wait = throttle_check(&s->t, s->who, &s->client, s->now);
	if (!wait && throttle_slow(&s->t, s->who, &s->all, s->now)) {
		/* The overall limit slows this client, it never refuses it. The
		 * wait is outside the lock: the owner's compare must not queue
		 * behind strangers' waits. Then read again: only the client's
		 * own lockout (parallel guesses of its own) can refuse it now. */
		flock(s->fd, LOCK_UN);
		nanosleep(&(struct timespec){ THROTTLE_SLOW_MS / 1000,
		                             THROTTLE_SLOW_MS % 1000 * 1000000L }, NULL);
		lock_load(g, s);
		wait = throttle_check(&s->t, s->who, &s->client, s->now);
	}
	if (wait)
		unlock_close(s);
	return wait;
}

void throttle_end(const struct cgi *g, struct throttle_state *s, int ok)
{
	static char buf[THROTTLE_FILE_MAX];
	long len;

	if (s->fd < 0)
		return;
	if (ok < 0) {
		unlock_close(s);
		return;
	}
	if (ok) {
		throttle_forget(&s->t, s->who);
	} else {
		throttle_record_failure(&s->t, s->who, &s->client, &s->all, s->now);
	}
	len = throttle_format(&s->t, s->now, s->client.backoff_max_s, buf, sizeof buf);
	if (len < 0 || pwrite(s->fd, buf, (size_t)len, 0) != len || ftruncate(s->fd, len) < 0)
		cgi_log(g, "cannot write the login throttle's state: %s", strerror(errno));
	unlock_close(s);
}
