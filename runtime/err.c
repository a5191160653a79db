/* The one error type, and the go command's exit semantics (base.Errorf/Fatalf). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

const char *prog_name = "gotool";

int err_setf(struct err *e, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	free(e->msg);
	e->msg = buf_detach(&b);
	return -1;
}

int err_wrapf(struct err *e, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (e->msg) {
		buf_adds(&b, ": ");
		buf_adds(&b, e->msg);
		free(e->msg);
	}
	e->msg = buf_detach(&b);
	return -1;
}

const char *os_errstr(int errnum)
{
	/* Go's syscall error strings are C's with a lower-case first letter. */
	static _Thread_local char msg[128]; /* per thread: par_for bodies report errors */

	snprintf(msg, sizeof msg, "%s", strerror(errnum));
	if (msg[0] >= 'A' && msg[0] <= 'Z' && !(msg[1] >= 'A' && msg[1] <= 'Z'))
		msg[0] = (char)(msg[0] - 'A' + 'a');
	return msg;
}

int err_errno(struct err *e, const char *op, const char *path)
{
	int saved = errno;
	return err_setf(e, "%s %s: %s", op, path, os_errstr(saved));
}

void err_clear(struct err *e)
{
	free(e->msg);
	e->msg = NULL;
}

bool err_isset(const struct err *e)
{
	return e->msg != NULL;
}

const char *err_msg(const struct err *e)
{
	return e->msg ? e->msg : "";
}

char *err_take(struct err *e)
{
	char *m = e->msg;
	e->msg = NULL;
	return m ? m : xstrdup("");
}

/* ---- exit semantics ---- */

static int exit_status;
struct atexit_hook {
	void (*fn)(void *);
	void *arg;
};
static VEC(struct atexit_hook) hooks;

void base_set_exit_status(int status)
{
	if (status > exit_status)
		exit_status = status;
}

int base_exit_status(void)
{
	return exit_status;
}

void base_errorf(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	base_set_exit_status(1);
}

void base_fatalf(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	base_exit(1);
}

void base_atexit(void (*fn)(void *), void *arg)
{
	struct atexit_hook h = {fn, arg};
	VEC_PUSH(&hooks, h);
}

void base_exit(int status)
{
	/* Hooks run last-registered first, like deferred calls. */
	while (hooks.n > 0) {
		struct atexit_hook h = hooks.v[--hooks.n];
		h.fn(h.arg);
	}
	VEC_FREE(&hooks);
	if (status < exit_status)
		status = exit_status;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: error writing standard output\n", prog_name);
		if (status == 0)
			status = 1;
	}
	exit(status);
}
