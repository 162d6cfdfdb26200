/* wolfssl_user_settings.h - the smallest wolfSSL configuration for the same
 * job as sh_login's front (server only, ECDHE + ECDSA, AES-GCM and
 * ChaCha20-Poly1305, TLS 1.2 and 1.3), for scripts/tls-lib-sizes. */
#define WOLFSSL_TLS13
#define HAVE_TLS_EXTENSIONS
#define HAVE_SUPPORTED_CURVES
#define HAVE_SNI
#define HAVE_ECC
#define ECC_TIMING_RESISTANT
#define ECC_USER_CURVES
#define HAVE_HKDF
#define NO_RSA
#define NO_DH
#define NO_OLD_TLS
#define NO_DES3
#define NO_MD4
#define NO_MD5
#define NO_PSK
#define NO_RC4
#define NO_DSA
#define NO_HC128
#define NO_RABBIT
#define HAVE_AESGCM
#define HAVE_CHACHA
#define HAVE_POLY1305
#define HAVE_CURVE25519
#define WOLFSSL_SHA384
#define WOLFSSL_SHA512
#define SINGLE_THREADED
#define NO_WOLFSSL_CLIENT
#define WOLFSSL_SP_MATH_ALL
#define NO_SESSION_CACHE
#define NO_ERROR_STRINGS
#define HAVE_AEAD
#define WOLFSSL_NO_SOCK_TEST
#define NO_DEV_RANDOM_TEST
#define TFM_TIMING_RESISTANT
