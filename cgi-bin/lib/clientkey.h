/* clientkey.h - the name a client is counted under by every per-client
 * limit (the login throttle, the relay's connection shares): an IPv4
 * address as it is; an IPv6 address by its /64, since one household, LAN
 * or VM gets a whole /64 and picks addresses in it freely; an IPv4-mapped
 * IPv6 address as the IPv4 address. Pure. */
#ifndef SHL_CLIENTKEY_H
#define SHL_CLIENTKEY_H
#include <stddef.h>

#define CLIENT_KEY_MAX 47   /* INET6_ADDRSTRLEN - 1 */

/* KEY (CLIENT_KEY_MAX + 1 bytes) for ADDR, an address as text without
 * port or brackets: "10.0.0.7", "2001:db8:1:2::" for 2001:db8:1:2:a:b:c:d.
 * 0; or -1 with KEY "?" when ADDR is no IP address (a zone id included). */
int client_key(const char *addr, char *key);

#endif
