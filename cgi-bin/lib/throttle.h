/* throttle.h - login throttling rules: count wrong tokens per client and
 * overall, lock out with exponential backoff. Pure: the caller loads and
 * saves the table (under a lock) and supplies the clock.
 *
 * Rule: LIMIT failures within WINDOW seconds (counted from the first one)
 * lock the entry out for WINDOW * 2^strikes seconds, at most BACKOFF_MAX;
 * each lockout adds a strike; a quiet BACKOFF_MAX (no failure) forgets them.
 * With 5 / 60 s / 900 s: 5 guesses, 60 s wait, 5, 120 s, 5, 240 s, ... then
 * 5 per 15 minutes. A success forgets the client's entry, never the overall.
 *
 * The overall rule never refuses anyone (a lockout any stranger can
 * trigger would be a denial of service on the owner): while it is in
 * force, a client that has guessed wrong since it began, and a newcomer
 * that must evict another client from a full table, is SLOWED
 * (THROTTLE_SLOW_MS before its compare), never turned away; only a
 * client's own failures earn it a 429. So the right token is compared
 * however many wrong ones others sent, even after the owner's own typo.
 * Clients are keyed by clientkey.h (an IPv6 client by its /64). */
#ifndef SHL_THROTTLE_H
#define SHL_THROTTLE_H
#include <stddef.h>
#include "../limits.h"
#include "clientkey.h"

struct throttle_rule {
	long limit;            /* failures per window; 0 turns the rule off */
	long window_s;         /* >= 1 */
	long backoff_max_s;    /* longest lockout; also how long strikes are kept */
};

struct throttle_entry {
	char who[THROTTLE_WHO_MAX + 1];  /* client address, or THROTTLE_ALL_KEY */
	long long start;       /* start of the current counting window */
	long long until;       /* locked out before this time */
	long long last;        /* time of the last failure */
	long fails;            /* failures in the current window */
	long strikes;          /* lockouts so far */
};

struct throttle_table {
	size_t n;
	struct throttle_entry e[THROTTLE_ENTRIES_MAX];
};

#define THROTTLE_ALL_KEY "*"

/* The table key of client address ADDR into OUT (THROTTLE_WHO_MAX + 1):
 * client_key() (IPv4 as is, IPv6 by /64); anything else becomes "?". */
void throttle_who(const char *addr, char *out);

/* Seconds WHO must wait before its token may even be compared (0: compare
 * now): the client's own lockout under rule RC, nothing else. */
long throttle_check(const struct throttle_table *t, const char *who,
                    const struct throttle_rule *rc, long long now);

/* 1 when WHO's compare is to be slowed (not refused) under the overall
 * rule RA: an overall lockout is in force and WHO has guessed wrong since
 * it began, or WHO is new to a full table (it will evict the client that
 * guessed least recently). 0 otherwise. */
int throttle_slow(const struct throttle_table *t, const char *who,
                  const struct throttle_rule *ra, long long now);

/* Record one wrong token from WHO: counted for the client always, for the
 * overall rule only outside an overall lockout (its start stays the time
 * of its last counted failure, which throttle_slow compares against). */
void throttle_record_failure(struct throttle_table *t, const char *who,
                             const struct throttle_rule *rc, const struct throttle_rule *ra, long long now);

/* Seconds before ENTRY may try again (0: now). Never more than the rule's
 * BACKOFF_MAX, so a clock that jumped back cannot lock out for ever. */
long throttle_wait(const struct throttle_entry *e, const struct throttle_rule *r, long long now);

/* Count one failure; may start a lockout. */
void throttle_fail(struct throttle_entry *e, const struct throttle_rule *r, long long now);

/* The entry for WHO, added (evicting the least recently failing client when
 * the table is full) if absent. Never NULL. */
struct throttle_entry *throttle_find(struct throttle_table *t, const char *who);

/* Remove WHO's entry, if any. */
void throttle_forget(struct throttle_table *t, const char *who);

/* Parse the state file: one entry a line, "who start until last fails
 * strikes". Malformed lines are skipped. Returns the number of entries. */
size_t throttle_parse(const char *buf, size_t len, struct throttle_table *t);

/* Write T to OUT, leaving out entries with nothing left to remember at NOW
 * under KEEP_S (the longest backoff). Length, or -1 if OUT is too small. */
long throttle_format(const struct throttle_table *t, long long now, long keep_s,
                     char *out, size_t outsz);

#endif
