/* fuzz_session.c - session records and ids, token checks.
 *
 * Input: raw bytes, as read from a session file (session_record_parse) or
 * sent as a cookie value / token ("guess\0secret" for token_equal).
 * Properties: a record is accepted only as exactly "created=<digits>\n" and
 * yields that number; session_id_ok accepts exactly 64 lowercase hex;
 * token_format_ok exactly 1..TOKEN_MAX of [A-Za-z0-9._~-]; token_equal is
 * plain equality for inputs up to TOKEN_MAX and 0 beyond. */
#include <time.h>
#include "fuzz.h"
#include "limits.h"
#include "lib/session.h"
#include "lib/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fz_bytes(data, size);
	time_t created = -1;
	int r = session_record_parse(buf, size, &created), fmt = 1;
	size_t i;
	unsigned long long v = 0;

	/* reference: "created=" digits "\n" */
	if (size < 10 || memcmp(buf, "created=", 8) != 0 || buf[size - 1] != '\n')
		fmt = 0;
	for (i = 8; fmt && i < size - 1; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			fmt = 0;
		else if (v <= 100000000000000ULL)
			v = v * 10 + (unsigned)(buf[i] - '0');
	}
	if (r == 0)
		CHECK(fmt && created >= 0 && (unsigned long long)created == v);
	else
		CHECK(r == -1 && (!fmt || v > 1000000000000ULL));
	if (r == 0) {
		time_t now = created + (time_t)(size * 977);
		int alive = session_alive(created, created + 1, now, SESSION_IDLE_S, SESSION_MAX_S);
		CHECK(alive == (now - created < SESSION_MAX_S && now - (created + 1) < SESSION_IDLE_S));
		CHECK(!session_alive(created, created, created - 1, 0, 0));
	}

	{
		int ok = size == SESSION_ID_LEN;
		for (i = 0; ok && i < size; i++)
			ok = (buf[i] >= '0' && buf[i] <= '9') || (buf[i] >= 'a' && buf[i] <= 'f');
		CHECK(session_id_ok(buf, size) == ok);
	}
	{
		int ok = size >= 1 && size <= TOKEN_MAX;
		for (i = 0; ok && i < size; i++)
			ok = (buf[i] >= '0' && buf[i] <= '9') || (buf[i] >= 'a' && buf[i] <= 'z') ||
			     (buf[i] >= 'A' && buf[i] <= 'Z') || (buf[i] && strchr("._~-", buf[i]) != NULL);
		CHECK(token_format_ok(buf, size) == ok);
	}
	{
		const char *z = memchr(buf, '\0', size);
		size_t al = z ? (size_t)(z - buf) : size;
		const char *b = z ? z + 1 : buf;
		size_t bl = z ? size - al - 1 : size;
		int eq = al == bl && memcmp(buf, b, al) == 0 && al <= TOKEN_MAX;
		CHECK(token_equal(buf, al, b, bl) == eq);
		CHECK(token_equal(buf, al, buf, al) == (al <= TOKEN_MAX));
	}
	free(buf);
	return 0;
}
