/* x509w.c - DER writer for one self-signed certificate (RFC 5280, X.690).
 *
 * A writer appends to a buffer; seq_begin/seq_end wrap what was written in
 * between in a tag and a definite length, moving the content to make room.
 * Any overflow sets w->bad, checked once at the end. */
#include <string.h>
#include "x509w.h"

struct der {
	unsigned char *p;
	size_t len, cap;
	int bad;
};

static void put(struct der *w, const void *b, size_t n)
{
	if (w->bad || n > w->cap - w->len) {
		w->bad = 1;
		return;
	}
	memcpy(w->p + w->len, b, n);
	w->len += n;
}

static size_t len_size(size_t n) { return n < 0x80 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 4; }

/* Wrap p[start..len) in TAG with its length. */
static void wrap(struct der *w, unsigned char tag, size_t start)
{
	size_t n = w->len - start, hl = 1 + len_size(n);
	unsigned char *h;

	if (w->bad || n >= 0x1000000 || hl > w->cap - w->len) {
		w->bad = 1;
		return;
	}
	memmove(w->p + start + hl, w->p + start, n);
	h = w->p + start;
	h[0] = tag;
	if (n < 0x80) {
		h[1] = (unsigned char)n;
	} else {
		size_t k = len_size(n) - 1, i;
		h[1] = (unsigned char)(0x80 | k);
		for (i = 0; i < k; i++)
			h[2 + i] = (unsigned char)(n >> (8 * (k - 1 - i)));
	}
	w->len += hl;
}

static void prim(struct der *w, unsigned char tag, const void *b, size_t n)
{
	size_t start = w->len;
	put(w, b, n);
	wrap(w, tag, start);
}

#define SEQ 0x30
#define SET 0x31

static const unsigned char oid_ecdsa_sha256[] = { 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02 };
static const unsigned char oid_ec_public_key[] = { 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01 };
static const unsigned char oid_prime256v1[] = { 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 };
static const unsigned char oid_cn[] = { 0x06, 0x03, 0x55, 0x04, 0x03 };
static const unsigned char oid_san[] = { 0x06, 0x03, 0x55, 0x1D, 0x11 };
static const unsigned char oid_key_usage[] = { 0x06, 0x03, 0x55, 0x1D, 0x0F };
static const unsigned char oid_ext_key_usage[] = { 0x06, 0x03, 0x55, 0x1D, 0x25 };
static const unsigned char oid_server_auth[] = { 0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
static const unsigned char critical[] = { 0x01, 0x01, 0xFF };
static const unsigned char digital_signature[] = { 0x07, 0x80 };   /* BIT STRING: 7 unused, bit 0 */

static void alg_ecdsa_sha256(struct der *w)
{
	size_t s = w->len;
	put(w, oid_ecdsa_sha256, sizeof oid_ecdsa_sha256);
	wrap(w, SEQ, s);
}

static void name(struct der *w, const char *cn)
{
	size_t s = w->len, set, atv;

	set = w->len;
	atv = w->len;
	put(w, oid_cn, sizeof oid_cn);
	prim(w, 0x0C, cn, strlen(cn));           /* UTF8String */
	wrap(w, SEQ, atv);
	wrap(w, SET, set);
	wrap(w, SEQ, s);
}

static int dns_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > X509W_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

int x509w_ipv4(const char *s, unsigned char ip[4])
{
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return 0;
		ip[part] = (unsigned char)v;
		if (part < 3 && *s++ != '.')
			return 0;
	}
	return *s == '\0';
}

static int time_ok(const char *t)
{
	size_t i;

	if (!t || strlen(t) != 13 || t[12] != 'Z')
		return 0;
	for (i = 0; i < 12; i++)
		if (t[i] < '0' || t[i] > '9')
			return 0;
	return 1;
}

static void extensions(struct der *w, const struct x509w_tbs *t)
{
	size_t outer = w->len, list, ext, oct, inner, i;
	unsigned char ip[4];

	list = w->len;
	/* subjectAltName: browsers match only these, never the CN */
	ext = w->len;
	put(w, oid_san, sizeof oid_san);
	oct = w->len;
	inner = w->len;
	for (i = 0; i < t->nnames; i++) {
		if (x509w_ipv4(t->names[i], ip))
			prim(w, 0x87, ip, 4);                        /* [7] iPAddress */
		else
			prim(w, 0x82, t->names[i], strlen(t->names[i])); /* [2] dNSName */
	}
	wrap(w, SEQ, inner);
	wrap(w, 0x04, oct);
	wrap(w, SEQ, ext);
	/* keyUsage (critical): digitalSignature, all ECDHE-ECDSA needs */
	ext = w->len;
	put(w, oid_key_usage, sizeof oid_key_usage);
	put(w, critical, sizeof critical);
	oct = w->len;
	prim(w, 0x03, digital_signature, sizeof digital_signature);
	wrap(w, 0x04, oct);
	wrap(w, SEQ, ext);
	/* extKeyUsage: serverAuth */
	ext = w->len;
	put(w, oid_ext_key_usage, sizeof oid_ext_key_usage);
	oct = w->len;
	inner = w->len;
	put(w, oid_server_auth, sizeof oid_server_auth);
	wrap(w, SEQ, inner);
	wrap(w, 0x04, oct);
	wrap(w, SEQ, ext);
	wrap(w, SEQ, list);
	wrap(w, 0xA3, outer);                                    /* [3] EXPLICIT */
}

long x509w_tbs(const struct x509w_tbs *t, unsigned char *out, size_t outsz)
{
	static const unsigned char v3[] = { 0xA0, 0x03, 0x02, 0x01, 0x02 };
	struct der w = { out, 0, outsz, 0 };
	size_t i, s, spki, alg;
	unsigned char bits[66];

	if (!t->serial || t->serial_len == 0 || t->serial_len > 20 || t->serial[0] == 0 ||
	    t->serial[0] > 0x7f || !time_ok(t->not_before) || !time_ok(t->not_after) ||
	    !t->pub || t->pub[0] != 0x04 || t->nnames == 0 || t->nnames > X509W_NAMES_MAX ||
	    !t->common_name || !dns_name_ok(t->common_name))
		return -1;
	for (i = 0; i < t->nnames; i++)
		if (!t->names[i] || !dns_name_ok(t->names[i]))
			return -1;

	s = w.len;
	put(&w, v3, sizeof v3);
	prim(&w, 0x02, t->serial, t->serial_len);
	alg_ecdsa_sha256(&w);
	name(&w, t->common_name);                 /* issuer: itself */
	alg = w.len;
	prim(&w, 0x17, t->not_before, 13);        /* UTCTime */
	prim(&w, 0x17, t->not_after, 13);
	wrap(&w, SEQ, alg);
	name(&w, t->common_name);                 /* subject */
	spki = w.len;
	alg = w.len;
	put(&w, oid_ec_public_key, sizeof oid_ec_public_key);
	put(&w, oid_prime256v1, sizeof oid_prime256v1);
	wrap(&w, SEQ, alg);
	bits[0] = 0;                              /* no unused bits */
	memcpy(bits + 1, t->pub, 65);
	prim(&w, 0x03, bits, sizeof bits);
	wrap(&w, SEQ, spki);
	extensions(&w, t);
	wrap(&w, SEQ, s);
	return w.bad ? -1 : (long)w.len;
}

long x509w_cert(const unsigned char *tbs, size_t tbs_len, const unsigned char *sig,
                size_t sig_len, unsigned char *out, size_t outsz)
{
	struct der w = { out, 0, outsz, 0 };
	size_t bits;

	put(&w, tbs, tbs_len);
	alg_ecdsa_sha256(&w);
	bits = w.len;
	put(&w, "", 1);                           /* no unused bits */
	put(&w, sig, sig_len);
	wrap(&w, 0x03, bits);
	wrap(&w, SEQ, 0);
	return w.bad ? -1 : (long)w.len;
}
