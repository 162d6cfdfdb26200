/* fuzz_reqhead.c - HTTP_* environment -> request head for the app.
 *
 * Input: environment lines ("KEY=value\n..."), as a CGI's environ. The
 * request fields come from the same lines, as forward.c takes them:
 * REQUEST_METHOD, TARGET (the re-encoded target), HTTP_HOST, HTTP_COOKIE,
 * CONTENT_TYPE, CONTENT_LENGTH, REMOTE_ADDR, HTTPS=on, PREFIX.
 * Properties: header_name_from_env gives a token of [A-Za-z0-9-] or nothing;
 * header_forwardable refuses every hop-by-hop / gateway-owned / Proxy name in
 * any case and every name listed in Connection; reqhead_build's result is one
 * well-formed head (request line, "Name: value" lines with tchar names and no
 * control bytes, exactly one blank line, at the end) with Host and
 * "Connection: close" once and no client copy of a gateway-owned header; the
 * output bound is exact. */
#include "fuzz.h"
#include "limits.h"
#include "lib/header.h"
#include "lib/reqhead.h"
#include "oracle.h"

#define MAXENV 64

static const char *const owned[] = {
	"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
	"Transfer-Encoding", "Upgrade", "Expect", "Host", "Cookie",
	"Content-Length", "Content-Type", "X-Forwarded-For", "X-Forwarded-Proto",
	"X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix",
	"X-Forwarded-Server", "X-Forwarded-Ssl", "Forwarded", "X-Real-Ip",
	"X-Client-Ip", "Proxy",
};

static int owned_name(const char *n, size_t len)
{
	size_t i;

	if (len >= 6 && (n[0] | 32) == 'p' && ieq(n, 6, "proxy-"))
		return 1;
	for (i = 0; i < sizeof owned / sizeof owned[0]; i++)
		if (ieq(n, len, owned[i]))
			return 1;
	return 0;
}

/* Token list membership, written independently of header_list_has. */
static int ref_listed(const char *list, const char *name)
{
	size_t nl = strlen(name);

	while (list && *list) {
		const char *e = strchr(list, ','), *s = list;
		size_t n = e ? (size_t)(e - list) : strlen(list);
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == nl && ieq(s, n, name))
			return 1;
		list = e ? e + 1 : list + strlen(list);
	}
	return 0;
}

static const char *env_get(char **env, size_t n, const char *key)
{
	size_t i, kl = strlen(key);

	for (i = 0; i < n; i++)
		if (strncmp(env[i], key, kl) == 0 && env[i][kl] == '=')
			return env[i] + kl + 1;
	return NULL;
}

static void check_head(const char *h, size_t len, const struct fwd_request *r)
{
	const char *p = h, *end = h + len, *eol;
	size_t hosts = 0, conns = 0, cookies = 0, xff = 0;

	CHECK(strlen(h) == len);
	CHECK(len >= 4 && memcmp(end - 4, "\r\n\r\n", 4) == 0);
	/* request line */
	eol = strstr(p, "\r\n");
	CHECK(eol);
	CHECK(strncmp(p, r->method, strlen(r->method)) == 0 && p[strlen(r->method)] == ' ');
	CHECK((size_t)(eol - p) == strlen(r->method) + strlen(r->target) + 10);
	CHECK(memcmp(eol - 9, " HTTP/1.1", 9) == 0);
	for (; p < eol; p++)
		CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	p = eol + 2;
	/* header lines up to the one blank line, which must be the last bytes */
	while ((eol = strstr(p, "\r\n")) != NULL && eol != p) {
		const char *colon = memchr(p, ':', (size_t)(eol - p)), *q;
		CHECK(colon && colon > p && colon[1] == ' ');
		for (q = p; q < colon; q++)
			CHECK(tchar((unsigned char)*q));
		for (q = colon + 1; q < eol; q++)
			CHECK(*q == '\t' || ((unsigned char)*q >= 0x20 && *q != 0x7f));
		if (ieq(p, (size_t)(colon - p), "Host")) hosts++;
		if (ieq(p, (size_t)(colon - p), "Cookie")) cookies++;
		if (ieq(p, (size_t)(colon - p), "X-Forwarded-For")) xff++;
		if (ieq(p, (size_t)(colon - p), "Connection")) {
			conns++;
			CHECK(eol - colon == 7 && memcmp(colon, ": close", 7) == 0);
		}
		if (ieq(p, (size_t)(colon - p), "Transfer-Encoding") ||
		    ieq(p, (size_t)(colon - p), "Upgrade") ||
		    ieq(p, (size_t)(colon - p), "Proxy") ||
		    ((size_t)(colon - p) > 6 && ieq(p, 6, "Proxy-")))
			CHECK(0);
		p = eol + 2;
	}
	CHECK(eol == p && eol + 2 == end);
	CHECK(hosts == 1 && conns == 1 && cookies <= 1 && xff <= 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_str(data, size), *env[MAXENV + 1], *out, name[256];
	size_t n = fz_split(text, '\n', env, MAXENV), i;
	struct fwd_request r;
	const char *v, *connection;
	long len;

	env[n] = NULL;
	connection = env_get(env, n, "HTTP_CONNECTION");
	for (i = 0; i < n; i++) {
		long nl = header_name_from_env(env[i], name, sizeof name);
		if (nl <= 0)
			continue;
		CHECK(strlen(name) == (size_t)nl);
		for (v = name; *v; v++)
			CHECK((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
			      (*v >= '0' && *v <= '9') || *v == '-');
		if (header_forwardable(name, connection))
			CHECK(!owned_name(name, (size_t)nl) && !ref_listed(connection, name));
		/* tight buffers: nl + 1 fits, nl does not */
		CHECK(header_name_from_env(env[i], name, (size_t)nl + 1) == nl);
		CHECK(header_name_from_env(env[i], name, (size_t)nl) == -1);
	}
	/* header_forwardable on raw names: case never matters for refusal */
	for (i = 0; i < n; i++) {
		const char *eq = strchr(env[i], '=');
		size_t kl = eq ? (size_t)(eq - env[i]) : strlen(env[i]);
		if (kl < sizeof name) {
			memcpy(name, env[i], kl);
			name[kl] = '\0';
			if (owned_name(name, kl))
				CHECK(!header_forwardable(name, NULL));
		}
	}

	memset(&r, 0, sizeof r);
	v = env_get(env, n, "REQUEST_METHOD");
	r.method = v && reqhead_method_ok(v) ? v : "GET";
	v = env_get(env, n, "TARGET");
	r.target = v ? v : "/";
	r.host = env_get(env, n, "HTTP_HOST");
	r.cookie = env_get(env, n, "HTTP_COOKIE");
	r.content_type = env_get(env, n, "CONTENT_TYPE");
	v = env_get(env, n, "CONTENT_LENGTH");
	r.content_length = v ? strtoll(v, NULL, 10) : -1;
	r.client_addr = env_get(env, n, "REMOTE_ADDR");
	v = env_get(env, n, "HTTPS");
	r.proto = v && strcmp(v, "on") == 0 ? "https" : "http";
	r.prefix = env_get(env, n, "PREFIX");
	r.env = env;

	out = malloc(REQ_HEAD_MAX);
	CHECK(out);
	len = reqhead_build(&r, out, REQ_HEAD_MAX);
	CHECK(len == REQHEAD_TOO_BIG || len == REQHEAD_BAD_VALUE || (len > 0 && len < REQ_HEAD_MAX));
	if (len > 0) {
		char *tight;
		check_head(out, (size_t)len, &r);
		tight = malloc((size_t)len + 1);
		CHECK(tight);
		CHECK(reqhead_build(&r, tight, (size_t)len + 1) == len);
		CHECK(memcmp(tight, out, (size_t)len + 1) == 0);
		CHECK(reqhead_build(&r, tight, (size_t)len) == REQHEAD_TOO_BIG);
		free(tight);
	}
	free(out);
	free(text);
	return 0;
}
