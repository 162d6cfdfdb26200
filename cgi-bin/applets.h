/* applets.h - the programs inside the one sh_login-cgi binary. Each CGI name
 * under cgi-bin/ is a link to it; main() dispatches on argv[0], as busybox
 * does, so the static build carries libc and libuuid once. */
#ifndef SHL_APPLETS_H
#define SHL_APPLETS_H
#include "cgi.h"

int login_main(struct cgi *g);
int logout_main(struct cgi *g);
int validate_main(struct cgi *g);
int app_main(struct cgi *g);
int index_main(struct cgi *g);
int health_main(struct cgi *g);

/* Shared between applets. */
int login_page(const struct cgi *g, int code, const char *message, const char *next);
int forward(struct cgi *g, const char *subpath);

/* Command-line helpers for scripts/sh_login (not CGIs). */
int tool_main(int argc, char **argv);
int relay_main(int argc, char **argv);
int create_main(int argc, char **argv);
int logcap_main(int argc, char **argv);
int tls_main(int argc, char **argv);
int tool_fatal(const char *what);   /* "unable to WHAT: errno's text", 111 */

#endif
