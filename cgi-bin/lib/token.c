/* token.c - constant-time token comparison. */
#include <string.h>
#include "token.h"
#include "../limits.h"

int token_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char pa[TOKEN_MAX] = {0}, pb[TOKEN_MAX] = {0};
	volatile unsigned char diff = 0;
	size_t i;

	if (alen > TOKEN_MAX || blen > TOKEN_MAX)
		return 0;
	/* Pad both to a fixed width, then look at every byte: the loop does the
	 * same work wherever the inputs differ. Only the lengths (public for a
	 * UUID token, and the caller's own for the guess) affect the copies. */
	memcpy(pa, a, alen);
	memcpy(pb, b, blen);
	for (i = 0; i < TOKEN_MAX; i++)
		diff |= (unsigned char)(pa[i] ^ pb[i]);
	diff |= (unsigned char)(alen != blen);
	return diff == 0;
}

int token_format_ok(const char *t, size_t len)
{
	size_t i;

	if (len == 0 || len > TOKEN_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = t[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~' || c == '-'))
			return 0;
	}
	return 1;
}
