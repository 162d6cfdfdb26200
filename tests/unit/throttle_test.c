#include "check.h"
#include "lib/throttle.h"

static struct throttle_table t;   /* 256 entries: too big for the stack budget */

void test_throttle(void)
{
	static const struct { const char *addr, *who; } who[] = {
		{ "127.0.0.1", "127.0.0.1" },
		{ "::1", "::" },
		{ "2001:db8:1:2:a:b:c:d", "2001:db8:1:2::" },   /* an IPv6 client by its /64 */
		{ "fe80::1%eth0", "?" },
		{ "1.2.3.4\n* 0 0 0 0 0", "?" },
		{ "", "?" },
		{ "a b", "?" },
		{ "0123456789012345678901234567890123456789012345678", "?" },
	};
	/* LIMIT 3 per 10 s, lockouts 10, 20, 40, 60 (max) */
	const struct throttle_rule r = { 3, 10, 60 }, off = { 0, 10, 60 };
	struct throttle_entry e;
	char buf[THROTTLE_FILE_MAX], key[THROTTLE_WHO_MAX + 1];
	long len, wait[4];
	size_t i;
	int k;

	for (i = 0; i < sizeof who / sizeof who[0]; i++) {
		throttle_who(who[i].addr, key);
		CHECK_STR(key, who[i].who, who[i].addr);
	}

	memset(&e, 0, sizeof e);
	throttle_fail(&e, &r, 1000);
	throttle_fail(&e, &r, 1001);
	CHECK(throttle_wait(&e, &r, 1001) == 0, "2 of 3: go on");
	throttle_fail(&e, &r, 1002);
	CHECK(throttle_wait(&e, &r, 1002) == 10, "3 of 3: locked for a window, got %ld", throttle_wait(&e, &r, 1002));
	CHECK(throttle_wait(&e, &r, 1011) == 1, "1 s left");
	CHECK(throttle_wait(&e, &r, 1012) == 0, "lock over");

	/* failures spread over more than a window never lock */
	memset(&e, 0, sizeof e);
	for (k = 0; k < 10; k++)
		throttle_fail(&e, &r, 2000 + k * 6);
	CHECK(throttle_wait(&e, &r, 2060) == 0, "slow guesses are not locked out");

	/* lockouts double up to the maximum, then a quiet spell forgets them */
	memset(&e, 0, sizeof e);
	{
		long long now = 5000;
		for (i = 0; i < 4; i++) {
			for (k = 0; k < 3; k++)
				throttle_fail(&e, &r, now);
			wait[i] = throttle_wait(&e, &r, now);
			now += wait[i];
		}
		CHECK(wait[0] == 10 && wait[1] == 20 && wait[2] == 40 && wait[3] == 60,
		      "backoff %ld %ld %ld %ld", wait[0], wait[1], wait[2], wait[3]);
		now += 60;    /* quiet for BACKOFF_MAX after the lockout */
		for (k = 0; k < 3; k++)
			throttle_fail(&e, &r, now);
		CHECK(throttle_wait(&e, &r, now) == 10, "strikes forgotten: %ld", throttle_wait(&e, &r, now));
	}

	/* a clock that went back cannot lock out for longer than the maximum */
	memset(&e, 0, sizeof e);
	e.until = 999999;
	CHECK(throttle_wait(&e, &r, 100) == 60, "capped wait");

	/* a rule with limit 0 never counts */
	memset(&e, 0, sizeof e);
	for (k = 0; k < 100; k++)
		throttle_fail(&e, &off, 100);
	CHECK(e.fails == 0 && throttle_wait(&e, &off, 100) == 0, "off");

	/* table: find, forget, eviction keeps the overall entry */
	memset(&t, 0, sizeof t);
	throttle_find(&t, THROTTLE_ALL_KEY)->last = 0;
	for (k = 0; k < THROTTLE_ENTRIES_MAX + 5; k++) {
		snprintf(key, sizeof key, "10.0.0.%d", k);
		throttle_find(&t, key)->last = 100 + k;
	}
	CHECK(t.n == THROTTLE_ENTRIES_MAX, "table full: %zu", t.n);
	CHECK(!strcmp(t.e[0].who, THROTTLE_ALL_KEY), "overall entry never evicted");
	throttle_forget(&t, "10.0.0.68");
	CHECK(t.n == THROTTLE_ENTRIES_MAX - 1, "forgotten");
	throttle_forget(&t, "nobody");
	CHECK(t.n == THROTTLE_ENTRIES_MAX - 1, "forget unknown");

	/* format and parse round-trip; old entries are dropped */
	memset(&t, 0, sizeof t);
	e = (struct throttle_entry){ "127.0.0.1", 100, 160, 100, 2, 1 };
	t.e[t.n++] = e;
	e = (struct throttle_entry){ THROTTLE_ALL_KEY, 100, 0, 100, 4, 0 };
	t.e[t.n++] = e;
	e = (struct throttle_entry){ "10.0.0.1", 1, 0, 1, 1, 0 };   /* quiet for long: dropped */
	t.e[t.n++] = e;
	len = throttle_format(&t, 150, 60, buf, sizeof buf);
	CHECK_STR(buf, "127.0.0.1 100 160 100 2 1\n* 100 0 100 4 0\n", "format");
	CHECK(throttle_format(&t, 150, 60, buf, 10) == -1, "too small");
	len = throttle_format(&t, 150, 60, buf, sizeof buf);
	CHECK(throttle_parse(buf, (size_t)len, &t) == 2, "round trip");
	CHECK(t.e[0].until == 160 && t.e[0].strikes == 1 && t.e[1].fails == 4, "values");

	/* No stranger lockout: 5 per client, 20 overall per 60 s, at most 900 s */
	{
		const struct throttle_rule rc = { 5, 60, 900 }, ra = { 20, 60, 900 };
		long long now = 10000, tt;
		char who[THROTTLE_WHO_MAX + 1];
		long guesses;

		memset(&t, 0, sizeof t);
		for (k = 0; k < 20; k++) {        /* 8 strangers, 20 wrong tokens */
			snprintf(who, sizeof who, "127.0.0.%d", 2 + k % 8);
			CHECK(throttle_check(&t, who, &rc, now) == 0, "guess %d heard", k);
			CHECK(!throttle_slow(&t, who, &ra, now), "guess %d not slowed", k);
			throttle_record_failure(&t, who, &rc, &ra, now);
		}
		CHECK(throttle_check(&t, "127.0.0.2", &rc, now) == 0, "a stranger under its own limit is heard");
		CHECK(throttle_slow(&t, "127.0.0.2", &ra, now), "... slowed: it guessed during the overall lockout");
		CHECK(throttle_check(&t, "127.0.0.1", &rc, now) == 0, "the owner is heard");
		CHECK(!throttle_slow(&t, "127.0.0.1", &ra, now), "... at once");
		throttle_record_failure(&t, "127.0.0.1", &rc, &ra, now + 30);   /* a typo */
		CHECK(throttle_check(&t, "127.0.0.1", &rc, now + 31) == 0, "the owner's typo: still heard");
		CHECK(throttle_slow(&t, "127.0.0.1", &ra, now + 31), "... slowed");
		CHECK(throttle_check(&t, "127.0.0.1", &rc, now + 600) == 0,
		      "... and never refused while overall lockouts go on (the old rule: 15 min)");
		CHECK(throttle_find(&t, THROTTLE_ALL_KEY)->last == now, "failures in a lockout do not move its start");
		CHECK(!throttle_slow(&t, "127.0.0.2", &ra, now + 60), "lockout over: nobody slowed");
		/* a client's own lockout stays in full */
		for (k = 0; k < 5; k++)
			throttle_record_failure(&t, "10.9.9.9", &rc, &ra, now + 61);
		CHECK(throttle_check(&t, "10.9.9.9", &rc, now + 61) == 60, "own lockout: %ld",
		      throttle_check(&t, "10.9.9.9", &rc, now + 61));
		/* 20 wrong tokens, then a full table of one-guess addresses: a
		 * newcomer evicts the least recent guesser, slowed, never refused */
		memset(&t, 0, sizeof t);
		for (k = 0; k < 20; k++)
			throttle_record_failure(&t, "10.0.0.1", &(struct throttle_rule){ 0, 60, 900 }, &ra, now);
		for (k = 0; k < 251; k++) {
			snprintf(who, sizeof who, "10.1.%d.%d", k / 250, k % 250);
			CHECK(throttle_check(&t, who, &rc, now + 1) == 0, "rotating %d", k);
			throttle_record_failure(&t, who, &rc, &ra, now + 1);
		}
		for (k = 0; k < 10; k++) {
			snprintf(who, sizeof who, "10.2.0.%d", k);
			throttle_record_failure(&t, who, &rc, &ra, now + 2);
		}
		CHECK(t.n == THROTTLE_ENTRIES_MAX, "table full: %zu", t.n);
		CHECK(throttle_check(&t, "127.0.0.1", &rc, now + 2) == 0, "newcomer to a full table of guessers: heard");
		CHECK(throttle_slow(&t, "127.0.0.1", &ra, now + 2), "... slowed");
		throttle_record_failure(&t, "127.0.0.1", &rc, &ra, now + 3);
		CHECK(t.n == THROTTLE_ENTRIES_MAX && throttle_find(&t, "127.0.0.1")->last == now + 3,
		      "the newcomer got an entry");
		CHECK(!strcmp(t.e[0].who, THROTTLE_ALL_KEY), "the overall entry stays");
		CHECK(throttle_check(&t, "10.0.0.1", &rc, now + 3) == 0, "the least recent guesser was evicted");
		CHECK(throttle_find(&t, "10.1.0.0")->fails == 0, "evicted clients start afresh");

		/* What the rules allow in an hour (README, Security): one address
		 * guessing as fast as it is heard; the overall rule only slows. */
		memset(&t, 0, sizeof t);
		guesses = 0;
		for (tt = 0; tt < 3600; tt++)
			while (throttle_check(&t, "10.3.0.1", &rc, tt) == 0 && guesses < 100000) {
				throttle_record_failure(&t, "10.3.0.1", &rc, &ra, tt);
				guesses++;
			}
		CHECK(guesses == 35, "one address, first hour: %ld", guesses);
		for (; tt < 7200; tt++)
			while (throttle_check(&t, "10.3.0.1", &rc, tt) == 0 && guesses < 100000) {
				throttle_record_failure(&t, "10.3.0.1", &rc, &ra, tt);
				guesses++;
			}
		CHECK(guesses == 35 + 20, "one address, second hour: %ld", guesses - 35);
	}

	{
		static const struct { const char *in; size_t n; } bad[] = {
			{ "", 0 },
			{ "127.0.0.1 1 2 3 4\n", 0 },
			{ "127.0.0.1 1 2 3 4 5 6\n", 0 },
			{ "127.0.0.1 1 2 3 4 x\n", 0 },
			{ "127.0.0.1 1 2 3 4 -5\n", 0 },
			{ "evil;rm 1 2 3 4 5\n", 0 },
			{ " 1 2 3 4 5\n", 0 },
			{ "1.2.3.4 1 2 3 4 1234567890123456789\n", 0 },
			{ "1.2.3.4 1 2 3 4 5", 1 },
			{ "junk\n1.2.3.4 1 2 3 4 5\n\n? 1 2 3 4 5\n", 2 },
		};
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
			CHECK(throttle_parse(bad[i].in, strlen(bad[i].in), &t) == bad[i].n, "parse [%s]", bad[i].in);
		CHECK(throttle_parse("* 1 2 3 4 5\n\0* 1 2 3 4 5\n", 26, &t) == 1, "NUL in a line");
	}
}
