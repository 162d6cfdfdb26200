/* slot.h - a cap on forwarding CGIs running at once.
 *
 * busybox httpd forks a CGI for every request without limit, so a flood of
 * requests to a slow or hung app would pile up processes until memory or
 * pids run out. sh_login creates SH_LOGIN_TMPDIR/slots/0 .. N-1
 * (SH_LOGIN_CGI_MAX, default CGI_MAX_INFLIGHT); a forwarding CGI holds an
 * exclusive flock on one of them while it talks to the app. The kernel drops
 * the lock when the process ends however it ends, so a crashed CGI never
 * leaks a slot, and flock works on files opened read-only (a read-only
 * state directory still caps). */
#ifndef SHL_SLOT_H
#define SHL_SLOT_H

enum { SLOT_NONE = -1, SLOT_BUSY = -2 };

/* Take one of N slots under STATE/slots. The locked fd (keep it open until
 * the exchange ends), SLOT_BUSY when all N are held, or SLOT_NONE when
 * there are no slot files (no cap configured, or the state is gone). */
int slot_take(const char *state, long n);

#endif
