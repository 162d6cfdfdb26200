/* header.c - header names and the forwarding filter. */
#include <string.h>
#include "header.h"

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

long header_name_from_env(const char *key, char *out, size_t outsz)
{
	size_t i, o = 0;
	int start = 1;

	if (strncmp(key, "HTTP_", 5) != 0 || key[5] == '\0' || key[5] == '=')
		return 0;
	for (i = 5; key[i] && key[i] != '='; i++) {
		char c = key[i];
		/* httpd makes every byte but [A-Za-z0-9] '_'; anything else came
		 * from elsewhere (the inherited environment) and is no header. */
		if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9')))
			return 0;
		if (o + 1 >= outsz)
			return -1;
		if (c == '_') {
			out[o++] = '-';
			start = 1;
			continue;
		}
		out[o++] = start ? c : lower(c);
		start = 0;
	}
	/* "HTTP__X" or "HTTP_X_": the line began with a space (obs-fold) or had
	 * space before its colon; RFC 9112 sections 5.1, 5.2 say reject such a
	 * line, so it is never forwarded (httpd already took it). */
	if (key[5] == '_' || out[o - 1] == '-')
		return 0;
	out[o] = '\0';
	return (long)o;
}

int header_name_eq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen; i++)
		if (b[i] == '\0' || lower(a[i]) != lower(b[i]))
			return 0;
	return b[alen] == '\0';
}

int header_list_has(const char *list, const char *token)
{
	size_t tlen = strlen(token);
	const char *p = list;

	while (*p) {
		const char *end;
		size_t len;
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		end = p;
		while (*end && *end != ',')
			end++;
		len = (size_t)(end - p);
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == tlen && header_name_eq(p, len, token))
			return 1;
		p = end;
	}
	return 0;
}

/* The gateway's header policy, one table for both paths (README, "Header
 * policy"). Modelled on nginx (underscores_in_headers off,
 * ignore_invalid_headers on) and oauth2-proxy (identity headers are the
 * proxy's to set, never the client's). Names compare in any case. */
static const struct { const char *name; enum header_class cls; } policy[] = {
	/* hop-by-hop, RFC 9110 section 7.6.1: they end at the gateway */
	{ "Connection", HEADER_HOP }, { "Keep-Alive", HEADER_HOP },
	{ "Proxy-Connection", HEADER_HOP }, { "TE", HEADER_HOP }, { "Trailer", HEADER_HOP },
	{ "Transfer-Encoding", HEADER_HOP }, { "Upgrade", HEADER_HOP }, { "Expect", HEADER_HOP },
	/* framing and routing: the gateway writes its own */
	{ "Host", HEADER_GATEWAY }, { "Cookie", HEADER_GATEWAY },
	{ "Content-Length", HEADER_GATEWAY }, { "Content-Type", HEADER_GATEWAY },
	/* who and where the client is: only the gateway says (X-Forwarded-For,
	 * -Proto, -Host, -Prefix); the other spellings apps and frameworks trust
	 * (Tornado reads X-Scheme; CDNs and proxies set the rest) never pass */
	{ "X-Forwarded-For", HEADER_FORWARDING }, { "X-Forwarded-Proto", HEADER_FORWARDING },
	{ "X-Forwarded-Host", HEADER_FORWARDING }, { "X-Forwarded-Port", HEADER_FORWARDING },
	{ "X-Forwarded-Prefix", HEADER_FORWARDING }, { "X-Forwarded-Server", HEADER_FORWARDING },
	{ "X-Forwarded-Ssl", HEADER_FORWARDING }, { "Forwarded", HEADER_FORWARDING },
	{ "X-Real-Ip", HEADER_FORWARDING }, { "X-Client-Ip", HEADER_FORWARDING },
	{ "X-Scheme", HEADER_FORWARDING }, { "X-Forwarded-Scheme", HEADER_FORWARDING },
	{ "X-Forwarded-Uri", HEADER_FORWARDING }, { "X-Original-Url", HEADER_FORWARDING },
	{ "X-Original-Uri", HEADER_FORWARDING }, { "X-Rewrite-Url", HEADER_FORWARDING },
	{ "X-Original-Forwarded-For", HEADER_FORWARDING }, { "True-Client-Ip", HEADER_FORWARDING },
	{ "Cf-Connecting-Ip", HEADER_FORWARDING }, { "Client-Ip", HEADER_FORWARDING },
	{ "X-Cluster-Client-Ip", HEADER_FORWARDING }, { "Fastly-Client-Ip", HEADER_FORWARDING },
	/* identity a proxy asserts after its own login (oauth2-proxy,
	 * Authelia, Apache): an app behind the gateway may trust them */
	{ "X-Forwarded-User", HEADER_IDENTITY }, { "X-Forwarded-Email", HEADER_IDENTITY },
	{ "X-Forwarded-Preferred-Username", HEADER_IDENTITY },
	{ "X-Forwarded-Groups", HEADER_IDENTITY }, { "X-Forwarded-Access-Token", HEADER_IDENTITY },
	{ "Remote-User", HEADER_IDENTITY }, { "X-Remote-User", HEADER_IDENTITY },
	{ "Remote-Email", HEADER_IDENTITY }, { "Remote-Groups", HEADER_IDENTITY },
	{ "Remote-Name", HEADER_IDENTITY }, { "X-Webauth-User", HEADER_IDENTITY },
	/* httpoxy: "Proxy:" would become HTTP_PROXY in a CGI app */
	{ "Proxy", HEADER_FORWARDING },
};

enum header_class header_policy(const char *name, size_t nlen)
{
	size_t i;

	for (i = 0; i < nlen; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return HEADER_BAD_NAME;   /* "X_Forwarded_For" is HTTP_X_FORWARDED_FOR to a CGI app */
	}
	if (nlen == 0)
		return HEADER_BAD_NAME;
	if (nlen >= 6 && header_name_eq(name, 6, "Proxy-"))
		return HEADER_HOP;            /* Proxy-Authorization and friends */
	if (nlen >= 15 && header_name_eq(name, 15, "X-Auth-Request-"))
		return HEADER_IDENTITY;       /* oauth2-proxy's X-Auth-Request-User, -Email... */
	for (i = 0; i < sizeof policy / sizeof policy[0]; i++)
		if (header_name_eq(name, nlen, policy[i].name))
			return policy[i].cls;
	return HEADER_PASS;
}

int header_policy_counts(enum header_class c)
{
	return c == HEADER_FORWARDING || c == HEADER_IDENTITY || c == HEADER_BAD_NAME;
}

int header_forwardable(const char *name, const char *connection)
{
	if (header_policy(name, strlen(name)) != HEADER_PASS)
		return 0;
	if (connection && header_list_has(connection, name))
		return 0;
	return 1;
}

int header_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

int header_field_parse(const char *l, size_t n, struct resp_field *f)
{
	const char *colon = memchr(l, ':', n);
	size_t i;

	if (!colon || colon == l)
		return -1;
	for (i = 0; l + i < colon; i++)
		if (!header_tchar((unsigned char)l[i]))
			return -1;
	f->name = l;
	f->nlen = (size_t)(colon - l);
	f->value = colon + 1;
	f->vlen = n - f->nlen - 1;
	while (f->vlen && (*f->value == ' ' || *f->value == '\t'))
		f->value++, f->vlen--;
	while (f->vlen && (f->value[f->vlen - 1] == ' ' || f->value[f->vlen - 1] == '\t'))
		f->vlen--;
	return header_value_ok(f->value, f->vlen) ? 0 : -1;
}

int header_fields_list(const struct resp_field *f, size_t n, const char *field,
                       const char *token)
{
	size_t i, tl = strlen(token);

	for (i = 0; i < n; i++) {
		const char *p = f[i].value, *end = f[i].value + f[i].vlen;
		if (!header_name_eq(f[i].name, f[i].nlen, field))
			continue;
		while (p < end) {
			const char *e = memchr(p, ',', (size_t)(end - p)), *s = p, *t;
			t = e ? e : end;
			p = e ? e + 1 : end;
			while (s < t && (*s == ' ' || *s == '\t'))
				s++;
			while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
				t--;
			if ((size_t)(t - s) == tl && header_name_eq(s, tl, token))
				return 1;
		}
	}
	return 0;
}

int header_value_ok(const char *value, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}
