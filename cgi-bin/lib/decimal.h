/* decimal.h - the one decimal number parser (no atoi, atol, strtol). Pure.
 *
 * Content-Length values, configuration variables, ports: every number the
 * gateway reads goes through decimal_parse, so "5 ", "+5", "-0", "0x5",
 * "" and 20-digit overflows are refused the same way everywhere. */
#ifndef SHL_DECIMAL_H
#define SHL_DECIMAL_H
#include <stddef.h>

/* S[0..N): one or more ASCII digits and nothing else, at most MAX (MAX <=
 * 10^15). 0 with the value in *OUT, or -1. */
int decimal_parse(const char *s, size_t n, long long max, long long *out);

#endif
