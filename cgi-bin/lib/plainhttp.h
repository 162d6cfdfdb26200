/* plainhttp.h - the answer to plain HTTP sent to the TLS port.
 *
 * A browser given http:// for an https:// port sends a request in clear
 * text; it gets a redirect to the same host and path over https (GET and
 * HEAD with a well-formed Host and path), else a short 400 that says why.
 * Pure: bytes in, the whole response out. */
#ifndef SHL_PLAINHTTP_H
#define SHL_PLAINHTTP_H
#include <stddef.h>

#define PLAINHTTP_HEAD_MAX 8192  /* bytes of a plain request read before answering */
#define PLAINHTTP_ANSWER_MAX (PLAINHTTP_HEAD_MAX + 1024)

/* 1 when the first byte a client sent cannot start a TLS record but can
 * start an HTTP request line (an upper-case method letter). */
int plainhttp_looks_like(unsigned char first);

/* 1 when in[0..len) holds a whole request head (up to the empty line). */
int plainhttp_complete(const char *in, size_t len);

/* The response to write for in[0..len) (possibly an incomplete head: then
 * 400), its length, or -1 when outsz is too small. */
long plainhttp_answer(const char *in, size_t len, char *out, size_t outsz);

#endif
