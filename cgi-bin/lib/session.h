/* session.h - session id format and expiry rules. Pure. */
#ifndef SHL_SESSION_H
#define SHL_SESSION_H
#include <stddef.h>
#include <time.h>

/* 1 if S is exactly SESSION_ID_LEN lowercase hex characters. Checked before
 * an id is ever used to build a file name. */
int session_id_ok(const char *s, size_t len);

/* Hex-encode SESSION_ID_LEN/2 random bytes into OUT (SESSION_ID_LEN + 1). */
void session_id_format(const unsigned char *bytes, char *out);

/* 1 if a session created at CREATED and last used at USED is still valid at
 * NOW under IDLE and MAX seconds (0 disables that limit). A clock that went
 * backwards past creation also ends the session. */
int session_alive(time_t created, time_t used, time_t now, long idle, long max);

/* Parse a session record ("created=<epoch>\n"). Returns 0 and sets *CREATED,
 * or -1 for anything else (a half-written record is never accepted). */
int session_record_parse(const char *buf, size_t len, time_t *created);

#endif
