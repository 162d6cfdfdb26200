/* store.h - server-side state under SH_LOGIN_TMPDIR: the token file, one
 * file per session in sessions/ (the directory is 0700; the file name is the
 * session id, whose format is checked before it is ever used as a name), and
 * the notes for sh_login's terminal (refused.*). */
#ifndef SHL_STORE_H
#define SHL_STORE_H
#include <stddef.h>
#include <time.h>
#include "limits.h"

/* Read the token (first line of STATE/token) into OUT. Length, or -1. */
long store_token_read(const char *state, char *out, size_t outsz);

/* Create a new session; its id goes to ID (SESSION_ID_LEN + 1 bytes).
 * Written to a temporary file and renamed, so a record is whole or absent.
 * 0, or -1 with errno set. */
int store_session_create(const char *state, char *id);

/* A session record kept open from one request of a relayed connection to
 * the next: fstat(2) on it says whether the record is still linked (logout,
 * expiry and the gateway's stop unlink it) and when it was last used, one
 * system call where open, fstat, read and close were four. The relay has
 * one per connection; the CGIs, one request each, hold nothing. */
struct session_hold {
	int fd;                     /* -1: nothing held */
	time_t created;             /* from the record as of its change time: */
	struct timespec changed;    /* st_ctim; a record written since is read again */
	char id[SESSION_ID_LEN];
};

/* 1 if ID names a live session (its last-use time is refreshed), 0 if not
 * (an expired record is deleted), -1 with errno on an I/O error. HOLD
 * (or NULL) keeps the record of a live session open for the next check
 * of the same ID. */
int store_session_check(const char *state, const char *id, size_t idlen,
                        time_t now, long idle, long max, struct session_hold *hold);

/* Close what HOLD keeps open (fd -1 afterwards). */
void store_session_release(struct session_hold *hold);

/* Delete the session ID if it exists. 0, or -1 with errno. */
int store_session_delete(const char *state, const char *id, size_t idlen);

/* Write LINE to STATE/NAME once per run: the first caller creates the file
 * (written as NAME.PID.tmp, then link()ed: never seen half written) and
 * gets 1; later callers get 0 and leave nothing; -1 on an I/O error. sh_login removes these files when it starts and stops, and shows
 * what they say on its terminal. NAME is the caller's constant. */
int store_note_once(const char *state, const char *name, const char *line);

/* SESSION_ID_LEN/2 random bytes from libuuid (v4 UUIDs: 122 random bits each). */
void rand_session_bytes(unsigned char *out);

#endif
