/* chunked.c - a byte-at-a-time scanner for chunked transfer coding. */
#include "chunked.h"

enum {
	SIZE,        /* hex digits of the chunk size */
	EXT,         /* chunk extension up to CRLF */
	SIZE_LF,     /* after CR of the size line */
	DATA,        /* chunk data */
	DATA_CR,     /* CRLF after the data */
	DATA_LF,
	TRAILER,     /* start of a trailer line (or the final CRLF) */
	TRAILER_LINE,
	TRAILER_LF,
	FINAL_LF,
	DONE,
};

#define LINE_MAX_ 4096

void chunked_init(struct chunked *c)
{
	c->state = SIZE;
	c->left = 0;
	c->line = 0;
	c->digits = 0;
}

int chunked_done(const struct chunked *c) { return c->state == DONE; }

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9') return ch - '0';
	if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
	return -1;
}

long chunked_scan(struct chunked *c, const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && c->state != DONE) {
		char ch = buf[i];
		if (c->state == DATA) {      /* skip data in one step */
			size_t n = len - i;
			if (n > c->left)
				n = (size_t)c->left;
			c->left -= n;
			i += n;
			if (c->left == 0)
				c->state = DATA_CR;
			continue;
		}
		if (++c->line > LINE_MAX_)
			return -1;
		switch (c->state) {
		case SIZE: {
			int v = hexval(ch);
			if (v >= 0) {
				if (c->left >> 56)
					return -1;
				c->left = c->left << 4 | (unsigned)v;
				c->digits++;
			} else if (c->digits && (ch == ';' || ch == ' ' || ch == '\t')) {
				c->state = EXT;
			} else if (c->digits && ch == '\r') {
				c->state = SIZE_LF;
			} else {
				return -1;
			}
			break;
		}
		case EXT:
			if (ch == '\r')
				c->state = SIZE_LF;
			else if (ch == '\n')
				return -1;
			break;
		case SIZE_LF:
			if (ch != '\n')
				return -1;
			c->line = 0;
			c->digits = 0;
			c->state = c->left ? DATA : TRAILER;
			break;
		case DATA_CR:
			if (ch != '\r')
				return -1;
			c->state = DATA_LF;
			break;
		case DATA_LF:
			if (ch != '\n')
				return -1;
			c->line = 0;
			c->state = SIZE;
			break;
		case TRAILER:
			if (ch == '\r')
				c->state = FINAL_LF;
			else if (ch == '\n')
				return -1;
			else
				c->state = TRAILER_LINE;
			break;
		case TRAILER_LINE:
			if (ch == '\r')
				c->state = TRAILER_LF;
			else if (ch == '\n')
				return -1;
			break;
		case TRAILER_LF:
			if (ch != '\n')
				return -1;
			c->line = 0;
			c->state = TRAILER;
			break;
		case FINAL_LF:
			if (ch != '\n')
				return -1;
			c->state = DONE;
			break;
		}
		i++;
	}
	return (long)i;
}
