/* throttle.c - counting and lockout rules of the login throttle. */
#include <stdio.h>
#include <string.h>
#include "throttle.h"

void throttle_who(const char *addr, char *out)
{
	char key[CLIENT_KEY_MAX + 1];

	if (client_key(addr, key) < 0 || strlen(key) > THROTTLE_WHO_MAX) {
		strcpy(out, "?");
		return;
	}
	strcpy(out, key);
}

long throttle_wait(const struct throttle_entry *e, const struct throttle_rule *r, long long now)
{
	long long left = e->until - now;

	if (left <= 0)
		return 0;
	return left > r->backoff_max_s ? r->backoff_max_s : (long)left;
}

/* Failures and lockouts are remembered until a quiet spell after both. */
static long long quiet_since(const struct throttle_entry *e)
{
	return e->until > e->last ? e->until : e->last;
}

void throttle_fail(struct throttle_entry *e, const struct throttle_rule *r, long long now)
{
	long long lock;
	long i;

	if (r->limit <= 0)
		return;
	if (now - quiet_since(e) >= r->backoff_max_s || now < e->last)
		e->strikes = 0;
	if (now - e->start >= r->window_s || now < e->start) {
		e->start = now;
		e->fails = 0;
	}
	e->last = now;
	if (++e->fails < r->limit)
		return;
	lock = r->window_s;
	for (i = 0; i < e->strikes && lock < r->backoff_max_s; i++)
		lock *= 2;
	if (lock > r->backoff_max_s)
		lock = r->backoff_max_s;
	e->until = now + lock;
	e->strikes++;
	e->fails = 0;
	e->start = now + lock;     /* the next window opens when the lockout ends */
}

static const struct throttle_entry *lookup(const struct throttle_table *t, const char *who)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->e[i].who, who) == 0)
			return &t->e[i];
	return NULL;
}

long throttle_check(const struct throttle_table *t, const char *who,
                    const struct throttle_rule *rc, long long now)
{
	const struct throttle_entry *c = lookup(t, who);

	return c && rc->limit > 0 ? throttle_wait(c, rc, now) : 0;
}

int throttle_slow(const struct throttle_table *t, const char *who,
                  const struct throttle_rule *ra, long long now)
{
	const struct throttle_entry *c = lookup(t, who), *a = lookup(t, THROTTLE_ALL_KEY);

	if (!a || ra->limit <= 0 || throttle_wait(a, ra, now) == 0)
		return 0;
	if (c)       /* guessed wrong since the overall lockout began */
		return c->last >= a->last;
	return t->n >= THROTTLE_ENTRIES_MAX;    /* a newcomer that evicts someone */
}

void throttle_record_failure(struct throttle_table *t, const char *who,
                             const struct throttle_rule *rc, const struct throttle_rule *ra, long long now)
{
	struct throttle_entry *a = throttle_find(t, THROTTLE_ALL_KEY);

	struct throttle_entry *c;

	if (ra->limit > 0 && throttle_wait(a, ra, now) == 0)
		throttle_fail(a, ra, now);
	c = throttle_find(t, who);
	throttle_fail(c, rc, now);
	c->last = now;     /* even with the per-client rule off: throttle_check reads it */
}

struct throttle_entry *throttle_find(struct throttle_table *t, const char *who)
{
	struct throttle_entry *e = NULL;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->e[i].who, who) == 0)
			return &t->e[i];
	if (t->n < THROTTLE_ENTRIES_MAX) {
		e = &t->e[t->n++];
	} else {
		for (i = 0; i < t->n; i++)
			if (strcmp(t->e[i].who, THROTTLE_ALL_KEY) != 0 && (!e || t->e[i].last < e->last))
				e = &t->e[i];
	}
	memset(e, 0, sizeof *e);
	snprintf(e->who, sizeof e->who, "%s", who);
	return e;
}

void throttle_forget(struct throttle_table *t, const char *who)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->e[i].who, who) == 0) {
			t->e[i] = t->e[--t->n];
			return;
		}
	}
}

/* A non-negative decimal of at most 18 digits at *P, then one space or the end. */
static int number(const char **p, const char *end, long long *v)
{
	const char *s = *p;

	*v = 0;
	while (s < end && *s >= '0' && *s <= '9' && s - *p < 18)
		*v = *v * 10 + (*s++ - '0');
	if (s == *p || (s < end && *s != ' '))
		return -1;
	*p = s < end ? s + 1 : s;
	return 0;
}

size_t throttle_parse(const char *buf, size_t len, struct throttle_table *t)
{
	const char *p = buf, *end = buf + len;

	t->n = 0;
	while (p < end && t->n < THROTTLE_ENTRIES_MAX) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *q;
		struct throttle_entry *e = &t->e[t->n];
		long long v[5];
		size_t wl = 0;
		int i, ok = 1;

		while (p + wl < le && p[wl] != ' ')
			wl++;
		if (wl == 0 || wl > THROTTLE_WHO_MAX || p + wl == le)
			ok = 0;
		q = p + wl + 1;
		for (i = 0; ok && i < 5; i++)
			if (q > le || number(&q, le, &v[i]) < 0 || (i < 4 && q >= le))
				ok = 0;
		if (ok && q == le) {
			memset(e, 0, sizeof *e);
			memcpy(e->who, p, wl);
			if (strlen(e->who) != wl)
				;
			else if (strcmp(e->who, THROTTLE_ALL_KEY) == 0 || strcmp(e->who, "?") == 0 ||
			    strspn(e->who, "0123456789abcdefABCDEF.:") == wl) {
				e->start = v[0];
				e->until = v[1];
				e->last = v[2];
				e->fails = (long)v[3];
				e->strikes = (long)v[4];
				t->n++;
			}
		}
		p = nl ? nl + 1 : end;
	}
	return t->n;
}

long throttle_format(const struct throttle_table *t, long long now, long keep_s,
                     char *out, size_t outsz)
{
	size_t i, len = 0;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < t->n; i++) {
		const struct throttle_entry *e = &t->e[i];
		int n;
		if (now - quiet_since(e) >= keep_s && now >= e->last)
			continue;
		n = snprintf(out + len, outsz - len, "%s %lld %lld %lld %ld %ld\n",
		             e->who, e->start, e->until, e->last, e->fails, e->strikes);
		if (n < 0 || (size_t)n >= outsz - len)
			return -1;
		len += (size_t)n;
	}
	return (long)len;
}
