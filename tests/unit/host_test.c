#include "check.h"
#include "lib/host.h"

void test_host(void)
{
	static const struct { const char *host; int ip; } lit[] = {
		{ "127.0.0.1", 1 },
		{ "127.0.0.1:8080", 1 },
		{ "10.1.2.3", 1 },
		{ "[::1]", 1 },
		{ "[::1]:80", 1 },
		{ "[::ffff:127.0.0.1]:1", 1 },
		{ "127.0.0.1.", 1 },        /* WHATWG URL: still the IPv4 address */
		{ "127.1", 0 },             /* browsers canonicalise; a Host like this is a name */
		{ "0x7f.0.0.1", 0 },
		{ "127.000.0.1", 0 },
		{ "256.0.0.1", 0 },
		{ "1.2.3.4.5", 0 },
		{ "1.2.3.4.nip.io", 0 },
		{ "[]", 0 },
		{ "[evil.com]", 0 },
		{ "[::1", 0 },
		{ "[::1]x", 0 },
		{ "127.0.0.1:", 0 },
		{ "127.0.0.1:99999", 0 },
		{ "127.0.0.1:80:80", 0 },
		{ "localhost", 0 },
		{ "", 0 },
	};
	static const struct { const char *host, *list; int ok; } in[] = {
		{ "localhost", "localhost", 1 },
		{ "LocalHost:8080", "localhost", 1 },
		{ "localhost.", "localhost", 1 },
		{ "localhost.:1", "localhost", 1 },
		{ "localhost..", "localhost", 0 },
		{ "localhost.evil.com", "localhost", 0 },
		{ "evil-localhost", "localhost", 0 },
		{ "b.example", "a.example,b.example", 1 },
		{ "b.example", "a.example, b.example", 1 },
		{ "b.example", "a.example b.example", 1 },
		{ "c.example", "a.example,b.example", 0 },
		{ "a.example:8443", "a.example:8443", 1 },
		{ "a.example:8444", "a.example:8443", 0 },
		{ "a.example", "a.example:8443", 0 },
		{ "a.example", ",,a.example,", 1 },
		{ "a.example", "", 0 },
		{ "a.example\r\nX: y", "a.example", 0 },
		{ "a.example/x", "a.example", 0 },
		{ "a.example@evil.com", "a.example", 0 },
		{ "a.example evil.com", "a.example", 0 },
		{ "user@a.example", "a.example", 0 },
		{ "", "a.example", 0 },
		{ "node1", "node1", 1 },
	};
	static const struct { const char *origin, *host; int same; } org[] = {
		{ "http://localhost:8080", "localhost:8080", 1 },
		{ "http://LOCALHOST:8080", "localhost:8080", 1 },
		{ "http://localhost", "localhost:80", 1 },
		{ "http://localhost:80", "localhost", 1 },
		{ "https://a.example", "a.example:443", 1 },
		{ "https://a.example", "a.example", 1 },
		{ "http://a.example", "a.example:443", 0 },
		{ "http://localhost:9999", "localhost:8080", 0 },   /* another local user's page */
		{ "http://127.0.0.1:8080", "localhost:8080", 0 },
		{ "http://evil.example", "localhost:8080", 0 },
		{ "null", "localhost:8080", 0 },
		{ "file://", "localhost", 0 },
		{ "http://localhost:8080/", "localhost:8080", 0 },
		{ "http://user@localhost:8080", "localhost:8080", 0 },
		{ "http://localhost:8080", "", 0 },
		{ "", "localhost", 0 },
		{ "http://[::1]:8080", "[::1]:8080", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof lit / sizeof lit[0]; i++)
		CHECK(host_is_ip_literal(lit[i].host) == lit[i].ip, "literal [%s]", lit[i].host);
	for (i = 0; i < sizeof in / sizeof in[0]; i++)
		CHECK(host_in_list(in[i].host, in[i].list) == in[i].ok, "[%s] in [%s]", in[i].host, in[i].list);
	for (i = 0; i < sizeof org / sizeof org[0]; i++)
		CHECK(host_same_origin(org[i].origin, org[i].host) == org[i].same,
		      "origin [%s] host [%s]", org[i].origin, org[i].host);
	CHECK(host_in_list(NULL, "localhost") == 0, "NULL host");
	CHECK(host_same_origin(NULL, "localhost") == 0, "NULL origin");
	CHECK(host_origin_in_list("https://a.example", "a.example") == 1, "origin in list");
	CHECK(host_origin_in_list("https://b.example", "a.example") == 0, "origin not in list");
	CHECK(host_origin_in_list("null", "a.example") == 0, "null origin");
}
