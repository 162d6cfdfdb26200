/* upstream.c - connect to the app and move bytes with deadlines. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "upstream.h"

static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { fd, events, 0 };
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	return r > 0 ? 0 : -1;
}

int upstream_connect(const struct gw_config *c, int timeout_ms)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, err = 0;
	socklen_t el = sizeof err;

	memset(&ss, 0, sizeof ss);
	if (c->app_socket) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;
		if (strlen(c->app_socket) >= sizeof un->sun_path) {
			errno = ENAMETOOLONG;
			return -1;
		}
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, c->app_socket);
		sl = sizeof *un;
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		if (c->app_port <= 0 || c->app_port > 65535) {
			errno = EINVAL;
			return -1;
		}
		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)c->app_port);
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof *in;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		if (errno != EINPROGRESS && errno != EAGAIN)
			goto fail;
		if (wait_fd(fd, POLLOUT, timeout_ms) < 0)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
			goto fail;
		if (err) {
			errno = err;
			goto fail;
		}
	}
	/* The request head and its body leave in separate writes: with Nagle a
	 * small body waits for the app's delayed ACK (40 ms) before it is sent. */
	if (!c->app_socket)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	return fd;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int io_write_all(int fd, const void *buf, size_t len, int timeout_ms)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == ENOTSOCK)
			n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLOUT, timeout_ms) < 0)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t io_read(int fd, void *buf, size_t len, int timeout_ms)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);
		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		if (wait_fd(fd, POLLIN, timeout_ms) < 0)
			return -1;
	}
}

void upstream_describe(const struct gw_config *c, char *out, size_t outsz)
{
	if (c->app_socket)
		snprintf(out, outsz, "the app on socket %s", c->app_socket);
	else
		snprintf(out, outsz, "the app on port %d", c->app_port);
}

long upstream_read_head(const struct cgi *g, int up, char *buf, size_t *have,
                        struct resp_head *h, int upgrade)
{
	for (;;) {
		long r = resphead_parse(buf, *have, h);
		ssize_t n;
		if (r > 0 && h->status >= 100 && h->status < 200 && h->status != 101) {
			memmove(buf, buf + r, *have - (size_t)r);   /* 100 Continue and friends */
			*have -= (size_t)r;
			continue;
		}
		if (r > 0 && h->status == 101 && !upgrade)
			r = RESPHEAD_MALFORMED;
		if (r > 0)
			return r;
		if (r < 0)
			return UPSTREAM_BAD_HEAD;
		if (*have >= RESP_HEAD_MAX)
			return UPSTREAM_HEAD_TOO_BIG;
		n = io_read(up, buf + *have, RESP_HEAD_MAX - *have, (int)(g->cfg.timeout_s * 1000));
		if (n < 0 && errno == ETIMEDOUT)
			return UPSTREAM_SILENT;
		if (n <= 0)
			return UPSTREAM_CLOSED;
		*have += (size_t)n;
	}
}

int upstream_refuse(const struct cgi *g, int fault, int err)
{
	char who[256], msg[1024];

	upstream_describe(&g->cfg, who, sizeof who);
	switch (fault) {
	case UPSTREAM_UNREACHABLE:
		cgi_log(g, "%s: %s", who, strerror(err));
		snprintf(msg, sizeof msg, "%s is not answering (%s). Is it running?", who, strerror(err));
		break;
	case UPSTREAM_SILENT:
		snprintf(msg, sizeof msg, "%s did not answer within %ld seconds.", who, g->cfg.timeout_s);
		return cgi_answer(g, 504, NULL, msg);
	case UPSTREAM_HEAD_TOO_BIG:
		snprintf(msg, sizeof msg, "%s sent a response head over 32 KiB.", who);
		break;
	case UPSTREAM_CLOSED:
		snprintf(msg, sizeof msg, "%s closed the connection without answering.", who);
		break;
	case UPSTREAM_BAD_FRAMING:
		snprintf(msg, sizeof msg, "%s sent a Content-Length or Transfer-Encoding"
		         " the gateway cannot trust.", who);
		break;
	case UPSTREAM_HEADERS_TOO_BIG:
		snprintf(msg, sizeof msg, "%s sent headers too large to relay.", who);
		break;
	case UPSTREAM_NOT_READING:
		cgi_log(g, "%s: request not delivered whole: %s", who, strerror(err));
		snprintf(msg, sizeof msg, "The request could not be delivered to %s whole.", who);
		break;
	default:
		snprintf(msg, sizeof msg, "%s sent a response the gateway cannot relay.", who);
	}
	return cgi_answer(g, 502, NULL, msg);
}

void upstream_rewrite_ctx(const struct gw_config *c, const char *host,
                          struct app_authorities *auth, struct rewrite_ctx *rw)
{
	memset(rw, 0, sizeof *rw);
	rw->prefix = APP_PREFIX;
	rw->strip = !c->keep_prefix;
	if (!c->app_socket) {
		snprintf(auth->name[0], sizeof auth->name[0], "127.0.0.1:%d", c->app_port);
		snprintf(auth->name[1], sizeof auth->name[1], "localhost:%d", c->app_port);
		snprintf(auth->name[2], sizeof auth->name[2], "[::1]:%d", c->app_port);
		rw->app_authority[0] = auth->name[0];
		rw->app_authority[1] = auth->name[1];
		rw->app_authority[2] = auth->name[2];
	}
	rw->client_host = host;
	rw->cookie_name = c->cookie_name;
}
