/* limits.h - every hard limit of sh_login in one place.
 *
 * A request that crosses one of these is refused with a status that says
 * which limit it hit; nothing is ever truncated silently. */
#ifndef SHL_LIMITS_H
#define SHL_LIMITS_H

#define LOGIN_BODY_MAX      4096   /* login form body (413 beyond) */
#define TOKEN_MAX            256   /* token length accepted by the CLI and login */
#define NEXT_MAX            2048   /* `next` target after login */
#define COOKIE_HEADER_MAX   8192   /* busybox cuts a header line at 8191 anyway */
#define HEADER_LINE_MAX     8180   /* one header line, "Name:" and value: stock busybox cuts a
                                      line at 8191 bytes and hands the CGI the cut value, so
                                      a line this long may have been cut: 431 on both paths */
#define COOKIE_NAME_MAX       64
#define SESSION_ID_LEN        64   /* hex chars: 32 random bytes, 244 bits from two v4 UUIDs */
#define REQ_HEAD_MAX       32768   /* request head rebuilt for the app (httpd's own cap) */
#define RESP_HEAD_MAX      32768   /* app response head; larger gives 502 */
#define RESP_HEADERS_MAX     128   /* header lines in one app response */
#define SHORT_BODY_MAX     65536   /* non-POST bodies httpd hands over with the head */
#define PATH_MAX_ENCODED    8192   /* request target after re-encoding */
#define IO_CHUNK           65536   /* copy buffer for streaming bodies */
#define PAGE_MAX           32768   /* rendered login / error page */
#define THROTTLE_ENTRIES_MAX 256   /* clients the login throttle remembers (with the overall count);
                                      a newcomer to a full table evicts the least recent guesser */
#define THROTTLE_WHO_MAX      47   /* a client key (lib/clientkey.h; INET6_ADDRSTRLEN - 1) */
#define THROTTLE_FILE_MAX  40960   /* STATE/throttle: 256 lines of at most 140 bytes */
#define ACCESS_PATH_MAX      512   /* path in an access log line; longer ends in "..." */
#define ACCESS_LINE_MAX     1024   /* one access log line: < PIPE_BUF, one write(2) */

#define CONNECT_TIMEOUT_MS  3000   /* app not accepting within this: 502. A dead app is
                                      refused at once; a busy one whose accept queue is
                                      full drops the SYN, retried after 1 s: room for that */
#define UPSTREAM_TIMEOUT_S   300   /* default app silence before 504 (long polls fit) */
#define SESSION_IDLE_S     86400   /* default: unused for a day, a session ends */
#define SESSION_MAX_S     604800   /* default: a session lives a week at most */
#define THROTTLE_CLIENT        5   /* default: wrong tokens per client address per window */
#define THROTTLE_ALL          20   /* default: wrong tokens from all clients per window */
#define THROTTLE_WINDOW_S     60   /* default counting window; the first lockout lasts this long */
#define THROTTLE_BACKOFF_S   900   /* default longest lockout (each one doubles up to it) */
#define THROTTLE_LOCK_WAIT_MS 5000 /* waiting for the throttle's file lock before 503 */
#define THROTTLE_SLOW_MS    1000   /* during an overall lockout: the wait before a compare of a
                                      client that guessed wrong since it began (never a refusal) */

/* the relay (own busybox with P:) */
#define RELAY_MAX_CONN        64   /* concurrent connections; more get 503 */
#define RELAY_HEAD_TIMEOUT_S  30   /* to send a whole request head */
#define RELAY_IDLE_S         120   /* a kept-alive connection waiting for its next request */
#define LOG_MAX_KIB         8192   /* default: a log file's cap before it becomes FILE.1 (logcap.c) */
#define RELAY_WS_IDLE_S     3600   /* a WebSocket with no traffic either way */
#define RELAY_WS_RECHECK_S    10   /* an open WebSocket looks its session up again this often */
#define RELAY_GRACE_S          5   /* SIGTERM: requests in flight may finish */
#define CGI_MAX_INFLIGHT      64   /* forwarding CGIs talking to the app at once; more get 503 */

/* the TLS front (sh_login start --tls) */
#define TLS_CONN_MAX         512   /* connections at once; more are closed at accept */
#define TLS_CONN_PER_CLIENT   32   /* connections at once from one client address */
#define TLS_HANDSHAKE_S       10   /* to finish the handshake and send the first request bytes */
#define TLS_DRAIN_S           30   /* to take the rest of a response once httpd is done */
#define TLS_PLAIN_WAIT_MS   2000   /* plain HTTP on the TLS port: to send its request head */
#endif
