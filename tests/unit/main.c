/* Unit tests for cgi-bin/lib: pure functions, table-driven. */
#include "check.h"

int check_passed, check_failed;

int main(void)
{
	test_form();
	test_cookie();
	test_url();
	test_header();
	test_reqhead();
	test_resphead();
	test_session();
	test_token();
	test_html();
	test_host();
	test_throttle();
	test_logline();
	test_reqparse();
	test_response_framing();
	test_chunked();
	test_clientkey();
	test_handoff();
	test_admit();
	test_plainhttp();
	test_x509w();
	printf("unit tests: %d ok, %d not ok\n", check_passed, check_failed);
	return check_failed != 0;
}
