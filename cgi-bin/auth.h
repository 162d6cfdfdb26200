/* auth.h - does this request carry a live session? */
#ifndef SHL_AUTH_H
#define SHL_AUTH_H
#include "cgi.h"

enum { AUTH_NONE = 0, AUTH_OK = 1, AUTH_STORE_ERROR = -1 };

/* Look at every cookie with the instance's name (browsers may send several);
 * any one naming a live session is enough. */
int auth_session(const struct cgi *g);

/* DNS rebinding guard, for every applet: a Host that is not one of the
 * gateway's names gets 403 (cgi_fail). Its names: localhost, any IP literal
 * (127.0.0.1, [::1], the bind address: nobody can rebind those), the
 * machine's host name, and SH_LOGIN_HOSTS. A request without Host passes:
 * browsers always send one, so it cannot come from a rebinding page.
 * Returns 0 when the Host is the gateway's, else 403 (answered). */
int auth_host_check(const struct cgi *g);

/* The app's gate, for the forwarding CGI and the relay alike: 0 when the
 * request has a live session; otherwise it answers and returns the status:
 * 303 to the login page with `next` = TARGET (an already encoded path and
 * query) for a browser navigation, 401 for anything else, 503 if the store
 * is unreadable. */
int auth_require(const struct cgi *g, const char *target);

/* Cross-site request forgery guard for the POSTs that change the session
 * (login, logout): a browser's Origin or Sec-Fetch-Site naming another site
 * gets 403 saying WHAT ("The login form") came from elsewhere, and so does
 * "Origin: null" (a sandboxed frame) unless Sec-Fetch-Site says same-origin. Returns 0
 * when the form may be taken, else 403 (answered). */
int auth_same_site(const struct cgi *g, const char *what);

/* Set-Cookie attributes shared by login and logout. */
void auth_cookie_attrs(const struct cgi *g, char *out, size_t outsz);

#endif
