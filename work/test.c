/*
 * go test's actions (cmd/go/internal/test/test.go for go1.26): the test
 * binary's build and link, the "test run" that runs it, "test clean" and
 * "test print", chained so that runs start, and results print, in the
 * order the packages were named.  The scheduler in build.c runs them;
 * this file decides what each one does and prints.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "work/work_internal.h"

/* One package's test run: what it ran, and the output its print shows. */
struct work_testrun {
	struct load_pkg *p;          /* the package under test */
	bool no_test_files;
	struct work_action *link;    /* the link whose binary runs (NULL without tests) */
	struct work_action *run;     /* the run action (for clean and print) */
	struct buf out;              /* go's buf: what the print writes, and what is checked */
	bool to_stdout;              /* output is echoed as it comes */
	bool to_buf;                 /* output is kept in out */
	int64_t t0;
	bool signaled, killed;
	struct work_t2j *json;       /* -json: the converter the echoed output goes through */
};

static bool fail_fast_tripped;

void work_set_test_opts(struct work_builder *b, const struct work_test_opts *o)
{
	b->topts = o;
}

static struct work_testrun *new_run(struct load_pkg *p)
{
	struct work_testrun *tr = xcalloc(1, sizeof *tr);

	tr->p = p;
	buf_init(&tr->out);
	return tr;
}

void work_test_free(struct work_action *a)
{
	/* the run action owns its record; clean and print only point at it */
	if (a->mode == A_TESTRUN) {
		work_t2j_close(a->tr->json);
		buf_release(&a->tr->out);
		free(a->tr);
	}
	a->tr = NULL;
}

/* flags_from records that variant takes the build flags of p. */
static void flags_from(struct work_builder *b, struct load_pkg *variant, struct load_pkg *p)
{
	if (variant && variant != p)
		map_put(&b->flags_of, arena_printf(b->a, "%p", (void *)variant), p);
}

/* test_binary_name is testBinaryName: the last element of the import
 * path (the package name for command-line-arguments) plus ".test". */
static char *test_binary_name(struct work_builder *b, struct load_pkg *p)
{
	const char *elem;

	if (strcmp(p->import_path, "command-line-arguments") == 0) {
		elem = p->name;
	} else {
		elem = load_default_exec_name(b->ld, p);
	}
	return xasprintf("%s.test", elem);
}

/* add_run_chain adds run -> clean -> print for tr after deps, with go's
 * barrier between the run and its dependencies. */
static void add_run_chain(struct work_builder *b, struct work_testrun *tr, struct work_action *run,
                          struct work_action *build)
{
	struct work_action *barrier = work_new_action(b, A_BARRIER, NULL), *clean = NULL, *print;

	/* the barrier takes the run's dependencies and waits for the
	 * previous barrier, so runs start in command-line order */
	for (size_t i = 0; i < run->deps.n; i++)
		VEC_PUSH(&barrier->deps, run->deps.v[i]);
	if (b->prev_barrier)
		VEC_PUSH(&barrier->deps, b->prev_barrier);
	run->deps.n = 0;
	VEC_PUSH(&run->deps, barrier);
	b->prev_barrier = barrier;
	if (!tr->no_test_files) {
		clean = work_new_action(b, A_TESTCLEAN, tr->p);
		clean->ignore_fail = true;
		clean->tr = tr;
		clean->objdir = xstrdup(run->objdir);
		VEC_PUSH(&clean->deps, run);
	}
	print = work_new_action(b, A_TESTPRINT, tr->p);
	print->ignore_fail = true;
	print->tr = tr;
	VEC_PUSH(&print->deps, clean ? clean : run);
	if (b->prev_print)
		VEC_PUSH(&print->deps, b->prev_print);
	b->prev_print = print;
	VEC_PUSH(&b->root->deps, print);
	VEC_PUSH(&b->test_runs, run);
	VEC_PUSH(&b->test_prints, print);
	(void)build;
}

void work_test_wire(struct work_builder *b)
{
	if (!b->topts || !b->topts->bench || b->topts->c)
		return;
	/* benchmarks run one at a time: the first after every build, each
	 * later one after the previous package's print */
	for (size_t i = 0; i < b->test_runs.n; i++) {
		struct work_action *run = b->test_runs.v[i];
		if (i == 0) {
			for (size_t j = 0; j < b->test_builds.n; j++)
				VEC_PUSH(&run->deps, b->test_builds.v[j]);
		} else {
			VEC_PUSH(&run->deps, b->test_prints.v[i - 1]);
		}
	}
}

int work_add_test(struct work_builder *b, struct load_pkg *p, struct load_pkg *pmain, struct load_pkg *ptest,
                  struct load_pkg *pxtest, const char *testmain, size_t ntestmain, const char *install,
                  bool imported, struct err *e)
{
	const struct work_test_opts *o = b->topts;
	struct work_testrun *tr = new_run(p);
	struct work_action *mainb, *link, *run, *inst = NULL;
	char *name, *f;

	CHECK(o != NULL);
	if (!pmain) {
		struct work_action *build = work_build_action(b, p);
		tr->no_test_files = true;
		run = work_new_action(b, A_TESTRUN, p);
		run->objdir = work_new_objdir(b);
		run->ignore_fail = true;
		run->tr = tr;
		tr->run = run;
		VEC_PUSH(&run->deps, build);
		VEC_PUSH(&b->test_builds, build);
		add_run_chain(b, tr, run, build);
		return 0;
	}
	flags_from(b, pmain, p);
	flags_from(b, ptest, p);
	flags_from(b, pxtest, p);
	if (imported && ptest != p) {
		/* report a build error once: the test copy waits for p (#44624) */
		struct work_action *bt = work_build_action(b, ptest);
		VEC_PUSH(&bt->deps, work_build_action(b, p));
	}
	mainb = work_build_action(b, pmain);
	/* runtime's own tests need a symbolized binary */
	mainb->omit_debug = o->omit_debug && strcmp(pmain->import_path, "runtime.test") != 0;
	/* the test main lives in its objdir, so its path is trimmed as $WORK's */
	pmain->dir = arena_strdup(b->a, mainb->objdir); /* with its slash, as go's testDir */
	if (work_mkdir(b, mainb->objdir, e) < 0)
		return -1;
	if (!b->o.n) {
		f = xasprintf("%s_testmain.go", mainb->objdir);
		if (os_write_file_atomic(f, testmain, ntestmain, 0666, e) < 0) {
			free(f);
			return -1;
		}
		free(f);
	}
	link = work_link_action(b, pmain);
	link->named_exe = true; /* a cached binary is copied out to run (BuiltTarget) */
	strvec_push(&link->ldflags, "-X");
	strvec_push(&link->ldflags, "testing.testBinary=1");
	name = test_binary_name(b, p);
	free(link->target);
	link->target = xasprintf("%s%s%s", mainb->objdir, name,
	                         strcmp(b->cfg->ctx.goos, "windows") == 0 ? ".exe" : "");
	if (strcmp(b->cfg->ctx.goos, "windows") == 0) {
		static const char *const bad[] = {"install", "patch", "setup", "update"};
		for (size_t i = 0; i < countof(bad); i++)
			if (strstr(name, bad[i])) {
				free(link->target);
				link->target = xasprintf("%stest.test.exe", mainb->objdir);
				break;
			}
	}
	free(name);
	tr->link = link;
	VEC_PUSH(&b->test_builds, link);
	if (install) {
		inst = work_new_action(b, A_INSTALL, pmain);
		inst->target = xstrdup(install);
		link->install_target = xstrdup(install);
		VEC_PUSH(&inst->deps, link);
	}
	if (o->c) {
		/* -c: build (and install); the "test print (nop)" keeps the order */
		struct work_action *print = work_new_action(b, A_NOP, NULL);
		VEC_PUSH(&print->deps, inst ? inst : link);
		VEC_PUSH(&b->root->deps, print);
		buf_release(&tr->out);
		free(tr);
		return 0;
	}
	run = work_new_action(b, A_TESTRUN, p);
	run->ignore_fail = true;
	run->objdir = xstrdup(mainb->objdir);
	run->tr = tr;
	tr->run = run;
	VEC_PUSH(&run->deps, link);
	if (inst)
		VEC_PUSH(&inst->deps, run);
	add_run_chain(b, tr, run, link);
	if (inst) {
		/* the clean waits for the install: the binary must be copied
		 * out of the objdir before it goes */
		for (size_t i = 0; i < b->all.n; i++)
			if (b->all.v[i]->mode == A_TESTCLEAN && b->all.v[i]->tr == tr)
				VEC_PUSH(&b->all.v[i]->deps, inst);
	}
	return 0;
}

/* ---- running ------------------------------------------------------------ */

/* out_write sends test output where go's stdout writer for the run goes. */
static void out_write(struct work_testrun *tr, const char *data, size_t n)
{
	if (n == 0)
		return;
	if (tr->to_stdout && tr->json) {
		work_t2j_write(tr->json, data, n);
	} else if (tr->to_stdout) {
		fwrite(data, 1, n, stdout);
		fflush(stdout);
	}
	if (tr->to_buf)
		buf_add(&tr->out, data, n);
}

static void json_out(void *ctx, const char *line, size_t n)
{
	(void)ctx;
	fwrite(line, 1, n, stdout);
	fflush(stdout);
}

/* json_done is the converter's deferred Exited and Close. */
static void json_done(struct work_testrun *tr, bool failed)
{
	if (!tr->json)
		return;
	work_t2j_exited(tr->json, failed ? 1 : 0);
	work_t2j_close(tr->json);
	tr->json = NULL;
}

static void out_printf(struct work_testrun *tr, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void out_printf(struct work_testrun *tr, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&t, fmt, ap);
	va_end(ap);
	out_write(tr, t.data, t.len);
	buf_release(&t);
}

void work_test_output(struct work_builder *b, struct work_action *a, const char *data, size_t n)
{
	(void)b;
	out_write(a->tr, data, n);
}

static bool contains(const struct buf *out, const char *needle)
{
	size_t n = strlen(needle);

	/* bytes.HasPrefix(out, needle[1:]) || bytes.Contains(out, needle) */
	if (out->len >= n - 1 && memcmp(out->data, needle + 1, n - 1) == 0)
		return true;
	return memmem(out->data, out->len, needle, n) != NULL;
}

static void format_secs(char *dst, size_t cap, int64_t ns)
{
	snprintf(dst, cap, "%.3fs", (double)ns / 1e9);
}

void work_test_exited(struct work_builder *b, struct work_action *a, int status)
{
	const struct work_test_opts *o = b->topts;
	struct work_testrun *tr = a->tr;
	char t[64];
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	format_secs(t, sizeof t, work_now_ns() - tr->t0);
	if (ok) {
		const char *norun = "";
		bool had_nl = tr->out.len == 0 || tr->out.data[tr->out.len - 1] == '\n';
		size_t had = tr->out.len;
		if (contains(&tr->out, "\ntesting: warning: no tests to run\n"))
			norun = " [no tests to run]";
		if (contains(&tr->out, "\ntesting: warning: no fuzz tests to fuzz\n"))
			norun = " [no fuzz tests to fuzz]";
		if (contains(&tr->out, "\ntesting: warning: -fuzz matches more than one fuzz test, won't fuzz\n"))
			norun = "[-fuzz matches more than one fuzz test, won't fuzz]";
		if (!o->show_pass && !o->json) {
			/* a passing test shows only its ok line */
			buf_reset(&tr->out);
		}
		if (had > 0 && !had_nl)
			out_write(tr, "\n", 1);
		out_printf(tr, "ok  \t%s\t%s%s\n", tr->p->import_path, t, norun);
	} else {
		char *why;
		if (o->failfast)
			fail_fast_tripped = true;
		base_set_exit_status(1);
		if (tr->signaled) {
			struct buf d = BUF_INIT;
			go_duration_format(&d, o->kill_timeout);
			out_printf(tr, "*** Test killed with quit: ran too long (%s).\n", buf_cstr(&d));
			buf_release(&d);
		} else if (tr->killed) {
			struct buf d = BUF_INIT;
			go_duration_format(&d, o->kill_timeout);
			out_printf(tr, "*** Test killed: ran too long (%s).\n", buf_cstr(&d));
			buf_release(&d);
		}
		why = work_exit_text(status);
		/* out is go's buf: empty when streaming, so the status shows */
		if (!WIFEXITED(status) || tr->out.len == 0)
			out_printf(tr, "%s\n", why);
		else if (tr->out.data[tr->out.len - 1] != '\n')
			out_write(tr, "\n", 1);
		free(why);
		out_printf(tr, "%sFAIL\t%s\t%s\n", o->json ? "\x16" : "", tr->p->import_path, t);
	}
	if (tr->to_stdout)
		buf_reset(&tr->out); /* it went to stdout already */
	json_done(tr, !ok);
}

void work_test_deadline(struct work_builder *b, struct work_action *a)
{
	struct work_testrun *tr = a->tr;

	if (!tr || a->pid <= 0)
		return;
	if (!tr->signaled) {
		/* cmd.Cancel: SIGQUIT, so the binary dumps its goroutines */
		kill(a->pid, SIGQUIT);
		tr->signaled = true;
		a->deadline = work_now_ns() + b->topts->wait_delay;
	} else {
		/* WaitDelay passed: kill it */
		kill(a->pid, SIGKILL);
		a->deadline = 0;
	}
}

static int start_run(struct work_builder *b, struct work_action *a, struct err *e)
{
	const struct work_test_opts *o = b->topts;
	struct work_testrun *tr = a->tr;
	struct op *op;
	bool stream = o->stream, both = !stream && o->stream_and_cache;

	tr->to_stdout = stream || both;
	tr->to_buf = !stream;
	if (fail_fast_tripped)
		return 0;
	if (o->json)
		tr->json = work_t2j_new(tr->p->import_path, WORK_T2J_TIMESTAMP, json_out, NULL);
	if (a->failed) {
		/* the binary could not be built */
		if (tr->json && a->failed_by && a->failed_by->p)
			work_t2j_set_failed_build(tr->json, a->failed_by->p->for_test && a->failed_by->p->for_test[0]
			                                        ? arena_printf(b->a, "%s [%s.test]", a->failed_by->p->import_path,
			                                                       a->failed_by->p->for_test)
			                                        : a->failed_by->p->import_path);
		a->failed = false;
		out_printf(tr, "FAIL\t%s [build failed]\n", tr->p->import_path);
		base_set_exit_status(1);
		if (tr->to_stdout)
			buf_reset(&tr->out); /* TestOutput is kept only when nothing was echoed */
		json_done(tr, true);
		return 0;
	}
	if (tr->no_test_files) {
		out_printf(tr, "?   \t%s\t[no test files]\n", tr->p->import_path);
		if (tr->to_stdout)
			buf_reset(&tr->out);
		json_done(tr, false);
		return 0;
	}
	op = work_add_proc(a, tr->p->dir, "");
	op->kind = OP_TEST;
	for (size_t i = 0; o->exec && i < o->exec->n; i++)
		strvec_push(&op->argv, o->exec->v[i]);
	strvec_push(&op->argv, tr->link->built ? tr->link->built : tr->link->target);
	if (o->testlog && !(o->exec && o->exec->n))
		strvec_push_take(&op->argv, xasprintf("-test.testlogfile=%stestlog.txt", a->objdir));
	strvec_push(&op->argv, "-test.paniconexit0");
	for (size_t i = 0; o->args && i < o->args->n; i++)
		strvec_push(&op->argv, o->args->v[i]);
	if (b->o.n || b->o.x) {
		struct buf c = BUF_INIT;
		for (size_t i = 0; i < op->argv.n; i++) {
			if (i)
				buf_addch(&c, ' ');
			buf_adds(&c, op->argv.v[i]);
		}
		work_show_cmd(b, "", buf_cstr(&c));
		buf_release(&c);
		if (b->o.n) {
			json_done(tr, false);
			a->ops.n--;
			strvec_clear(&op->argv);
			strvec_clear(&op->env);
			free(op->dir);
			return 0;
		}
	}
	/* the run's objdir is the link's: it exists unless the link was cached */
	if (work_mkdir(b, a->objdir, e) < 0)
		return -1;
	tr->t0 = work_now_ns();
	if (o->kill_timeout > 0)
		a->deadline = tr->t0 + o->kill_timeout;
	return 0;
}

static int start_clean(struct work_builder *b, struct work_action *a, struct err *e)
{
	if (b->o.work)
		return 0;
	if (b->o.n || b->o.x) {
		char *c = xasprintf("rm -rf %s", a->objdir);
		work_show_cmd(b, "", c);
		free(c);
	}
	if (!b->o.n) {
		os_remove_all(a->objdir, e);
		err_clear(e);
	}
	return 0;
}

int work_test_start(struct work_builder *b, struct work_action *a, struct err *e)
{
	switch (a->mode) {
	case A_TESTRUN:
		return start_run(b, a, e);
	case A_TESTCLEAN:
		return start_clean(b, a, e);
	case A_TESTPRINT:
		if (a->tr->out.len) {
			fwrite(a->tr->out.data, 1, a->tr->out.len, stdout);
			fflush(stdout);
			buf_reset(&a->tr->out);
		}
		return 0;
	default:
		BUG("not a test action");
	}
}
