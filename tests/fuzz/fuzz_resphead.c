/* fuzz_resphead.c - the app's response head, parsed and re-emitted.
 *
 * Input: the bytes the app sent (head and maybe body), as forward.c reads them.
 * Properties: resphead_parse is prefix-consistent (the head alone parses the
 * same) and every field points into the buffer with a tchar name and a value
 * free of control bytes; resphead_emit, with and without prefix stripping,
 * writes "Status: NNN" first, CRLF lines only, exactly one blank line at the
 * end, no hop-by-hop header, never a Set-Cookie a browser would store as the
 * gateway's cookie; resphead_location never turns a Location into one that
 * leaves the site unless the app sent it that way (an app URL always becomes
 * a same-site path); resphead_set_cookie only inserts the prefix; every
 * output bound is exact. In the relay's mode (http, with and without
 * keep_alive) the first line is "HTTP/1.1 NNN reason", a 101 keeps every
 * Upgrade the app sent and ends in "Connection: Upgrade", keep-alive writes
 * no Connection header, and otherwise the last one is "Connection: close". */
#include "fuzz.h"
#include "limits.h"
#include "lib/cookie.h"
#include "lib/header.h"
#include "lib/resphead.h"
#include "oracle.h"

#define PREFIX "/cgi-bin/app"
#define COOKIE "shl_c0ffee"

/* Does the Set-Cookie value V make a browser send "COOKIE=..."? Name-value up
 * to ';', trimmed; a nameless one is sent as its bare value. */
static int sets_gateway_cookie(const char *v, size_t n)
{
	const char *semi = memchr(v, ';', n), *eq, *val;
	size_t kn, vn, cl = strlen(COOKIE);

	if (semi)
		n = (size_t)(semi - v);
	eq = memchr(v, '=', n);
	if (!eq)
		return 0;
	kn = (size_t)(eq - v);
	while (kn && (v[kn - 1] == ' ' || v[kn - 1] == '\t'))
		kn--;
	while (kn && (*v == ' ' || *v == '\t'))
		v++, kn--;
	if (kn)
		return kn == cl && memcmp(v, COOKIE, cl) == 0;
	val = eq + 1;
	vn = n - (size_t)(val - v);
	while (vn && (*val == ' ' || *val == '\t'))
		val++, vn--;
	if (vn < cl || memcmp(val, COOKIE, cl) != 0)
		return 0;
	val += cl, vn -= cl;
	while (vn && (*val == ' ' || *val == '\t'))
		val++, vn--;
	return vn && *val == '=';
}

static void check_location(const char *in, size_t n, const struct rewrite_ctx *c)
{
	char *out = malloc(n + 2 * strlen(PREFIX) + 64), *clean, *tight;
	size_t cap = n + 2 * strlen(PREFIX) + 64, i;
	long r = resphead_location(in, n, c, out, cap);
	int app = 0;

	CHECK(r >= 0 && (size_t)r < cap && strlen(out) == (size_t)r);
	clean = malloc((size_t)r + 1);
	CHECK(clean);
	fz_url_clean(out, (size_t)r, clean);
	for (i = 0; c->app_authority[i]; i++) {
		const char *a = c->app_authority[i];
		size_t s = n >= 7 && strncasecmp(in, "http://", 7) == 0 ? 7 :
		           n >= 8 && strncasecmp(in, "https://", 8) == 0 ? 8 : 0;
		size_t al = strlen(a);
		if (s && n >= s + al && strncasecmp(in + s, a, al) == 0 &&
		    (n == s + al || strchr("/?#", in[s + al])))
			app = 1;
	}
	if (app)        /* the app's own address becomes a same-site path */
		CHECK(clean[0] == '/' && !fz_protocol_relative(clean));
	if ((size_t)r != n || memcmp(out, in, n) != 0) {
		/* rewritten: same site, or the same absolute origin plus PREFIX */
		size_t s = 0;
		if (strncasecmp(out, "http://", 7) == 0) s = 7;
		if (strncasecmp(out, "https://", 8) == 0) s = 8;
		if (s) {
			size_t a = s;
			while (a < (size_t)r && !strchr("/?#", out[a]))
				a++;
			CHECK(a <= n && memcmp(out, in, a) == 0 && strncmp(out + a, PREFIX, strlen(PREFIX)) == 0);
		} else {
			CHECK(!fz_protocol_relative(clean));
		}
	}
	if (c->strip && n && in[0] == '/' && (n == 1 || (in[1] != '/' && in[1] != '\\')))
		CHECK(strncmp(out, PREFIX, strlen(PREFIX)) == 0);
	tight = malloc((size_t)r + 1);
	CHECK(tight);
	CHECK(resphead_location(in, n, c, tight, (size_t)r + 1) == r);
	CHECK(memcmp(tight, out, (size_t)r + 1) == 0);
	CHECK(resphead_location(in, n, c, tight, (size_t)r) == -1);
	free(tight);
	free(clean);
	free(out);
}

static void check_set_cookie(const char *in, size_t n, const struct rewrite_ctx *c)
{
	size_t cap = n + 1 + strlen(PREFIX) * (n / 6 + 1);
	char *out = malloc(cap), *tight;
	long r = resphead_set_cookie(in, n, c, out, cap);

	CHECK(r >= 0 && strlen(out) == (size_t)r);
	if (!c->strip)
		CHECK((size_t)r == n && memcmp(out, in, n) == 0);
	else
		CHECK((size_t)r >= n && ((size_t)r - n) % strlen(PREFIX) == 0);
	/* the cookie's own name=value never changes */
	{
		const char *semi = memchr(in, ';', n);
		size_t first = semi ? (size_t)(semi - in) : n;
		CHECK((size_t)r >= first && memcmp(out, in, first) == 0);
	}
	tight = malloc((size_t)r + 1);
	CHECK(tight);
	CHECK(resphead_set_cookie(in, n, c, tight, (size_t)r + 1) == r);
	CHECK(resphead_set_cookie(in, n, c, tight, (size_t)r) == -1);
	free(tight);
	free(out);
}

static void check_emit(const struct resp_head *h, const struct rewrite_ctx *c)
{
	size_t cap = 128, i;
	char *out, *tight;
	const char *p, *end, *eol;
	long r;
	char st[16];
	size_t upgrades = 0, sent_upgrades = 0, conns = 0;
	int upgrade = c->http && h->status == 101;

	for (i = 0; i < h->nfields; i++) {     /* rewritten values stay < 8 KiB */
		size_t v = 3 * h->field[i].vlen + 64;
		cap += h->field[i].nlen + 4 + (v < 8192 ? v : 8192);
	}
	out = malloc(cap);
	r = resphead_emit(h, c, out, cap);

	CHECK(out);
	if (r < 0) {    /* only a rewritten value over its 8 KiB buffer may fail */
		free(out);
		return;
	}
	CHECK(strlen(out) == (size_t)r);
	for (i = 0; i < h->nfields; i++)
		if (header_name_eq(h->field[i].name, h->field[i].nlen, "Upgrade"))
			upgrades++;
	snprintf(st, sizeof st, c->http ? "HTTP/1.1 %03d " : "Status: %03d ", h->status);
	CHECK(strncmp(out, st, strlen(st)) == 0);
	end = out + r;
	CHECK(r >= 4 && memcmp(end - 4, "\r\n\r\n", 4) == 0);
	for (p = out; (eol = strstr(p, "\r\n")) != NULL && eol != p; p = eol + 2) {
		const char *colon = memchr(p, ':', (size_t)(eol - p)), *q;
		if (p == out) {    /* the status line, checked above */
			CHECK(ctl_free(p, (size_t)(eol - p)));
			continue;
		}
		CHECK(colon && colon > p && colon[1] == ' ');
		CHECK(ctl_free(colon + 1, (size_t)(eol - colon - 1)));
		for (q = p; q < colon; q++)
			CHECK(tchar((unsigned char)*q));
		if (header_name_eq(p, (size_t)(colon - p), "Connection")) {
			conns++;
			CHECK(eol + 4 == end);
			CHECK(upgrade ? eol - colon == 9 && memcmp(colon, ": Upgrade", 9) == 0
			              : eol - colon == 7 && memcmp(colon, ": close", 7) == 0);
		}
		CHECK(!header_name_eq(p, (size_t)(colon - p), "Keep-Alive"));
		if (header_name_eq(p, (size_t)(colon - p), "Upgrade"))
			sent_upgrades++;
		CHECK(!header_name_eq(p, (size_t)(colon - p), "Status"));
		if (header_name_eq(p, (size_t)(colon - p), "Set-Cookie"))
			CHECK(!sets_gateway_cookie(colon + 2, (size_t)(eol - colon - 2)));
	}
	CHECK(eol == p && eol + 2 == end);
	CHECK(sent_upgrades == (upgrade ? upgrades : 0));
	CHECK(conns == (upgrade || !c->http || !c->keep_alive ? 1u : 0u));
	tight = malloc((size_t)r + 1);
	CHECK(tight);
	CHECK(resphead_emit(h, c, tight, (size_t)r + 1) == r);
	CHECK(memcmp(tight, out, (size_t)r + 1) == 0);
	CHECK(resphead_emit(h, c, tight, (size_t)r) == -1);
	free(tight);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fz_bytes(data, size);
	struct resp_head *h = malloc(sizeof *h), *h2 = malloc(sizeof *h2);
	struct rewrite_ctx c = {
		.prefix = PREFIX, .strip = 1,
		.app_authority = { "127.0.0.1:8888", "localhost:8888", "[::1]:8888", NULL },
		.client_host = "gw.example:8080", .cookie_name = COOKIE,
	};
	long r;
	size_t i;

	CHECK(h && h2);
	r = resphead_parse(buf, size, h);
	CHECK(r == RESPHEAD_INCOMPLETE || r == RESPHEAD_MALFORMED || r == RESPHEAD_TOO_MANY ||
	      (r > 0 && (size_t)r <= size));
	if (r <= 0)
		goto done;
	CHECK(h->head_len == (size_t)r && buf[r - 1] == '\n');
	CHECK(h->status >= 100 && h->status <= 599);
	CHECK(h->nfields <= RESP_HEADERS_MAX);
	CHECK(ctl_free(h->reason, h->reason_len));
	for (i = 0; i < h->nfields; i++) {
		const struct resp_field *f = &h->field[i];
		size_t k;
		CHECK(f->name >= buf && f->name + f->nlen <= buf + r && f->nlen > 0);
		CHECK(f->value >= buf && f->value + f->vlen <= buf + r);
		for (k = 0; k < f->nlen; k++)
			CHECK(tchar((unsigned char)f->name[k]));
		CHECK(ctl_free(f->value, f->vlen));
		CHECK(f->vlen == 0 || (f->value[0] != ' ' && f->value[f->vlen - 1] != ' '));
	}
	/* the head alone, without what followed, parses the same */
	CHECK(resphead_parse(buf, (size_t)r, h2) == r && h2->nfields == h->nfields);

	for (c.strip = 0; c.strip <= 1; c.strip++) {
		for (c.http = 0; c.http <= 1; c.http++)
			for (c.keep_alive = 0; c.keep_alive <= c.http; c.keep_alive++)
				check_emit(h, &c);
		c.http = c.keep_alive = 0;
		for (i = 0; i < h->nfields; i++) {
			const struct resp_field *f = &h->field[i];
			check_location(f->value, f->vlen, &c);
			check_set_cookie(f->value, f->vlen, &c);
		}
	}
	(void)resphead_bodyless(h->status, "GET");
done:
	free(h2);
	free(h);
	free(buf);
	return 0;
}
