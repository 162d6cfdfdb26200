/* host.h - Host and Origin checks (DNS rebinding, login CSRF). Pure.
 *
 * A Host value is name[:port]: a DNS name, a dotted-quad IPv4 address or a
 * bracketed IPv6 address, then an optional port of 1-5 digits (RFC 9110
 * section 7.2, RFC 3986 section 3.2.2). Names compare case-insensitively and
 * without one trailing dot. */
#ifndef SHL_HOST_H
#define SHL_HOST_H
#include <stddef.h>

/* 1 if HOST's name part is an IP literal (strict dotted quad, or [v6]):
 * a name nobody can rebind, since the browser never resolves it. */
int host_is_ip_literal(const char *host);

/* 1 if HOST matches an entry of LIST (names separated by commas or spaces).
 * An entry without a port matches HOST with any port or none; an entry with
 * a port ("a.example:8443") only that port. 0 if not, or HOST is malformed. */
int host_in_list(const char *host, const char *list);

/* 1 if ORIGIN (an Origin header: "scheme://host[:port]") names the same
 * authority as HOST, the default port of http (80) or https (443) being the
 * same as none. 0 for "null", other schemes, paths, or anything malformed. */
int host_same_origin(const char *origin, const char *host);

/* 1 if ORIGIN's authority (no path) matches an entry of LIST, as
 * host_in_list does: for a gateway behind a proxy that rewrites Host. */
int host_origin_in_list(const char *origin, const char *list);

#endif
