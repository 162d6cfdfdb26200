/* throttle.h - the login throttle's state file: STATE/throttle, read,
 * decided on and rewritten under an exclusive flock(2), so concurrent login
 * CGIs count every failure exactly once. The rules are in lib/throttle.c. */
#ifndef SHL_THROTTLE_CGI_H
#define SHL_THROTTLE_CGI_H
#include "cgi.h"
#include "lib/throttle.h"

struct throttle_state {
	int fd;
	long long now;
	char who[THROTTLE_WHO_MAX + 1];
	struct throttle_rule client, all;
	struct throttle_table t;
};

/* Lock the state and decide for this client (REMOTE_ADDR, never a
 * forwarding header) with throttle_check: only the client's own failures
 * refuse it; during an overall lockout throttle_slow may delay its
 * compare by THROTTLE_SLOW_MS (outside the lock), never refuse it. 0: go
 * on, the lock is held until throttle_end. More: seconds to wait (the
 * lock is released). A state file that cannot be opened or locked within
 * THROTTLE_LOCK_WAIT_MS: 503 (cgi_fail). */
long throttle_begin(const struct cgi *g, struct throttle_state *s);

/* Record the outcome (OK > 0: the client's failures are forgotten; OK == 0:
 * one more failure for the client and overall; OK < 0: no outcome, the
 * token could not be checked), write the state and unlock. */
void throttle_end(const struct cgi *g, struct throttle_state *s, int ok);

#endif
