/* reqhead.c - rebuild the request head for the app (RFC 9112 section 3). */
#include <stdio.h>
#include <string.h>
#include "reqhead.h"
#include "header.h"

/* The methods the gateway forwards; the first IDEMPOTENT of them are
 * idempotent (RFC 9110 section 9.2.2: sending one twice has the effect of
 * sending it once). */
static const char *const methods[] = {
	"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH",
};
enum { IDEMPOTENT = 5 };

static int method_index(const char *method)
{
	int i;

	for (i = 0; i < (int)(sizeof methods / sizeof methods[0]); i++)
		if (strcmp(method, methods[i]) == 0)
			return i;
	return -1;
}

int reqhead_method_ok(const char *method) { return method_index(method) >= 0; }

int reqhead_method_idempotent(const char *method)
{
	int i = method_index(method);

	return i >= 0 && i < IDEMPOTENT;
}

struct buf { char *p; size_t len, cap; int err; };

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (b->len + n + 1 > b->cap) {
		b->err = REQHEAD_TOO_BIG;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s) { put(b, s, strlen(s)); }

static void header(struct buf *b, const char *name, const char *value)
{
	if (!header_value_ok(value, strlen(value))) {
		b->err = REQHEAD_BAD_VALUE;
		return;
	}
	puts_(b, name);
	put(b, ": ", 2);
	puts_(b, value);
	put(b, "\r\n", 2);
}

static const char *env_value(char *const *env, const char *key)
{
	size_t n = strlen(key);

	for (; env && *env; env++)
		if (strncmp(*env, key, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

/* The client's Connection header: its value lists more hop-by-hop names. */
static const char *connection_of(const struct fwd_request *r)
{
	const char *v = env_value(r->env, "HTTP_CONNECTION");
	size_t i;
	static char none[] = "";

	if (r->env)
		return v;
	for (i = 0; i < r->nfields; i++)
		if (header_name_eq(r->fields[i].name, r->fields[i].nlen, "Connection"))
			return NULL;   /* several or one: checked per name below */
	return none;
}

long reqhead_build(const struct fwd_request *r, char *out, size_t outsz)
{
	struct buf b = { out, 0, outsz, 0 };
	const char *connection = connection_of(r);
	char name[256], num[32];
	char *const *e;
	size_t i;

	if (!header_value_ok(r->target, strlen(r->target)) || strpbrk(r->target, " \t"))
		return REQHEAD_BAD_VALUE;
	puts_(&b, r->method);
	put(&b, " ", 1);
	puts_(&b, r->target);
	put(&b, " HTTP/1.1\r\n", 11);
	header(&b, "Host", r->host && *r->host ? r->host : "localhost");

	if (r->dropped)
		*r->dropped = 0;
	for (e = r->env; e && *e; e++) {
		long n = header_name_from_env(*e, name, sizeof name);
		const char *eq = strchr(*e, '=');
		if (n <= 0 || !eq)
			continue;
		if (!header_forwardable(name, connection)) {
			if (r->dropped && header_policy_counts(header_policy(name, (size_t)n)))
				(*r->dropped)++;
			continue;
		}
		header(&b, name, eq + 1);
	}
	for (i = 0; !r->env && i < r->nfields; i++) {
		const struct resp_field *f = &r->fields[i];
		char value[8192];
		if (f->nlen >= sizeof name || f->vlen >= sizeof value)
			return REQHEAD_TOO_BIG;
		memcpy(name, f->name, f->nlen);
		name[f->nlen] = '\0';
		if (!header_forwardable(name, connection) || header_fields_list(r->fields, r->nfields, "Connection", name)) {
			if (r->dropped && header_policy_counts(header_policy(name, f->nlen)))
				(*r->dropped)++;
			continue;
		}
		memcpy(value, f->value, f->vlen);
		value[f->vlen] = '\0';
		header(&b, name, value);
	}

	if (r->cookie && *r->cookie)
		header(&b, "Cookie", r->cookie);
	if (r->content_type && *r->content_type)
		header(&b, "Content-Type", r->content_type);
	if (r->chunked) {
		header(&b, "Transfer-Encoding", "chunked");
	} else if (r->content_length >= 0) {
		snprintf(num, sizeof num, "%lld", r->content_length);
		header(&b, "Content-Length", num);
	}
	if (r->client_addr && *r->client_addr)
		header(&b, "X-Forwarded-For", r->client_addr);
	header(&b, "X-Forwarded-Proto", r->proto ? r->proto : "http");
	if (r->host && *r->host)
		header(&b, "X-Forwarded-Host", r->host);
	if (r->prefix)
		header(&b, "X-Forwarded-Prefix", r->prefix);
	if (r->upgrade) {
		header(&b, "Connection", "Upgrade");
		header(&b, "Upgrade", r->upgrade);
	} else if (!r->keep_alive) {
		header(&b, "Connection", "close");
	}
	put(&b, "\r\n", 2);
	return b.err ? b.err : (long)b.len;
}
