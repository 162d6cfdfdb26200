/* handoff.c - the header of httpd's handoff message. */
#include <string.h>
#include "decimal.h"
#include "handoff.h"

long handoff_parse(const char *msg, size_t len, char *addr, size_t addrsz, long *spent_ms)
{
	static const char magic[] = HANDOFF_MAGIC;
	const char *a = msg + sizeof magic - 1, *nl, *end, *sp;
	long long ms = 0;
	size_t n;

	if (len < sizeof magic || memcmp(msg, magic, sizeof magic - 1) != 0)
		return -1;
	nl = memchr(a, '\n', len - (sizeof magic - 1));
	if (!nl || nl == a)
		return -1;
	sp = memchr(a, ' ', (size_t)(nl - a));   /* " MS", absent from older builds */
	if (sp && decimal_parse(sp + 1, (size_t)(nl - sp - 1), HANDOFF_SPENT_MAX, &ms) < 0)
		return -1;
	end = sp ? sp : nl;
	if (end == a)
		return -1;
	if (end - a == 1 && *a == '-') {
		;
	} else if (*a == '[') {                    /* [v6]:port */
		const char *line_end = end;
		a++;
		end = memchr(a, ']', (size_t)(line_end - a));
		if (!end || end + 2 > line_end || end[1] != ':')
			return -1;
	} else {                                   /* v4:port */
		while (end > a && end[-1] != ':')
			end--;
		if (end == a)
			return -1;
		end--;
	}
	n = (size_t)(end - a);
	if (n == 0 || n >= addrsz ||
	    (!(n == 1 && *a == '-') && strspn(a, "0123456789abcdefABCDEF.:") < n))
		return -1;
	memcpy(addr, a, n);
	addr[n] = '\0';
	*spent_ms = (long)ms;
	return (long)(nl + 1 - msg);
}
