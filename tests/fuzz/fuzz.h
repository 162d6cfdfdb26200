/* fuzz.h - shared helpers for the libFuzzer harnesses in tests/fuzz/.
 *
 * Every harness feeds one library parser untrusted bytes exactly as the CGI
 * would, in heap buffers of the exact size (so ASan sees any over-read), then
 * asserts the parser's contract. A broken property calls abort(), which
 * libFuzzer reports as a crash and saves as a finding. */
#ifndef SHL_FUZZ_H
#define SHL_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(x) do { if (!(x)) { \
	fprintf(stderr, "property failed: %s (%s:%d)\n", #x, __FILE__, __LINE__); \
	abort(); } } while (0)

/* Exact-size copy of DATA[0..N), no terminator: reading past it is an ASan error. */
static inline char *fz_bytes(const uint8_t *data, size_t n)
{
	char *p = malloc(n ? n : 1);
	CHECK(p);
	if (n)
		memcpy(p, data, n);
	return p;
}

/* NUL-terminated copy of DATA[0..N) (stops early at an embedded NUL). */
static inline char *fz_str(const uint8_t *data, size_t n)
{
	const uint8_t *z = memchr(data, 0, n);
	size_t len = z ? (size_t)(z - data) : n;
	char *p = malloc(len + 1);
	CHECK(p);
	memcpy(p, data, len);
	p[len] = '\0';
	return p;
}

/* Split the NUL-terminated S in place on SEP into at most MAX parts. */
static inline size_t fz_split(char *s, char sep, char **part, size_t max)
{
	size_t n = 0;

	while (n < max) {
		char *e = strchr(s, sep);
		part[n++] = s;
		if (!e)
			break;
		*e = '\0';
		s = e + 1;
	}
	return n;
}

static inline int fz_hex(unsigned char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Reference percent-decoder, written independently of url_decode: returns
 * the length or -1 (bad escape, NUL). OUT must hold LEN + 1 bytes. */
static inline long fz_ref_decode(const char *in, size_t len, char *out, int plus)
{
	size_t i = 0, o = 0;

	while (i < len) {
		unsigned char c = (unsigned char)in[i];
		if (c == '%') {
			if (len - i < 3 || fz_hex((unsigned char)in[i + 1]) < 0 ||
			    fz_hex((unsigned char)in[i + 2]) < 0)
				return -1;
			c = (unsigned char)(fz_hex((unsigned char)in[i + 1]) * 16 +
			                    fz_hex((unsigned char)in[i + 2]));
			i += 3;
		} else {
			if (plus && c == '+')
				c = ' ';
			i++;
		}
		if (c == 0)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (long)o;
}

/* Copy S without HTAB, CR, LF: what a browser's URL parser sees (WHATWG URL). */
static inline void fz_url_clean(const char *s, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		if (s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			out[o++] = s[i];
	out[o] = '\0';
}

/* Would a browser read this (cleaned) reference as leaving the current
 * origin without a scheme: "//host", "/\host", "\\host", "\/host"? */
static inline int fz_protocol_relative(const char *s)
{
	while (*s && ((unsigned char)*s <= 0x20))
		s++;     /* leading C0 controls and spaces are stripped too */
	return (s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\');
}

#endif
