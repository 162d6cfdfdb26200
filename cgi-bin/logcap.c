/* logcap.c - `sh_login-cgi logcap MAX_KIB FILE...`: logs that nobody
 * without the token can grow without end.
 *
 * Every refused request leaves a line (access.log; a Host-check or throttle
 * refusal also one in sh_login.log), and a stranger can send refusals as
 * fast as the gateway answers them: on a RAM-backed /tmp or a Kubernetes
 * emptyDir with a sizeLimit, unbounded logs would end in a full disk (no
 * more sessions) or an evicted pod. sh_login runs this once a second.
 *
 * A FILE of MAX_KIB KiB or more is copied to FILE.1 (replacing the
 * generation before, made anew with O_EXCL|O_NOFOLLOW, 0600) and truncated
 * in place. Its writers (httpd's stderr, each CGI, each relay connection)
 * hold it open with O_APPEND and go on at the new end: logrotate's
 * copytruncate, with no signal to anyone. A log and its .1 so take about
 * 2 x MAX_KIB, plus what arrives between two looks; lines written between
 * the copy and the truncation are lost. A FILE that does not exist is
 * skipped; a link or anything but a regular file is refused.
 *
 * Exit codes: 0 ok, 100 usage, 111 a FILE could not be capped (the others
 * still are). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "applets.h"
#include "lib/decimal.h"

static int copy_all(int from, int to)
{
	static char buf[65536];
	ssize_t n;

	while ((n = read(from, buf, sizeof buf)) > 0) {
		char *p = buf;
		while (n > 0) {
			ssize_t w = write(to, p, (size_t)n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return -1;
			p += w;
			n -= w;
		}
	}
	return n < 0 ? -1 : 0;
}

/* 0 under the cap or absent, 1 rotated, -1 (errno) failed. */
static int cap_one(const char *path, long long max_bytes)
{
	char old[4200];
	struct stat st;
	int fd, out, ok;

	fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		int err = S_ISREG(st.st_mode) ? errno : EINVAL;
		close(fd);
		errno = err;
		return -1;
	}
	if (st.st_size < max_bytes) {
		close(fd);
		return 0;
	}
	if ((size_t)snprintf(old, sizeof old, "%s.1", path) >= sizeof old ||
	    (unlink(old) < 0 && errno != ENOENT) ||
	    (out = open(old, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
		close(fd);
		return -1;
	}
	ok = copy_all(fd, out) == 0 && close(out) == 0 && ftruncate(fd, 0) == 0;
	close(fd);
	return ok ? 1 : -1;
}

int logcap_main(int argc, char **argv)
{
	long long kib;
	int i, rc = 0;

	if (argc < 4 || decimal_parse(argv[2], strlen(argv[2]), 4194304, &kib) < 0 || kib < 1) {
		fputs("usage: sh_login-cgi logcap MAX_KIB FILE...  (MAX_KIB 1 to 4194304)\n", stderr);
		return 100;
	}
	for (i = 3; i < argc; i++)
		if (cap_one(argv[i], kib * 1024) < 0) {
			fprintf(stderr, "sh_login-cgi: logcap: %s: %s\n", argv[i], strerror(errno));
			rc = 111;
		}
	return rc;
}
