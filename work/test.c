/*
 * go test's actions (cmd/go/internal/test/test.go for go1.26): the test
 * binary's build and link, the "test run" that runs it, "test clean" and
 * "test print", chained so that runs start, and results print, in the
 * order the packages were named.  The scheduler in build.c runs them;
 * this file decides what each one does and prints.
 */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "work/cache.h"
#include "work/work_internal.h"

/* One package's test run: what it ran, and the output its print shows. */
struct work_testrun {
	struct load_pkg *p;          /* the package under test */
	bool no_test_files;
	struct work_action *link;    /* the link whose binary runs (NULL without tests) */
	struct work_action *run;     /* the run action (for clean and print) */
	struct work_action *build;   /* no test files: the package's build (its cover meta-data) */
	struct buf out;              /* go's buf: what the print writes, and what is checked */
	bool to_stdout;              /* output is echoed as it comes */
	bool to_buf;                 /* output is kept in out */
	int64_t t0;
	bool signaled, killed;
	struct work_t2j *json;       /* -json: the converter the echoed output goes through */
	/* the test result cache (go's runCache) */
	bool disable_cache;
	int nids;                    /* how many of id1, id2 are set */
	unsigned char id1[32], id2[32];
	bool hit;                    /* hit holds the cached output, "(cached)" in place of the time */
	struct buf hit_out;
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
	buf_init(&tr->hit_out);
	return tr;
}

void work_test_free(struct work_action *a)
{
	/* the run action owns its record; clean and print only point at it */
	if (a->mode == A_TESTRUN) {
		work_t2j_close(a->tr->json);
		buf_release(&a->tr->out);
		buf_release(&a->tr->hit_out);
		free(a->tr);
	}
	a->tr = NULL;
}

/* flags_from records that variant takes the build flags of p. */
static void flags_from(struct work_builder *b, struct load_pkg *variant, struct load_pkg *p)
{
	char pk[PTR_KEY_SIZE];

	if (variant && variant != p)
		map_put(&b->flags_of, arena_strdup(b->a, ptr_key(pk, variant)), p);
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

/* add_test_vet is addTestVet: p's vet before the run (and before the
 * install, which cleans the build directory). */
static void add_test_vet(struct work_builder *b, struct load_pkg *p, struct work_action *run, struct work_action *inst)
{
	struct work_action *vet;

	if (!b->topts->vetflags)
		return;
	vet = work_vet_action(b, p, b->topts->vetflags);
	VEC_PUSH(&run->deps, vet);
	if (inst)
		VEC_PUSH(&inst->deps, vet);
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
		tr->build = build;
		run = work_new_action(b, A_TESTRUN, p);
		run->objdir = work_new_objdir(b);
		run->ignore_fail = true;
		run->tr = tr;
		tr->run = run;
		VEC_PUSH(&run->deps, build);
		VEC_PUSH(&b->test_builds, build);
		add_test_vet(b, p, run, NULL);
		add_run_chain(b, tr, run, build);
		return 0;
	}
	if (o->cover_mode) {
		/* TestPackagesAndErrors with TestCover.Local: p's test copy is
		 * instrumented, the test main in "testmain" mode */
		if (ptest != p)
			work_cover_package(b, ptest, o->cover_mode, false);
		work_cover_package(b, pmain, "testmain", false);
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
		if (os_write_file_scratch(f, testmain, ntestmain, 0666, e) < 0) {
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
		if (ptest->go_files.n + ptest->cgo_files.n > 0)
			add_test_vet(b, ptest, print, inst);
		if (pxtest)
			add_test_vet(b, pxtest, print, inst);
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
	if (ptest->go_files.n + ptest->cgo_files.n > 0)
		add_test_vet(b, ptest, run, inst);
	if (pxtest)
		add_test_vet(b, pxtest, run, inst);
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

/* ---- the test result cache (test.go runCache) ---------------------------- */

static const char testlog_magic[] = "# test log\n";

static void hex32(const unsigned char s[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", s[i]);
}

/* hash_getenv is hashGetenv: whether name is set, and its value. */
static void hash_getenv(struct work_builder *b, const char *name, char out[65])
{
	struct work_hasher h;
	unsigned char sum[32];
	const char *v = getenv(name);

	work_hasher_init(&h, b, "getenv");
	work_hasher_write(&h, v ? "\1" : "\0", 1);
	if (v)
		work_hasher_write(&h, v, strlen(v));
	work_hasher_sum(&h, sum);
	hex32(sum, out);
}

/* write_stat is hashWriteStat, in gotool's own spelling (this cache is not go's). */
static void write_stat(struct work_hasher *h, const struct stat *st)
{
	work_hasher_printf(h, "stat %lld %o %lld.%09ld %s\n", (long long)st->st_size, (unsigned)st->st_mode,
	                   (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec,
	                   S_ISDIR(st->st_mode) ? "true" : "false");
}

static void hash_stat(struct work_builder *b, const char *name, char out[65])
{
	struct work_hasher h;
	unsigned char sum[32];
	struct stat st;

	work_hasher_init(&h, b, "stat");
	if (stat(name, &st) < 0)
		work_hasher_printf(&h, "err %s\n", os_errstr(errno));
	else
		write_stat(&h, &st);
	if (lstat(name, &st) < 0)
		work_hasher_printf(&h, "err %s\n", os_errstr(errno));
	else
		write_stat(&h, &st);
	work_hasher_sum(&h, sum);
	hex32(sum, out);
}

/* hash_open is hashOpen: a file's stat (a regular file changed in the last
 * two seconds makes the result uncacheable: -1), a directory's listing. */
static int hash_open(struct work_builder *b, const char *name, char out[65])
{
	struct work_hasher h;
	unsigned char sum[32];
	struct stat st;

	work_hasher_init(&h, b, "open");
	if (stat(name, &st) < 0) {
		work_hasher_printf(&h, "err %s\n", os_errstr(errno));
	} else {
		write_stat(&h, &st);
		if (S_ISDIR(st.st_mode)) {
			struct strvec names = {0};
			struct err e = ERR_INIT;
			if (os_readdir(name, &names, &e) < 0)
				work_hasher_printf(&h, "err %s\n", err_msg(&e));
			err_clear(&e);
			for (size_t i = 0; i < names.n; i++) {
				char *f = path_join(name, names.v[i]);
				struct stat fs;
				work_hasher_printf(&h, "file %s ", names.v[i]);
				if (lstat(f, &fs) < 0)
					work_hasher_printf(&h, "err %s\n", os_errstr(errno));
				else
					write_stat(&h, &fs);
				free(f);
			}
			strvec_clear(&names);
		} else if (S_ISREG(st.st_mode)) {
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			if ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec -
			        ((int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec) < 2000000000LL) {
				work_hasher_sum(&h, sum);
				return -1; /* errFileTooNew */
			}
		}
	}
	work_hasher_sum(&h, sum);
	hex32(sum, out);
	return 0;
}

static bool in_dir(const char *path, const char *root)
{
	size_t n = strlen(root);
	return root[0] && strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/' || root[n - 1] == '/');
}

/* inputs_id is computeTestInputsID over the test log. */
static int inputs_id(struct work_builder *b, struct work_testrun *tr, const char *log, size_t n,
                     unsigned char out[32])
{
	struct work_hasher h;
	const char *s = log + sizeof testlog_magic - 1, *end = log + n;
	char hx[65];
	char *pwd = xstrdup(tr->p->dir);
	const char *root = tr->p->root ? tr->p->root : "";
	int rc = 0;

	work_hasher_init(&h, b, "testInputs");
	hash_getenv(b, "GODEBUG", hx);
	work_hasher_printf(&h, "env GODEBUG %s\n", hx);
	while (s < end && rc == 0) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t ln = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char *line = xstrndup(s, ln), *sp;
		s += ln + (nl ? 1 : 0);
		if (ln == 0) {
			free(line);
			continue;
		}
		sp = strchr(line, ' ');
		if (!sp) {
			rc = -1;
		} else {
			const char *name = sp + 1;
			char *abs = NULL;
			*sp = '\0';
			if (strcmp(line, "getenv") == 0) {
				hash_getenv(b, name, hx);
				work_hasher_printf(&h, "env %s %s\n", name, hx);
			} else if (strcmp(line, "chdir") == 0) {
				free(pwd);
				pwd = xstrdup(name);
				hash_stat(b, name, hx);
				work_hasher_printf(&h, "chdir %s %s\n", name, hx);
			} else if (strcmp(line, "stat") == 0 || strcmp(line, "open") == 0) {
				abs = path_is_abs(name) ? xstrdup(name) : path_join(pwd, name);
				if (in_dir(abs, root)) {
					if (line[0] == 's') {
						hash_stat(b, abs, hx);
						work_hasher_printf(&h, "stat %s %s\n", abs, hx);
					} else if (hash_open(b, abs, hx) < 0) {
						rc = -1;
					} else {
						work_hasher_printf(&h, "open %s %s\n", abs, hx);
					}
				}
			} else {
				rc = -1;
			}
			free(abs);
		}
		free(line);
	}
	work_hasher_sum(&h, out);
	free(pwd);
	return rc;
}

static int cache_get_bytes(struct work_builder *b, const unsigned char key[32], struct buf *out)
{
	struct work_cache_entry en = {0};
	struct err e = ERR_INIT;
	int rc = -1;

	if (work_cache_get(b->cache, key, &en, &e) == 1 && os_read_file(en.path, out, 0, &e) == 0)
		rc = 0;
	err_clear(&e);
	work_cache_entry_release(&en);
	return rc;
}

/* test_expire is what gotool clean -testcache wrote, or "". */
static char *test_expire(struct work_builder *b)
{
	struct buf d = BUF_INIT;
	struct err e = ERR_INIT;
	char *f = path_join(work_cache_dir(b->cache), "testexpire.txt");

	if (os_read_file(f, &d, 0, &e) < 0)
		buf_reset(&d);
	err_clear(&e);
	free(f);
	return buf_detach(&d);
}

/* cacheable applies tryCacheWithID's early rules: package arguments, a
 * package root, only cacheable test flags, a cache. */
static bool cacheable(struct work_builder *b, struct work_testrun *tr)
{
	const struct work_test_opts *o = b->topts;

	if (!o->pkg_args || !tr->p->root || !tr->p->root[0] || !b->cache)
		tr->disable_cache = true;
	for (size_t i = 0; o->args && i < o->args->n && !tr->disable_cache; i++) {
		const char *a = o->args->v[i], *eq = strchr(a, '=');
		static const char *const ok[] = {"-test.benchtime", "-test.cpu", "-test.list", "-test.parallel",
		                                 "-test.run", "-test.short", "-test.skip", "-test.timeout",
		                                 "-test.failfast", "-test.v", "-test.fullpath",
		                                 "-test.coverprofile", "-test.outputdir"};
		bool k = false;
		if (!eq || !has_prefix(a, "-test.")) {
			tr->disable_cache = true;
			break;
		}
		for (size_t j = 0; j < countof(ok) && !k; j++)
			k = strlen(ok[j]) == (size_t)(eq - a) && strncmp(a, ok[j], (size_t)(eq - a)) == 0;
		if (!k)
			tr->disable_cache = true;
	}
	return !tr->disable_cache;
}

/* try_cache is tryCacheWithID: id is the link's action id (before the
 * link) or the binary's content id (after it). */
static bool try_cache(struct work_builder *b, struct work_action *run, const char *id)
{
	const struct work_test_opts *o = b->topts;
	struct work_testrun *tr = run->tr;
	struct strvec cargs = {0};
	struct work_hasher h;
	unsigned char tid[32], iid[32], key[32];
	struct buf log = BUF_INIT, data = BUF_INIT;
	char *q1, *q2, hx[65], *expire;
	bool ok = false;

	if (!cacheable(b, tr))
		return false;
	for (size_t i = 0; o->args && i < o->args->n; i++) {
		const char *a = o->args->v[i], *eq = strchr(a, '=');
		static const char *const keep[] = {"-test.benchtime", "-test.cpu", "-test.list", "-test.parallel",
		                                   "-test.run", "-test.short", "-test.skip", "-test.timeout",
		                                   "-test.failfast", "-test.v", "-test.fullpath"};
		bool k = false;
		for (size_t j = 0; j < countof(keep) && !k; j++)
			k = strlen(keep[j]) == (size_t)(eq - a) && strncmp(a, keep[j], (size_t)(eq - a)) == 0;
		if (k)
			strvec_push(&cargs, a);
	}
	expire = test_expire(b);
	work_hasher_init(&h, b, "testResult");
	q1 = work_quote_list(&cargs);
	q2 = work_quote_list(o->exec);
	work_hasher_printf(&h, "test binary %s args %s execcmd %s", id, q1, q2);
	if (expire[0])
		work_hasher_printf(&h, " expire %s", expire); /* clean -testcache */
	free(q1);
	free(q2);
	free(expire);
	work_hasher_sum(&h, tid);
	if (tr->nids == 0)
		memcpy(tr->id1, tid, 32);
	else
		memcpy(tr->id2, tid, 32);
	if (tr->nids < 2)
		tr->nids++;
	if (cache_get_bytes(b, tid, &log) < 0 || !has_prefix(log.data, testlog_magic) ||
	    log.data[log.len - 1] != '\n')
		goto out;
	if (inputs_id(b, tr, log.data, log.len, iid) < 0)
		goto out;
	hex32(iid, hx);
	{
		char *d = xasprintf("inputs:%s", hx);
		work_subkey(b, tid, d, key);
		free(d);
	}
	if (cache_get_bytes(b, key, &data) < 0)
		goto out;
	if (o->coverprofile) {
		/* the profile is cached beside the output (coverProfileAndInputKey
		 * without -coverpkg: no coverdeps subkey), and merged at once */
		struct buf cp = BUF_INIT;
		unsigned char ckey[32];
		work_subkey(b, key, "coverprofile", ckey);
		if (cache_get_bytes(b, ckey, &cp) < 0) {
			buf_release(&cp);
			goto out;
		}
		work_cover_merge_data(b, "cached cover profile", cp.data, cp.len);
		buf_release(&cp);
	}
	if (data.len == 0 || data.data[data.len - 1] != '\n')
		goto out;
	{
		/* the last line must be "ok  \tpkg\t<time>...": the time becomes (cached) */
		size_t i = data.len - 1, j;
		const char *tab;
		while (i > 0 && data.data[i - 1] != '\n')
			i--;
		if (strncmp(data.data + i, "ok  \t", 5) != 0)
			goto out;
		tab = memchr(data.data + i + 5, '\t', data.len - i - 5);
		if (!tab)
			goto out;
		j = (size_t)(tab - data.data) + 1;
		buf_reset(&tr->hit_out);
		buf_add(&tr->hit_out, data.data, j);
		buf_adds(&tr->hit_out, "(cached)");
		while (j < data.len && ((data.data[j] >= '0' && data.data[j] <= '9') || data.data[j] == '.' ||
		                        data.data[j] == 's'))
			j++;
		buf_add(&tr->hit_out, data.data + j, data.len - j);
		tr->hit = true;
		ok = true;
	}
out:
	strvec_clear(&cargs);
	buf_release(&log);
	buf_release(&data);
	return ok;
}

/* save_output is runCache.saveOutput: the test log under each test id,
 * the output under the (test id, inputs id) subkey. */
static void save_output(struct work_builder *b, struct work_action *run, const struct buf *out)
{
	struct work_testrun *tr = run->tr;
	struct buf log = BUF_INIT, prof = BUF_INIT;
	struct err e = ERR_INIT;
	unsigned char iid[32], key[32];
	char *f, hx[65];

	if (tr->nids == 0 || tr->disable_cache || !b->cache)
		return;
	f = xasprintf("%stestlog.txt", run->objdir);
	if (os_read_file(f, &log, 0, &e) < 0 || !has_prefix(log.data, testlog_magic) ||
	    log.data[log.len - 1] != '\n' || inputs_id(b, tr, log.data, log.len, iid) < 0)
		goto out;
	if (b->topts->coverprofile) {
		/* no profile, nothing saved */
		char *cf = xasprintf("%s_cover_.out", run->objdir);
		int r = os_read_file(cf, &prof, 0, &e);
		free(cf);
		if (r < 0)
			goto out;
	}
	hex32(iid, hx);
	for (int k = 0; k < tr->nids; k++) {
		const unsigned char *id = k == 0 ? tr->id1 : tr->id2;
		char *d = xasprintf("inputs:%s", hx);
		work_subkey(b, id, d, key);
		free(d);
		if (work_cache_put_bytes(b->cache, id, log.data, log.len, NULL, &e) < 0 ||
		    work_cache_put_bytes(b->cache, key, out->data, out->len, NULL, &e) < 0) {
			fprintf(stderr, "%s: cache: %s\n", prog_name, err_msg(&e));
			break;
		}
		if (b->topts->coverprofile) {
			unsigned char ckey[32];
			work_subkey(b, key, "coverprofile", ckey);
			if (work_cache_put_bytes(b->cache, ckey, prof.data, prof.len, NULL, &e) < 0) {
				fprintf(stderr, "%s: cache: %s\n", prog_name, err_msg(&e));
				break;
			}
		}
	}
out:
	err_clear(&e);
	free(f);
	buf_release(&log);
	buf_release(&prof);
}

/* work_test_link_cached is the link's useCache hook (testRunAction +
 * TryCache): when the link only feeds a test run whose result is cached
 * under the link's action id, nothing is linked. */
bool work_test_link_cached(struct work_builder *b, struct work_action *link)
{
	struct work_action *bar, *run = NULL;

	if (!b->topts || b->o.n || b->o.a || link->triggers.n != 1 || link->triggers.v[0]->mode != A_BARRIER)
		return false;
	bar = link->triggers.v[0];
	for (size_t i = 0; i < bar->triggers.n; i++)
		if (bar->triggers.v[i]->mode == A_TESTRUN) {
			if (run)
				return false;
			run = bar->triggers.v[i];
		}
	if (!run || !run->tr || run->tr->hit)
		return false;
	return try_cache(b, run, link->aid);
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

/* coverage_percentage is test.go's coveragePercentage: "\tcoverage: ..."
 * from the first "coverage: ...\n" line of the output, or "" (heap). */
static char *coverage_percentage(struct work_builder *b, const struct buf *out)
{
	const char *p = out->data, *end = out->data + out->len;

	if (!b->topts->cover_mode)
		return xstrdup("");
	while (p && p < end) {
		const char *m = memmem(p, (size_t)(end - p), "coverage: ", 10), *nl;
		if (!m)
			break;
		nl = memchr(m + 10, '\n', (size_t)(end - m - 10));
		if (!nl)
			break;
		return xasprintf("\tcoverage: %.*s", (int)(nl - m - 10), m + 10);
	}
	return xstrdup("");
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
	if (o->coverprofile) {
		char *f = xasprintf("%s_cover_.out", a->objdir);
		work_cover_merge_profile(b, f);
		free(f);
	}
	if (ok) {
		const char *norun = "";
		char *cov = coverage_percentage(b, &tr->out);
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
		out_printf(tr, "ok  \t%s\t%s%s%s\n", tr->p->import_path, t, cov, norun);
		free(cov);
		{
			/* a.TestOutput: buf as the run left it */
			save_output(b, a, &tr->out);
		}
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
		if (o->cover_mode && tr->build->cover_meta) {
			struct buf pct = BUF_INIT;
			int r = work_cover_no_tests(b, a, tr->build, &pct, e);
			if (r > 0 && pct.len)
				out_write(tr, pct.data, pct.len);
			buf_release(&pct);
			if (r < 0)
				return -1;
			if (r > 0) {
				if (tr->to_stdout)
					buf_reset(&tr->out);
				json_done(tr, false);
				return 0;
			}
		}
		out_printf(tr, "?   \t%s\t[no test files]\n", tr->p->import_path);
		if (tr->to_stdout)
			buf_reset(&tr->out);
		json_done(tr, false);
		return 0;
	}
	if (b->o.n)
		cacheable(b, tr);
	else if (!tr->hit) {
		/* not found under the link's action id: try the binary's content id */
		const char *bid = tr->link->buildid ? tr->link->buildid : "";
		const char *last = strrchr(bid, '/');
		try_cache(b, a, last ? last + 1 : bid);
	}
	if (tr->hit) {
		if (tr->to_stdout) {
			out_write(tr, tr->hit_out.data, tr->hit_out.len);
			buf_reset(&tr->out);
		} else {
			buf_add(&tr->out, tr->hit_out.data, tr->hit_out.len);
		}
		json_done(tr, false);
		return 0;
	}
	op = work_add_proc(a, tr->p->dir, "");
	op->kind = OP_TEST;
	for (size_t i = 0; o->exec && i < o->exec->n; i++)
		strvec_push(&op->argv, o->exec->v[i]);
	strvec_push(&op->argv, tr->link->built ? tr->link->built : tr->link->target);
	if (!tr->disable_cache && !(o->exec && o->exec->n))
		strvec_push_take(&op->argv, xasprintf("-test.testlogfile=%stestlog.txt", a->objdir));
	strvec_push(&op->argv, "-test.paniconexit0");
	if (o->cover_mode) {
		/* the binary writes its counters there; GOCOVERDIR too, for
		 * tests that build and run instrumented programs */
		char *gcd = xasprintf("%sgocoverdir", a->objdir);
		if (work_mkdir(b, gcd, e) < 0) {
			free(gcd);
			return -1;
		}
		strvec_push_take(&op->argv, xasprintf("-test.gocoverdir=%s", gcd));
		strvec_push_take(&op->env, xasprintf("GOCOVERDIR=%s", gcd));
		free(gcd);
	}
	for (size_t i = 0; o->args && i < o->args->n; i++) {
		if (o->coverprofile && has_prefix(o->args->v[i], "-test.coverprofile="))
			strvec_push_take(&op->argv, xasprintf("-test.coverprofile=%s_cover_.out", a->objdir));
		else
			strvec_push(&op->argv, o->args->v[i]);
	}
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
