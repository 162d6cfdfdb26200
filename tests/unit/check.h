/* check.h - the smallest table-driven test harness: each CHECK counts one
 * case; a failing case prints its file, line and what was expected. */
#ifndef SHL_CHECK_H
#define SHL_CHECK_H
#include <stdio.h>
#include <string.h>

extern int check_passed, check_failed;

#define CHECK(cond, ...) do { \
	if (cond) { check_passed++; } else { \
		check_failed++; \
		fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	} } while (0)

#define CHECK_STR(got, want, ctx) \
	CHECK(strcmp((got), (want)) == 0, "%s: got [%s] want [%s]", (ctx), (got), (want))

void test_form(void);
void test_reqparse(void);
void test_response_framing(void);
void test_chunked(void);
void test_cookie(void);
void test_url(void);
void test_header(void);
void test_reqhead(void);
void test_resphead(void);
void test_session(void);
void test_token(void);
void test_html(void);
void test_host(void);
void test_throttle(void);
void test_logline(void);
void test_clientkey(void);
void test_handoff(void);
void test_admit(void);
void test_plainhttp(void);
void test_x509w(void);

#endif
