/* tlscert.h - the front's certificate and key: read from PEM files, or
 * created once (self-signed ECDSA P-256), and their SHA-256 fingerprint. */
#ifndef SHL_TLSCERT_H
#define SHL_TLSCERT_H
#include <stddef.h>
#include <bearssl.h>

#define TLS_CHAIN_MAX   8        /* certificates in the chain file */
#define TLS_PEM_MAX 65536        /* bytes of a certificate or key file */

struct tls_creds {
	br_x509_certificate chain[TLS_CHAIN_MAX];
	size_t chain_len;
	int key_type;                /* BR_KEYTYPE_EC or BR_KEYTYPE_RSA */
	br_skey_decoder_context key; /* holds the decoded key */
};

/* 0, or -1 with a reason in err. */
int tlscert_load(struct tls_creds *c, const char *cert_file, const char *key_file,
                 char *err, size_t errsz);
/* Create KEY_FILE and CERT_FILE (0600, new files only) for NAMES. 0 / -1. */
int tlscert_create(const char *cert_file, const char *key_file, char **names, int nnames,
                   char *err, size_t errsz);
/* "AB:CD:..." (95 chars and NUL) of the first certificate in CERT_FILE. */
int tlscert_fingerprint(const char *cert_file, char out[96], char *err, size_t errsz);

#endif
