#include "check.h"
#include "lib/session.h"
#include "limits.h"

void test_session(void)
{
	static const struct { const char *id; int ok; } ids[] = {
		{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 1 },
		{ "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", 0 },
		{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", 0 },
		{ "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", 0 },
		{ "../../../../etc/passwd\0", 0 },
		{ "0123456789abcdef0123456789abcdef0123456789abcdef012345678/abcdef", 0 },
		{ "", 0 },
	};
	static const struct { long created, used, now, idle, max; int alive; } life[] = {
		{ 1000, 1000, 1000, 60, 600, 1 },
		{ 1000, 1000, 1059, 60, 600, 1 },
		{ 1000, 1000, 1060, 60, 600, 0 },   /* idle */
		{ 1000, 1500, 1550, 60, 600, 1 },
		{ 1000, 1590, 1600, 60, 600, 0 },   /* absolute */
		{ 1000, 1000, 999, 60, 600, 0 },    /* clock went back */
		{ 1000, 1000, 99999, 0, 0, 1 },     /* limits off */
	};
	static const struct { const char *rec; int ret; long created; } recs[] = {
		{ "created=1700000000\n", 0, 1700000000 },
		{ "created=1700000000", -1, 0 },        /* half-written: no newline */
		{ "created=\n", -1, 0 },
		{ "created=17x0\n", -1, 0 },
		{ "", -1, 0 },
		{ "created=99999999999999999999\n", -1, 0 },
	};
	unsigned char bytes[SESSION_ID_LEN / 2];
	char id[SESSION_ID_LEN + 1];
	size_t i;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		CHECK(session_id_ok(ids[i].id, strlen(ids[i].id)) == ids[i].ok, "id %s", ids[i].id);
	for (i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(i * 37);
	session_id_format(bytes, id);
	CHECK(session_id_ok(id, strlen(id)), "formatted id is valid: %s", id);
	for (i = 0; i < sizeof life / sizeof life[0]; i++)
		CHECK(session_alive(life[i].created, life[i].used, life[i].now, life[i].idle, life[i].max)
		      == life[i].alive, "alive case %zu", i);
	for (i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		time_t c = 0;
		int r = session_record_parse(recs[i].rec, strlen(recs[i].rec), &c);
		CHECK(r == recs[i].ret, "record [%s]", recs[i].rec);
		if (r == 0)
			CHECK(c == recs[i].created, "created %ld", (long)c);
	}
}
