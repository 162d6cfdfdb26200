/* fuzz_chunked.c - where a chunked body ends, fed in pieces.
 *
 * Input: byte 0 picks the mode (bit 7) and how many split points follow
 * (bits 0-2, two bytes each); the rest is the payload.
 * Raw mode: the payload is the stream the relay reads. Properties:
 * chunked_scan gives the same end offset and validity whether the stream
 * comes in one piece or split at the fuzzer's points; the result is -1 or
 * within the input and chunked_done() holds exactly when it stopped short
 * (or at a last byte that ended the body); an end is the first possible one
 * (the stream up to it ends there too, one byte less does not end).
 * Encoder mode: the payload drives a reference encoder (chunk sizes in any
 * case with leading zeros, extensions, arbitrary data bytes including CRLF
 * and "0\r\n\r\n", trailers) followed by the next request; the scanner
 * accepts the body with exactly its length and never takes a byte of what
 * follows, in one piece and split. */
#include "fuzz.h"
#include "lib/chunked.h"

#define SPLITS_MAX 7

/* Scan BUF[0..LEN) cut at CUT[0..NCUT) (sorted, within LEN). Returns the
 * body's length, -1 if invalid, or -2 if it had not ended. */
static long scan_split(const char *buf, size_t len, const size_t *cut, size_t ncut)
{
	struct chunked c;
	size_t from = 0, i, total = 0;

	chunked_init(&c);
	for (i = 0; i <= ncut; i++) {
		size_t to = i < ncut ? cut[i] : len, n = to - from;
		char *piece = fz_bytes((const uint8_t *)buf + from, n);   /* exact size for ASan */
		long k = chunked_scan(&c, piece, n);
		free(piece);
		if (k < 0)
			return -1;
		CHECK((size_t)k <= n);
		total += (size_t)k;
		if (chunked_done(&c))
			return (long)total;
		CHECK((size_t)k == n);
		from = to;
	}
	return -2;
}

static long scan_once(const char *buf, size_t len)
{
	return scan_split(buf, len, NULL, 0);
}

static void check_stream(const char *buf, size_t len, const size_t *cut, size_t ncut)
{
	long one = scan_once(buf, len), split = scan_split(buf, len, cut, ncut);

	CHECK(one == split);
	CHECK(one == -1 || one == -2 || (one > 0 && (size_t)one <= len));
	if (one > 0) {
		CHECK(scan_once(buf, (size_t)one) == one);
		CHECK(scan_once(buf, (size_t)one - 1) == -2);
	}
}

static void put(char *out, size_t *o, const char *s, size_t n)
{
	memcpy(out + *o, s, n);
	*o += n;
}

#define ENC_MAX (256 * 1024)   /* the encoder stops adding chunks near it */

/* Reference encoder: a valid chunked body from D[0..N) into OUT (room for
 * ENC_MAX bytes). Returns its length. */
static size_t encode(const uint8_t *d, size_t n, char *out)
{
	static const char hexl[] = "0123456789abcdef", hexu[] = "0123456789ABCDEF";
	size_t i = 0, o = 0;

	while (i < n && o < ENC_MAX - 2048) {
		uint8_t ctl = d[i++];
		size_t size = ctl & 0x3f, k;
		char num[32];
		int nd = 0;

		if (ctl & 0x40)
			size = size << 4 | 7;           /* bigger chunks, still bounded */
		if (size == 0)
			size = 1;                       /* a zero size is the last chunk */
		for (k = size; k; k >>= 4)
			num[nd++] = (ctl & 0x80 ? hexu : hexl)[k & 15];
		if (ctl & 0x20)
			put(out, &o, "00", 2);          /* leading zeros are still hex */
		while (nd)
			out[o++] = num[--nd];
		if ((ctl & 0x18) == 0x08)
			put(out, &o, ";ext", 4);
		else if ((ctl & 0x18) == 0x10)
			put(out, &o, ";a=\"b c\";d=e", 12);
		put(out, &o, "\r\n", 2);
		for (k = 0; k < size; k++)      /* data: the fuzzer's bytes, cycled */
			out[o++] = n ? (char)d[(i + k) % n] : 'x';
		i += size < 8 ? size : 8;
		put(out, &o, "\r\n", 2);
	}
	put(out, &o, n & 1 ? "0;last\r\n" : "000\r\n", n & 1 ? 8 : 5);
	if (n & 2)
		put(out, &o, "X-Trailer: 1\r\nEtag: \"x\"\r\n", 25);
	put(out, &o, "\r\n", 2);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char next[] = "0\r\n\r\nGET / HTTP/1.1\r\n\r\n";
	size_t cut[SPLITS_MAX], ncut, i, len;
	const uint8_t *p;
	int mode;

	if (size < 1)
		return 0;
	mode = data[0] >> 7;
	ncut = data[0] & 7;
	if (size < 1 + 2 * ncut)
		return 0;
	p = data + 1 + 2 * ncut;
	len = size - 1 - 2 * ncut;

	if (mode == 0) {
		char *buf = fz_bytes(p, len);
		for (i = 0; i < ncut; i++)
			cut[i] = ((size_t)data[1 + 2 * i] << 8 | data[2 + 2 * i]) % (len + 1);
		for (i = 1; i < ncut; i++) {         /* insertion sort */
			size_t v = cut[i], j = i;
			while (j && cut[j - 1] > v)
				cut[j] = cut[j - 1], j--;
			cut[j] = v;
		}
		check_stream(buf, len, cut, ncut);
		free(buf);
	} else {
		size_t cap = ENC_MAX + sizeof next, body;
		char *buf = malloc(cap), *exact;
		long r;
		CHECK(buf);
		body = encode(p, len, buf);
		CHECK(body + sizeof next <= cap);
		memcpy(buf + body, next, sizeof next - 1);   /* what follows the body */
		exact = fz_bytes((const uint8_t *)buf, body + sizeof next - 1);
		for (i = 0; i < ncut; i++)
			cut[i] = ((size_t)data[1 + 2 * i] << 8 | data[2 + 2 * i]) % (body + sizeof next);
		for (i = 1; i < ncut; i++) {
			size_t v = cut[i], j = i;
			while (j && cut[j - 1] > v)
				cut[j] = cut[j - 1], j--;
			cut[j] = v;
		}
		r = scan_once(exact, body + sizeof next - 1);
		CHECK(r == (long)body);
		CHECK(scan_split(exact, body + sizeof next - 1, cut, ncut) == (long)body);
		CHECK(scan_once(exact, body) == (long)body);      /* nothing after it needed */
		CHECK(scan_once(exact, body - 1) == -2);
		free(exact);
		free(buf);
	}
	return 0;
}
