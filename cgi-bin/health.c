/* health.c - /cgi-bin/health: does the app accept a connection? No session.
 *
 * For load balancers, container health checks and monitoring that hold no
 * login. Answers: 200 "app up", 503 "app down" (text/plain, no-store), 405
 * for methods other than GET and HEAD. It tells nothing else about the app:
 * no address, port, socket path or error text, since anyone who can reach
 * the gateway can ask. The check is a connect within CONNECT_TIMEOUT_MS. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "applets.h"
#include "limits.h"
#include "upstream.h"

int health_main(struct cgi *g)
{
	char out[512];
	int fd, up, n;

	if (strcmp(g->req.method, "GET") && strcmp(g->req.method, "HEAD"))
		cgi_fail(g, 405, "Allow: GET, HEAD\r\n", "Ask for health with GET or HEAD.");
	fd = upstream_connect(&g->cfg, CONNECT_TIMEOUT_MS);
	up = fd >= 0;
	if (up)
		close(fd);
	n = snprintf(out, sizeof out,
	             "Status: %d %s\r\n" CGI_PAGE_HEADERS
	             "Content-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s",
	             up ? 200 : 503, cgi_reason(up ? 200 : 503), up ? 7 : 9,
	             strcmp(g->req.method, "HEAD") == 0 ? "" : up ? "app up\n" : "app down\n");
	cgi_status(g, up ? 200 : 503);
	if (n > 0 && (size_t)n < sizeof out)
		cgi_write(g, out, (size_t)n);
	return 0;
}
