/* Processes: posix_spawn with argv arrays and explicit envp (STYLE.md #11). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"

extern char **environ;

char *proc_lookpath(const char *name)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? xstrdup(name) : NULL;
	if (!path)
		return NULL;
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		char *dir = n ? xstrndup(path, n) : xstrdup(".");
		char *cand = xasprintf("%s/%s", dir, name);
		free(dir);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
			return cand;
		free(cand);
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}

static void drain(int fds[2], struct buf *bufs[2])
{
	struct pollfd pfd[2];
	char tmp[16384];
	int open_n = 0;

	for (int i = 0; i < 2; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
		if (fds[i] >= 0)
			open_n++;
	}
	while (open_n > 0) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(pfd[i].fd, tmp, sizeof tmp);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_n--;
				continue;
			}
			buf_add(bufs[i], tmp, (size_t)n);
		}
	}
}

int proc_run(char *const argv[], const char *dir, char *const envp[],
             struct buf *out, struct buf *errout, struct err *e)
{
	posix_spawn_file_actions_t fa;
	int pipes[2][2] = {{-1, -1}, {-1, -1}};
	struct buf *bufs[2] = {out, errout};
	int rdfds[2] = {-1, -1};
	char *exe = NULL;
	pid_t pid;
	int status, rc = -1;

	posix_spawn_file_actions_init(&fa);
	/* like exec.Command: a name with a slash is run as is, so a missing
	 * file is a fork/exec error, not a PATH lookup failure */
	exe = strchr(argv[0], '/') ? xstrdup(argv[0]) : proc_lookpath(argv[0]);
	if (!exe) {
		err_setf(e, "exec: \"%s\": executable file not found in $PATH", argv[0]);
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		if (!bufs[i])
			continue;
		if (pipe2(pipes[i], O_CLOEXEC) < 0) {
			err_errno(e, "pipe", argv[0]);
			goto out;
		}
		posix_spawn_file_actions_adddup2(&fa, pipes[i][1], i + 1);
	}
	if (dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	errno = posix_spawn(&pid, exe, &fa, NULL, argv, envp ? envp : environ);
	if (errno != 0) {
		err_setf(e, "fork/exec %s: %s", exe, os_errstr(errno));
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		if (pipes[i][1] >= 0) {
			close(pipes[i][1]);
			pipes[i][1] = -1;
		}
		rdfds[i] = pipes[i][0];
		pipes[i][0] = -1;
	}
	drain(rdfds, bufs);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			err_errno(e, "wait", exe);
			goto out;
		}
	}
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		rc = 128 + WTERMSIG(status);
	else
		rc = 255;
out:
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++)
			if (pipes[i][j] >= 0)
				close(pipes[i][j]);
	posix_spawn_file_actions_destroy(&fa);
	free(exe);
	return rc;
}
