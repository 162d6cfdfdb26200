#include "check.h"
#include "lib/admit.h"

enum { N = 128 };   /* twice the default MAX, as the relay's table */
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
	/* now 10.0.0.2 holds 1, 10.0.0.3 holds 2, 127.0.0.1 holds 1: the
	 * heaviest pays for anyone holding less, the owner's next connection too */
	ok = admit(s, N, "127.0.0.1", &l, &free, &evict);
	CHECK(ok == 1 && evict == 2, "owner's second: 10.0.0.3's oldest (%d %ld)", ok, evict);
	ok = admit(s, N, "10.0.0.9", &l, &free, &evict);
	CHECK(ok == 1 && evict == 2, "newcomer displaces 10.0.0.3's oldest (%d %ld)", ok, evict);
	s[evict].ending = 1;
	take("10.0.0.9", 0, 6);
	/* everyone holds one: the oldest goes (10.0.0.2's, since 2) */
	ok = admit(s, N, "10.0.0.10", &l, &free, &evict);
	CHECK(ok == 1 && evict == 1, "one each: the oldest overall (%d %ld)", ok, evict);
	ok = admit(s, N, "127.0.0.1", &l, &free, &evict);
	CHECK(ok == 1 && evict == 1, "the owner among equals: the oldest overall (%d %ld)", ok, evict);

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

	/* authenticated connections are never displaced, however old */
	memset(s, 0, sizeof s);
	for (i = 0; i < 4; i++)
		take("127.0.0.1", 1, (long long)i);
	for (i = 0; i < 4; i++) {
		char k[16];
		snprintf(k, sizeof k, "10.0.0.%zu", i + 2);
		take(k, 0, 10 + (long long)i);
	}
	ok = admit(s, N, "10.0.0.9", &l, &free, &evict);
	CHECK(ok == 1 && evict == 4, "full: the oldest stranger, not an older authed one (%d %ld)", ok, evict);

	/* many addresses, one half-sent head each (MAX 64, 32 for strangers):
	 * 40 addresses displace each other, the owner's newcomer still gets
	 * in, and its authenticated connections outlast any number of them */
	admit_limits_for(64, &l);
	memset(s, 0, sizeof s);
	for (i = 1; i <= 40; i++) {
		char k[16];
		snprintf(k, sizeof k, "127.0.1.%zu", i);
		ok = admit(s, N, k, &l, &free, &evict);
		CHECK(ok == 1 && (i <= 32) == (evict < 0), "address %zu of 40: %d %ld", i, ok, evict);
		if (evict >= 0)
			memset(&s[evict], 0, sizeof s[evict]);   /* ended and reaped */
		take(k, 0, (long long)i);
	}
	ok = admit(s, N, "127.0.0.1", &l, &free, &evict);
	CHECK(ok == 1 && evict >= 0 && !strcmp(s[evict].key, "127.0.1.9"), "40 addresses: the owner gets in (%d %ld)", ok, evict);
	memset(&s[evict], 0, sizeof s[evict]);
	take("127.0.0.1", 1, 41);
	for (i = 42; i < 200; i++) {
		char k[16];
		snprintf(k, sizeof k, "127.0.2.%zu", i);
		ok = admit(s, N, k, &l, &free, &evict);
		if (ok != 1 || (evict < 0 && i > 42) || (evict >= 0 && s[evict].authed)) {
			CHECK(0, "stranger %zu: %d %ld", i, ok, evict);
			break;
		}
		if (evict >= 0)
			memset(&s[evict], 0, sizeof s[evict]);
		take(k, 0, (long long)i);
	}
	for (i = 0, ok = 0, evict = 0; i < N; i++) {
		ok += s[i].pid && s[i].authed;
		evict += s[i].pid && !s[i].authed;
	}
	CHECK(ok == 1 && evict == 32, "the owner's authenticated connection outlasts 158 strangers (%d, %ld)", ok, evict);

	/* unknown addresses (TCP P:): the strangers' share, oldest out first */
	admit_limits_for(8, &l);
	memset(s, 0, sizeof s);
	for (i = 0; i < 3; i++)
		take("", 0, (long long)i);
	CHECK(admit(s, N, "", &l, &free, &evict) == 1 && evict == -1, "unknown: below the strangers' share");
	take("", 0, 3);
	ok = admit(s, N, "", &l, &free, &evict);
	CHECK(ok == 1 && evict == 0, "unknown: the share is full, the oldest goes (%d %ld)", ok, evict);
	ok = admit(s, N, "10.0.0.2", &l, &free, &evict);
	CHECK(ok == 1 && evict == 0, "unknown clients are displaced by a known one (%d %ld)", ok, evict);
	/* an authenticated unknown (the owner behind TCP P:) is never displaced */
	memset(s, 0, sizeof s);
	for (i = 0; i < 4; i++)
		take("", 1, (long long)i);
	for (i = 0; i < 4; i++)
		take("", 0, 10 + (long long)i);
	ok = admit(s, N, "", &l, &free, &evict);
	CHECK(ok == 1 && evict == 4, "unknown: authed ones stay (%d %ld)", ok, evict);
	for (i = 4; i < 8; i++)
		s[i].authed = 1;
	CHECK(admit(s, N, "", &l, &free, &evict) == 0, "unknown: all authed, at the total: refused");
}
