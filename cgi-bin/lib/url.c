/* url.c - percent-decoding, path re-encoding, `next` checks (RFC 3986). */
#include <string.h>
#include "url.h"
#include "../limits.h"

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

long url_decode(const char *in, size_t len, char *out, size_t outsz, int plus_is_space)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= len) return -1;
			hi = hexval((unsigned char)in[i + 1]);
			lo = hexval((unsigned char)in[i + 2]);
			if (hi < 0 || lo < 0) return -1;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0') return -1;
		if (o + 1 >= outsz) return -1;
		out[o++] = (char)c;
	}
	if (outsz == 0) return -1;
	out[o] = '\0';
	return (long)o;
}

static const char hexdig[] = "0123456789ABCDEF";

static long encode(const char *in, char *out, size_t outsz, const char *keep)
{
	size_t o = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)in; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		            (*p >= '0' && *p <= '9') || strchr("-._~", *p) ||
		            strchr(keep, *p);
		if (plain) {
			if (o + 1 >= outsz) return -1;
			out[o++] = (char)*p;
		} else {
			if (o + 3 >= outsz) return -1;
			out[o++] = '%';
			out[o++] = hexdig[*p >> 4];
			out[o++] = hexdig[*p & 15];
		}
	}
	if (outsz == 0) return -1;
	out[o] = '\0';
	return (long)o;
}

long url_encode_path(const char *path, char *out, size_t outsz)
{
	/* pchar = unreserved / sub-delims / ":" / "@", plus the segment '/' */
	return encode(path, out, outsz, "!$&'()*+,;=:@/");
}

long url_encode_component(const char *in, char *out, size_t outsz)
{
	return encode(in, out, outsz, "/");
}

int url_next_ok(const char *next)
{
	const unsigned char *p = (const unsigned char *)next;
	size_t n = strlen(next);

	if (n == 0 || n > NEXT_MAX || p[0] != '/')
		return 0;
	if (p[1] == '/' || p[1] == '\\')
		return 0;
	for (; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			return 0;
	return 1;
}

long url_path_normalize(char *path)
{
	size_t i = 0, o = 0;

	if (path[0] != '/')
		return -1;
	while (path[i]) {
		size_t seg, n;
		while (path[i] == '/')
			i++;                              /* "//" is "/" */
		seg = i;
		while (path[i] && path[i] != '/')
			i++;
		n = i - seg;
		if (n == 1 && path[seg] == '.') {
			if (!path[i] && (o == 0 || path[o - 1] != '/'))
				path[o++] = '/';           /* "/a/." is "/a/" */
			continue;
		}
		if (n == 2 && path[seg] == '.' && path[seg + 1] == '.') {
			if (o == 0)
				return -1;                  /* above the root */
			while (o > 0 && path[o - 1] != '/')
				o--;
			if (o > 0)
				o--;                        /* drop "/segment" */
			if (!path[i])
				path[o++] = '/';           /* "/a/b/.." is "/a/" */
			continue;
		}
		if (n == 0) {
			if (o == 0 || path[o - 1] != '/')
				path[o++] = '/';           /* keep a trailing '/' */
			continue;
		}
		path[o++] = '/';
		memmove(path + o, path + seg, n);
		o += n;
	}
	if (o == 0)
		path[o++] = '/';
	path[o] = '\0';
	return (long)o;
}

long url_index_path(const char *request_uri, const char *query, char *out, size_t outsz)
{
	size_t n = strlen(request_uri), q = strlen(query);

	/* "/a/?q" with QUERY_STRING "q", or "/a/?" with an empty one */
	if (n >= q + 2 && request_uri[n - q - 1] == '?' && request_uri[n - q - 2] == '/' &&
	    memcmp(request_uri + n - q, query, q) == 0)
		n -= q + 1;
	if (n == 0 || request_uri[n - 1] != '/' || n + 1 > outsz)
		return -1;
	memcpy(out, request_uri, n);
	out[n] = '\0';
	return (long)n;
}
