#include "check.h"
#include "lib/clientkey.h"

void test_clientkey(void)
{
	static const struct { const char *addr, *key; int ret; } t[] = {
		{ "127.0.0.1", "127.0.0.1", 0 },
		{ "10.1.2.3", "10.1.2.3", 0 },
		{ "::1", "::", 0 },
		{ "2001:db8:1:2:a:b:c:d", "2001:db8:1:2::", 0 },
		{ "2001:db8:1:2::ffff", "2001:db8:1:2::", 0 },
		{ "2001:DB8:1:3::1", "2001:db8:1:3::", 0 },
		{ "::ffff:192.0.2.7", "192.0.2.7", 0 },
		{ "fe80::1%eth0", "?", -1 },
		{ "1.2.3.4:80", "?", -1 },
		{ "[::1]", "?", -1 },
		{ "", "?", -1 },
		{ "-", "?", -1 },
		{ "1.2.3.4\n* 0 0 0 0 0", "?", -1 },
		{ "0123456789012345678901234567890123456789012345678", "?", -1 },
	};
	char key[CLIENT_KEY_MAX + 1];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		CHECK(client_key(t[i].addr, key) == t[i].ret, "return for [%s]", t[i].addr);
		CHECK_STR(key, t[i].key, t[i].addr);
	}
	CHECK(client_key(NULL, key) == -1 && !strcmp(key, "?"), "NULL");
}
