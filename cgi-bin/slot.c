/* slot.c - the forwarding CGIs' concurrency cap (see slot.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>
#include "slot.h"

int slot_take(const char *state, long n)
{
	char path[4200];
	long i, start, missing = 0;

	if (!state || n <= 0)
		return SLOT_NONE;
	start = (long)getpid() % n;     /* spread the search: fewer opens under load */
	for (i = 0; i < n; i++) {
		long k = (start + i) % n;
		int fd;

		if ((size_t)snprintf(path, sizeof path, "%s/slots/%ld", state, k) >= sizeof path)
			return SLOT_NONE;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0) {
			missing++;
			continue;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK)
			missing++;      /* flock not supported here: count as no slot */
		close(fd);
	}
	return missing == n ? SLOT_NONE : SLOT_BUSY;
}
