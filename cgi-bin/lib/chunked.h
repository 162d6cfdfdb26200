/* chunked.h - find where a chunked body ends (RFC 9112 section 7.1), so a
 * relay can pass it on byte for byte and know when the next message starts.
 * Pure, incremental: feed it what arrives, in pieces of any size. */
#ifndef SHL_CHUNKED_H
#define SHL_CHUNKED_H
#include <stddef.h>

struct chunked {
	int state;
	unsigned long long left;   /* data bytes left in the current chunk */
	size_t line;               /* length of the current size/trailer line */
	int digits;
};

void chunked_init(struct chunked *c);

/* Scan BUF[0..LEN). Returns how many bytes belong to the body: LEN if it
 * goes on past them, fewer when the body ended inside BUF (chunked_done()
 * is then true; the rest is the next message), or -1 when the stream is not
 * valid chunked coding (bad size, size over 2^60, line over 4 KiB). */
long chunked_scan(struct chunked *c, const char *buf, size_t len);

int chunked_done(const struct chunked *c);

#endif
