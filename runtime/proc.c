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

/* ---- os/exec semantics (helper "generate") ------------------------------ */

/* find_executable is proc_go_find_executable; *stat_failed says the errno
 * is os.Stat's (Go's error text then reads "stat FILE: ..."). */
static int find_executable(const char *file, bool *stat_failed)
{
	struct stat st;

	*stat_failed = false;
	if (stat(file, &st) < 0) {
		*stat_failed = true;
		return errno;
	}
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	/* unix.Eaccess; ENOSYS/EPERM fall back to the mode bits as Go does */
	if (faccessat(AT_FDCWD, file, X_OK, AT_EACCESS) == 0)
		return 0;
	if (errno != ENOSYS && errno != EPERM)
		return errno;
	return (st.st_mode & 0111) ? 0 : EACCES;
}

int proc_go_find_executable(const char *file)
{
	bool stat_failed;

	return find_executable(file, &stat_failed);
}

/* execerrdot_off reports whether GODEBUG turns execerrdot off (the last
 * setting of the key wins, as internal/godebug parses it). */
static bool execerrdot_off(void)
{
	const char *g = getenv("GODEBUG");
	bool off = false;

	while (g && *g) {
		const char *end = strchr(g, ',');
		size_t n = end ? (size_t)(end - g) : strlen(g);
		if (n > 11 && strncmp(g, "execerrdot=", 11) == 0)
			off = n == 12 && g[11] == '0';
		g += n;
		if (*g == ',')
			g++;
	}
	return off;
}

int proc_go_lookpath(const char *name, char **path, struct err *e)
{
	struct buf q = BUF_INIT;
	const char *p = getenv("PATH");
	int rc = -1, errnum;

	*path = NULL;
	quoted_go_string(&q, name, strlen(name));
	/* validateLookPath */
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		err_setf(e, "exec: %s: executable file not found in $PATH", buf_cstr(&q));
		goto out;
	}
	if (strchr(name, '/')) {
		bool stat_failed;
		errnum = find_executable(name, &stat_failed);
		if (errnum == 0) {
			*path = xstrdup(name);
			rc = 0;
		} else if (stat_failed) {
			err_setf(e, "exec: %s: stat %s: %s", buf_cstr(&q), name, os_errstr(errnum));
		} else {
			err_setf(e, "exec: %s: %s", buf_cstr(&q), os_errstr(errnum));
		}
		goto out;
	}
	/* filepath.SplitList of "" is no element at all */
	while (p && *p) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *dir = n ? xstrndup(p, n) : xstrdup(".");
		char *cand = path_join(dir, name);
		free(dir);
		if (proc_go_find_executable(cand) == 0) {
			*path = cand;
			if (!path_is_abs(cand) && !execerrdot_off()) {
				err_setf(e, "exec: %s: cannot run executable found relative to current directory",
				         buf_cstr(&q));
				goto out;
			}
			rc = 0;
			goto out;
		}
		free(cand);
		p += n;
		if (*p == ':') {
			p++;
			if (!*p) {
				/* a trailing ':' is a last, empty element: "." */
				cand = path_join(".", name);
				if (proc_go_find_executable(cand) == 0) {
					*path = cand;
					if (!execerrdot_off()) {
						err_setf(e, "exec: %s: cannot run executable found relative to current directory",
						         buf_cstr(&q));
						goto out;
					}
					rc = 0;
					goto out;
				}
				free(cand);
			}
		}
	}
	err_setf(e, "exec: %s: executable file not found in $PATH", buf_cstr(&q));
out:
	buf_release(&q);
	return rc;
}

int proc_spawn_wait(const char *path, char *const argv[], const char *dir, char *const envp[],
                    int *wstatus, struct err *e)
{
	posix_spawn_file_actions_t fa;
	struct stat st;
	pid_t pid;
	int rc = -1, err;

	/* os.StartProcess checks the directory first for a clearer error */
	if (dir && *dir && stat(dir, &st) < 0)
		return err_errno(e, "chdir", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (dir && *dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	fflush(stdout);
	fflush(stderr);
	err = posix_spawn(&pid, path, &fa, NULL, argv, envp ? envp : environ);
	if (err != 0) {
		err_setf(e, "fork/exec %s: %s", path, os_errstr(err));
		goto out;
	}
	while (waitpid(pid, wstatus, 0) < 0) {
		if (errno != EINTR) {
			err_errno(e, "wait", path);
			goto out;
		}
	}
	rc = 0;
out:
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* Go's signal names on Linux (syscall's zerrors_linux_*.go signals table). */
static const char *const go_signals[] = {
	NULL, "hangup", "interrupt", "quit", "illegal instruction", "trace/breakpoint trap", "aborted",
	"bus error", "floating point exception", "killed", "user defined signal 1", "segmentation fault",
	"user defined signal 2", "broken pipe", "alarm clock", "terminated", "stack fault", "child exited",
	"continued", "stopped (signal)", "stopped", "stopped (tty input)", "stopped (tty output)",
	"urgent I/O condition", "CPU time limit exceeded", "file size limit exceeded",
	"virtual timer expired", "profiling timer expired", "window changed", "I/O possible",
	"power failure", "bad system call",
};

static void signal_string(struct buf *b, int sig)
{
	if (sig >= 0 && (size_t)sig < countof(go_signals) && go_signals[sig])
		buf_adds(b, go_signals[sig]);
	else
		buf_printf(b, "signal %d", sig);
}

void proc_status_string(struct buf *b, int ws)
{
	if (WIFEXITED(ws)) {
		buf_printf(b, "exit status %d", WEXITSTATUS(ws));
	} else if (WIFSIGNALED(ws)) {
		buf_adds(b, "signal: ");
		signal_string(b, WTERMSIG(ws));
	} else if (WIFSTOPPED(ws)) {
		buf_adds(b, "stop signal: ");
		signal_string(b, WSTOPSIG(ws));
	} else if (WIFCONTINUED(ws)) {
		buf_adds(b, "continued");
	}
	if (WIFSIGNALED(ws) && WCOREDUMP(ws))
		buf_adds(b, " (core dumped)");
}
