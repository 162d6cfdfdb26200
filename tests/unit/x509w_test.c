#include "check.h"
#include "lib/x509w.h"

/* The DER layout itself is checked against openssl in tests/tls_test.sh;
 * here: what x509w refuses to write, and the IPv4 reader. */
void test_x509w(void)
{
	static const struct { const char *s; int ok; unsigned char ip[4]; } v4[] = {
		{ "127.0.0.1", 1, { 127, 0, 0, 1 } },
		{ "255.255.255.255", 1, { 255, 255, 255, 255 } },
		{ "256.0.0.1", 0, { 0 } },
		{ "1.2.3", 0, { 0 } },
		{ "1.2.3.4.", 0, { 0 } },
		{ "1.2.3.4a", 0, { 0 } },
		{ "0001.2.3.4", 0, { 0 } },
		{ "localhost", 0, { 0 } },
		{ "", 0, { 0 } },
	};
	static const unsigned char serial[] = { 0x12, 0x34 }, zero_serial[] = { 0x00, 0x01 };
	unsigned char pub[65] = { 0x04 }, out[2048], ip[4];
	struct x509w_tbs t;
	size_t i;
	long n;

	for (i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
		int ok = x509w_ipv4(v4[i].s, ip);
		CHECK(ok == v4[i].ok, "ipv4 [%s]: %d", v4[i].s, ok);
		if (ok && v4[i].ok)
			CHECK(!memcmp(ip, v4[i].ip, 4), "ipv4 [%s] bytes", v4[i].s);
	}

	memset(&t, 0, sizeof t);
	t.serial = serial;
	t.serial_len = sizeof serial;
	t.not_before = "260101000000Z";
	t.not_after = "280101000000Z";
	t.common_name = "localhost";
	t.pub = pub;
	t.names[0] = "localhost";
	t.names[1] = "127.0.0.1";
	t.nnames = 2;
	n = x509w_tbs(&t, out, sizeof out);
	CHECK(n > 100 && out[0] == 0x30, "tbs: %ld", n);
	CHECK(x509w_tbs(&t, out, 50) == -1, "tbs: too small a buffer");
	t.names[1] = "a\r\nb";
	CHECK(x509w_tbs(&t, out, sizeof out) == -1, "tbs: a name with CR LF");
	t.names[1] = "127.0.0.1";
	t.not_after = "2801010000Z";
	CHECK(x509w_tbs(&t, out, sizeof out) == -1, "tbs: a short time");
	t.not_after = "280101000000Z";
	t.serial = zero_serial;
	CHECK(x509w_tbs(&t, out, sizeof out) == -1, "tbs: a serial with a leading zero");
	t.serial = serial;
	t.nnames = 0;
	CHECK(x509w_tbs(&t, out, sizeof out) == -1, "tbs: no name");
	t.nnames = 2;
	n = x509w_tbs(&t, out, sizeof out);
	CHECK(x509w_cert(out, (size_t)n, (const unsigned char *)"\x30\x00", 2, out + 1024, 1024) > n,
	      "cert wraps the tbs");
}
