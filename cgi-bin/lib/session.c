/* session.c - session ids and their lifetime. */
#include <string.h>
#include "session.h"
#include "../limits.h"

int session_id_ok(const char *s, size_t len)
{
	size_t i;

	if (len != SESSION_ID_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

void session_id_format(const unsigned char *bytes, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < SESSION_ID_LEN / 2; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[SESSION_ID_LEN] = '\0';
}

int session_alive(time_t created, time_t used, time_t now, long idle, long max)
{
	if (now < created)
		return 0;
	if (max > 0 && now - created >= max)
		return 0;
	if (idle > 0 && now - (used > created ? used : created) >= idle)
		return 0;
	return 1;
}

int session_record_parse(const char *buf, size_t len, time_t *created)
{
	static const char key[] = "created=";
	size_t i = sizeof key - 1;
	long long v = 0;

	if (len < sizeof key + 1 || memcmp(buf, key, sizeof key - 1) != 0)
		return -1;
	if (buf[len - 1] != '\n')
		return -1;
	for (; i < len - 1; i++) {
		if (buf[i] < '0' || buf[i] > '9' || v > 1000000000000LL)
			return -1;
		v = v * 10 + (buf[i] - '0');
	}
	*created = (time_t)v;
	return 0;
}
