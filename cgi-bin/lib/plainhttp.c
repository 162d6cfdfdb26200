/* plainhttp.c - see plainhttp.h. Trust boundary: IN is whatever a stranger
 * sent; only a Host of name/IP characters and a path of visible ASCII
 * (minus quotes, angle brackets and backslash) are echoed, in Location and
 * a text/plain body, so the answer can carry no header or markup. */
#include <stdio.h>
#include <string.h>
#include "plainhttp.h"

#define TARGET_MAX 2048
#define HOST_MAX 261      /* [v6 literal]:port or a 253-byte name with :65535 */

int plainhttp_looks_like(unsigned char first) { return first >= 'A' && first <= 'Z'; }

int plainhttp_complete(const char *in, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (in[i] == '\n' && (in[i + 1] == '\n' || (in[i + 1] == '\r' && i + 2 < len && in[i + 2] == '\n')))
			return 1;
	return 0;
}

static int target_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '\\' && c != '`';
}

static int host_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
}

/* The Host header's value in in[0..len) (first one; a second one makes the
 * request ambiguous: none). */
static int find_host(const char *in, size_t len, const char **host, size_t *host_len)
{
	size_t i = 0, found = 0;

	*host = NULL;
	while (i < len && in[i] != '\n')          /* skip the request line */
		i++;
	while (++i < len) {
		size_t start = i, end, v;
		while (i < len && in[i] != '\n')
			i++;
		end = i;
		if (end > start && in[end - 1] == '\r')
			end--;
		if (end == start)
			break;                            /* the empty line */
		if (end - start >= 5 && (in[start] | 0x20) == 'h' && (in[start + 1] | 0x20) == 'o' &&
		    (in[start + 2] | 0x20) == 's' && (in[start + 3] | 0x20) == 't' && in[start + 4] == ':') {
			v = start + 5;
			while (v < end && (in[v] == ' ' || in[v] == '\t'))
				v++;
			while (end > v && (in[end - 1] == ' ' || in[end - 1] == '\t'))
				end--;
			*host = in + v;
			*host_len = end - v;
			found++;
		}
	}
	return found == 1;
}

static int redirect_target(const char *in, size_t len, int *head, const char **target,
                           size_t *target_len, const char **host, size_t *host_len)
{
	size_t i = 0, t;

	if (len >= 4 && !memcmp(in, "GET ", 4))
		i = 4, *head = 0;
	else if (len >= 5 && !memcmp(in, "HEAD ", 5))
		i = 5, *head = 1;
	else
		return 0;
	if (!plainhttp_complete(in, len) || i >= len || in[i] != '/')
		return 0;
	for (t = i; t < len && target_char((unsigned char)in[t]); t++)
		;
	if (t - i > TARGET_MAX || len - t < 10 || memcmp(in + t, " HTTP/1.", 8) != 0)
		return 0;
	*target = in + i;
	*target_len = t - i;
	if (!find_host(in, len, host, host_len) || *host_len == 0 || *host_len > HOST_MAX)
		return 0;
	for (t = 0; t < *host_len; t++)
		if (!host_char((unsigned char)(*host)[t]))
			return 0;
	return 1;
}

long plainhttp_answer(const char *in, size_t len, char *out, size_t outsz)
{
	static const char bad[] = "This port speaks HTTPS only: use an https:// URL.\n";
	const char *target = NULL, *host = NULL;
	size_t target_len = 0, host_len = 0;
	int head = 0, n;

	if (redirect_target(in, len, &head, &target, &target_len, &host, &host_len)) {
		/* body: "This port speaks HTTPS: https://HOST/PATH\n" */
		size_t body = 32 + host_len + target_len + 1;
		n = snprintf(out, outsz,
		             "HTTP/1.1 301 Moved Permanently\r\nLocation: https://%.*s%.*s\r\n"
		             "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n"
		             "Connection: close\r\n\r\n%s%.*s%.*s%s",
		             (int)host_len, host, (int)target_len, target, body,
		             head ? "" : "This port speaks HTTPS: https://",
		             head ? 0 : (int)host_len, host, head ? 0 : (int)target_len, target,
		             head ? "" : "\n");
	} else {
		n = snprintf(out, outsz,
		             "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
		             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", sizeof bad - 1, bad);
	}
	return n < 0 || (size_t)n >= outsz ? -1 : n;
}
