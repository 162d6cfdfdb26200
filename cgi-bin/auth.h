/* auth.h - does this request carry a live session? */
#ifndef SHL_AUTH_H
#define SHL_AUTH_H
#include "cgi.h"

enum { AUTH_NONE = 0, AUTH_OK = 1, AUTH_STORE_ERROR = -1 };

/* Look at every cookie with the instance's name (browsers may send several);
 * any one naming a live session is enough. */
int auth_session(const struct cgi *g);

/* Set-Cookie attributes shared by login and logout. */
void auth_cookie_attrs(const struct cgi *g, char *out, size_t outsz);

#endif
