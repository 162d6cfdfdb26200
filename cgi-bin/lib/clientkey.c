/* clientkey.c - per-client keys: IPv4 as is, IPv6 by /64. */
#include <arpa/inet.h>
#include <string.h>
#include "clientkey.h"

int client_key(const char *addr, char *key)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned char a[16];

	strcpy(key, "?");
	if (!addr || strlen(addr) > CLIENT_KEY_MAX)
		return -1;
	if (inet_pton(AF_INET, addr, a) == 1)
		return inet_ntop(AF_INET, a, key, CLIENT_KEY_MAX + 1) ? 0 : -1;
	if (inet_pton(AF_INET6, addr, a) != 1)
		return -1;
	if (memcmp(a, mapped, sizeof mapped) == 0)
		return inet_ntop(AF_INET, a + 12, key, CLIENT_KEY_MAX + 1) ? 0 : -1;
	memset(a + 8, 0, 8);
	if (!inet_ntop(AF_INET6, a, key, CLIENT_KEY_MAX + 1)) {
		strcpy(key, "?");
		return -1;
	}
	return 0;
}
