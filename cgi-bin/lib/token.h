/* token.h - secret comparison. Pure. */
#ifndef SHL_TOKEN_H
#define SHL_TOKEN_H
#include <stddef.h>

/* 1 if A[0..ALEN) equals B[0..BLEN), else 0. Always reads TOKEN_MAX bytes'
 * worth of positions, so the time taken does not depend on where the inputs
 * differ nor on the secret's length. Inputs longer than TOKEN_MAX never match. */
int token_equal(const char *a, size_t alen, const char *b, size_t blen);

/* 1 if T is a token sh_login accepts: 1..TOKEN_MAX of [A-Za-z0-9._~-]
 * (URL-safe, so the one-click URL needs no escaping). */
int token_format_ok(const char *t, size_t len);

#endif
