/* form.h - application/x-www-form-urlencoded fields (also query strings). Pure. */
#ifndef SHL_FORM_H
#define SHL_FORM_H
#include <stddef.h>

enum {
	FORM_MISSING   = -1, /* no field of that name */
	FORM_MALFORMED = -2, /* bad escape, NUL, or longer than the caller's buffer */
	FORM_REPEATED  = -3  /* the name occurs twice: ambiguous, refused */
};

/* Find NAME in BODY[0..LEN) ("a=1&b=2", ';' is not a separator) and decode
 * its value into OUT (OUTSZ bytes with the NUL). Returns the value length or
 * one of the FORM_ codes. */
long form_field(const char *body, size_t len, const char *name, char *out, size_t outsz);

#endif
