/* html.h - escaping and the tiny {{key}} templates of html/. Pure. */
#ifndef SHL_HTML_H
#define SHL_HTML_H
#include <stddef.h>

/* Escape & < > " ' from IN into OUT. Returns the length, -1 if too small. */
long html_escape(const char *in, char *out, size_t outsz);

/* Copy TMPL to OUT, replacing each {{key}} with the HTML-escaped value of
 * that key in KEYS/VALS (N pairs); unknown keys become empty. Returns the
 * length, -1 if OUT is too small. */
long html_render(const char *tmpl, const char *const *keys, const char *const *vals,
                 size_t n, char *out, size_t outsz);

#endif
