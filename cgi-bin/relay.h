/* relay.h - between the relay's accept loop (relay_accept.c: who gets a
 * connection process) and its exchanges (relay.c: what the connection's
 * requests get). */
#ifndef SHL_RELAY_H
#define SHL_RELAY_H
#include <stddef.h>
#include "lib/clientkey.h"

struct relay_client {
	int fd;                          /* the client's connection */
	char peer[CLIENT_KEY_MAX + 1];   /* its address ("-": unknown, as behind a TCP P:) */
	const char *pre;                 /* bytes httpd read before the handoff */
	size_t npre;
	long spent_ms;                   /* of the head deadline, already spent at httpd */
	unsigned char *authed;           /* set to 1 once a request passed the session
	                                    check (memory shared with the accept loop) */
};

/* Serve every request of one connection, then close it. */
void relay_serve(const struct relay_client *cl, long head_ms, long idle_ms);

#endif
