/* auth.c - session check from the Cookie header; the Host check; the
 * same-site check of the forms that change the session (login, logout). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include "auth.h"
#include "store.h"
#include "limits.h"
#include "lib/cookie.h"
#include "lib/host.h"
#include "lib/url.h"

int auth_session(const struct cgi *g)
{
	const char *val;
	size_t vlen, pos = 0;
	int result = AUTH_NONE;
	time_t now = time(NULL);

	if (!g->req.cookie)
		return AUTH_NONE;
	while (cookie_next(g->req.cookie, g->cfg.cookie_name, &pos, &val, &vlen)) {
		int r = store_session_check(g->cfg.state_dir, val, vlen, now,
		                            g->cfg.idle_s, g->cfg.max_s, g->hold);
		if (r == AUTH_OK)
			return AUTH_OK;
		if (r < 0)
			result = AUTH_STORE_ERROR;
	}
	return result;
}

void auth_cookie_attrs(const struct cgi *g, char *out, size_t outsz)
{
	snprintf(out, outsz, "Path=/; HttpOnly; SameSite=Lax%s", g->req.https ? "; Secure" : "");
}

int auth_host_check(const struct cgi *g)
{
	const char *h = g->req.host;
	struct utsname u;

	if (!h || host_is_ip_literal(h) || host_in_list(h, "localhost") ||
	    (g->cfg.hosts && host_in_list(h, g->cfg.hosts)) ||
	    (uname(&u) == 0 && host_in_list(h, u.nodename)))
		return 0;
	cgi_log(g, "refused a request for a name that is not the gateway's (Host check)");
	return cgi_answer(g, 403, NULL, "This gateway does not answer to that host name (a guard against"
	         " DNS rebinding). If it is yours, add it to SH_LOGIN_HOSTS.");
}

/* A browser says where a form came from. Refuse other sites (other ports
 * of the same host are "same-site": another local user's page); no Origin
 * at all (curl, old browsers) passes. "Origin: null" is what the gateway's
 * own forms send (its pages are Referrer-Policy: no-referrer, so a
 * one-click URL never leaks through Referer), but also what a sandboxed
 * frame or a data: URL of any site sends: it passes only with
 * Sec-Fetch-Site: same-origin, which only the gateway's own pages earn. */
int auth_same_site(const struct cgi *g, const char *what)
{
	const char *site = g->req.sec_fetch_site, *origin = g->req.origin;
	char msg[256];

	if (site && (!strcmp(site, "cross-site") || !strcmp(site, "same-site"))) {
		snprintf(msg, sizeof msg, "%s was posted from another site (Sec-Fetch-Site);"
		         " use the gateway's own page.", what);
		return cgi_answer(g, 403, NULL, msg);
	}
	if (origin && !strcmp(origin, "null") && !(site && !strcmp(site, "same-origin"))) {
		snprintf(msg, sizeof msg, "%s was posted from an opaque origin (Origin: null without"
		         " Sec-Fetch-Site: same-origin); use the gateway's own page.", what);
		return cgi_answer(g, 403, NULL, msg);
	}
	if (origin && strcmp(origin, "null") != 0 && !host_same_origin(origin, g->req.host) &&
	    !(g->cfg.hosts && host_origin_in_list(origin, g->cfg.hosts))) {
		snprintf(msg, sizeof msg, "%s was posted from another site (Origin);"
		         " use the gateway's own page.", what);
		return cgi_answer(g, 403, NULL, msg);
	}
	return 0;
}

int auth_require(const struct cgi *g, const char *target)
{
	char next[NEXT_MAX * 3 + 16], loc[NEXT_MAX * 3 + 32];
	int a = auth_session(g);

	if (a == AUTH_OK)
		return 0;
	if (a == AUTH_STORE_ERROR)
		return cgi_answer(g, 503, NULL, "The session store cannot be read.");
	if ((!strcmp(g->req.method, "GET") || !strcmp(g->req.method, "HEAD")) &&
	    (strstr(g->req.accept, "text/html") || !strcmp(g->req.sec_fetch_mode, "navigate"))) {
		if (strlen(target) <= NEXT_MAX && url_encode_component(target, next, sizeof next) >= 0) {
			snprintf(loc, sizeof loc, "/?next=%s", next);
			return cgi_redirect(g, 303, loc, NULL);
		}
		return cgi_redirect(g, 303, "/", NULL);
	}
	return cgi_answer(g, 401, NULL, "No valid session: log in at / first.");
}
