/* main.c - sh_login-cgi: one static binary, many names.
 *
 * Under cgi-bin/ it is linked as login, logout, validate, app, index.cgi
 * and health; busybox httpd runs it with argv[0] set to that name. Called as
 * sh_login-cgi it offers the helpers scripts/sh_login needs (see tools.c).
 * Size budget: <= 220 KiB static (musl, -Os) with libuuid and BearSSL (the
 * TLS front adds 108 KiB to the 94 KiB without it). */
#include <signal.h>
#include <string.h>
#include "applets.h"
#include "accesslog.h"
#include "auth.h"

static const struct { const char *name; int (*run)(struct cgi *); } applets[] = {
	{ "login", login_main },
	{ "logout", logout_main },
	{ "validate", validate_main },
	{ "app", app_main },
	{ "index.cgi", index_main },
	{ "health", health_main },
};

int main(int argc, char **argv)
{
	const char *name = argc > 0 && argv[0] ? argv[0] : "";
	const char *slash = strrchr(name, '/');
	struct cgi g;
	struct cgi_tally tally;
	size_t i;

	if (slash)
		name = slash + 1;
	signal(SIGPIPE, SIG_IGN);   /* a client or app that left is an error return, not a kill */
	for (i = 0; i < sizeof applets / sizeof applets[0]; i++) {
		if (strcmp(name, applets[i].name) == 0) {
			int rc = 0;
			cgi_load(&g, applets[i].name, &tally);
			if (*g.req.method)     /* run by httpd: one access log line */
				accesslog_start(&g, g.req.remote_addr, g.req.method, g.req.request_uri,
				                g.req.query);
			if (auth_host_check(&g) == 0)   /* every applet: DNS rebinding guard */
				rc = applets[i].run(&g);
			accesslog_finish(&g);
			return rc;
		}
	}
	return tool_main(argc, argv);
}
