#include "check.h"
#include "lib/handoff.h"

void test_handoff(void)
{
	static const struct { const char *msg, *addr; long off; } t[] = {
		{ "SHL-HANDOFF/1 127.0.0.5:41234\nGET / HTTP/1.1\r\n", "127.0.0.5", 30 },
		{ "SHL-HANDOFF/1 [2001:db8::7]:80\nX", "2001:db8::7", 31 },
		{ "SHL-HANDOFF/1 -\nGET", "-", 16 },
		{ "SHL-HANDOFF/1 -\n", "-", 16 },
		{ "SHL-HANDOFF/1 127.0.0.1\nGET", "", -1 },          /* no port */
		{ "SHL-HANDOFF/1 :80\nGET", "", -1 },
		{ "SHL-HANDOFF/1 [::1\nGET", "", -1 },
		{ "SHL-HANDOFF/1 [::1]\nGET", "", -1 },
		{ "SHL-HANDOFF/1 \nGET", "", -1 },
		{ "SHL-HANDOFF/1 1.2.3.4:80", "", -1 },             /* no newline */
		{ "SHL-HANDOFF/1 evil host:80\nGET", "", -1 },
		{ "SHL-HANDOFF/1 --:80\nGET", "", -1 },
		{ "SHL-HANDOFF/2 1.2.3.4:80\nGET", "", -1 },
		{ "GET / HTTP/1.1\r\n", "", -1 },
		{ "", "", -1 },
	};
	char addr[48];
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		long off;
		addr[0] = '\0';
		off = handoff_parse(t[i].msg, strlen(t[i].msg), addr, sizeof addr);
		CHECK(off == t[i].off, "offset for [%s]: %ld", t[i].msg, off);
		if (t[i].off >= 0)
			CHECK_STR(addr, t[i].addr, t[i].msg);
	}
	CHECK(handoff_parse("SHL-HANDOFF/1 127.0.0.1:1\n", 26, addr, 9) == -1, "address longer than the buffer");
	CHECK(handoff_parse("SHL-HANDOFF/1 1.2.3.4:1\0:2\n", 27, addr, sizeof addr) == -1, "NUL in the address");
}
