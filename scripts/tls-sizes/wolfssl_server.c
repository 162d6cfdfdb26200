/* wolfssl_server.c - a minimal wolfSSL TLS server on stdin/stdout (echo),
 * linked static only to weigh the library (scripts/tls-lib-sizes). */
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>

int main(int argc, char **argv)
{
	char buf[4096];
	int n;
	WOLFSSL_CTX *ctx;
	WOLFSSL *ssl;

	if (argc != 3)
		return 100;
	wolfSSL_Init();
	ctx = wolfSSL_CTX_new(wolfSSLv23_server_method());
	wolfSSL_CTX_SetMinVersion(ctx, WOLFSSL_TLSV1_2);
	wolfSSL_CTX_use_certificate_chain_file(ctx, argv[1]);
	wolfSSL_CTX_use_PrivateKey_file(ctx, argv[2], WOLFSSL_FILETYPE_PEM);
	wolfSSL_CTX_set_cipher_list(ctx, "TLS13-AES128-GCM-SHA256:TLS13-CHACHA20-POLY1305-SHA256:"
	                            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305");
	ssl = wolfSSL_new(ctx);
	wolfSSL_set_fd(ssl, 0);
	if (wolfSSL_accept(ssl) != WOLFSSL_SUCCESS)
		return 1;
	while ((n = wolfSSL_read(ssl, buf, sizeof buf)) > 0)
		wolfSSL_write(ssl, buf, n);
	return 0;
}
