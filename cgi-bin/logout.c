/* logout.c - /cgi-bin/logout: end the session on the server and in the
 * browser.
 *
 * Inputs: the method, the session cookie(s), Origin / Sec-Fetch-Site.
 * Answers: GET/HEAD 200, a page with one "Log out" button (a link or a
 *   prefetch must not log anyone out); POST 303 to / with the cookie
 *   cleared (same attributes as login set) and `Clear-Site-Data: "cache",
 *   "cookies"`, so the browser also drops the app's cached pages (an app
 *   that sends Expires a day ahead would otherwise still show its UI) and
 *   the app's cookies; 403 a POST from another site (the same check as the
 *   login form: any page could otherwise log the user out); 405 other
 *   methods. The session record is deleted, so a copied cookie stops
 *   working too; the relay checks the session on every request, so a kept
 *   connection carries nothing more for it either. */
#include <stdio.h>
#include <string.h>
#include "applets.h"
#include "auth.h"
#include "store.h"
#include "lib/cookie.h"

static int confirm_page(const struct cgi *g)
{
	const char *keys[] = { "state" };
	const char *vals[] = { auth_session(g) == AUTH_OK ? "You are logged in."
	                                                  : "You are not logged in here." };
	return cgi_page(g, 200, NULL, "logout.html", keys, vals, 1);
}

int logout_main(struct cgi *g)
{
	char attrs[128], extra[384];
	const char *val;
	size_t vlen, pos = 0;

	if (!strcmp(g->req.method, "GET") || !strcmp(g->req.method, "HEAD"))
		return confirm_page(g);
	if (strcmp(g->req.method, "POST")) {
		cgi_answer(g, 405, "Allow: GET, HEAD, POST\r\n",
		           "Log out with the button on /cgi-bin/logout (POST).");
		return 0;
	}
	if (auth_same_site(g, "The logout form"))
		return 0;
	while (g->req.cookie && cookie_next(g->req.cookie, g->cfg.cookie_name, &pos, &val, &vlen))
		if (store_session_delete(g->cfg.state_dir, val, vlen) < 0)
			cgi_log(g, "cannot delete a session record");
	auth_cookie_attrs(g, attrs, sizeof attrs);
	snprintf(extra, sizeof extra, "Set-Cookie: %s=; Max-Age=0; %s\r\n"
	         "Clear-Site-Data: \"cache\", \"cookies\"\r\n", g->cfg.cookie_name, attrs);
	cgi_redirect(g, 303, "/", extra);
	return 0;
}
