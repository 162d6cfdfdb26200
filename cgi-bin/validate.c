/* validate.c - /cgi-bin/validate: 204 with a live session, 401 without.
 *
 * For nginx auth_request, Traefik ForwardAuth and Caddy forward_auth, which
 * pass the original request's Cookie header. 503 if the store is unreadable. */
#include "applets.h"
#include "auth.h"

int validate_main(struct cgi *g)
{
	static const char ok[] = "Status: 204 No Content\r\nCache-Control: no-store\r\n\r\n";
	int a = auth_session(g);

	if (a == AUTH_STORE_ERROR)
		cgi_fail(g, 503, NULL, "The session store cannot be read.");
	if (a != AUTH_OK)
		cgi_fail(g, 401, NULL, "No valid session: log in first.");
	cgi_status(g, 204);
	cgi_write(g, ok, sizeof ok - 1);
	return 0;
}
