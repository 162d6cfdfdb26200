/* config.c - the configuration table (see config.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "limits.h"
#include "lib/decimal.h"

static const struct config_var vars[] = {
	{ "SH_LOGIN_PORT", 0, 0, 65535 },             /* 0: none (a unix socket) */
	{ "SH_LOGIN_TIMEOUT", UPSTREAM_TIMEOUT_S, 1, 604800 },
	{ "SH_LOGIN_SESSION_IDLE", SESSION_IDLE_S, 1, 315360000 },
	{ "SH_LOGIN_SESSION_MAX", SESSION_MAX_S, 1, 315360000 },
	{ "SH_LOGIN_THROTTLE_CLIENT", THROTTLE_CLIENT, 0, 1000000 },
	{ "SH_LOGIN_THROTTLE_ALL", THROTTLE_ALL, 0, 1000000 },
	{ "SH_LOGIN_THROTTLE_WINDOW", THROTTLE_WINDOW_S, 1, 86400 },
	{ "SH_LOGIN_THROTTLE_BACKOFF", THROTTLE_BACKOFF_S, 1, 604800 },
	{ "SH_LOGIN_RELAY_MAX", RELAY_MAX_CONN, 0, 4096 },
	{ "SH_LOGIN_CGI_MAX", CGI_MAX_INFLIGHT, 0, 4096 },
	{ "SH_LOGIN_GRACE", RELAY_GRACE_S, 0, 3600 },
	{ "SH_LOGIN_RELAY_HEAD_TIMEOUT", RELAY_HEAD_TIMEOUT_S, 1, 3600 },
	{ "SH_LOGIN_RELAY_IDLE", RELAY_IDLE_S, 1, 86400 },
	{ "SH_LOGIN_LOG_MAX", LOG_MAX_KIB, 0, 4194304 },   /* 0: no cap */
};

static const struct config_var *lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (strcmp(vars[i].name, name) == 0)
			return &vars[i];
	return NULL;
}

/* 0 with *OUT, 1 when unset or empty (the default), -1 when bad. */
static int value(const struct config_var *v, long *out)
{
	const char *s = getenv(v->name);
	long long n;

	*out = v->dflt;
	if (!s || !*s)
		return 1;
	if (decimal_parse(s, strlen(s), v->max, &n) < 0 || n < v->min)
		return -1;
	*out = (long)n;
	return 0;
}

long config_number(const char *name)
{
	const struct config_var *v = lookup(name);
	long n = 0;

	if (v)
		value(v, &n);
	return n;
}

int config_check(void)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		long n;
		if (value(&vars[i], &n) >= 0)
			continue;
		fprintf(stderr, "sh_login: %s must be a whole number from %ld to %ld%s, not '%s'\n",
		        vars[i].name, vars[i].min, vars[i].max,
		        vars[i].min == 0 && strcmp(vars[i].name, "SH_LOGIN_PORT") ?
		        (strcmp(vars[i].name, "SH_LOGIN_GRACE") ? " (0: no limit)" : " (0: none)") : "",
		        getenv(vars[i].name));
		rc = 100;
	}
	return rc;
}

int config_print(const char *name)
{
	if (!lookup(name))
		return 100;
	printf("%ld\n", config_number(name));
	return 0;
}
