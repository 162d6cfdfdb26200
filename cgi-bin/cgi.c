/* cgi.c - request and config loading, response writing. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cgi.h"
#include "accesslog.h"
#include "config.h"
#include "limits.h"
#include "upstream.h"
#include "lib/decimal.h"
#include "lib/html.h"

static const char *env(const char *k)
{
	const char *v = getenv(k);
	return v ? v : "";
}

static const char *env_or_null(const char *k)
{
	const char *v = getenv(k);
	return v && *v ? v : NULL;
}

/* A request's length as httpd passed it: -1 when absent, -2 when not a
 * clean number. */
static long long number(const char *s)
{
	long long v;

	if (!s)
		return -1;
	return decimal_parse(s, strlen(s), 1000000000000000LL, &v) < 0 ? -2 : v;
}

/* REMOTE_ADDR is httpd's peer. Behind sh_login's TLS front that peer is a
 * socketpair, which has no address, and the front passes the client's
 * address in SH_LOGIN_PEER. The project's busybox puts it in REMOTE_ADDR
 * itself (httpd-peer-behind-tls-front.patch); a stock busybox leaves
 * REMOTE_ADDR empty or a name, and then it is taken here. Trust: the front
 * sets it in httpd's environment, a client cannot (headers arrive as
 * HTTP_*); on a plain front no one sets it, and an IP address in
 * REMOTE_ADDR always wins. */
static const char *client_addr(const char *remote, const char *peer)
{
	size_t i, n = strlen(remote);
	int ip = n > 0;

	for (i = 0; i < n; i++)
		if (!((remote[i] >= '0' && remote[i] <= '9') || remote[i] == '.' || remote[i] == ':' ||
		      (remote[i] >= 'a' && remote[i] <= 'f') || (remote[i] >= 'A' && remote[i] <= 'F')))
			ip = 0;
	return ip || !peer || !*peer ? remote : peer;
}

void cgi_load(struct cgi *g, const char *prog, struct cgi_tally *tally)
{
	struct cgi_request *r = &g->req;
	struct gw_config *c = &g->cfg;

	memset(g, 0, sizeof *g);
	memset(tally, 0, sizeof *tally);
	g->prog = prog;
	g->out = STDOUT_FILENO;
	g->tally = tally;
	r->method = env("REQUEST_METHOD");
	r->script_name = env("SCRIPT_NAME");
	r->path_info = env("PATH_INFO");
	r->request_uri = env("REQUEST_URI");
	r->query = env("QUERY_STRING");
	r->cookie = env_or_null("HTTP_COOKIE");
	r->host = env_or_null("HTTP_HOST");
	r->accept = env("HTTP_ACCEPT");
	r->sec_fetch_mode = env("HTTP_SEC_FETCH_MODE");
	r->remote_addr = client_addr(env("REMOTE_ADDR"), getenv("SH_LOGIN_PEER"));
	r->content_type = env_or_null("CONTENT_TYPE");
	r->transfer_encoding = env_or_null("HTTP_TRANSFER_ENCODING");
	r->upgrade = env_or_null("HTTP_UPGRADE");
	r->origin = env_or_null("HTTP_ORIGIN");
	r->sec_fetch_site = env_or_null("HTTP_SEC_FETCH_SITE");
	r->content_length = number(getenv("CONTENT_LENGTH"));
	r->declared_length = number(getenv("HTTP_CONTENT_LENGTH"));

	c->state_dir = env_or_null("SH_LOGIN_TMPDIR");
	c->html_dir = env_or_null("SH_LOGIN_HTML");
	c->cookie_name = env_or_null("SH_LOGIN_COOKIE");
	c->app_socket = env_or_null("SH_LOGIN_SOCKET");
	c->app_port = (int)config_number("SH_LOGIN_PORT");
	c->keep_prefix = strcmp(env("SH_LOGIN_KEEP_PREFIX"), "1") == 0;
	c->timeout_s = config_number("SH_LOGIN_TIMEOUT");
	c->idle_s = config_number("SH_LOGIN_SESSION_IDLE");
	c->max_s = config_number("SH_LOGIN_SESSION_MAX");
	c->hosts = env_or_null("SH_LOGIN_HOSTS");
	c->throttle_client = config_number("SH_LOGIN_THROTTLE_CLIENT");
	c->throttle_all = config_number("SH_LOGIN_THROTTLE_ALL");
	c->throttle_window_s = config_number("SH_LOGIN_THROTTLE_WINDOW");
	c->throttle_backoff_s = config_number("SH_LOGIN_THROTTLE_BACKOFF");
	if (!c->cookie_name || strlen(c->cookie_name) > COOKIE_NAME_MAX)
		c->cookie_name = "sh_login";
	c->access_log = !strcmp(env("SH_LOGIN_ACCESS_LOG"), "off") ? ACCESSLOG_OFF :
	                !strcmp(env("SH_LOGIN_ACCESS_LOG"), "stderr") ? ACCESSLOG_STDERR : ACCESSLOG_FILE;
	/* busybox has no TLS: whether the client's front is TLS is configuration
	 * (sh_login's own TLS, or a TLS proxy the user vouches for), never a
	 * request header a client could send through any front */
	c->https = !strcmp(env("HTTPS"), "on") || !strcmp(env("SH_LOGIN_PROTO"), "https");
	r->https = c->https;
	/* HSTS only with a certificate the operator gave (sh_login sets
	 * SH_LOGIN_HSTS=1 then): pinning a self-signed one would lock the user
	 * out of the site once the browser's exception is gone. */
	c->hsts = c->https && !strcmp(env("SH_LOGIN_HSTS"), "1");
}

int cgi_write(const struct cgi *g, const void *buf, size_t len)
{
	/* the client gets as long to take bytes as the app gets to send them */
	if (io_write_all(g->out, buf, len, (int)(g->cfg.timeout_s * 1000)) < 0)
		return -1;
	g->tally->bytes += (long long)len;
	return 0;
}

void cgi_status(const struct cgi *g, int code)
{
	g->tally->status = code;
}

static int cgi_puts(const struct cgi *g, const char *s) { return cgi_write(g, s, strlen(s)); }

/* Every status the gateway answers with itself (a refusal's status line
 * must never read "Unknown"). */
const char *cgi_reason(int code)
{
	switch (code) {
	case 100: return "Continue";
	case 101: return "Switching Protocols";
	case 200: return "OK";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 303: return "See Other";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 417: return "Expectation Failed";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Unknown";
	}
}

/* The relay answers on a raw connection and closes it after a gateway
 * answer: real status lines there, not CGI headers. */
static void status_line(const struct cgi *g, int code)
{
	char line[96];
	snprintf(line, sizeof line, g->http ? "HTTP/1.1 %d %s\r\nConnection: close\r\n" :
	         "Status: %d %s\r\n", code, cgi_reason(code));
	cgi_status(g, code);
	cgi_puts(g, line);
	if (g->cfg.hsts)
		cgi_puts(g, "Strict-Transport-Security: max-age=31536000\r\n");
}

/* Used when html/ is missing or unreadable: still a page, never a crash. */
static const char fallback_page[] =
	"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
	"<title>{{title}}</title><h1>{{title}}</h1><p>{{message}}</p></html>\n";

static long read_template(const struct cgi *g, const char *name, char *buf, size_t size)
{
	char path[4096];
	long n = 0;
	int fd;

	if (!g->cfg.html_dir ||
	    (size_t)snprintf(path, sizeof path, "%s/%s", g->cfg.html_dir, name) >= sizeof path)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)n < size - 1) {
		ssize_t r = read(fd, buf + n, size - 1 - (size_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	return n;
}

int cgi_page(const struct cgi *g, int code, const char *extra, const char *name,
             const char *const *keys, const char *const *vals, size_t n)
{
	static char tmpl[PAGE_MAX], page[PAGE_MAX * 2];
	char len[64];
	long plen;

	if (read_template(g, name, tmpl, sizeof tmpl) < 0)
		memcpy(tmpl, fallback_page, sizeof fallback_page);
	plen = html_render(tmpl, keys, vals, n, page, sizeof page);
	if (plen < 0)
		plen = html_render(fallback_page, keys, vals, n, page, sizeof page);
	if (plen < 0)
		plen = 0;
	status_line(g, code);
	cgi_puts(g, extra ? extra : "");
	cgi_puts(g, CGI_PAGE_HEADERS "Content-Type: text/html; charset=utf-8\r\n");
	snprintf(len, sizeof len, "Content-Length: %ld\r\n\r\n", plen);
	cgi_puts(g, len);
	if (strcmp(g->req.method, "HEAD") != 0)
		cgi_write(g, page, (size_t)plen);
	return 0;
}

int cgi_redirect(const struct cgi *g, int code, const char *location, const char *extra)
{
	status_line(g, code);
	cgi_puts(g, extra ? extra : "");
	cgi_puts(g, CGI_PAGE_HEADERS "Location: ");
	cgi_puts(g, location);
	cgi_puts(g, "\r\nContent-Length: 0\r\n\r\n");
	return code;
}

int cgi_answer(const struct cgi *g, int code, const char *extra, const char *message)
{
	char title[64];

	snprintf(title, sizeof title, "%d %s", code, cgi_reason(code));
	if (strstr(g->req.accept, "text/html")) {
		const char *keys[] = { "title", "message", "code" };
		const char *vals[] = { title, message, title };
		cgi_page(g, code, extra, "error.html", keys, vals, 3);
	} else {
		char len[64];
		status_line(g, code);
		cgi_puts(g, extra ? extra : "");
		cgi_puts(g, CGI_PAGE_HEADERS "Content-Type: text/plain; charset=utf-8\r\n");
		snprintf(len, sizeof len, "Content-Length: %zu\r\n\r\n",
		         strlen(title) + 2 + strlen(message) + 1);
		cgi_puts(g, len);
		if (strcmp(g->req.method, "HEAD") != 0) {
			cgi_puts(g, title);
			cgi_puts(g, ": ");
			cgi_puts(g, message);
			cgi_puts(g, "\n");
		}
	}
	return code;
}

void cgi_fail(const struct cgi *g, int code, const char *extra, const char *message)
{
	cgi_answer(g, code, extra, message);
	accesslog_finish(g);
	exit(0);
}

void cgi_log(const struct cgi *g, const char *fmt, ...)
{
	char line[1024];
	int n = snprintf(line, sizeof line, "sh_login: %s: ", g->prog);
	va_list ap;

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof line)
		vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}
