/* admit.h - who gets a relay connection slot: the fair share that keeps a
 * stranger from filling the relay.
 *
 * A connection is a stranger's until one of its requests passes the
 * session check ("authed"). Strangers share at most STRANGERS of the MAX
 * slots (the rest stay for authenticated connections), and one client
 * (clientkey.h: IPv4 address, IPv6 /64) at most PER_CLIENT of them. When
 * the strangers' slots (or all MAX) are full, a newcomer ends a stranger's
 * connection: the oldest of the client holding the most, if that client
 * holds more than the newcomer, else the oldest stranger connection of
 * anyone. So someone who opens many connections displaces himself first,
 * someone with many addresses (one connection each) only displaces
 * connections older than the owner's newest, and the owner's next
 * connection always gets in while a stranger holds a slot; an
 * authenticated connection is never displaced. Clients of unknown address
 * (key "": every client behind a TCP P:) count as strangers, with no
 * per-client cap (they would all share it), and are displaced oldest
 * first. Pure: the relay keeps the table (in memory its connection
 * processes share, so a process marks itself authed without a syscall). */
#ifndef SHL_ADMIT_H
#define SHL_ADMIT_H
#include <stddef.h>
#include "clientkey.h"

struct admit_slot {
	int pid;                 /* 0: free */
	unsigned char authed;    /* set by the connection's own process */
	unsigned char ending;    /* told to end; still counted until reaped */
	long long since_ms;      /* when it was admitted */
	char key[CLIENT_KEY_MAX + 1];
};

struct admit_limits {
	long max;                /* connections (SH_LOGIN_RELAY_MAX) */
	long strangers;          /* of them, not yet authenticated */
	long per_client;         /* not yet authenticated, per client */
};

/* The limits for MAX connections: half for strangers, a quarter of that
 * per client (at least 1; 2 once there are 2 stranger slots): with the
 * default 64, 32 and 8, room for a browser's 6 parallel connections. */
void admit_limits_for(long max, struct admit_limits *l);

/* Decide for a newcomer from KEY among the N slots of S (N should be about
 * twice MAX: room for slots that are ending). 1: admit into *FREE, after
 * ending the connection in slot *EVICT unless that is -1; 0: refuse. */
int admit(const struct admit_slot *s, size_t n, const char *key,
          const struct admit_limits *l, size_t *free, long *evict);

#endif
