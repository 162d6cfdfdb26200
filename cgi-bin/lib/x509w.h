/* x509w.h - a self-signed X.509 v3 certificate for the front's ECDSA P-256
 * key, written in DER (RFC 5280). Pure: the caller signs the TBS part. */
#ifndef SHL_X509W_H
#define SHL_X509W_H
#include <stddef.h>

#define X509W_NAMES_MAX 8        /* subjectAltName entries */
#define X509W_NAME_MAX 253       /* one DNS name (RFC 1035) */

struct x509w_tbs {
	const unsigned char *serial;   /* big-endian, serial_len bytes, first byte 1..0x7f */
	size_t serial_len;
	const char *not_before;        /* UTCTime "YYMMDDHHMMSSZ" */
	const char *not_after;
	const char *common_name;       /* subject and issuer CN */
	const unsigned char *pub;      /* uncompressed P-256 point, 65 bytes */
	const char *names[X509W_NAMES_MAX]; /* dotted IPv4 -> iPAddress, else dNSName */
	size_t nnames;
};

/* TBSCertificate into out; its length, or -1 when out is too small or a
 * field is malformed (a name with bytes outside [A-Za-z0-9.-], a time not
 * 13 bytes ending in Z, a bad serial). */
long x509w_tbs(const struct x509w_tbs *t, unsigned char *out, size_t outsz);

/* Certificate = TBS + ecdsa-with-SHA256 + the signature (DER, from
 * br_ecdsa_*_sign_asn1); its length or -1. */
long x509w_cert(const unsigned char *tbs, size_t tbs_len, const unsigned char *sig,
                size_t sig_len, unsigned char *out, size_t outsz);

/* 1 when s is a dotted-quad IPv4 address, bytes in ip[4]. */
int x509w_ipv4(const char *s, unsigned char ip[4]);

#endif
