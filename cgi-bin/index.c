/* index.c - cgi-bin/index.cgi: the login page at "/", and busybox < 1.37's
 * detour for URLs that end in '/' under a CGI.
 *
 * httpd runs index.cgi for every directory URL without an index.html (the
 * web root has none on purpose, so "/" lands here and the page can carry
 * `next` and security headers without JavaScript). Before 1.37 it also does
 * so for /cgi-bin/app/... URLs ending in '/', with an empty PATH_INFO and
 * the decoded path in REQUEST_URI: those are forwarded like app's own.
 * Answers: the login page (200), 303 to the app when already logged in,
 * the forwarding answers (see forward.c), 404 for any other directory. */
#include <string.h>
#include "applets.h"
#include "auth.h"
#include "limits.h"
#include "lib/form.h"
#include "lib/url.h"

int index_main(struct cgi *g)
{
	char path[PATH_MAX_ENCODED], next[NEXT_MAX + 1];
	const char *q = g->req.query;
	long n;

	if (url_index_path(g->req.request_uri, q, path, sizeof path) < 0)
		cgi_fail(g, 404, NULL, "There is nothing here.");
	if (strncmp(path, APP_PREFIX "/", sizeof APP_PREFIX) == 0)
		return forward(g, path + sizeof APP_PREFIX - 1);
	if (strcmp(path, "/") != 0)
		cgi_fail(g, 404, NULL, "There is nothing here.");
	if (strcmp(g->req.method, "GET") && strcmp(g->req.method, "HEAD"))
		cgi_fail(g, 405, "Allow: GET, HEAD\r\n", "The login page is read with GET.");

	n = form_field(q, strlen(q), "next", next, sizeof next);
	if (n < 0 || !url_next_ok(next))
		next[0] = '\0';
	if (auth_session(g) == AUTH_OK) {
		cgi_redirect(g, 303, next[0] ? next : APP_PREFIX "/", NULL);
		return 0;
	}
	return login_page(g, 200, "", next);
}
