/* cgi.h - the request as busybox httpd hands it over, the gateway's
 * configuration, and the one place that writes responses.
 *
 * Trust boundary: everything in struct cgi_request comes from the client
 * (through httpd) and is untrusted; struct gw_config comes from sh_login
 * (the environment it gave httpd, and files under SH_LOGIN_TMPDIR). */
#ifndef SHL_CGI_H
#define SHL_CGI_H
#include <stddef.h>

struct cgi_request {
	const char *method, *script_name, *path_info, *request_uri, *query;
	const char *cookie, *host, *accept, *sec_fetch_mode, *remote_addr;
	const char *content_type, *transfer_encoding, *upgrade;
	const char *origin, *sec_fetch_site;   /* login CSRF check (auth.c) */
	long long content_length;   /* CONTENT_LENGTH (httpd sets it for POST), -1 unset */
	long long declared_length;  /* HTTP_CONTENT_LENGTH as the client sent it, -1 unset, -2 bad */
	int https;                  /* = cfg.https: the cookie's Secure flag, X-Forwarded-Proto */
};

struct gw_config {
	const char *state_dir;      /* SH_LOGIN_TMPDIR: token, sessions/ */
	const char *html_dir;       /* SH_LOGIN_HTML: page templates */
	const char *cookie_name;    /* SH_LOGIN_COOKIE: unique per instance */
	const char *app_socket;     /* SH_LOGIN_SOCKET, or NULL */
	int app_port;               /* SH_LOGIN_PORT when no socket */
	int keep_prefix;            /* SH_LOGIN_KEEP_PREFIX=1: app sees /cgi-bin/app/... */
	long timeout_s;             /* SH_LOGIN_TIMEOUT: app silence before 504 */
	long idle_s, max_s;         /* SH_LOGIN_SESSION_IDLE / _MAX */
	const char *hosts;          /* SH_LOGIN_HOSTS: extra names the gateway answers to */
	long throttle_client, throttle_all;          /* SH_LOGIN_THROTTLE_CLIENT / _ALL */
	long throttle_window_s, throttle_backoff_s;  /* SH_LOGIN_THROTTLE_WINDOW / _BACKOFF */
	int access_log;             /* SH_LOGIN_ACCESS_LOG: off, file (default), stderr (file too) */
	int https;                  /* the front the client reached is TLS: HTTPS=on (httpd),
	                               or SH_LOGIN_PROTO=https (sh_login: its own TLS, or a
	                               trusted TLS proxy in front); never from a request header */
	int hsts;                   /* send Strict-Transport-Security (SH_LOGIN_HSTS=1 with TLS) */
};

/* What the access log line of one exchange reports (accesslog.h). The
 * answers below fill in the status they send and count the bytes, so the
 * line says what was answered without sniffing the output. */
struct cgi_tally {
	int on;                     /* a line is due when the exchange ends */
	long long when_s, t0_us;    /* start: wall clock (seconds), monotonic (us) */
	int when_ms;
	const char *client, *method, *path, *query;
	int status;                 /* 0: nothing answered yet */
	long long bytes;            /* head and body the gateway wrote */
	int dropped;                /* client header fields the policy dropped */
};

struct session_hold;

struct cgi {
	struct cgi_request req;
	struct gw_config cfg;
	const char *prog;           /* applet name, for log lines */
	int out;                    /* where answers go: stdout (CGI), the client socket (relay) */
	int http;                   /* relay: "HTTP/1.1 NNN" status lines and "Connection: close" */
	struct cgi_tally *tally;    /* this exchange's access log line (never NULL after cgi_load) */
	struct session_hold *hold;  /* the relay's session record kept open, or NULL */
};

#define APP_PREFIX "/cgi-bin/app"

/* Fill G from the environment httpd (or sh_login) set. TALLY is where this
 * exchange's access log line is kept (a CGI's one, or the relay's current one). */
void cgi_load(struct cgi *g, const char *prog, struct cgi_tally *tally);

/* Security headers for every page the gateway itself answers. */
#define CGI_PAGE_HEADERS \
	"Cache-Control: no-store\r\n" \
	"X-Content-Type-Options: nosniff\r\n" \
	"X-Frame-Options: DENY\r\n" \
	"Referrer-Policy: no-referrer\r\n" \
	"Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; " \
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'\r\n"

/* Write all of BUF to G's output (httpd's pipe, or the relay's client
 * socket, blocking or not: at most SH_LOGIN_TIMEOUT per step) and count it
 * in the tally. 0, or -1 when the client left. */
int cgi_write(const struct cgi *g, const void *buf, size_t len);

/* The status this exchange answered: for answers the gateway relays from
 * the app, or writes without the helpers below. */
void cgi_status(const struct cgi *g, int code);

/* "Status: CODE REASON" + EXTRA header lines (each ending CRLF, may be "")
 * + page headers + a body rendered from html/NAME with KEYS/VALS. Returns 0. */
int cgi_page(const struct cgi *g, int code, const char *extra, const char *name,
             const char *const *keys, const char *const *vals, size_t n);

/* Redirect (303 unless CODE says otherwise) to LOCATION, with EXTRA headers.
 * Returns CODE. */
int cgi_redirect(const struct cgi *g, int code, const char *location, const char *extra);

/* A refusal: a short page (HTML for browsers, one text line for everyone
 * else) that says what happened. Returns CODE; the caller decides what
 * comes next (the relay closes the connection, a CGI returns from main).
 * EXTRA as above. */
int cgi_answer(const struct cgi *g, int code, const char *extra, const char *message);

/* For one-shot CGI mains only (never the relay): cgi_answer, write the
 * access log line, exit(0). */
void cgi_fail(const struct cgi *g, int code, const char *extra, const char *message)
	__attribute__((noreturn));

/* Log one line to stderr (httpd's log): "sh_login: PROG: message". Never
 * pass a token, session id or cookie value. */
void cgi_log(const struct cgi *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *cgi_reason(int code);

#endif
