/* tlscert.c - certificate and key files for the TLS front (tls.c).
 *
 * Trust boundary: the files are the operator's (given with --tls-cert /
 * --tls-key, or created here); they are still read with a size cap and
 * checked by BearSSL's decoders before use. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tlscert.h"
#include "lib/x509w.h"

#define CERT_DAYS 825            /* the longest validity Apple's clients accept */

static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

static long read_file(const char *path, unsigned char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t have = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + have, cap - have)) > 0)
		if ((have += (size_t)n) == cap)
			break;
	close(fd);
	if (n < 0 || have == cap) {
		errno = n < 0 ? errno : EFBIG;
		return -1;
	}
	return (long)have;
}

/* One PEM object: its name and DER bytes (malloc'd). */
struct pem_obj {
	char name[128];      /* BearSSL keeps at most 127 bytes of it */
	unsigned char *der;
	size_t len, cap;
	int bad;
};

static void pem_append(void *ctx, const void *data, size_t len)
{
	struct pem_obj *o = ctx;
	unsigned char *p;

	if (o->bad)
		return;
	if (o->len + len > o->cap) {
		size_t cap = (o->len + len) * 2;
		if (!(p = realloc(o->der, cap))) {
			o->bad = 1;
			return;
		}
		o->der = p;
		o->cap = cap;
	}
	memcpy(o->der + o->len, data, len);
	o->len += len;
}

static void pem_free(struct pem_obj *objs, int n)
{
	while (n-- > 0)
		free(objs[n].der);
}

/* Decode every PEM object of PATH into objs; their number or -1. */
static int pem_read(const char *path, struct pem_obj *objs, int max, char *err, size_t errsz)
{
	static unsigned char buf[TLS_PEM_MAX];
	br_pem_decoder_context pc;
	long len = read_file(path, buf, sizeof buf);
	size_t off = 0;
	int n = 0, inside = 0;

	if (len < 0)
		return fail(err, errsz, "unable to read %s: %s", path, strerror(errno));
	br_pem_decoder_init(&pc);
	while (off < (size_t)len) {
		off += br_pem_decoder_push(&pc, buf + off, (size_t)len - off);
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			if (n == max)
				return fail(err, errsz, "%s holds more than %d PEM objects", path, max);
			memset(&objs[n], 0, sizeof objs[n]);
			snprintf(objs[n].name, sizeof objs[n].name, "%s", br_pem_decoder_name(&pc));
			br_pem_decoder_setdest(&pc, pem_append, &objs[n]);
			inside = 1;
			break;
		case BR_PEM_END_OBJ:
			if (inside && !objs[n].bad)
				n++;
			inside = 0;
			break;
		case BR_PEM_ERROR:
			return fail(err, errsz, "%s is not valid PEM", path);
		}
	}
	/* a last line without its newline: BearSSL wants one more byte */
	if (inside) {
		br_pem_decoder_push(&pc, "\n", 1);
		if (br_pem_decoder_event(&pc) == BR_PEM_END_OBJ && !objs[n].bad)
			n++;
	}
	return n;
}

int tlscert_load(struct tls_creds *c, const char *cert_file, const char *key_file,
                 char *err, size_t errsz)
{
	struct pem_obj objs[TLS_CHAIN_MAX + 1];
	int n, i, found = 0;

	memset(c, 0, sizeof *c);
	if ((n = pem_read(cert_file, objs, TLS_CHAIN_MAX + 1, err, errsz)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(objs[i].name, "CERTIFICATE") != 0)
			continue;
		if (c->chain_len == TLS_CHAIN_MAX)
			return fail(err, errsz, "%s holds more than %d certificates", cert_file, TLS_CHAIN_MAX);
		c->chain[c->chain_len].data = objs[i].der;   /* kept for the life of the process */
		c->chain[c->chain_len].data_len = objs[i].len;
		c->chain_len++;
	}
	if (c->chain_len == 0)
		return fail(err, errsz, "%s holds no CERTIFICATE", cert_file);

	if ((n = pem_read(key_file, objs, TLS_CHAIN_MAX + 1, err, errsz)) < 0)
		return -1;
	for (i = 0; i < n && !found; i++) {
		if (strcmp(objs[i].name, "PRIVATE KEY") && strcmp(objs[i].name, "EC PRIVATE KEY") &&
		    strcmp(objs[i].name, "RSA PRIVATE KEY"))
			continue;
		br_skey_decoder_init(&c->key);
		br_skey_decoder_push(&c->key, objs[i].der, objs[i].len);
		if (br_skey_decoder_last_error(&c->key) != 0) {
			pem_free(objs, n);
			return fail(err, errsz, "%s: the key cannot be decoded (error %d)", key_file,
			            br_skey_decoder_last_error(&c->key));
		}
		c->key_type = br_skey_decoder_key_type(&c->key);
		found = 1;
	}
	pem_free(objs, n);   /* the decoder keeps its own copy of the key */
	if (!found)
		return fail(err, errsz, "%s holds no PRIVATE KEY", key_file);
	if (c->key_type != BR_KEYTYPE_EC && c->key_type != BR_KEYTYPE_RSA)
		return fail(err, errsz, "%s: only EC and RSA keys are supported", key_file);
	return 0;
}

static int write_new(const char *path, const void *data, size_t len, char *err, size_t errsz)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	const unsigned char *p = data;

	if (fd < 0)
		return fail(err, errsz, "unable to create %s: %s", path, strerror(errno));
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n <= 0) {
			close(fd);
			unlink(path);
			return fail(err, errsz, "unable to write %s: %s", path, strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0)
		return fail(err, errsz, "unable to write %s: %s", path, strerror(errno));
	return 0;
}

static int write_pem(const char *path, const char *banner, const void *der, size_t len,
                     char *err, size_t errsz)
{
	static char pem[8192];
	size_t n = br_pem_encode(NULL, der, len, banner, 0);

	if (n >= sizeof pem)
		return fail(err, errsz, "%s would be too large", path);
	br_pem_encode(pem, der, len, banner, 0);
	return write_new(path, pem, n, err, errsz);
}

static void utc_time(time_t t, char out[14])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 14, "%y%m%d%H%M%SZ", &tm);
}

int tlscert_create(const char *cert_file, const char *key_file, char **names, int nnames,
                   char *err, size_t errsz)
{
	const br_ec_impl *ec = br_ec_get_default();
	br_hmac_drbg_context rng;
	br_prng_seeder seeder = br_prng_seeder_system(NULL);
	br_ec_private_key sk;
	br_ec_public_key pk;
	br_sha256_context h;
	unsigned char kbuf[BR_EC_KBUF_PRIV_MAX_SIZE], pbuf[BR_EC_KBUF_PUB_MAX_SIZE];
	unsigned char serial[16], hash[32], sig[80], tbs[2048], cert[2300], key[256];
	char not_before[14], not_after[14], tmp_key[4096], tmp_cert[4096];
	struct x509w_tbs t;
	time_t now = time(NULL);
	long tbs_len, cert_len;
	size_t sig_len, key_len;
	int i;

	if (nnames < 1 || nnames > X509W_NAMES_MAX)
		return fail(err, errsz, "give 1 to %d names for the certificate", X509W_NAMES_MAX);
	br_hmac_drbg_init(&rng, &br_sha256_vtable, NULL, 0);
	if (!seeder || !seeder(&rng.vtable))
		return fail(err, errsz, "no system source of randomness");
	if (!br_ec_keygen(&rng.vtable, ec, &sk, kbuf, BR_EC_secp256r1) ||
	    !br_ec_compute_pub(ec, &pk, pbuf, &sk) || pk.qlen != 65)
		return fail(err, errsz, "unable to create a P-256 key");
	br_hmac_drbg_generate(&rng, serial, sizeof serial);
	serial[0] = (unsigned char)((serial[0] & 0x7f) | 0x01);   /* positive, no leading zero */
	utc_time(now - 3600, not_before);                       /* an hour of clock skew */
	utc_time(now + (time_t)CERT_DAYS * 86400, not_after);

	memset(&t, 0, sizeof t);
	t.serial = serial;
	t.serial_len = sizeof serial;
	t.not_before = not_before;
	t.not_after = not_after;
	t.common_name = names[0];
	t.pub = pk.q;
	for (i = 0; i < nnames; i++)
		t.names[t.nnames++] = names[i];
	if ((tbs_len = x509w_tbs(&t, tbs, sizeof tbs)) < 0)
		return fail(err, errsz, "a certificate name is not a host name or IPv4 address");
	br_sha256_init(&h);
	br_sha256_update(&h, tbs, (size_t)tbs_len);
	br_sha256_out(&h, hash);
	sig_len = br_ecdsa_sign_asn1_get_default()(ec, &br_sha256_vtable, hash, &sk, sig);
	if (!sig_len || (cert_len = x509w_cert(tbs, (size_t)tbs_len, sig, sig_len, cert, sizeof cert)) < 0)
		return fail(err, errsz, "unable to sign the certificate");
	if (!(key_len = br_encode_ec_pkcs8_der(key, &sk, &pk)) || key_len > sizeof key)
		return fail(err, errsz, "unable to encode the key");

	/* New names first, then rename: a crash leaves no half-written pair. */
	snprintf(tmp_key, sizeof tmp_key, "%s.new", key_file);
	snprintf(tmp_cert, sizeof tmp_cert, "%s.new", cert_file);
	unlink(tmp_key);
	unlink(tmp_cert);
	if (write_pem(tmp_key, "PRIVATE KEY", key, key_len, err, errsz) < 0 ||
	    write_pem(tmp_cert, "CERTIFICATE", cert, (size_t)cert_len, err, errsz) < 0 ||
	    rename(tmp_key, key_file) < 0 || rename(tmp_cert, cert_file) < 0) {
		if (!*err)
			fail(err, errsz, "unable to rename into %s: %s", cert_file, strerror(errno));
		unlink(tmp_key);
		unlink(tmp_cert);
		return -1;
	}
	memset(kbuf, 0, sizeof kbuf);
	memset(key, 0, sizeof key);
	return 0;
}

int tlscert_fingerprint(const char *cert_file, char out[96], char *err, size_t errsz)
{
	struct pem_obj objs[TLS_CHAIN_MAX + 1];
	br_sha256_context h;
	unsigned char hash[32];
	int n, i;

	if ((n = pem_read(cert_file, objs, TLS_CHAIN_MAX + 1, err, errsz)) < 0)
		return -1;
	for (i = 0; i < n && strcmp(objs[i].name, "CERTIFICATE"); i++)
		;
	if (i == n) {
		pem_free(objs, n);
		return fail(err, errsz, "%s holds no CERTIFICATE", cert_file);
	}
	br_sha256_init(&h);
	br_sha256_update(&h, objs[i].der, objs[i].len);
	br_sha256_out(&h, hash);
	pem_free(objs, n);
	for (i = 0; i < 32; i++)
		snprintf(out + 3 * i, 4, "%02X%s", hash[i], i < 31 ? ":" : "");
	return 0;
}
