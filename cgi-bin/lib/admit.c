/* admit.c - the relay's connection shares (rules in admit.h). */
#include <string.h>
#include "admit.h"

void admit_limits_for(long max, struct admit_limits *l)
{
	l->max = max;
	l->strangers = max > 1 ? max / 2 : 1;
	l->per_client = l->strangers / 4;
	if (l->per_client < 1)
		l->per_client = 1;
	if (l->per_client < 2 && l->strangers >= 2)
		l->per_client = 2;
}

static int live(const struct admit_slot *s) { return s->pid && !s->ending; }
static int stranger(const struct admit_slot *s) { return live(s) && !s->authed; }

/* Strangers' connections from KEY. */
static long count_key(const struct admit_slot *s, size_t n, const char *key)
{
	long c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += stranger(&s[i]) && strcmp(s[i].key, key) == 0;
	return c;
}

/* The oldest stranger connection, of a known client holding MOST when
 * MOST > 0, of anyone otherwise; -1 when there is none. */
static long oldest(const struct admit_slot *s, size_t n, long most)
{
	long pick = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!stranger(&s[i]) || (pick >= 0 && s[i].since_ms >= s[pick].since_ms))
			continue;
		if (most > 0 && (!s[i].key[0] || count_key(s, n, s[i].key) != most))
			continue;
		pick = (long)i;
	}
	return pick;
}

int admit(const struct admit_slot *s, size_t n, const char *key,
          const struct admit_limits *l, size_t *free, long *evict)
{
	long total = 0, strangers = 0, mine = 0, most = 0;
	size_t i;
	int have_free = 0;

	*evict = -1;
	for (i = 0; i < n; i++) {
		if (!s[i].pid && !have_free) {
			*free = i;
			have_free = 1;
		}
		total += live(&s[i]);
		strangers += stranger(&s[i]);
	}
	if (!have_free)
		return 0;
	/* unknown addresses (TCP P:: every client is httpd) share one pool,
	 * the strangers' share, with no per-client cap: it would be everyone's */
	if (*key) {
		mine = count_key(s, n, key);
		if (mine >= l->per_client)
			return 0;
	}
	if (total < l->max && strangers < l->strangers)
		return 1;
	/* Full: make room by ending a stranger's connection, never an
	 * authenticated one. The heaviest known client pays first when it
	 * holds more than the newcomer; otherwise the oldest stranger
	 * connection, whoever holds it: many addresses of one connection each
	 * (or unknown ones) only displace each other, and a newcomer, such as
	 * the owner's next connection before its first request authenticates
	 * it, always gets in while any stranger holds a slot. */
	for (i = 0; i < n; i++) {
		long c;
		if (!stranger(&s[i]) || !s[i].key[0])
			continue;
		c = count_key(s, n, s[i].key);
		if (c > most)
			most = c;
	}
	*evict = oldest(s, n, *key && most > mine ? most : 0);
	return *evict >= 0;
}
