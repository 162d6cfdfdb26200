/* url.h - percent-decoding, path re-encoding and `next` target checks. Pure. */
#ifndef SHL_URL_H
#define SHL_URL_H
#include <stddef.h>

/* Decode %XX (and '+' as space when PLUS_IS_SPACE) from IN[0..LEN) into OUT,
 * NUL-terminated. Returns the decoded length, or -1 on a bad escape, a decoded
 * NUL byte, or when OUT (OUTSZ bytes, room for the NUL included) is too small. */
long url_decode(const char *in, size_t len, char *out, size_t outsz, int plus_is_space);

/* Re-encode a decoded path (as busybox hands it over) so it can go on the wire
 * exactly once: RFC 3986 pchar and '/' stay, every other byte becomes %XX
 * ('%' itself, space, CR, LF, '?', '#', controls, bytes >= 0x80).
 * Returns the length written (NUL-terminated), or -1 if OUT is too small. */
long url_encode_path(const char *path, char *out, size_t outsz);

/* Encode for a query component: only unreserved characters and '/' stay. */
long url_encode_component(const char *in, char *out, size_t outsz);

/* Is NEXT a same-site path that is safe to redirect to after login?
 * Only "/..." paths: no scheme, no "//" or "/\" (protocol-relative to a
 * browser), no backslash, no control or non-ASCII byte, at most NEXT_MAX.
 * Returns 1 if safe, 0 if not. */
int url_next_ok(const char *next);

/* Normalise the decoded absolute PATH in place as busybox httpd does for
 * the CGI path: "//" becomes "/", "." segments go, ".." removes the segment
 * before it (RFC 3986 section 5.2.4 on decoded segments, so "%2e%2e" is a
 * ".." too). Returns the new length, or -1 when PATH does not start with
 * '/' or a ".." climbs above the root. */
long url_path_normalize(char *path);

/* busybox before 1.37 runs cgi-bin/index.cgi for any URL ending in '/',
 * with REQUEST_URI = decoded path + ("?" + raw query when there was one).
 * Such a path always ends in '/', which makes the split unambiguous even when
 * the decoded path itself holds '?'. Copies the path part to OUT.
 * Returns its length, or -1 (no trailing '/', or OUT too small). */
long url_index_path(const char *request_uri, const char *query, char *out, size_t outsz);

#endif
