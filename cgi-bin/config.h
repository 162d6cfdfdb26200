/* config.h - every numeric SH_LOGIN_* variable: one table {variable,
 * default, min, max}, defaults from limits.h, one parser (decimal_parse).
 *
 * 0 means "no limit" for every cap that allows it (min 0: the counts
 * SH_LOGIN_RELAY_MAX, SH_LOGIN_CGI_MAX, SH_LOGIN_THROTTLE_CLIENT,
 * SH_LOGIN_THROTTLE_ALL; SH_LOGIN_GRACE 0 is no grace: stop at once);
 * where it does not (timeouts and windows, min 1) sh_login refuses it at
 * start with a clear message (`sh_login-cgi config`, exit 100). */
#ifndef SHL_CONFIG_H
#define SHL_CONFIG_H

struct config_var { const char *name; long dflt, min, max; };

/* The variable NAME from the environment: its value, or its default when
 * unset, empty or out of the table's range (sh_login refuses those at
 * start; a hand-run httpd gets the default). NAME must be in the table. */
long config_number(const char *name);

/* `sh_login-cgi config NAME`: print NAME's value as config_number reads
 * it (for scripts/sh_login). 0, or 100 for a name not in the table. */
int config_print(const char *name);

/* `sh_login-cgi config`: check every variable of the table in the
 * environment; one line "sh_login: SH_LOGIN_X must be ... not 'V'" per bad
 * one on stderr. 0 when all are good, 100 otherwise. */
int config_check(void);

#endif
