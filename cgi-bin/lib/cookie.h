/* cookie.h - the Cookie request header (RFC 6265 section 5.4 form). Pure. */
#ifndef SHL_COOKIE_H
#define SHL_COOKIE_H
#include <stddef.h>

/* Iterate over the cookies named NAME in HEADER ("a=1; b=2"). *POS starts at
 * 0. On a hit, sets *VAL / *VLEN to the raw value (surrounding DQUOTEs removed)
 * and returns 1; returns 0 when there are no more. A browser may send the same
 * name twice (other Path or Domain), so callers look at every value. */
int cookie_next(const char *header, const char *name, size_t *pos,
                const char **val, size_t *vlen);

/* Copy HEADER to OUT without any cookie named NAME, pairs joined by "; ".
 * Returns the new length (0: nothing left, omit the header) or -1 when OUT
 * (OUTSZ with the NUL) is too small. */
long cookie_strip(const char *header, const char *name, char *out, size_t outsz);

/* Is VALUE (a Set-Cookie header value) setting the cookie NAME? */
int cookie_sets_name(const char *value, size_t vlen, const char *name);

#endif
