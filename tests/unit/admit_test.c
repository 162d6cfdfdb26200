#include "check.h"
#include "lib/admit.h"

enum { N = 16 };
static struct admit_slot s[N];

/* Fill the next free slot as a connection from KEY admitted at time T. */
static size_t take(const char *key, int authed, long long t)
{
	size_t i;

	for (i = 0; i < N && s[i].pid; i++)
		;
	s[i].pid = (int)i + 100;
	s[i].authed = (unsigned char)authed;
	s[i].since_ms = t;
	snprintf(s[i].key, sizeof s[i].key, "%s", key);
	return i;
}

void test_admit(void)
{
	struct admit_limits l;
	size_t free, i;
	long evict;
	int ok;

	admit_limits_for(64, &l);
	CHECK(l.max == 64 && l.strangers == 32 && l.per_client == 8, "defaults %ld %ld %ld", l.max, l.strangers, l.per_client);
	admit_limits_for(1, &l);
	CHECK(l.strangers == 1 && l.per_client == 1, "one slot");
	admit_limits_for(4, &l);
	CHECK(l.strangers == 2 && l.per_client == 2, "four slots");

	/* MAX 8: 4 for strangers, 2 per client (table of 16) */
	admit_limits_for(8, &l);
	memset(s, 0, sizeof s);
	CHECK(admit(s, N, "10.0.0.2", &l, &free, &evict) == 1 && free == 0 && evict == -1, "empty: admit");
	take("10.0.0.2", 0, 1);
	take("10.0.0.2", 0, 2);
	CHECK(admit(s, N, "10.0.0.2", &l, &free, &evict) == 0, "a client's share is full");
	take("10.0.0.3", 0, 3);
	take("10.0.0.3", 0, 4);
	/* strangers' slots full: the newcomer with none displaces the oldest
	 * connection of a client holding two */
	ok = admit(s, N, "127.0.0.1", &l, &free, &evict);
	CHECK(ok == 1 && evict == 0 && free == 4, "displace the oldest of the heaviest: %d %ld %zu", ok, evict, free);
	s[evict].ending = 1;
	take("127.0.0.1", 0, 5);
	/* now 10.0.0.2 holds 1, 10.0.0.3 holds 2, 127.0.0.1 holds 1: a second
	 * owner connection would only trade places with 10.0.0.3 (refused);
	 * a newcomer with none displaces 10.0.0.3's older one */
	CHECK(admit(s, N, "127.0.0.1", &l, &free, &evict) == 0, "no ping-pong between near-equals");
	ok = admit(s, N, "10.0.0.9", &l, &free, &evict);
	CHECK(ok == 1 && evict == 2, "newcomer displaces 10.0.0.3's oldest (%d %ld)", ok, evict);
	s[evict].ending = 1;
	take("10.0.0.9", 0, 6);
	CHECK(admit(s, N, "10.0.0.10", &l, &free, &evict) == 0, "everyone holds at most one more: refused");

	/* authenticated connections are not strangers: they leave room */
	for (i = 0; i < N; i++)
		if (s[i].pid && !s[i].ending && !strcmp(s[i].key, "127.0.0.1"))
			s[i].authed = 1;
	CHECK(admit(s, N, "10.0.0.9", &l, &free, &evict) == 1 && evict == -1, "owner authed: a stranger's slot is free");

	/* the total cap: full of authenticated connections, nobody is displaced */
	memset(s, 0, sizeof s);
	for (i = 0; i < 8; i++)
		take("127.0.0.1", 1, (long long)i);
	CHECK(admit(s, N, "10.0.0.2", &l, &free, &evict) == 0, "total cap");
	/* ending slots are not counted, but need a free table entry */
	s[0].ending = 1;
	CHECK(admit(s, N, "10.0.0.2", &l, &free, &evict) == 1 && free == 8, "an ending slot frees its place");
	for (i = 8; i < N; i++) {
		take("x", 0, 0);
		s[i].ending = 1;
	}
	CHECK(admit(s, N, "10.0.0.2", &l, &free, &evict) == 0, "table full");

	/* unknown addresses (TCP P:) count only against the total */
	memset(s, 0, sizeof s);
	for (i = 0; i < 7; i++)
		take("", 0, (long long)i);
	CHECK(admit(s, N, "", &l, &free, &evict) == 1 && evict == -1, "unknown: below the total");
	take("", 0, 7);
	CHECK(admit(s, N, "", &l, &free, &evict) == 0, "unknown: at the total");
	CHECK(admit(s, N, "10.0.0.2", &l, &free, &evict) == 0, "unknown clients are never displaced");
}
