/* login.c - /cgi-bin/login: exchange the token for a session cookie.
 *
 * Inputs: POST body "token=...&next=..." (application/x-www-form-urlencoded,
 *   at most LOGIN_BODY_MAX bytes), or GET "?token=...&next=..." (the
 *   one-click URL); the token file under SH_LOGIN_TMPDIR.
 * Answers: 303 to `next` (a same-site path) or /cgi-bin/app/ with a new
 *   session cookie; 200 the login page (GET without a token, or a GET with
 *   one that another site sent: Sec-Fetch-Site cross-site/same-site, the
 *   token neither compared nor counted, a button posts it); 400 malformed
 *   form; 403 wrong token (the login page with a message), or a POST from
 *   another site (Origin, Sec-Fetch-Site: login CSRF); 405 other methods;
 *   408 the body not sent within SH_LOGIN_RELAY_HEAD_TIMEOUT; 413 body too large; 415 not a form; 429 too many wrong tokens (the login
 *   page, Retry-After); 503 no token file, the session store cannot be
 *   written, or the throttle's state cannot be kept.
 * The token is compared in constant time and never logged; the cookie holds
 * a random session id, never the token. The one-click GET redirects to a
 * URL without the token, so it leaves the address bar and history.
 * Wrong tokens are throttled per client address and overall (throttle.c);
 * a client locked out by its own failures is refused before its token is
 * even compared; the overall limit only slows (never refuses): the right
 * token is never refused because of other clients' guesses. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "applets.h"
#include "auth.h"
#include "config.h"
#include "store.h"
#include "throttle.h"
#include "limits.h"
#include "lib/form.h"
#include "lib/token.h"
#include "lib/url.h"

/* The whole body within SH_LOGIN_RELAY_HEAD_TIMEOUT of the CGI's start:
 * one deadline, not one per read, so a client that sends a byte now and
 * then cannot hold this process (and its httpd process) any longer. */
static void read_body(const struct cgi *g, char *body, size_t *len)
{
	long long want = g->req.content_length;
	long limit_s = config_number("SH_LOGIN_RELAY_HEAD_TIMEOUT");
	struct timespec t0, t;
	size_t got = 0;

	if (want < 0)
		cgi_fail(g, 411, NULL, "The login form must be sent with a Content-Length.");
	if (want > LOGIN_BODY_MAX)
		cgi_fail(g, 413, NULL, "The login form is larger than 4 KiB.");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (got < (size_t)want) {
		struct pollfd p = { STDIN_FILENO, POLLIN, 0 };
		long long left_ms;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left_ms = limit_s * 1000LL - ((t.tv_sec - t0.tv_sec) * 1000LL + (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left_ms <= 0 || (poll(&p, 1, (int)left_ms) == 0)) {
			cgi_log(g, "login form from %s not sent within %ld s", g->req.remote_addr, limit_s);
			cgi_fail(g, 408, NULL, "The login form did not arrive in time.");
		}
		n = read(STDIN_FILENO, body + got, (size_t)want - got);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			cgi_fail(g, 400, NULL, "The login form arrived incomplete.");
		got += (size_t)n;
	}
	body[got] = '\0';
	*len = got;
}

static int is_form(const char *type)
{
	static const char form[] = "application/x-www-form-urlencoded";
	return type && strncmp(type, form, sizeof form - 1) == 0 &&
	       (type[sizeof form - 1] == '\0' || type[sizeof form - 1] == ';');
}

/* The login page, with a message and the `next` target carried along. */
int login_page(const struct cgi *g, int code, const char *message, const char *next)
{
	const char *keys[] = { "message", "next", "message_class", "token", "button" };
	const char *vals[] = { message, next, *message ? "message" : "message hidden", "", "Log in" };
	return cgi_page(g, code, NULL, "login.html", keys, vals, 5);
}

/* A one-click URL followed from another site (a link, an <img>, a frame):
 * the token is neither compared nor counted, so a page the owner visits
 * cannot spend the owner's guesses. The login page comes back with the
 * token filled in (HTML-escaped by the template) and one button that
 * posts it from this origin, through the same checks as the form. */
static int confirm_page(const struct cgi *g, const char *token, const char *next)
{
	const char *keys[] = { "message", "next", "message_class", "token", "button" };
	const char *vals[] = { "Another page sent you here with a token. Continue only if you meant to log in.",
	                       next, "message", token, "Continue to log in" };
	return cgi_page(g, 200, NULL, "login.html", keys, vals, 5);
}

static int throttled_page(const struct cgi *g, long wait, const char *next)
{
	char msg[160], extra[64];
	const char *keys[] = { "message", "next", "message_class", "token", "button" };
	const char *vals[] = { msg, next, "message", "", "Log in" };

	snprintf(msg, sizeof msg, "Too many wrong tokens. Wait %ld second%s, then try again.",
	         wait, wait == 1 ? "" : "s");
	snprintf(extra, sizeof extra, "Retry-After: %ld\r\n", wait);
	return cgi_page(g, 429, extra, "login.html", keys, vals, 5);
}

int login_main(struct cgi *g)
{
	struct throttle_state th;
	char body[LOGIN_BODY_MAX + 1], token[TOKEN_MAX + 1], next[NEXT_MAX + 1];
	char secret[TOKEN_MAX + 2], id[SESSION_ID_LEN + 1], attrs[128], cookie[256];
	const char *src;
	size_t srclen;
	long tlen, nlen, slen, wait;

	if (strcmp(g->req.method, "POST") == 0) {
		if (auth_same_site(g, "The login form"))
			return 0;
		if (!is_form(g->req.content_type))
			cgi_fail(g, 415, NULL, "The login form must be application/x-www-form-urlencoded.");
		read_body(g, body, &srclen);
		src = body;
	} else if (strcmp(g->req.method, "GET") == 0 || strcmp(g->req.method, "HEAD") == 0) {
		src = g->req.query;
		srclen = strlen(src);
	} else {
		cgi_fail(g, 405, "Allow: GET, HEAD, POST\r\n", "Log in with GET or POST.");
	}

	nlen = form_field(src, srclen, "next", next, sizeof next);
	if (nlen == FORM_MISSING || (nlen >= 0 && !url_next_ok(next)))
		next[0] = '\0';         /* an unsafe target falls back to the app */
	else if (nlen < 0)
		cgi_fail(g, 400, NULL, "The next field is malformed.");

	tlen = form_field(src, srclen, "token", token, sizeof token);
	if (tlen == FORM_MISSING && strcmp(g->req.method, "POST") != 0)
		return login_page(g, 200, "", next);
	if (tlen == FORM_MISSING || tlen == 0)
		return login_page(g, 400, "Enter the token that sh_login printed.", next);
	if (tlen < 0)
		return login_page(g, 400, "That token is malformed.", next);
	if (strcmp(g->req.method, "POST") != 0 && g->req.sec_fetch_site &&
	    (!strcmp(g->req.sec_fetch_site, "cross-site") || !strcmp(g->req.sec_fetch_site, "same-site"))) {
		cgi_log(g, "one-click login from another site for %s: asked to confirm", g->req.remote_addr);
		return confirm_page(g, token, next);
	}

	wait = throttle_begin(g, &th);
	if (wait > 0) {
		cgi_log(g, "throttled a login from %s for %ld s", g->req.remote_addr, wait);
		return throttled_page(g, wait, next);
	}
	slen = store_token_read(g->cfg.state_dir, secret, sizeof secret);
	if (slen <= 0) {
		throttle_end(g, &th, -1);
		cgi_log(g, "cannot read the token file in SH_LOGIN_TMPDIR");
		cgi_fail(g, 503, NULL, "The gateway has no token file; restart sh_login.");
	}
	if (!token_equal(token, (size_t)tlen, secret, (size_t)slen)) {
		throttle_end(g, &th, 0);
		cgi_log(g, "wrong token from %s", g->req.remote_addr);
		return login_page(g, 403, "Wrong token. Use the token printed by sh_login start.", next);
	}
	throttle_end(g, &th, 1);

	if (store_session_create(g->cfg.state_dir, id) < 0) {
		char msg[256];
		cgi_log(g, "cannot store a session: %s", strerror(errno));
		snprintf(msg, sizeof msg, "The gateway cannot store a session (%s).", strerror(errno));
		cgi_fail(g, 503, NULL, msg);
	}
	auth_cookie_attrs(g, attrs, sizeof attrs);
	snprintf(cookie, sizeof cookie, "Set-Cookie: %s=%s; %s\r\n", g->cfg.cookie_name, id, attrs);
	cgi_log(g, "login from %s", g->req.remote_addr);
	cgi_redirect(g, 303, next[0] ? next : APP_PREFIX "/", cookie);
	return 0;
}
