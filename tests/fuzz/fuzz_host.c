/* fuzz_host.c - Host and Origin checks (DNS rebinding, login CSRF).
 *
 * Input: three lines: a Host value, an allow list, an Origin value.
 * Properties: host_same_origin only says yes for "http://" or "https://"
 * followed by the very authority of HOST (any case, one trailing dot, the
 * scheme's default port the same as none), with no userinfo, path, query or
 * fragment; a well-formed host is in a list holding just itself, with or
 * without its port, in any case, and then has the same origin as itself
 * under either scheme; host_in_list never says yes for a host holding a
 * list separator; host_origin_in_list is host_in_list on the authority;
 * an IP literal is digits and dots, or bracketed hex, colons and dots. */
#include "fuzz.h"
#include "lib/host.h"

#define MAXLEN 600

/* Lower-case, write the port as a number and drop it when it is DFLT,
 * strip one trailing dot of the name. */
static void norm(const char *in, long dflt, char *out)
{
	size_t n = strlen(in), i;
	char *colon, *end;
	long port;

	for (i = 0; i <= n; i++)
		out[i] = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] + 32) : in[i];
	colon = out[0] == '[' ? strchr(out, ']') : out;
	colon = colon ? strchr(colon, ':') : NULL;
	if (colon && colon[1] >= '0' && colon[1] <= '9' && strlen(colon + 1) <= 6) {
		port = strtol(colon + 1, &end, 10);
		if (*end == '\0') {
			if (port == dflt)
				*colon = '\0';
			else
				snprintf(colon, 8, ":%ld", port);
		}
	}
	colon = strchr(out, ':');
	if (out[0] == '[')
		return;
	n = colon ? (size_t)(colon - out) : strlen(out);
	if (n > 1 && out[n - 1] == '.')
		memmove(out + n - 1, out + n, strlen(out + n) + 1);
}

static void upper(const char *in, char *out)
{
	size_t i;

	for (i = 0; in[i]; i++)
		out[i] = in[i] >= 'a' && in[i] <= 'z' ? (char)(in[i] - 32) : in[i];
	out[i] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *part[3] = { "", "", "" }, a[MAXLEN + 16], b[MAXLEN + 16], o[MAXLEN + 16];
	const char *host, *list, *origin, *auth = NULL, *p;
	long dflt = 0;

	if (size > 3 * MAXLEN)
		return 0;
	text = fz_str(data, size);
	fz_split(text, '\n', part, 3);
	host = part[0];
	list = part[1];
	origin = part[2];
	if (strlen(host) > MAXLEN || strlen(origin) > MAXLEN)
		goto done;

	if (strncmp(origin, "http://", 7) == 0)
		auth = origin + 7, dflt = 80;
	else if (strncmp(origin, "https://", 8) == 0)
		auth = origin + 8, dflt = 443;

	if (host_same_origin(origin, host)) {
		CHECK(auth && !strpbrk(auth, "/?#@\\ \t"));
		norm(auth, dflt, a);
		norm(host, dflt, b);
		CHECK(strcmp(a, b) == 0);
	}
	CHECK(host_origin_in_list(origin, list) == (auth ? host_in_list(auth, list) : 0));

	if (host_in_list(host, list))
		CHECK(!strpbrk(host, ", \t/?#@\\") && *host);
	if (host_in_list(host, host)) {
		const char *colon = host[0] == '[' ? strchr(host, ']') : host;
		colon = colon ? strchr(colon, ':') : NULL;
		upper(host, a);
		CHECK(host_in_list(a, host) && host_in_list(host, a));
		snprintf(o, sizeof o, "x.invalid, %s\t", host);
		CHECK(host_in_list(host, o));
		snprintf(o, sizeof o, "http://%s", host);
		CHECK(host_same_origin(o, host) && host_origin_in_list(o, host));
		snprintf(o, sizeof o, "https://%s", a);
		CHECK(host_same_origin(o, host));
		if (colon) {       /* the name alone allows every port */
			memcpy(b, host, (size_t)(colon - host));
			b[colon - host] = '\0';
			CHECK(host_in_list(host, b));
		}
	} else {
		CHECK(!host_in_list(host, list));
		snprintf(o, sizeof o, "http://%s", host);
		CHECK(!host_same_origin(o, host));
	}
	if (host_is_ip_literal(host)) {
		CHECK(host_in_list(host, host));
		if (host[0] == '[') {
			for (p = host + 1; *p != ']'; p++)
				CHECK(fz_hex((unsigned char)*p) >= 0 || *p == ':' || *p == '.');
		} else {
			for (p = host; *p && *p != ':'; p++)
				CHECK((*p >= '0' && *p <= '9') || *p == '.');
		}
	}
done:
	free(text);
	return 0;
}
