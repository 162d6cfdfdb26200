/* handoff.h - the message with which the project's busybox hands a client
 * connection to the relay (rootfs/busybox-patches/httpd-proxy-unix-handoff
 * .patch): one datagram carrying the client socket (SCM_RIGHTS) and
 *   "SHL-HANDOFF/1 ADDR MS\n" then the request line and the bytes httpd
 * read after it. ADDR is httpd's idea of the client: "10.0.0.7:5678",
 * "[2001:db8::7]:5678", or "-". MS: the milliseconds httpd already spent on
 * the connection, which the relay's deadline for the first request head
 * counts as spent (a busybox built before MS existed sends none: 0). Trust:
 * only httpd can send it (the socket lives in the 0700 state directory).
 * Pure. */
#ifndef SHL_HANDOFF_H
#define SHL_HANDOFF_H
#include <stddef.h>

#define HANDOFF_MAGIC "SHL-HANDOFF/1 "
#define HANDOFF_MAX (65536 + 16384 + 256)   /* httpd's line buffer + read buffer + header */

/* The most MS taken (more: not a handoff message). */
#define HANDOFF_SPENT_MAX 86400000L

/* Parse MSG: the client's address without port into ADDR (ADDRSZ bytes;
 * "-" when httpd did not know it), httpd's MS into *SPENT_MS. Returns the
 * offset of the client's bytes in MSG, or -1 when MSG is no handoff
 * message. */
long handoff_parse(const char *msg, size_t len, char *addr, size_t addrsz, long *spent_ms);

#endif
