/* logout.c - /cgi-bin/logout: revoke the session on the server side.
 *
 * Inputs: the session cookie(s). Answers: 303 to / with the cookie cleared
 * (same attributes as login set). The record is deleted, so a copied cookie
 * stops working too. */
#include <stdio.h>
#include <string.h>
#include "applets.h"
#include "auth.h"
#include "store.h"
#include "lib/cookie.h"

int logout_main(struct cgi *g)
{
	char attrs[128], clear[256];
	const char *val;
	size_t vlen, pos = 0;

	if (strcmp(g->req.method, "GET") && strcmp(g->req.method, "HEAD") &&
	    strcmp(g->req.method, "POST"))
		cgi_fail(g, 405, "Allow: GET, HEAD, POST\r\n", "Log out with GET or POST.");
	while (g->req.cookie && cookie_next(g->req.cookie, g->cfg.cookie_name, &pos, &val, &vlen))
		if (store_session_delete(g->cfg.state_dir, val, vlen) < 0)
			cgi_log(g, "cannot delete a session record");
	auth_cookie_attrs(g, attrs, sizeof attrs);
	snprintf(clear, sizeof clear, "Set-Cookie: %s=; Max-Age=0; %s\r\n", g->cfg.cookie_name, attrs);
	cgi_redirect(g, 303, "/", clear);
	return 0;
}
