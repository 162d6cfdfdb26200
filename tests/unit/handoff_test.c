#include "check.h"
#include "lib/handoff.h"

void test_handoff(void)
{
	static const struct { const char *msg, *addr; long off, ms; } t[] = {
		{ "SHL-HANDOFF/1 127.0.0.5:41234\nGET / HTTP/1.1\r\n", "127.0.0.5", 30, 0 },
		{ "SHL-HANDOFF/1 [2001:db8::7]:80\nX", "2001:db8::7", 31, 0 },
		{ "SHL-HANDOFF/1 -\nGET", "-", 16, 0 },
		{ "SHL-HANDOFF/1 -\n", "-", 16, 0 },
		/* the milliseconds httpd already spent on the connection */
		{ "SHL-HANDOFF/1 127.0.0.5:41234 3512\nGET", "127.0.0.5", 35, 3512 },
		{ "SHL-HANDOFF/1 [2001:db8::7]:80 0\nX", "2001:db8::7", 33, 0 },
		{ "SHL-HANDOFF/1 - 86400000\nGET", "-", 25, 86400000 },
		{ "SHL-HANDOFF/1 - 86400001\nGET", "", -1, 0 },       /* beyond a day */
		{ "SHL-HANDOFF/1 1.2.3.4:80 \nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 1.2.3.4:80 -5\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 1.2.3.4:80 5 6\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1  5\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 [::1] 5\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 [::1]:80 5\nGET", "::1", 25, 5 },
		{ "SHL-HANDOFF/1 127.0.0.1\nGET", "", -1, 0 },          /* no port */
		{ "SHL-HANDOFF/1 :80\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 [::1\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 [::1]\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 \nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 1.2.3.4:80", "", -1, 0 },             /* no newline */
		{ "SHL-HANDOFF/1 evil host:80\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/1 --:80\nGET", "", -1, 0 },
		{ "SHL-HANDOFF/2 1.2.3.4:80\nGET", "", -1, 0 },
		{ "GET / HTTP/1.1\r\n", "", -1, 0 },
		{ "", "", -1, 0 },
	};
	char addr[48];
	long ms;
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		long off;
		addr[0] = '\0';
		ms = -1;
		off = handoff_parse(t[i].msg, strlen(t[i].msg), addr, sizeof addr, &ms);
		CHECK(off == t[i].off, "offset for [%s]: %ld", t[i].msg, off);
		if (t[i].off >= 0) {
			CHECK_STR(addr, t[i].addr, t[i].msg);
			CHECK(ms == t[i].ms, "ms for [%s]: %ld", t[i].msg, ms);
		}
	}
	CHECK(handoff_parse("SHL-HANDOFF/1 127.0.0.1:1\n", 26, addr, 9, &ms) == -1, "address longer than the buffer");
	CHECK(handoff_parse("SHL-HANDOFF/1 1.2.3.4:1\0:2\n", 27, addr, sizeof addr, &ms) == -1, "NUL in the address");
}
