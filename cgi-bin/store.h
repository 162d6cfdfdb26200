/* store.h - server-side state under SH_LOGIN_TMPDIR: the token file, one
 * file per session in sessions/ (the directory is 0700; the file name is the
 * session id, whose format is checked before it is ever used as a name), and
 * the notes for sh_login's terminal (refused.*). */
#ifndef SHL_STORE_H
#define SHL_STORE_H
#include <stddef.h>
#include <time.h>

/* Read the token (first line of STATE/token) into OUT. Length, or -1. */
long store_token_read(const char *state, char *out, size_t outsz);

/* Create a new session; its id goes to ID (SESSION_ID_LEN + 1 bytes).
 * Written to a temporary file and renamed, so a record is whole or absent.
 * 0, or -1 with errno set. */
int store_session_create(const char *state, char *id);

/* 1 if ID names a live session (its last-use time is refreshed), 0 if not
 * (an expired record is deleted), -1 with errno on an I/O error. */
int store_session_check(const char *state, const char *id, size_t idlen,
                        time_t now, long idle, long max);

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
