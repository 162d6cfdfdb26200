/* oracle.h - independent reference checks shared by the fuzz harnesses.
 * Written apart from cgi-bin/lib on purpose: a harness judges the library
 * by these, so they must not be the library's own code. */
#ifndef SHL_FUZZ_ORACLE_H
#define SHL_FUZZ_ORACLE_H
#include <string.h>

/* RFC 9110 5.6.2 tchar. */
static inline int tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* No control byte but HTAB. */
static inline int ctl_free(const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
			return 0;
	return 1;
}

/* A[0..AN) equals NUL-terminated B, ASCII case-insensitively. */
static inline int ieq(const char *a, size_t an, const char *b)
{
	size_t i;

	if (strlen(b) != an)
		return 0;
	for (i = 0; i < an; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z') x += 32;
		if (y >= 'A' && y <= 'Z') y += 32;
		if (x != y)
			return 0;
	}
	return 1;
}

#endif
