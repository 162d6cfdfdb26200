/* store.c - token file and session records. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "store.h"
#include "limits.h"
#include "lib/session.h"

/* Records are touched at most this often: one write per minute of use. */
#define TOUCH_EVERY_S 60

void rand_session_bytes(unsigned char *out)
{
	size_t i;
	uuid_t u;

	/* Two v4 UUIDs from the kernel CSPRNG (libuuid uses getrandom) */
	for (i = 0; i < SESSION_ID_LEN / 2; i += sizeof u) {
		uuid_generate_random(u);
		memcpy(out + i, u, sizeof u);
	}
}

static int path_of(char *buf, size_t size, const char *state, const char *id, size_t idlen)
{
	if (!state || !session_id_ok(id, idlen))
		return -1;
	return (size_t)snprintf(buf, size, "%s/sessions/%.*s", state, (int)idlen, id) < size ? 0 : -1;
}

long store_token_read(const char *state, char *out, size_t outsz)
{
	char path[4096];
	ssize_t n;
	int fd;
	char *nl;

	if (!state || (size_t)snprintf(path, sizeof path, "%s/token", state) >= sizeof path)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, out, outsz - 1);
	close(fd);
	if (n <= 0)
		return -1;
	out[n] = '\0';
	nl = strchr(out, '\n');
	if (nl)
		*nl = '\0';
	return (long)strlen(out);
}

int store_session_create(const char *state, char *id)
{
	unsigned char bytes[SESSION_ID_LEN / 2];
	char dir[4096], tmp[4200], final[4200], rec[64];
	int fd, n, saved;

	if (!state || (size_t)snprintf(dir, sizeof dir, "%s/sessions", state) >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	rand_session_bytes(bytes);
	session_id_format(bytes, id);
	snprintf(final, sizeof final, "%s/%s", dir, id);
	snprintf(tmp, sizeof tmp, "%s/.tmp.%ld", dir, (long)getpid());
	n = snprintf(rec, sizeof rec, "created=%lld\n", (long long)time(NULL));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, rec, (size_t)n) != n || fsync(fd) < 0) {
		saved = errno ? errno : EIO;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, final) < 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

void store_session_release(struct session_hold *hold)
{
	if (hold->fd >= 0)
		close(hold->fd);
	hold->fd = -1;
}

/* The verdict on an open record FD (whose last use is ST's mtime): expired
 * records are unlinked, live ones touched at most once a minute. */
static int session_verdict(int fd, const struct stat *st, time_t created, const char *path,
                           time_t now, long idle, long max)
{
	if (!session_alive(created, st->st_mtime, now, idle, max)) {
		unlink(path);
		return 0;
	}
	if (now - st->st_mtime >= TOUCH_EVERY_S)
		futimens(fd, NULL);   /* best effort: a read-only store still serves */
	return 1;
}

int store_session_check(const char *state, const char *id, size_t idlen,
                        time_t now, long idle, long max, struct session_hold *hold)
{
	char path[4200], rec[64];
	struct stat st;
	time_t created;
	ssize_t n;
	int fd, alive;

	if (path_of(path, sizeof path, state, id, idlen) < 0)
		return 0;
	if (hold && hold->fd >= 0 && idlen == SESSION_ID_LEN && !memcmp(hold->id, id, idlen)) {
		if (fstat(hold->fd, &st) == 0 && st.st_nlink > 0) {
			if ((st.st_ctim.tv_sec != hold->changed.tv_sec ||
			     st.st_ctim.tv_nsec != hold->changed.tv_nsec) &&
			    ((n = pread(hold->fd, rec, sizeof rec, 0)) <= 0 ||
			     session_record_parse(rec, (size_t)n, &hold->created) < 0)) {
				store_session_release(hold);   /* rewritten into no record */
				return 0;
			}
			hold->changed = st.st_ctim;
			alive = session_verdict(hold->fd, &st, hold->created, path, now, idle, max);
			if (!alive)
				store_session_release(hold);
			return alive;
		}
		store_session_release(hold);   /* unlinked since: look it up by name */
	}
	/* No O_CLOEXEC: nothing execs while the fd is open (the CGI closes it
	 * a few lines down, the relay execs nothing), and musl implements
	 * O_CLOEXEC with an extra fcntl(2). */
	fd = open(path, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? 0 : -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (n = read(fd, rec, sizeof rec)) <= 0 ||
	    session_record_parse(rec, (size_t)n, &created) < 0) {
		close(fd);
		return 0;
	}
	alive = session_verdict(fd, &st, created, path, now, idle, max);
	if (alive && hold) {
		store_session_release(hold);
		hold->fd = fd;
		hold->created = created;
		hold->changed = st.st_ctim;
		memcpy(hold->id, id, SESSION_ID_LEN);
		return 1;
	}
	close(fd);
	return alive;
}

int store_session_delete(const char *state, const char *id, size_t idlen)
{
	char path[4200];

	if (path_of(path, sizeof path, state, id, idlen) < 0)
		return 0;
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int store_note_once(const char *state, const char *name, const char *line)
{
	char path[4200], tmp[4300];
	size_t len = strlen(line);
	int fd, ok;

	if (!state || (size_t)snprintf(path, sizeof path, "%s/%s", state, name) >= sizeof path ||
	    (size_t)snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid()) >= sizeof tmp)
		return -1;
	if (faccessat(AT_FDCWD, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return 0;      /* the usual case after the first: said already */
	/* Written whole under a name of this process, then link()ed into place:
	 * sh_login polls for the note and must never find it empty or half
	 * written, and of all the CGIs refusing at once exactly one link
	 * succeeds (EEXIST for the others). */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -1;
	ok = write(fd, line, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
	close(fd);
	if (ok && link(tmp, path) < 0)
		ok = errno == EEXIST ? 0 : -1;
	else
		ok = ok ? 1 : -1;
	unlink(tmp);
	return ok;
}
