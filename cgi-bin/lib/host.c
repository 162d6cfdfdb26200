/* host.c - Host and Origin checks (RFC 9110 section 7.2, RFC 6454 section 7). */
#include <string.h>
#include "host.h"

#define HOST_NAME_MAX_LEN 253   /* RFC 1035 section 2.3.4 */

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int digit(int c) { return c >= '0' && c <= '9'; }
static int hexdig(int c) { return digit(c) || (lower(c) >= 'a' && lower(c) <= 'f'); }

/* Split S[0..LEN) into name and port. Port is -1 when absent. 0, or -1 when
 * the syntax is wrong. A trailing dot of a DNS name is not part of *NLEN. */
static int split(const char *s, size_t len, size_t *nlen, long *port)
{
	size_t i, end;

	*port = -1;
	if (len == 0)
		return -1;
	if (s[0] == '[') {
		const char *rb = memchr(s, ']', len);
		if (!rb || rb - s < 3)
			return -1;
		for (i = 1; s + i < rb; i++)
			if (!hexdig((unsigned char)s[i]) && s[i] != ':' && s[i] != '.')
				return -1;
		end = (size_t)(rb - s) + 1;
	} else {
		for (end = 0; end < len && s[end] != ':'; end++) {
			unsigned char c = (unsigned char)s[end];
			if (!digit(c) && !(lower(c) >= 'a' && lower(c) <= 'z') && c != '-' && c != '.' && c != '_')
				return -1;
		}
		if (end == 0 || end > HOST_NAME_MAX_LEN + 1)
			return -1;
	}
	*nlen = end;
	if (s[0] != '[' && s[end - 1] == '.' && end > 1)
		(*nlen)--;
	if (end == len)
		return 0;
	if (s[end] != ':' || len - end < 2 || len - end > 6)
		return -1;
	*port = 0;
	for (i = end + 1; i < len; i++) {
		if (!digit((unsigned char)s[i]))
			return -1;
		*port = *port * 10 + (s[i] - '0');
	}
	return *port <= 65535 ? 0 : -1;
}

static int ipv4(const char *s, size_t len)
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		size_t start;
		int v = 0;
		if (part && (i >= len || s[i++] != '.'))
			return 0;
		start = i;
		while (i < len && digit((unsigned char)s[i]) && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
			return 0;
	}
	return i == len;
}

int host_is_ip_literal(const char *host)
{
	size_t nlen;
	long port;

	if (!host || split(host, strlen(host), &nlen, &port) < 0)
		return 0;
	if (host[0] == '[')
		return memchr(host, ':', nlen) != NULL;
	return ipv4(host, nlen);
}

static int same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

int host_in_list(const char *host, const char *list)
{
	size_t hname, hlen;
	long hport;

	if (!host || !list || split(host, hlen = strlen(host), &hname, &hport) < 0)
		return 0;
	while (*list) {
		size_t elen = strcspn(list, ", \t"), ename;
		long eport;
		if (elen && split(list, elen, &ename, &eport) == 0 &&
		    same_name(host, hname, list, ename) && (eport < 0 || eport == hport))
			return 1;
		list += elen;
		if (*list)
			list++;
	}
	return 0;
}

int host_same_origin(const char *origin, const char *host)
{
	size_t olen, oname, hname;
	long oport, hport, dflt;
	const char *auth;

	if (!origin || !host)
		return 0;
	if (strncmp(origin, "http://", 7) == 0)
		auth = origin + 7, dflt = 80;
	else if (strncmp(origin, "https://", 8) == 0)
		auth = origin + 8, dflt = 443;
	else
		return 0;
	olen = strlen(auth);
	if (split(auth, olen, &oname, &oport) < 0 ||
	    split(host, strlen(host), &hname, &hport) < 0)
		return 0;
	if (oport < 0)
		oport = dflt;
	if (hport < 0)
		hport = dflt;
	return oport == hport && same_name(auth, oname, host, hname);
}

int host_origin_in_list(const char *origin, const char *list)
{
	if (!origin)
		return 0;
	if (strncmp(origin, "http://", 7) == 0)
		return host_in_list(origin + 7, list);
	if (strncmp(origin, "https://", 8) == 0)
		return host_in_list(origin + 8, list);
	return 0;
}
