/* create.c - `sh_login-cgi create FILE...`: the state files of
 * scripts/sh_login, made so that no other user can redirect them.
 *
 * Each FILE becomes a new empty file, mode 0600, by open() with
 * O_CREAT|O_EXCL|O_NOFOLLOW: an existing name, a symbolic link or a FIFO
 * someone planted is never opened, only reported (sh's `>` follows links,
 * and even under `set -C` it opens a link that leads to a FIFO or a
 * device). The script then appends to the files it made, in a directory
 * no one else can write to. All in one call: a static binary's exec is
 * cheap, an ASan build's is not.
 *
 * Exit codes: 0 every FILE made, 100 usage, 111 a FILE could not be made
 * (it exists, or a system error); the FILEs before it stay made. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "applets.h"

int create_main(int argc, char **argv)
{
	int i;

	if (argc < 3) {
		fputs("usage: sh_login-cgi create FILE...\n", stderr);
		return 100;
	}
	for (i = 2; i < argc; i++) {
		int fd = open(argv[i], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 || close(fd) < 0) {
			fprintf(stderr, "sh_login-cgi: fatal: unable to create %s: %s\n", argv[i], strerror(errno));
			return 111;
		}
	}
	return 0;
}
