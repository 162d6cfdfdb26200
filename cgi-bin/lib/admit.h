/* admit.h - who gets a relay connection slot: the fair share that keeps a
 * stranger from filling the relay.
 *
 * A connection is a stranger's until one of its requests passes the
 * session check ("authed"). Strangers share at most STRANGERS of the MAX
 * slots (the rest stay for authenticated connections), and one client
 * (clientkey.h: IPv4 address, IPv6 /64) at most PER_CLIENT of them. When
 * the strangers' slots are full, a newcomer ends the oldest stranger
 * connection of the client holding the most, if that client holds at
 * least two more than the newcomer: someone who opens many connections
 * only ever displaces himself or others like him, never a client with
 * fewer. A client of unknown address (key "") is counted only against
 * MAX. Pure: the relay keeps the table (in memory its connection processes
 * share, so a process marks itself authed without a syscall). */
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
