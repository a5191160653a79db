/*
 * The action graph of a build and its execution (cmd/go/internal/work
 * action.go, exec.go, buildid.go, gc.go for go1.26): one "build" action
 * per package, a "link" action per main package that is linked, an
 * install step that moves the result to its target, and one scheduler
 * loop that runs at most -p actions at once with poll and posix_spawn.
 *
 * Action ids are hashed from the same lines go hashes, in the same order,
 * so that build ids (and with them the binaries) come out as go's.
 * GODEBUG=gocachehash=1 prints the hash inputs the way go does.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compile/compile.h"
#include "embed/embed.h"
#include "link/link.h"
#include "work/cache.h"
#include "work/work_internal.h"

extern char **environ;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* ---- printing (Shell.ShowCmd and friends) ------------------------------ */

/* replace_all returns s with every old replaced by new (heap). */
static char *replace_all(const char *s, const char *old, const char *new)
{
	struct buf b = BUF_INIT;
	size_t ol = strlen(old);
	const char *q;

	if (ol == 0)
		return xstrdup(s);
	while ((q = strstr(s, old)) != NULL) {
		buf_add(&b, s, (size_t)(q - s));
		buf_adds(&b, new);
		s = q + ol;
	}
	buf_adds(&b, s);
	return buf_detach(&b);
}

/* fmt_cmd is Shell.fmtCmd: the work directory shown as $WORK. */
static char *fmt_cmd(struct work_builder *b, const char *cmd)
{
	if (!b->workdir || has_prefix(cmd, "cat "))
		return xstrdup(cmd);
	return replace_all(cmd, b->workdir, "$WORK");
}

char *work_fmt_cmd(struct work_builder *b, const char *cmd)
{
	return fmt_cmd(b, cmd);
}

/* json_event writes one of go's build events (load.JSONPrinter) to stdout. */
static void json_event(const char *desc, const char *action, const char *output, size_t n)
{
	struct buf j = BUF_INIT;

	buf_adds(&j, "{\"ImportPath\":");
	json_quote(&j, desc ? desc : "", desc ? strlen(desc) : 0);
	buf_adds(&j, ",\"Action\":");
	json_quote(&j, action, strlen(action));
	if (n) {
		buf_adds(&j, ",\"Output\":");
		json_quote(&j, output, n);
	}
	buf_adds(&j, "}\n");
	fwrite(j.data, 1, j.len, stdout);
	fflush(stdout);
	buf_release(&j);
}

/*
 * build_print is the builder's printer (load.DefaultPrinter): text on
 * stderr, or under go test -json build-output events on stdout; an error
 * (is_err) then gets a build-fail event, and sets the exit status.
 */
static void build_print(struct work_builder *b, const char *desc, const char *text, bool is_err)
{
	size_t n = strlen(text);

	if (!b->o.json) {
		fputs(text, stderr);
		if (is_err && (n == 0 || text[n - 1] != '\n'))
			fputc('\n', stderr);
	} else if (!is_err) {
		if (n)
			json_event(desc, "build-output", text, n);
	} else {
		/* one event per line, then build-fail */
		const char *s = text;
		while (*s) {
			const char *nl = strchr(s, '\n');
			if (nl) {
				json_event(desc, "build-output", s, (size_t)(nl - s + 1));
				s = nl + 1;
			} else {
				struct buf l = BUF_INIT;
				buf_adds(&l, s);
				buf_addch(&l, '\n');
				json_event(desc, "build-output", l.data, l.len);
				buf_release(&l);
				break;
			}
		}
		json_event(desc, "build-fail", "", 0);
	}
	if (is_err)
		base_set_exit_status(1);
}

void work_print_build_error(struct work_builder *b, const char *desc, const char *text)
{
	build_print(b, desc, text, true);
}

void work_show_cmd(struct work_builder *b, const char *dir, const char *cmd)
{
	char *c = fmt_cmd(b, cmd);
	struct buf out = BUF_INIT;

	if (dir && dir[0] && strcmp(dir, "/") != 0) {
		if (!b->script_dir || strcmp(dir, b->script_dir) != 0) {
			char *cd = xasprintf("cd %s", dir), *fc = fmt_cmd(b, cd);
			buf_printf(&out, "%s\n", fc);
			free(cd);
			free(fc);
			free(b->script_dir);
			b->script_dir = xstrdup(dir);
		}
		{
			/* a token that starts with dir becomes ./... */
			size_t dl = strlen(dir);
			char *sp = xasprintf(" %s", c), *from = xasprintf(" %s", dir);
			char *to = xstrdup(dir[dl - 1] == '/' ? " ./" : " .");
			char *r = replace_all(sp, from, to);
			free(c);
			c = xstrdup(r + 1);
			free(sp);
			free(from);
			free(to);
			free(r);
		}
	}
	buf_printf(&out, "%s\n", c);
	build_print(b, b->cur_desc, buf_cstr(&out), false);
	buf_release(&out);
	free(c);
}

/* join_unambiguously quotes the arguments that need it (shell.go). */
static void join_unambiguously(struct buf *out, char *const *args, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct buf q = BUF_INIT;
		const char *s = args[i];
		if (i > 0)
			buf_addch(out, ' ');
		quoted_go_string(&q, s, strlen(s));
		if (s[0] == 0 || strpbrk(s, " ()>;") || q.len > strlen(s) + 2)
			buf_add(out, q.data, q.len);
		else
			buf_adds(out, s);
		buf_release(&q);
	}
}

void work_join_unambiguously(struct buf *out, char *const *args, size_t n)
{
	join_unambiguously(out, args, n);
}

/* ---- hashing (cache.NewHash with GODEBUG=gocachehash=1) ---------------- */

void work_hash_subkey(const unsigned char parent[32], const char *desc, unsigned char out[32])
{
	struct hash_sha256 h;

	hash_sha256_init(&h);
	hash_sha256_write(&h, "subkey:", 7);
	hash_sha256_write(&h, parent, 32);
	hash_sha256_write(&h, desc, strlen(desc));
	hash_sha256_sum(&h, out);
}


void work_hasher_init(struct work_hasher *h, struct work_builder *b, const char *name)
{
	hash_sha256_init(&h->h);
	h->name = xstrdup(name);
	h->debug = b->hashdebug;
	if (h->debug)
		fprintf(stderr, "HASH[%s]\n", name);
	hash_sha256_write(&h->h, b->salt, strlen(b->salt));
	if (h->debug) {
		struct buf q = BUF_INIT;
		quoted_go_string(&q, b->salt, strlen(b->salt));
		fprintf(stderr, "HASH[%s]: %s\n", name, buf_cstr(&q));
		buf_release(&q);
	}
}

void work_hasher_write(struct work_hasher *h, const char *s, size_t n)
{
	hash_sha256_write(&h->h, s, n);
	if (h->debug) {
		struct buf q = BUF_INIT;
		quoted_go_string(&q, s, n);
		fprintf(stderr, "HASH[%s]: %s\n", h->name, buf_cstr(&q));
		buf_release(&q);
	}
}

/* only_s reports whether fmt's conversions are all plain %s. */
static bool only_s(const char *fmt)
{
	for (const char *p = fmt; (p = strchr(p, '%')) != NULL; p += 2)
		if (p[1] != 's')
			return false;
	return true;
}

void work_hasher_printf(struct work_hasher *h, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	/* Most lines are text and %s: their pieces go to the hash as they
	 * are, without printf or a buffer (the hash sees the same bytes).
	 * A debug hasher prints each line whole, so it takes the slow way. */
	if (!h->debug && only_s(fmt)) {
		const char *p = fmt, *q, *s;

		va_start(ap, fmt);
		while ((q = strchr(p, '%')) != NULL) {
			if (q > p)
				hash_sha256_write(&h->h, p, (size_t)(q - p));
			if (!(s = va_arg(ap, const char *)))
				s = "(null)"; /* glibc's printf */
			hash_sha256_write(&h->h, s, strlen(s));
			p = q + 2;
		}
		va_end(ap);
		if (*p)
			hash_sha256_write(&h->h, p, strlen(p));
		return;
	}
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	work_hasher_write(h, b.data, b.len);
	buf_release(&b);
}

void work_hasher_sum(struct work_hasher *h, unsigned char out[32])
{
	hash_sha256_sum(&h->h, out);
	if (h->debug) {
		fprintf(stderr, "HASH[%s]: ", h->name);
		for (int i = 0; i < 32; i++)
			fprintf(stderr, "%02x", out[i]);
		fprintf(stderr, "\n");
	}
	free(h->name);
}

/* quote_list formats a []string with %q: ["a" "b"], or [] (heap). */
char *work_quote_list(const struct strvec *v)
{
	struct buf b = BUF_INIT;

	buf_addch(&b, '[');
	for (size_t i = 0; v && i < v->n; i++) {
		if (i > 0)
			buf_addch(&b, ' ');
		quoted_go_string(&b, v->v[i], strlen(v->v[i]));
	}
	buf_addch(&b, ']');
	return buf_detach(&b);
}

static char *quote_str(const char *s)
{
	struct buf b = BUF_INIT;
	quoted_go_string(&b, s, strlen(s));
	return buf_detach(&b);
}

/* file_hash is fileHash: the HashToString of the file's SHA-256. */
static int file_hash(struct work_builder *b, const char *path, char out[21], struct err *e)
{
	struct buf data = BUF_INIT;
	unsigned char sum[32];
	struct hash_sha256 h;

	if (b->cache) {
		/* the memo answers for files unchanged since they were hashed */
		if (work_cache_file_hash(b->cache, path, sum, e) < 0)
			return -1;
	} else {
		if (os_read_file(path, &data, 0, e) < 0) {
			buf_release(&data);
			return -1;
		}
		hash_sha256_init(&h);
		hash_sha256_write(&h, data.data, data.len);
		hash_sha256_sum(&h, sum);
	}
	if (b->hashdebug) {
		fprintf(stderr, "HASH %s: ", path);
		for (int i = 0; i < 32; i++)
			fprintf(stderr, "%02x", sum[i]);
		fprintf(stderr, "\n");
	}
	work_hash_to_string(sum, out);
	buf_release(&data);
	return 0;
}

/* content_id is contentID: the text after the last '/'. */
static const char *content_id(const char *id)
{
	const char *s = id ? strrchr(id, '/') : NULL;
	return s ? s + 1 : id ? id : "";
}

/* ---- tools ------------------------------------------------------------- */

/*
 * tool_memo_key: the cache key under which a tool's -V=full output is kept,
 * so a no-op build runs no tool at all.  The output depends on the binary
 * (path, device, inode, size, mtime, ctime) and on the GO* variables it
 * sees (GOEXPERIMENT, GOARCH, ...), all hashed.  No key (false) without a cache,
 * with -toolexec (a program in between may answer differently), or when the
 * binary changed too recently to trust its timestamps (git's racy rule).
 */
static bool tool_memo_key(struct work_builder *b, const char *name, unsigned char key[32])
{
	struct hash_sha256 h;
	struct stat st;
	struct timespec now;
	char *tp, *line;
	bool ok;

	if (!b->cache || b->o.toolexec.n)
		return false;
	tp = path_join(b->cfg->tc.tooldir, name);
	ok = stat(tp, &st) == 0 && clock_gettime(CLOCK_REALTIME, &now) == 0 &&
	     st.st_mtim.tv_sec + 2 < now.tv_sec && st.st_ctim.tv_sec + 2 < now.tv_sec;
	if (ok) {
		hash_sha256_init(&h);
		line = xasprintf("gotool tool -V=full 1\n%s\n%llu %llu %lld %lld.%09ld %lld.%09ld\n", tp,
		                 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
		                 (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
		                 (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
		hash_sha256_write(&h, line, strlen(line));
		free(line);
		/* the tools read only GO* variables (buildcfg: GOEXPERIMENT, GOARCH,
		 * GOAMD64, ...); the rest (_, SHLVL, ...) varies from shell to shell */
		for (size_t i = 0; i < b->env.n; i++)
			if (has_prefix(b->env.v[i], "GO") || has_prefix(b->env.v[i], "CGO_"))
				hash_sha256_write(&h, b->env.v[i], strlen(b->env.v[i]) + 1);
		hash_sha256_sum(&h, key);
	}
	free(tp);
	return ok;
}

/* tool_id runs `<tool> -V=full` (through -toolexec) as toolID does; the
 * output is memoised in the cache (tool_memo_key). */
static int tool_id(struct work_builder *b, const char *name, char **out, struct err *e)
{
	{
		/* base.Tool: a tool missing from the tool dir ends the run, status 2 */
		char *tp = path_join(b->cfg->tc.tooldir, name);
		bool ok = os_exists(tp);
		free(tp);
		if (!ok) {
			fprintf(stderr, "%s: no such tool \"%s\"\n", prog_name, name);
			base_exit(2);
		}
	}
	struct strvec argv = {0};
	struct buf so = BUF_INIT, se = BUF_INIT;
	struct strvec f = {0};
	char *line = NULL;
	unsigned char key[32];
	bool memo = tool_memo_key(b, name, key);
	int rc = -1, st;

	if (memo) {
		struct work_cache_entry en = {0};
		struct err ce = ERR_INIT;
		if (work_cache_get(b->cache, key, &en, &ce) > 0 && os_read_file(en.path, &so, 0, &ce) == 0) {
			work_cache_entry_release(&en);
			goto parse;
		}
		buf_reset(&so);
		work_cache_entry_release(&en);
		err_clear(&ce);
	}
	for (size_t i = 0; i < b->o.toolexec.n; i++)
		strvec_push(&argv, b->o.toolexec.v[i]);
	strvec_push_take(&argv, path_join(b->cfg->tc.tooldir, name));
	strvec_push(&argv, "-V=full");
	strvec_null_terminate(&argv);
	st = proc_run(argv.v, NULL, b->env.v, &so, &se, e);
	if (st != 0) {
		if (se.len)
			fwrite(se.data, 1, se.len, stderr);
		if (st > 128)
			err_setf(e, "error obtaining buildID for go tool %s: signal: %s", name, strsignal(st - 128));
		else if (st > 0)
			err_setf(e, "error obtaining buildID for go tool %s: exit status %d", name, st);
		else
			err_wrapf(e, "error obtaining buildID for go tool %s", name);
		goto out;
	}
	if (memo) {
		struct err ce = ERR_INIT;
		if (work_cache_put_bytes(b->cache, key, so.data, so.len, NULL, &ce) < 0)
			err_clear(&ce);
	}
parse:
	line = xstrdup(buf_cstr(&so));
	{
		char *p = line, *tok;
		while (*p) {
			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				p++;
			if (!*p)
				break;
			tok = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
				p++;
			strvec_push_take(&f, xstrndup(tok, (size_t)(p - tok)));
		}
	}
	if (f.n < 3 || strcmp(f.v[0], name) != 0 || strcmp(f.v[1], "version") != 0 ||
	    (strstr(f.v[2], "devel") && !has_prefix(f.v[f.n - 1], "buildID="))) {
		err_setf(e, "parsing buildID from go tool %s -V=full: unexpected output:\n\t%s", name, line);
		goto out;
	}
	if (strstr(f.v[2], "devel")) {
		*out = xstrdup(content_id(f.v[f.n - 1]));
	} else {
		/* strings.TrimSpace(line) */
		char *s = line, *end;
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
			end--;
		*out = xstrndup(s, (size_t)(end - s));
	}
	rc = 0;
out:
	strvec_clear(&argv);
	strvec_clear(&f);
	buf_release(&so);
	buf_release(&se);
	free(line);
	return rc;
}

/* ---- the graph --------------------------------------------------------- */

struct work_action *work_new_action(struct work_builder *b, enum amode mode, struct load_pkg *p)
{
	struct work_action *a = xcalloc(1, sizeof *a);

	a->mode = mode;
	a->p = p;
	a->fd = -1;
	a->pid = -1;
	buf_init(&a->out);
	VEC_PUSH(&b->all, a);
	return a;
}

char *work_new_objdir(struct work_builder *b)
{
	b->nobj++;
	return xasprintf("%s/b%03d/", b->workdir, b->nobj);
}

static struct link_pkg link_pkg_of(struct work_builder *b, const struct load_pkg *p)
{
	struct link_pkg lp = {0};

	lp.import_path = p->import_path;
	lp.dir = p->dir;
	lp.cmdline = p->cmdline_pkg || p->cmdline_files;
	lp.standard = p->standard;
	lp.modules_enabled = true;
	lp.in_main_module = p->module && p->module->main;
	(void)b;
	return lp;
}

static void copy_flags(struct strvec *dst, const struct strvec *src)
{
	for (size_t i = 0; src && i < src->n; i++)
		strvec_push(dst, src->v[i]);
}

/* build_action is CompileAction(ModeBuild, ModeBuild, p). */
struct work_action *work_build_action(struct work_builder *b, struct load_pkg *p)
{
	/* one action per package object: PGO forks share an import path */
	char pk[PTR_KEY_SIZE];
	const char *key = ptr_key(pk, p);
	struct work_action *a = map_get(&b->build_actions, key);
	struct link_pkg lp;

	if (a) {
		a->vet_only = false; /* needBuild: someone wants the archive */
		return a;
	}
	a = work_new_action(b, A_BUILD, p);
	map_put(&b->build_actions, arena_strdup(b->a, key), a);
	a->objdir = work_new_objdir(b);
	work_cover_setup(b, a);
	{
		/* test variants take the flags of the package under test */
		const struct load_pkg *fp = map_get(&b->flags_of, key);
		lp = link_pkg_of(b, fp ? fp : p);
	}
	if (b->o.gcflags)
		copy_flags(&a->gcflags, link_perpkg_flags_for(b->o.gcflags, &lp));
	if (b->o.asmflags)
		copy_flags(&a->asmflags, link_perpkg_flags_for(b->o.asmflags, &lp));
	if (b->o.ldflags)
		copy_flags(&a->ldflags, link_perpkg_flags_for(b->o.ldflags, &lp));
	if (!(p->error && p->error->is_import_cycle))
		for (size_t i = 0; i < p->internal_imports.n; i++)
			VEC_PUSH(&a->deps, work_build_action(b, p->internal_imports.v[i]));
	if (p->pgo_profile && p->pgo_profile[0]) {
		const char *pkey = arena_printf(b->a, "preprocess PGO profile %s", p->pgo_profile);
		struct work_action *pa = map_get(&b->build_actions, pkey);
		if (!pa) {
			pa = work_new_action(b, A_PGO, NULL);
			pa->pgo_input = p->pgo_profile;
			pa->objdir = work_new_objdir(b);
			pa->target = xasprintf("%spgo.preprofile", pa->objdir);
			map_put(&b->build_actions, pkey, pa);
		}
		VEC_PUSH(&a->deps, pa);
	}
	if (p->standard && (strcmp(p->import_path, "unsafe") == 0 || strcmp(p->import_path, "builtin") == 0)) {
		a->mode = A_BUILTIN;
		return a;
	}
	/* go list computes ids only: no cgo steps to run */
	if (!b->o.list && p->cgo_files.n > 0)
		work_cgo_actions(b, a);
	return a;
}

/* Adapter for link_deps_order over build actions. */
static const char *g_import_path(void *ctx, const void *node)
{
	const struct work_action *a = node;
	(void)ctx;
	return a->p ? a->p->import_path : "";
}
static bool g_linked(void *ctx, const void *node)
{
	const struct work_action *a = node;
	(void)ctx;
	return a->mode == A_BUILD && a->p;
}
static size_t g_imports(void *ctx, const void *node, const void *const **out)
{
	const struct work_action *a = node;
	(void)ctx;
	*out = (const void *const *)a->deps.v;
	return a->deps.n;
}

/* link_action is LinkAction: main's build, then the others breadth-first,
 * and a nop that makes main's compile wait for every other input. */
struct work_action *work_link_action(struct work_builder *b, struct load_pkg *p)
{
	struct work_action *a1 = work_build_action(b, p), *a, *nop;
	struct link_graph g = {g_import_path, g_linked, g_imports, NULL};
	struct link_nodes order = {0};
	const char *exe = b->exe_suffix;

	a = work_new_action(b, A_LINK, p);
	/* go run: the main package (only) is built and linked without debug info */
	if (b->o.omit_debug)
		a1->omit_debug = true;
	a->omit_debug = a1->omit_debug;
	a->objdir = xstrdup(a1->objdir);
	a->main_build = a1;
	a->target = xasprintf("%sexe/%s%s", a->objdir, b->o.exe_name ? b->o.exe_name : "a.out", exe);
	link_deps_order(&g, a1, &order);
	for (size_t i = 0; i < order.n; i++)
		VEC_PUSH(&a->deps, (struct work_action *)order.v[i]);
	VEC_FREE(&order);
	nop = work_new_action(b, A_NOP, NULL);
	for (size_t i = 1; i < a->deps.n; i++)
		VEC_PUSH(&nop->deps, a->deps.v[i]);
	VEC_PUSH(&a1->deps, nop);
	copy_flags(&a->ldflags, &a1->ldflags);
	return a;
}

/* ---- build info (load.setBuildInfo) ----------------------------------- */

static const char *module_version(const struct load_module *m)
{
	return m->version && m->version[0] ? m->version : "(devel)";
}

static struct link_module *debug_mod(struct arena *ar, const struct load_module *m)
{
	struct link_module *dm = arena_new(ar, struct link_module);

	dm->path = m->path;
	dm->version = module_version(m);
	dm->sum = "";
	if (m->replace) {
		struct link_module *r = arena_new(ar, struct link_module);
		r->path = m->replace->path;
		r->version = module_version(m->replace);
		r->sum = "";
		dm->replace = r;
		if (m->replace->version && m->replace->version[0] && m->replace->sum)
			r->sum = m->replace->sum;
	} else if (m->version && m->version[0] && m->sum) {
		/* modfetch.Sum: the download's .ziphash (modgraph.c fills it) */
		dm->sum = m->sum;
	}
	return dm;
}

static int set_build_info(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;
	char pk[PTR_KEY_SIZE];
	/* a test main copies the build info of a main package under test
	 * when their DefaultGODEBUG agree (load.TestPackagesFor) */
	const struct load_pkg *under = map_get(&b->flags_of, ptr_key(pk, p));
	if (under && strcmp(under->name, "main") == 0 &&
	    strcmp(under->default_godebug ? under->default_godebug : "", p->default_godebug ? p->default_godebug : "") == 0)
		p = (struct load_pkg *)under;
	struct arena *ar = b->a;
	struct link_buildinfo bi;
	struct link_settings_in in = {0};
	struct map seen, mods;
	VEC(struct load_pkg *) q = {0};
	VEC(const struct link_module *) deps = {0};
	struct buf text = BUF_INIT;
	struct mod_vcs_stamp vcs = {0};
	const char *main_path = p->module ? p->module->path : NULL;
	int rc = -1;

	map_init(&seen);
	map_init(&mods);
	link_buildinfo_init(&bi);
	bi.path = p->cmdline_files ? "command-line-arguments" : p->import_path;
	if (p->module) {
		bi.main.path = p->module->path;
		bi.main.version = module_version(p->module);
		bi.main.sum = "";
	}
	for (size_t i = 0; i < p->internal_imports.n; i++)
		VEC_PUSH(&q, p->internal_imports.v[i]);
	for (size_t i = 0; i < q.n; i++) {
		struct load_pkg *p1 = q.v[i];
		if (map_has(&seen, p1->import_path))
			continue;
		map_put(&seen, p1->import_path, p1);
		if (p1->module && (!main_path || strcmp(p1->module->path, main_path) != 0)) {
			char *key = arena_printf(ar, "%s@%s", p1->module->path, p1->module->version);
			if (!map_has(&mods, key)) {
				struct link_module *dm = debug_mod(ar, p1->module);
				map_put(&mods, key, dm);
				VEC_PUSH(&deps, dm);
			}
		}
		for (size_t j = 0; j < p1->internal_imports.n; j++)
			VEC_PUSH(&q, p1->internal_imports.v[j]);
	}
	link_modules_sort(deps.v, deps.n);
	bi.deps = deps.v;
	bi.ndeps = deps.n;

	in.trimpath = b->o.trimpath;
	in.cover = b->o.cover;
	in.race = b->o.instrument && strcmp(b->o.instrument, "race") == 0;
	in.msan = b->o.instrument && strcmp(b->o.instrument, "msan") == 0;
	in.asan = b->o.instrument && strcmp(b->o.instrument, "asan") == 0;
	in.asmflags_present = b->o.asmflags && b->o.asmflags->present;
	in.asmflags = b->o.asmflags ? link_perpkg_flags_raw(b->o.asmflags) : "";
	in.buildmode = b->o.buildmode;
	in.is_main = strcmp(p->name, "main") == 0;
	in.compiler = "gc";
	in.gcflags = b->o.gcflags ? link_perpkg_flags_raw(b->o.gcflags) : "";
	in.ldflags = b->o.ldflags ? link_perpkg_flags_raw(b->o.ldflags) : "";
	in.tags = b->cfg->ctx.build_tags.v;
	in.ntags = b->cfg->ctx.build_tags.n;
	in.default_godebug = p->default_godebug;
	in.cgo_enabled = b->cfg->ctx.cgo_enabled;
	in.cgo_cflags = cfg_getenv(b->cfg, "CGO_CFLAGS");
	in.cgo_cppflags = cfg_getenv(b->cfg, "CGO_CPPFLAGS");
	in.cgo_cxxflags = cfg_getenv(b->cfg, "CGO_CXXFLAGS");
	in.cgo_ldflags = cfg_getenv(b->cfg, "CGO_LDFLAGS");
	in.goarch = b->cfg->ctx.goarch;
	in.goos = b->cfg->ctx.goos;
	in.goexperiment = b->cfg->goexperiment;
	in.gofips140 = NULL;
	in.arch_var = b->cfg->ctx.goarch_var;
	in.arch_val = b->cfg->ctx.goarch_val;

	if (p->module && (!p->module->version || !p->module->version[0]) && !p->standard) {
		const char *mode = b->o.buildvcs && b->o.buildvcs[0] ? b->o.buildvcs : "auto";
		/* go test loads packages without AutoVCS: "auto" stamps nothing */
		if (b->topts && strcmp(mode, "auto") == 0)
			mode = "false";
		const char *proxy = cfg_getenv(b->cfg, "GOPROXY");
		if (mod_vcs_stamp_proxy(ar, mode, b->o.cwd, p->dir, p->module->path, p->module->dir,
		                        b->cfg->gomodcache, proxy, &vcs, e) < 0)
			goto out;
		if (vcs.vcs) {
			in.vcs = vcs.vcs;
			in.vcs_revision = vcs.revision;
			in.vcs_time = vcs.time;
			in.vcs_modified = vcs.modified;
			if (vcs.version)
				bi.main.version = vcs.version;
		}
	}
	if (p->pgo_profile && p->pgo_profile[0])
		in.pgo_path = p->pgo_profile;
	link_buildinfo_settings(&bi, &in);
	link_buildinfo_text(&text, &bi);
	a->modinfo = buf_detach(&text);
	rc = 0;
out:
	link_buildinfo_release(&bi);
	map_release(&seen);
	map_release(&mods);
	VEC_FREE(&q);
	VEC_FREE(&deps);
	buf_release(&text);
	return rc;
}

/* ---- ops --------------------------------------------------------------- */

struct op *work_add_proc(struct work_action *a, const char *dir, const char *desc)
{
	struct op op = {0};

	op.kind = OP_PROC;
	op.dir = xstrdup(dir ? dir : "");
	op.desc = desc;
	VEC_PUSH(&a->ops, op);
	return &a->ops.v[a->ops.n - 1];
}

void work_add_func(struct work_action *a, int (*fn)(struct work_builder *, struct work_action *, struct err *))
{
	struct op op = {0};

	op.kind = OP_FUNC;
	op.fn = fn;
	VEC_PUSH(&a->ops, op);
}

static void free_ops(struct work_action *a)
{
	for (size_t i = 0; i < a->ops.n; i++) {
		strvec_clear(&a->ops.v[i].argv);
		strvec_clear(&a->ops.v[i].env);
		free(a->ops.v[i].dir);
	}
	VEC_FREE(&a->ops);
}

/* Values in b->mkdirs: the directory exists, or it was only announced
 * (shown under -x) by work_mkdir_announce and is made on first use. */
#define MKDIR_MADE ((void *)1)
#define MKDIR_ANNOUNCED ((void *)2)

static int mkdir_now(const char *dir, struct err *e)
{
	/* os.MkdirAll("f/") over a file f: its stat fails, the mkdir says
	 * EEXIST, and that is what go reports */
	size_t n = strlen(dir);
	struct stat st;
	char *d = xstrndup(dir, n > 1 && dir[n - 1] == '/' ? n - 1 : n);
	bool over_file = n > 1 && dir[n - 1] == '/' && stat(d, &st) == 0 && !S_ISDIR(st.st_mode);

	free(d);
	if (over_file) {
		errno = EEXIST;
		return err_errno(e, "mkdir", dir);
	}
	return os_mkdir_all(dir, 0777, e);
}

static int mkdir_show(struct work_builder *b, const char *dir, void *how, struct err *e)
{
	if (has_prefix(dir, b->workdir) && work_ensure_workdir(b, e) < 0)
		return -1;
	map_put(&b->mkdirs, arena_strdup(b->a, dir), how);
	if (b->o.n || b->o.x) {
		char *c = xasprintf("mkdir -p %s", dir);
		work_show_cmd(b, "", c);
		free(c);
	}
	return 0;
}

int work_mkdir(struct work_builder *b, const char *dir, struct err *e)
{
	void *how = map_get(&b->mkdirs, dir);

	if (how == MKDIR_MADE)
		return 0;
	if (how == MKDIR_ANNOUNCED) {
		map_put(&b->mkdirs, dir, MKDIR_MADE);
		return mkdir_now(dir, e);
	}
	if (mkdir_show(b, dir, MKDIR_MADE, e) < 0)
		return -1;
	return b->o.n ? 0 : mkdir_now(dir, e);
}

/*
 * work_mkdir_announce is work_mkdir for a directory that may stay empty,
 * as the objdir of a package whose build is a cache hit: go makes it and
 * shows the mkdir; gotool shows it and makes it only when something is
 * about to be written there (the next work_mkdir of the same directory).
 * A temporary $WORK subdirectory left empty is not observable, except
 * under -work, where it is made at once.
 */
int work_mkdir_announce(struct work_builder *b, const char *dir, struct err *e)
{
	if (b->o.work || !has_prefix(dir, b->workdir) || map_get(&b->mkdirs, dir))
		return work_mkdir(b, dir, e);
	return mkdir_show(b, dir, MKDIR_ANNOUNCED, e);
}

/* write_file is Shell.writeFile: shown as echo/cat under -n/-x. */
static int write_file(struct work_builder *b, const char *file, const char *text, size_t n, struct err *e)
{
	if (b->o.n || b->o.x) {
		char *c;
		const char *nl = memchr(text, '\n', n);
		if (n == 0)
			c = xasprintf("echo -n > %s # internal", file);
		else if (nl == text + n - 1)
			c = xasprintf("echo '%.*s' > %s # internal", (int)(n - 1), text, file);
		else
			c = xasprintf("cat >%s << 'EOF' # internal\n%.*sEOF", file, (int)n, text);
		work_show_cmd(b, "", c);
		free(c);
	}
	if (b->o.n)
		return 0;
	/* go's Builder.writeFile is os.WriteFile: no fsync for $WORK's files */
	if (has_prefix(file, b->workdir))
		return os_write_file_scratch(file, text, n, 0666, e);
	return os_write_file_atomic(file, text, n, 0666, e);
}

/* pkg_desc is Package.Desc: "p [q.test]" for test copies, "p [main]" for PGO forks. */
static const char *pkg_desc(struct work_builder *b, const struct load_pkg *p)
{
	if (p->for_test && p->for_test[0])
		return arena_printf(b->a, "%s [%s.test]", p->import_path, p->for_test);
	if (p->for_main && p->for_main[0])
		return arena_printf(b->a, "%s [%s]", p->import_path, p->for_main);
	return p->import_path;
}

/* ---- the cache ---------------------------------------------------------- */

/*
 * cache_lookup looks the action's output up (useCache): on a hit a->built
 * is the cached file and a->buildid its build id.  -a skips lookups (the
 * outputs are still stored), as in go.  need_id: the output must carry a
 * readable build id (package archives; go's rule for a hit).
 */
static bool cache_lookup(struct work_builder *b, struct work_action *a, bool need_id)
{
	struct work_cache_entry en = {0};
	struct err e = ERR_INIT;
	char *id = NULL;
	int rc;

	if (!b->cache || b->o.a || b->o.n)
		return false;
	rc = work_cache_get(b->cache, a->aid_sum, &en, &e);
	if (rc <= 0) {
		err_clear(&e);
		return false;
	}
	if (need_id) {
		if (en.buildid) {
			id = en.buildid;
			en.buildid = NULL;
		} else if (work_buildid_read(en.path, &id, &e) < 0) {
			err_clear(&e);
			work_cache_entry_release(&en);
			return false;
		} else {
			work_cache_note_buildid(b->cache, en.output_id, id);
		}
		free(a->buildid);
		a->buildid = id;
	}
	free(a->built);
	a->built = en.path;
	en.path = NULL;
	a->cached = true;
	work_cache_entry_release(&en);
	return true;
}

/* cache_store records file as the action's output (a failure to store is
 * not a build failure: the output is there, only the next build pays).
 * id, when not NULL, is the build id just written into file. */
static void cache_store(struct work_builder *b, struct work_action *a, const char *file, const char *id)
{
	struct work_cache_entry en = {0};
	struct err e = ERR_INIT;

	if (!b->cache || b->o.n)
		return;
	if (work_cache_put_file(b->cache, a->aid_sum, file, &en, &e) < 0) {
		fprintf(stderr, "%s: cache: %s\n", prog_name, err_msg(&e));
		err_clear(&e);
		return;
	}
	if (id)
		work_cache_note_buildid(b->cache, en.output_id, id);
	if (b->o.x) {
		char *c = xasprintf("cp %s %s # internal", file, en.path);
		work_show_cmd(b, "", c);
		free(c);
	}
	work_cache_entry_release(&en);
}

/* ---- the build action -------------------------------------------------- */

static struct compile_pkg compile_pkg_of(struct work_builder *b, struct work_action *a)
{
	struct load_pkg *p = a->p;
	struct compile_pkg cp = {0};

	cp.import_path = p->import_path;
	cp.orig_import_path = p->import_path;
	{
		/* a test main and the external test keep the tested package's
		 * OrigImportPath (their -trimpath rewrite names it) */
		char pk[PTR_KEY_SIZE];
		const struct load_pkg *under = map_get(&b->flags_of, ptr_key(pk, p));
		if (under)
			cp.orig_import_path = under->import_path;
	}
	cp.name = p->name;
	cp.dir = p->dir;
	if (p->module) {
		cp.mod_path = p->module->path;
		cp.mod_version = p->module->version ? p->module->version : "";
		cp.mod_go = p->module->go_version ? p->module->go_version : "";
	}
	cp.standard = p->standard;
	cp.force_library = p->force_library;
	cp.omit_debug = a->omit_debug;
	cp.n_nongo = p->cgo_files.n + p->c_files.n + p->cxx_files.n + p->m_files.n + p->f_files.n +
	             p->s_files.n + p->syso_files.n + p->swig_files.n + p->swigcxx_files.n;
	cp.gcflags = &a->gcflags;
	cp.asmflags = &a->asmflags;
	cp.objdir = a->objdir;
	cp.buildid = a->buildid;
	cp.pgoprofile = "";
	for (size_t i = 0; i < a->deps.n; i++)
		if (a->deps.v[i]->mode == A_PGO)
			cp.pgoprofile = a->deps.v[i]->target;
	cp.symabis = p->s_files.n > 0;
	cp.embedcfg = p->embed_files.n > 0 || p->embed_patterns.n > 0;
	cp.asmhdr = p->s_files.n > 0;
	return cp;
}

/* build_action_id is buildActionID for the gc toolchain. */
static int build_action_id(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;
	struct work_hasher h;
	unsigned char sum[32];
	char *name = xasprintf("build %s", p->import_path), *q;
	const struct load_strs *lists[] = {
		&p->go_files, &p->cgo_files, &p->c_files, &p->cxx_files, &p->f_files, &p->m_files,
		&p->h_files, &p->s_files, &p->syso_files, &p->swig_files, &p->swigcxx_files, &p->embed_files,
	};

	work_hasher_init(&h, b, name);
	free(name);
	work_hasher_printf(&h, "compile\n");
	if (b->o.trimpath) {
		if (p->module)
			work_hasher_printf(&h, "module %s@%s\n", p->module->path, p->module->version ? p->module->version : "");
	} else if (p->goroot) {
	} else if (!has_prefix(p->dir, b->workdir)) {
		work_hasher_printf(&h, "dir %s\n", p->dir);
	}
	if (p->module)
		work_hasher_printf(&h, "go %s\n", p->module->go_version ? p->module->go_version : "");
	work_hasher_printf(&h, "goos %s goarch %s\n", b->cfg->ctx.goos, b->cfg->ctx.goarch);
	q = quote_str(p->import_path);
	work_hasher_printf(&h, "import %s\n", q);
	free(q);
	work_hasher_printf(&h, "omitdebug %s standard %s local %s prefix \"\"\n", a->omit_debug ? "true" : "false",
	              p->standard ? "true" : "false", p->local ? "true" : "false");
	if (b->o.trimpath)
		work_hasher_printf(&h, "trimpath\n");
	if (p->force_library)
		work_hasher_printf(&h, "forcelibrary\n");
	if (p->cgo_files.n + p->swig_files.n + p->swigcxx_files.n > 0 && work_cgo_hash(b, a, &h, e) < 0) {
		work_hasher_sum(&h, sum);
		return -1;
	}
	if (work_cover_hash(b, a, &h, e) < 0) {
		work_hasher_sum(&h, sum);
		return -1;
	}
	if (a->modinfo) {
		q = quote_str(a->modinfo);
		work_hasher_printf(&h, "modinfo %s\n", q);
		free(q);
	}
	{
		char *f1 = work_quote_list(&b->forced_gcflags), *f2 = work_quote_list(&a->gcflags);
		work_hasher_printf(&h, "compile %s %s %s\n", b->tool_compile, f1, f2);
		free(f1);
		free(f2);
	}
	if (p->s_files.n > 0) {
		char *t = quote_str(b->tool_asm), *f1 = work_quote_list(&b->forced_asmflags), *f2 = work_quote_list(&a->asmflags);
		work_hasher_printf(&h, "asm %s %s %s\n", t, f1, f2);
		free(t);
		free(f1);
		free(f2);
	}
	work_hasher_printf(&h, "%s=%s\n", b->cfg->ctx.goarch_var ? b->cfg->ctx.goarch_var : "",
	              b->cfg->ctx.goarch_val ? b->cfg->ctx.goarch_val : "");
	if (b->o.clean_goexperiment && b->o.clean_goexperiment[0]) {
		q = quote_str(b->o.clean_goexperiment);
		work_hasher_printf(&h, "GOEXPERIMENT=%s\n", q);
		free(q);
	}
	{
		static const char *const magic[] = {"GOCLOBBERDEADHASH", "GOSSAFUNC", "GOSSADIR", "GOCOMPILEDEBUG"};
		for (size_t i = 0; i < countof(magic); i++) {
			const char *x = getenv(magic[i]);
			if (x && x[0])
				work_hasher_printf(&h, "magic %s=%s\n", magic[i], x);
		}
	}
	for (size_t l = 0; l < countof(lists); l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			char fh[21], *path = path_join(p->dir, lists[l]->v[i]);
			int rc = file_hash(b, path, fh, e);
			free(path);
			if (rc < 0 && b->o.n) {
				/* go -n: a file not written (the test main) hashes as "" */
				err_clear(e);
				fh[0] = '\0';
			} else if (rc < 0) {
				work_hasher_sum(&h, sum);
				return -1;
			}
			work_hasher_printf(&h, "file %s %s\n", lists[l]->v[i], fh);
		}
	}
	for (size_t i = 0; i < a->deps.n; i++) {
		struct work_action *d = a->deps.v[i];
		if (d->mode == A_CGOCOLLECT)
			continue; /* go hashes the check-cache action's deps: the imports */
		if (d->p)
			work_hasher_printf(&h, "import %s %s\n", d->p->import_path, content_id(d->buildid));
		if (d->mode == A_PGO) {
			char fh[21];
			if (file_hash(b, d->built ? d->built : d->target, fh, e) < 0) {
				if (!b->o.n) {
					work_hasher_sum(&h, sum);
					return -1;
				}
				err_clear(e);
				fh[0] = 0;
			}
			work_hasher_printf(&h, "pgofile %s\n", fh);
		}
	}
	work_hasher_sum(&h, sum);
	memcpy(a->aid_sum, sum, 32);
	work_hash_to_string(sum, a->aid);
	return 0;
}

static int op_prepare_asm(struct work_builder *b, struct work_action *a, struct err *e)
{
	char *f = xasprintf("%sgo_asm.h", a->objdir);
	int rc = write_file(b, f, "", 0, e);
	free(f);
	return rc;
}

static int op_write_cfgs(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;
	struct buf cfg = BUF_INIT;
	char *f;
	int rc;

	buf_adds(&cfg, "# import config\n");
	for (size_t i = 0; i < p->raw_imports.n && i < p->imports.n; i++)
		if (strcmp(p->raw_imports.v[i], p->imports.v[i]) != 0)
			buf_printf(&cfg, "importmap %s=%s\n", p->raw_imports.v[i], p->imports.v[i]);
	for (size_t i = 0; i < a->deps.n; i++) {
		struct work_action *d = a->deps.v[i];
		if (!d->p || !d->built || d->mode == A_CGOCOLLECT)
			continue;
		buf_printf(&cfg, "packagefile %s=%s\n", d->p->import_path, d->built);
	}
	f = xasprintf("%simportcfg", a->objdir);
	rc = write_file(b, f, cfg.data, cfg.len, e);
	free(f);
	buf_release(&cfg);
	if (rc < 0)
		return -1;
	if (p->embed_patterns.n > 0) {
		struct embed_result r;
		struct arena ea;
		size_t bad = 0;
		arena_init(&ea);
		rc = embed_resolve(&ea, p->dir, p->mod_root, p->embed_patterns.v, p->embed_patterns.n, &r, &bad, e);
		if (rc == 0) {
			embed_cfg_json(&cfg, p->dir, &r);
			f = xasprintf("%sembedcfg", a->objdir);
			rc = write_file(b, f, cfg.data, cfg.len, e);
			free(f);
		}
		arena_release(&ea);
		buf_release(&cfg);
	}
	return rc;
}

static int op_headers(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;

	for (size_t i = 0; i < p->h_files.n; i++) {
		char *targ = compile_header_copy(b->cfg->ctx.goos, b->cfg->ctx.goarch, p->h_files.v[i]);
		char *src, *dst;
		struct buf data = BUF_INIT;
		int rc = 0;
		if (!targ)
			continue;
		src = path_join(p->dir, p->h_files.v[i]);
		dst = xasprintf("%s%s", a->objdir, targ);
		if (b->o.n || b->o.x) {
			char *c = xasprintf("cp %s %s", src, dst);
			work_show_cmd(b, "", c);
			free(c);
		}
		if (!b->o.n) {
			rc = os_read_file(src, &data, 0, e);
			if (rc == 0)
				rc = os_write_file_atomic(dst, data.data, data.len, 0666, e);
		}
		buf_release(&data);
		free(src);
		free(dst);
		free(targ);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int op_pack_buildid(struct work_builder *b, struct work_action *a, struct err *e)
{
	char *archive = xasprintf("%s_pkg_.a", a->objdir);
	bool id_written = false;
	int rc = -1;

	for (size_t i = 0; i < a->p->syso_files.n; i++)
		strvec_push_take(&a->objects, path_join(a->p->dir, a->p->syso_files.v[i]));
	if (a->objects.n > 0) {
		if (b->o.n || b->o.x) {
			struct buf c = BUF_INIT;
			struct strvec cl = {0};
			strvec_push(&cl, "go");
			strvec_push(&cl, "tool");
			strvec_push(&cl, "pack");
			strvec_push(&cl, "r");
			strvec_push(&cl, archive);
			for (size_t i = 0; i < a->objects.n; i++)
				strvec_push(&cl, a->objects.v[i]);
			join_unambiguously(&c, cl.v, cl.n);
			buf_adds(&c, " # internal");
			work_show_cmd(b, a->p->dir, buf_cstr(&c));
			buf_release(&c);
			strvec_clear(&cl);
		}
		if (!b->o.n && compile_pack_append(archive, (const char *const *)a->objects.v, a->objects.n, e) < 0)
			goto out;
	}
	if (b->o.n || b->o.x) {
		char *c = xasprintf("go tool buildid -w %s # internal", archive);
		work_show_cmd(b, "", c);
		free(c);
	}
	if (!b->o.n) {
		char *newid = NULL;
		if (work_buildid_update(archive, a->buildid, &newid, e) < 0)
			goto out;
		if (newid) {
			free(a->buildid);
			a->buildid = newid;
			id_written = true;
		}
	}
	a->built = archive;
	archive = NULL;
	cache_store(b, a, a->built, id_written ? a->buildid : NULL);
	rc = 0;
out:
	free(archive);
	return rc;
}

/* op_banner prints what the build prints first (-n banner, -v name) when
 * a cover step came before it. */
static int op_banner(struct work_builder *b, struct work_action *a, struct err *e)
{
	(void)e;
	if (b->o.n)
		fprintf(stderr, "\n#\n# %s\n#\n\n", a->p->import_path);
	if (b->o.v)
		fprintf(stderr, "%s\n", a->p->import_path);
	return 0;
}

/* start_build computes the action id and lays out the steps of a
 * package build (exec.go build for the gc toolchain, no cgo). */
/* id_for reports whether build id id belongs to action id aid (it starts
 * with aid and a slash: go's useCache test of a target). */
static bool id_for(const char *id, const char *aid)
{
	size_t n = strlen(aid);

	return strncmp(id, aid, n) == 0 && id[n] == '/';
}

/* read_id reads the build id of path (heap), or NULL. */
static char *read_id(const char *path)
{
	struct err e = ERR_INIT;
	char *id = NULL;

	if (work_buildid_read(path, &id, &e) < 0) {
		err_clear(&e);
		return NULL;
	}
	return id;
}

/* ---- go list: Stale and StaleReason (IsCmdList) ------------------------ */

static void set_stale(struct work_builder *b, struct load_pkg *p, const char *reason)
{
	if (!p || p->stale)
		return;
	p->stale = true;
	p->stale_reason = arena_strdup(load_arena(b->ld), reason);
}

/* stale_miss: useCache's miss, with the detail go list gives: the first
 * stale import, or the "stale dependency" an import already names. */
static void stale_miss(struct work_builder *b, struct load_pkg *p)
{
	if (!p || p->stale)
		return;
	set_stale(b, p, "build ID mismatch");
	for (size_t i = 0; i < p->internal_imports.n; i++) {
		struct load_pkg *p1 = p->internal_imports.v[i];
		if (!p1->stale || !p1->stale_reason || !p1->stale_reason[0])
			continue;
		if (has_prefix(p1->stale_reason, "stale dependency: ")) {
			p->stale_reason = p1->stale_reason;
			break;
		}
		if (has_prefix(p->stale_reason, "build ID mismatch"))
			p->stale_reason = arena_printf(load_arena(b->ld), "stale dependency: %s", p1->import_path);
	}
}

static int link_action_id(struct work_builder *b, struct work_action *a);

/*
 * list_check_build is useCache for a build action under go list: the
 * package's install target (a main package's binary) when it is current,
 * else the cache.  A miss leaves the placeholder build id, so everything
 * that depends on the package misses too, as in go.
 */
static void list_check_build(struct work_builder *b, struct work_action *a)
{
	struct load_pkg *p = a->p;
	const char *target = strcmp(p->name, "main") == 0 && p->target && p->target[0] ? p->target : NULL;
	char *id;

	if (b->o.a) {
		set_stale(b, p, "build -a flag in use");
		return;
	}
	if (target && (id = read_id(target))) {
		if (id_for(id, a->aid)) {
			free(a->buildid);
			a->buildid = id;
			return;
		}
		/* the main package is current if the installed binary's link
		 * would be this one with its recorded package build id */
		if (a->triggers.n == 1 && a->triggers.v[0]->mode == A_LINK) {
			char *f[5] = {0}, *s = id;
			int k = 0;
			while (k < 5 && s) {
				f[k++] = s;
				s = strchr(s, '/');
				if (s)
					*s++ = '\0';
			}
			if (k == 4 && strcmp(f[1], a->aid) == 0) {
				char *old = a->buildid;
				a->buildid = xasprintf("%s/%s", f[1], f[2]);
				link_action_id(b, a->triggers.v[0]);
				if (strcmp(a->triggers.v[0]->aid, f[0]) == 0) {
					free(old);
					free(id);
					return;
				}
				free(a->buildid);
				a->buildid = old;
			}
		}
		free(id);
	}
	if (cache_lookup(b, a, true)) {
		if (target)
			set_stale(b, p, "not installed but available in build cache");
		return;
	}
	stale_miss(b, p);
}

static bool link_ref_exists(struct work_builder *b, struct work_action *a);

/* list_check_link is useCache for a link action under go list. */
static void list_check_link(struct work_builder *b, struct work_action *a)
{
	struct load_pkg *p = a->p;
	char *id;

	if (b->o.a) {
		set_stale(b, p, "build -a flag in use");
		return;
	}
	if (p->target && p->target[0] && (id = read_id(p->target))) {
		bool current = id_for(id, a->aid);
		free(id);
		if (current)
			return;
	}
	if (cache_lookup(b, a, false) || link_ref_exists(b, a)) {
		if (p->target && p->target[0])
			set_stale(b, p, "not installed but available in build cache");
		return;
	}
	stale_miss(b, p);
}

int work_build_check(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;

	if (strcmp(p->name, "main") == 0 && b->o.link_mains && !(p->for_test && p->for_test[0]) &&
	    set_build_info(b, a, e) < 0)
		return -1;
	if (build_action_id(b, a, e) < 0)
		return -1;
	free(a->buildid);
	a->buildid = xasprintf("%s/%s", a->aid, a->aid);
	if (b->o.list) {
		list_check_build(b, a);
		return 1;
	}
	/*
	 * A covered package whose instrumented sources are needed (by vet,
	 * or for the meta-data file) is always built: go copies those files
	 * out of the cache instead (loadCachedVet, loadCachedObjdirFile).
	 */
	if (!(a->cover_mode && (a->need_vet || a->cover_meta)) && cache_lookup(b, a, true)) {
		/* loadCachedVet: the objdir is made (announced: made
		 * if the vet action runs) */
		if ((a->need_vet || a->need_hdr) && work_mkdir_announce(b, a->objdir, e) < 0)
			return -1;
		return 1;
	}
	/* the check-cache action makes the objdir before the build prints */
	if (work_mkdir(b, a->objdir, e) < 0)
		return -1;
	return 0;
}

static int start_build(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;

	if (!b->o.list) {
		if (p->swig_files.n > 0 || p->swigcxx_files.n > 0)
			return err_setf(e, "SWIG is not supported yet by gotool");
		if (p->cgo_files.n == 0 && (p->c_files.n || p->cxx_files.n || p->m_files.n || p->f_files.n))
			return err_setf(e, "C source files are not supported yet by gotool");
		if (a->cgo && a->cover_mode)
			return err_setf(e, "-cover of a cgo package is not supported yet by gotool");
	}
	if (a->cgo) {
		/* the cgo run did the cache check (go's check-cache action) */
		if (!a->cgo->checked)
			BUG("build.c: cgo package built before its cache check");
		if (a->cgo->hit)
			return 0;
	} else {
		int rc = work_build_check(b, a, e);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	if (a->cover_mode && !a->vet_only) {
		/* the cover action runs before the build prints its banner */
		work_cover_add_ops(b, a);
		work_add_func(a, op_banner);
	} else {
		if (b->o.n)
			fprintf(stderr, "\n#\n# %s\n#\n\n", p->import_path);
		if (b->o.v)
			fprintf(stderr, "%s\n", p->import_path);
	}
	if (p->go_files.n + p->cgo_files.n == 0)
		return err_setf(e, "no non-test Go files in %s", p->dir);
	if (a->vet_only && !a->cgo)
		return 0; /* vet reads the config (work/vet.c); nothing to compile */
	if (a->cgo) {
		/* processCgoOutputs, whose last step comes back to the compile */
		work_cgo_build_ops(b, a);
		return 0;
	}
	return work_build_compile_ops(b, a, e);
}

int work_build_compile_ops(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;
	struct compile_pkg cp;
	struct strvec gofiles = {0}, sfiles = {0};
	struct op *op;

	(void)e;
	/* in a cgo package gcc assembles the .S files (cgo compile actions);
	 * runtime/cgo keeps its Go assembly (the files not named gcc_*) */
	for (size_t i = 0; i < p->s_files.n; i++)
		if (!a->cgo || (p->standard && strcmp(p->import_path, "runtime/cgo") == 0 &&
		                !has_prefix(p->s_files.v[i], "gcc_")))
			strvec_push(&sfiles, p->s_files.v[i]);
	cp = compile_pkg_of(b, a);
	cp.symabis = sfiles.n > 0;
	cp.asmhdr = sfiles.n > 0;
	if (sfiles.n > 0) {
		work_add_func(a, op_prepare_asm);
		op = work_add_proc(a, p->dir, p->import_path);
		compile_asm_argv(&b->ct, &cp, &op->argv);
		strvec_push(&op->argv, "-gensymabis");
		strvec_push(&op->argv, "-o");
		strvec_push_take(&op->argv, xasprintf("%ssymabis", a->objdir));
		for (size_t i = 0; i < sfiles.n; i++)
			strvec_push_take(&op->argv, path_join(p->dir, sfiles.v[i]));
		copy_flags(&op->env, &b->changed_env);
	}
	work_add_func(a, op_write_cfgs);
	if (a->cover_gofiles.n > 0) {
		for (size_t i = 0; i < a->cover_gofiles.n; i++)
			strvec_push(&gofiles, a->cover_gofiles.v[i]);
		cp.coveragecfg = arena_printf(b->a, "%scoveragecfg", a->objdir);
	} else {
		for (size_t i = 0; i < p->go_files.n; i++)
			strvec_push(&gofiles, p->go_files.v[i]);
	}
	if (a->cgo)
		copy_flags(&gofiles, &a->cgo->gofiles);
	op = work_add_proc(a, b->o.cwd, "");
	compile_gc_argv(&b->ct, &cp, (const char *const *)gofiles.v, gofiles.n, &op->argv);
	copy_flags(&op->env, &b->changed_env);
	strvec_clear(&gofiles);
	work_add_func(a, op_headers);
	for (size_t i = 0; i < sfiles.n; i++) {
		const char *s = sfiles.v[i];
		char *ofile = xasprintf("%s%.*s.o", a->objdir, (int)(strlen(s) - 2), s);
		op = work_add_proc(a, p->dir, p->import_path);
		compile_asm_argv(&b->ct, &cp, &op->argv);
		strvec_push(&op->argv, "-o");
		strvec_push(&op->argv, ofile);
		strvec_push_take(&op->argv, path_join(p->dir, s));
		copy_flags(&op->env, &b->changed_env);
		strvec_push_take(&a->objects, ofile);
	}
	/* the gcc objects go after the Go ones (exec.go: "critically
	 * important" on Windows), then the .syso files (op_pack_buildid) */
	if (a->cgo)
		copy_flags(&a->objects, &a->cgo->objects);
	strvec_clear(&sfiles);
	work_add_func(a, op_pack_buildid);
	return 0;
}

/* ---- the PGO profile (pgoActor) ----------------------------------------- */

static int op_pgo_done(struct work_builder *b, struct work_action *a, struct err *e)
{
	(void)b;
	(void)e;
	a->built = xstrdup(a->target);
	return 0;
}

static int start_pgo(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct op *op;

	if (work_mkdir(b, a->objdir, e) < 0)
		return -1;
	op = work_add_proc(a, ".", a->pgo_input);
	for (size_t i = 0; i < b->o.toolexec.n; i++)
		strvec_push(&op->argv, b->o.toolexec.v[i]);
	strvec_push_take(&op->argv, path_join(b->cfg->tc.tooldir, "preprofile"));
	strvec_push(&op->argv, "-o");
	strvec_push(&op->argv, a->target);
	strvec_push(&op->argv, "-i");
	strvec_push(&op->argv, a->pgo_input);
	work_add_func(a, op_pgo_done);
	return 0;
}

/* ---- the link action --------------------------------------------------- */

static int link_action_id(struct work_builder *b, struct work_action *a)
{
	struct load_pkg *p = a->p;
	struct work_hasher h;
	unsigned char sum[32];
	char *name = xasprintf("link %s", p->import_path), *q, *f1, *f2;

	work_hasher_init(&h, b, name);
	free(name);
	work_hasher_printf(&h, "link\n");
	work_hasher_printf(&h, "buildmode %s goos %s goarch %s\n", b->o.buildmode, b->cfg->ctx.goos, b->cfg->ctx.goarch);
	q = quote_str(p->import_path);
	work_hasher_printf(&h, "import %s\n", q);
	free(q);
	work_hasher_printf(&h, "omitdebug %s standard %s local %s prefix \"\"\n", a->omit_debug ? "true" : "false",
	              p->standard ? "true" : "false", p->local ? "true" : "false");
	q = quote_str(p->default_godebug ? p->default_godebug : "");
	work_hasher_printf(&h, "defaultgodebug %s\n", q);
	free(q);
	if (b->o.trimpath)
		work_hasher_printf(&h, "trimpath\n");
	f1 = work_quote_list(&b->forced_ldflags);
	work_hasher_printf(&h, "link %s %s %s\n", b->tool_link, f1, b->ldbuildmode);
	free(f1);
	f2 = work_quote_list(&a->ldflags);
	work_hasher_printf(&h, "linkflags %s\n", f2);
	free(f2);
	work_hasher_printf(&h, "%s=%s\n", b->cfg->ctx.goarch_var ? b->cfg->ctx.goarch_var : "",
	              b->cfg->ctx.goarch_val ? b->cfg->ctx.goarch_val : "");
	if (b->o.clean_goexperiment && b->o.clean_goexperiment[0]) {
		q = quote_str(b->o.clean_goexperiment);
		work_hasher_printf(&h, "GOEXPERIMENT=%s\n", q);
		free(q);
	}
	work_hasher_printf(&h, "GOROOT=%s\n", b->o.trimpath ? "" : b->cfg->tc.goroot);
	{
		const char *x = cfg_getenv(b->cfg, "GO_EXTLINK_ENABLED");
		work_hasher_printf(&h, "GO_EXTLINK_ENABLED=%s\n", x ? x : "");
	}
	for (size_t i = 0; i < a->deps.n; i++) {
		struct work_action *d = a->deps.v[i];
		if (!d->p)
			continue;
		if (d->built || d->buildid)
			work_hasher_printf(&h, "packagefile %s=%s\n", d->p->import_path, content_id(d->buildid));
		if (strcmp(d->p->name, "main") == 0)
			work_hasher_printf(&h, "packagemain %s\n", d->buildid ? d->buildid : "");
	}
	work_hasher_sum(&h, sum);
	memcpy(a->aid_sum, sum, 32);
	work_hash_to_string(sum, a->aid);
	return 0;
}

static int op_write_linkcfg(struct work_builder *b, struct work_action *a, struct err *e)
{
	VEC(struct link_pkgfile) files = {0};
	struct buf cfg = BUF_INIT;
	const char *mi = a->main_build->modinfo;
	char *f, *exedir;
	int rc;

	for (size_t i = 0; i < a->deps.n; i++) {
		struct work_action *d = a->deps.v[i];
		struct link_pkgfile pf = {d->p->import_path, d->built ? d->built : "", NULL};
		VEC_PUSH(&files, pf);
	}
	link_importcfg_link(&cfg, files.v, files.n, mi ? mi : "", mi ? strlen(mi) : 0);
	VEC_FREE(&files);
	f = xasprintf("%simportcfg.link", a->objdir);
	rc = write_file(b, f, cfg.data, cfg.len, e);
	free(f);
	buf_release(&cfg);
	if (rc < 0)
		return -1;
	exedir = path_dir(a->target);
	{
		char *d = xasprintf("%s/", exedir);
		rc = work_mkdir(b, d, e);
		free(d);
	}
	free(exedir);
	return rc;
}

static int op_link_buildid(struct work_builder *b, struct work_action *a, struct err *e)
{
	if (b->o.n || b->o.x) {
		char *c = xasprintf("go tool buildid -w %s # internal", a->target);
		work_show_cmd(b, "", c);
		free(c);
	}
	if (!b->o.n) {
		char *newid = NULL;
		if (work_buildid_update(a->target, a->buildid, &newid, e) < 0)
			return -1;
		if (newid) {
			free(a->buildid);
			a->buildid = newid;
		}
	}
	a->built = xstrdup(a->target);
	/* a binary that is installed somewhere is remembered by reference
	 * (link_ref_store); only one that is not kept (run) is copied in */
	if (!a->install_target)
		cache_store(b, a, a->built, NULL);
	return 0;
}

/* put_link_output writes data as the link's own output (a->target, mode
 * 0777, atomically) and makes it the action's built file. */
static int put_link_output(struct work_builder *b, struct work_action *a, const struct buf *data,
                           struct err *e)
{
	char *dir = path_dir(a->target);
	int rc = has_prefix(dir, b->workdir) ? work_ensure_workdir(b, e) : 0;

	if (rc == 0)
		rc = os_mkdir_all(dir, 0777, e);

	free(dir);
	if (rc < 0 || os_write_file_atomic(a->target, data->data, data->len, 0777, e) < 0)
		return -1;
	free(a->built);
	a->built = xstrdup(a->target);
	return 0;
}

/*
 * Link references.  A linked binary that the build installs (an -o file, a
 * GOBIN binary) is not copied into the cache: the cache records, under a key
 * derived from the link's action id, the binary's SHA-256 and where it was
 * installed.  A later link with the same action id copies that file if it
 * still holds exactly those bytes, and links otherwise.  So the cache costs
 * what go's costs (archives), and a no-op build into a new place runs no
 * linker while the old output is there.
 */
static void link_ref_key(const struct work_action *a, unsigned char key[32])
{
	struct hash_sha256 h;

	hash_sha256_init(&h);
	hash_sha256_write(&h, "gotool link ref 1\n", 18);
	hash_sha256_write(&h, a->aid_sum, 32);
	hash_sha256_sum(&h, key);
}

/* link_ref_store records that dst (just installed) is the link's output. */
static void link_ref_store(struct work_builder *b, struct work_action *a, const char *dst)
{
	struct buf data = BUF_INIT;
	struct err e = ERR_INIT;
	unsigned char key[32], sum[32];
	char hex[65], *abs, *rec;

	if (!b->cache || b->o.n)
		return;
	if (os_read_file(dst, &data, 0, &e) < 0) {
		err_clear(&e);
		return;
	}
	hash_sha256(data.data, data.len, sum);
	buf_release(&data);
	hash_hex(sum, 32, hex);
	abs = dst[0] == '/' ? xstrdup(dst) : path_join(b->o.cwd, dst);
	rec = xasprintf("%s %s\n", hex, abs);
	link_ref_key(a, key);
	if (work_cache_put_bytes(b->cache, key, rec, strlen(rec), NULL, &e) < 0)
		err_clear(&e);
	free(rec);
	free(abs);
}

/*
 * link_ref_lookup: if the cache names an installed file that still holds
 * this link's output, copy it to the link's own output path (a->target) as
 * if the linker had just written it.  The bytes copied are the bytes hashed,
 * so a file replaced meanwhile is a miss, never a wrong binary.
 */
static bool link_ref_lookup(struct work_builder *b, struct work_action *a)
{
	struct work_cache_entry en = {0};
	struct buf rec = BUF_INIT, data = BUF_INIT;
	struct err e = ERR_INIT;
	unsigned char key[32], sum[32];
	char hex[65], *id = NULL;
	const char *path;
	bool ok = false;

	if (!b->cache || b->o.a || b->o.n)
		return false;
	link_ref_key(a, key);
	if (work_cache_get(b->cache, key, &en, &e) <= 0)
		goto out;
	if (os_read_file(en.path, &rec, 0, &e) < 0 || rec.len < 67 || rec.data[64] != ' ' ||
	    rec.data[rec.len - 1] != '\n')
		goto out;
	rec.data[rec.len - 1] = '\0';
	path = rec.data + 65;
	if (os_read_file(path, &data, 0, &e) < 0)
		goto out;
	hash_sha256(data.data, data.len, sum);
	hash_hex(sum, 32, hex);
	if (memcmp(hex, rec.data, 64) != 0 || put_link_output(b, a, &data, &e) < 0)
		goto out;
	if (work_buildid_read(a->target, &id, &e) == 0) {
		free(a->buildid);
		a->buildid = id;
	}
	if (b->o.x) {
		char *c = xasprintf("cp %s %s # internal", path, a->target);
		work_show_cmd(b, "", c);
		free(c);
	}
	ok = true;
out:
	err_clear(&e);
	work_cache_entry_release(&en);
	buf_release(&rec);
	buf_release(&data);
	return ok;
}

/* link_ref_exists reports whether the cache holds a reference for the
 * link (go list's "available in build cache"; the file is not checked). */
static bool link_ref_exists(struct work_builder *b, struct work_action *a)
{
	struct work_cache_entry en = {0};
	struct err e = ERR_INIT;
	unsigned char key[32];
	int rc;

	if (!b->cache)
		return false;
	link_ref_key(a, key);
	rc = work_cache_get(b->cache, key, &en, &e);
	err_clear(&e);
	work_cache_entry_release(&en);
	return rc > 0;
}

/*
 * materialize_exe puts a cached binary at the link target, so the program
 * run by `gotool run` sees its own name in os.Args[0] (go keeps executables
 * in its cache under their names; gotool's blobs are content-named).
 */
static int materialize_exe(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct buf data = BUF_INIT;
	int rc;

	if (b->o.n)
		return 0;
	rc = os_read_file(a->built, &data, 0, e);
	if (rc == 0)
		rc = put_link_output(b, a, &data, e);
	buf_release(&data);
	return rc;
}

/*
 * target_current reports whether the link's install target (the -o file,
 * the GOBIN binary) already carries a build id starting with this link's
 * action id, so there is nothing to link, copy or even read (go's useCache
 * with a target).  -a and -n do not look.
 */
static bool target_current(struct work_builder *b, struct work_action *a)
{
	char *id;

	if (!a->install_target || b->o.a || b->o.n || !(id = read_id(a->install_target)))
		return false;
	if (!id_for(id, a->aid)) {
		free(id);
		return false;
	}
	free(a->buildid);
	a->buildid = id;
	free(a->built);
	a->built = xstrdup(a->install_target);
	a->cached = true;
	a->target_hit = true;
	return true;
}

static int start_link(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct load_pkg *p = a->p;
	struct work_action *m = a->main_build;
	struct link_cmd lc = {0};
	struct strvec extld = {0};
	struct op *op;
	char *importcfg, *mainpkg;
	int rc;

	link_action_id(b, a);
	free(a->buildid);
	a->buildid = xasprintf("%s/%s/%s/%s", a->aid, m->aid, content_id(m->buildid), a->aid);
	if (b->o.list) {
		list_check_link(b, a);
		return 0;
	}
	/* go test: a cached result for this link's action id needs no binary */
	if (work_test_link_cached(b, a)) {
		a->test_cached = true;
		return 0;
	}
	/* useCache's first rule: the install target already is this binary */
	if (target_current(b, a))
		return 0;
	/* gotool caches linked binaries too: a no-op build runs no tool */
	if (cache_lookup(b, a, false))
		return a->named_exe ? materialize_exe(b, a, e) : 0;
	if (link_ref_lookup(b, a))
		return 0;
	/* the main package may have come from the cache: its objdir is ours */
	if (work_mkdir(b, a->objdir, e) < 0)
		return -1;
	work_add_func(a, op_write_linkcfg);
	importcfg = xasprintf("%simportcfg.link", a->objdir);
	/* the main archive may be a cache file (a1.built) */
	mainpkg = m->built ? xstrdup(m->built) : xasprintf("%s_pkg_.a", m->objdir);
	if (strcmp(b->ldbuildmode, "c-shared") == 0) {
		/* the linker runs beside its output and names only the file: the
		 * path given to -o is recorded in the shared object (gc.go ld) */
		const char *slash = strrchr(a->target, '/');
		char *dir = xstrndup(a->target, slash ? (size_t)(slash - a->target) + 1 : 0);
		op = work_add_proc(a, dir[0] ? dir : ".", p->import_path);
		free(dir);
		lc.out = slash ? slash + 1 : a->target;
	} else {
		op = work_add_proc(a, ".", p->import_path);
		lc.out = a->target;
	}
	lc.toolexec = &b->o.toolexec;
	lc.tooldir = b->cfg->tc.tooldir;
	lc.importcfg = importcfg;
	lc.installsuffix = b->ct.installsuffix;
	lc.omit_debug = a->omit_debug;
	if (p->goroot && has_prefix(p->import_path, "cmd/"))
		lc.objabi_buildid = a->buildid;
	lc.default_godebug = p->default_godebug;
	lc.ldbuildmode = b->ldbuildmode;
	lc.buildid = a->buildid;
	lc.forced_ldflags = &b->forced_ldflags;
	lc.ldflags = &a->ldflags;
	/* -extld: $CXX when the program has C++ code, else $CC */
	rc = work_cgo_link_compiler(b, a, &extld, e);
	lc.cc = &extld;
	lc.mainpkg = mainpkg;
	if (rc == 0)
		rc = link_cmd_argv(&lc, &op->argv, e);
	strvec_clear(&extld);
	copy_flags(&op->env, &b->changed_env);
	strvec_push_take(&op->env, xasprintf("GOROOT=%s", b->o.trimpath ? "" : b->cfg->tc.goroot));
	free(importcfg);
	free(mainpkg);
	if (rc < 0)
		return -1;
	work_add_func(a, op_link_buildid);
	return 0;
}

/* ---- install ----------------------------------------------------------- */

/* is_object reports whether the file starts with an object magic, so an
 * existing -o target may be replaced (checkDstOverwrite). */
static bool is_object(const char *path)
{
	static const struct {
		const char *m;
		size_t n;
	} magic[] = {
		{"!<arch>\n", 8}, {"\x7f" "ELF", 4}, {"\xfe\xed\xfa\xce", 4}, {"\xfe\xed\xfa\xcf", 4},
		{"\xce\xfa\xed\xfe", 4}, {"\xcf\xfa\xed\xfe", 4}, {"MZ", 2}, {"\x00\x00\x01\xeb", 4},
		{"\x00\x00\x8a\x97", 4}, {"\x00\x00\x06\x47", 4}, {"\x00\x61\x73\x6d", 4},
		{"\x01\xdf", 2}, {"\x01\xf7", 2},
	};
	unsigned char buf[8] = {0};
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf);
	close(fd);
	if (n <= 0)
		return true; /* empty files are fine to replace */
	for (size_t i = 0; i < countof(magic); i++)
		if ((size_t)n >= magic[i].n && memcmp(buf, magic[i].m, magic[i].n) == 0)
			return true;
	return false;
}

/*
 * move_or_copy is Shell.moveOrCopyFile (after its -n case): src gets the
 * mode perm less the umask (which go finds with a probe file) and is renamed
 * to dst, or, when it is a cache file or cannot be renamed, copied; -x
 * shows which.
 */
static int move_or_copy(struct work_builder *b, const char *src, const char *dst, mode_t perm, bool cached,
                        struct err *e)
{
	mode_t um = umask(0), mode = perm & ~um;
	struct buf data = BUF_INIT;
	char *c;
	int rc;

	umask(um);
	if (!cached && chmod(src, mode) == 0 && rename(src, dst) == 0) {
		if (b->o.x) {
			c = xasprintf("mv %s %s", src, dst);
			work_show_cmd(b, "", c);
			free(c);
		}
		return 0;
	}
	if (b->o.x) {
		c = xasprintf("cp %s %s", src, dst);
		work_show_cmd(b, "", c);
		free(c);
	}
	rc = os_read_file(src, &data, 0, e);
	if (rc == 0)
		rc = os_write_file_atomic(dst, data.data, data.len, mode, e);
	buf_release(&data);
	return rc;
}

static int op_install(struct work_builder *b, struct work_action *a, struct err *e)
{
	struct work_action *src = a->deps.v[0];
	const char *dst = a->target;
	struct stat st;
	char *dir;
	int rc = -1;

	if (src->target_hit && strcmp(src->built, dst) == 0) {
		/* up to date: only the times change, as if it had been rewritten */
		utimensat(AT_FDCWD, dst, NULL, 0);
		return 0;
	}
	dir = path_dir(dst);
	if (strcmp(dir, ".") != 0) {
		char *d = xasprintf("%s/", dir);
		rc = work_mkdir(b, d, e);
		free(d);
		if (rc < 0)
			goto out;
		rc = -1;
	}
	if (b->o.n) {
		char *c = xasprintf("mv %s %s", src->built, dst);
		work_show_cmd(b, "", c);
		free(c);
		rc = 0;
		goto out;
	}
	if (lstat(dst, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			err_setf(e, "build output \"%s\" already exists and is a directory", dst);
			goto out;
		}
		if (S_ISREG(st.st_mode) && !is_object(dst)) {
			err_setf(e, "build output \"%s\" already exists and is not an object file", dst);
			goto out;
		}
	}
	/* a file from the cache is always copied, never moved */
	rc = move_or_copy(b, src->built, dst,
	                  src->mode == A_LINK && strcmp(b->ldbuildmode, "c-archive") != 0 &&
	                  strcmp(b->ldbuildmode, "c-shared") != 0 ? 0777 : 0666,
	                  src->cached, e);
	if (rc < 0)
		goto out;
	if (src->mode == A_LINK)
		link_ref_store(b, src, dst);
	rc = 0;
out:
	/* b.cleanup(a1): the link's objdir goes once the file has moved */
	if (rc == 0 && !b->o.work && !src->cached) {
		if (b->o.n || b->o.x) {
			char *c = xasprintf("rm -rf %s", src->objdir);
			work_show_cmd(b, "", c);
			free(c);
		}
		if (!b->o.n) {
			os_remove_all(src->objdir, e);
			err_clear(e);
		}
	}
	if (rc < 0) {
		/* BuildInstallFunc wraps its errors as "go build p: ..." */
		char *m = err_take(e);
		err_setf(e, "%s %s %s: %s", prog_name, b->o.cmd_name ? b->o.cmd_name : "build", a->p->import_path, m);
		free(m);
	}
	free(dir);
	return rc;
}

/*
 * op_install_header is installHeader: cgo's _cgo_install.h is moved (or,
 * failing that, copied) to the target; when cgo wrote none (no //export)
 * nothing is installed.
 */
static int op_install_header(struct work_builder *b, struct work_action *a, struct err *e)
{
	char *src = xasprintf("%s_cgo_install.h", a->objdir), *dir = NULL, *c;
	struct stat st;
	int rc = -1;

	if (stat(src, &st) < 0 && errno == ENOENT) {
		if (b->o.x) {
			c = xasprintf("# %s not created", src);
			work_show_cmd(b, "", c);
			free(c);
		}
		rc = 0;
		goto out;
	}
	dir = path_dir(a->target);
	if (strcmp(dir, ".") != 0) {
		char *d = xasprintf("%s/", dir);
		rc = work_mkdir(b, d, e);
		free(d);
		if (rc < 0)
			goto out;
		rc = -1;
	}
	if (b->o.n) {
		c = xasprintf("mv %s %s", src, a->target);
		work_show_cmd(b, "", c);
		free(c);
		rc = 0;
		goto out;
	}
	rc = move_or_copy(b, src, a->target, 0666, false, e);
out:
	free(src);
	free(dir);
	return rc;
}

/* ---- running ------------------------------------------------------------ */

/* replace_prefix is shell.go replacePrefix. */
static char *replace_prefix(const char *s, const char *old, const char *new)
{
	char *r, *t, *f1, *t1;

	if (!strstr(s, old))
		return xstrdup(s);
	f1 = xasprintf(" %s", old);
	t1 = xasprintf(" %s", new);
	r = replace_all(s, f1, t1);
	free(f1);
	free(t1);
	f1 = xasprintf("\n%s", old);
	t1 = xasprintf("\n%s", new);
	t = replace_all(r, f1, t1);
	free(r);
	free(f1);
	free(t1);
	f1 = xasprintf("\n\t%s", old);
	t1 = xasprintf("\n\t%s", new);
	r = replace_all(t, f1, t1);
	free(t);
	free(f1);
	free(t1);
	if (has_prefix(r, old)) {
		t = xasprintf("%s%s", new, r + strlen(old));
		free(r);
		r = t;
	}
	return r;
}

/* short_path is base.ShortPath (heap). */
static char *short_path(struct work_builder *b, const char *path)
{
	return xstrdup(load_short_path(b->ld, path));
}

/* report_cmd is Shell.reportCmd: the tool output as "# desc\n..." with
 * directories shortened.  Returns the text (heap), or NULL when empty. */
static char *report_cmd(struct work_builder *b, struct work_action *a, const char *desc, const char *rdir,
                        const char *out)
{
	char *s, *dir;
	size_t n = strlen(out);

	if (n == 0)
		return NULL;
	s = n && out[n - 1] == '\n' ? xstrdup(out) : xasprintf("%s\n", out);
	{
		char *t = replace_prefix(s, b->workdir, "$WORK");
		free(s);
		s = t;
	}
	dir = xstrdup(rdir ? rdir : a->p ? a->p->dir : b->o.cwd);
	for (;;) {
		char *rel = short_path(b, dir), *parent;
		if (strcmp(rel, dir) != 0) {
			char *t = replace_prefix(s, dir, rel);
			free(s);
			s = t;
		}
		free(rel);
		parent = path_dir(dir);
		if (strcmp(parent, dir) == 0) {
			free(parent);
			break;
		}
		free(dir);
		dir = parent;
	}
	free(dir);
	{
		/* cmdError: a desc that is not p.Desc() gets the import path
		 * line too ("# p\n# [desc]\n") */
		const char *pd = a->p ? pkg_desc(b, a->p) : "";
		char *t;
		if (desc && desc[0] && a->p && strcmp(desc, pd) != 0)
			t = xasprintf("# %s\n# [%s]\n%s", a->p->import_path, desc, s);
		else
			t = xasprintf("# %s\n%s", desc && desc[0] ? desc : pd, s);
		free(s);
		s = t;
	}
	return s;
}


static void finish_action(struct work_builder *b, struct work_action *a);

static void fail_action(struct work_builder *b, struct work_action *a, const char *msg, bool is_cmd)
{
	if (msg) {
		const char *desc = a->p ? pkg_desc(b, a->p) : "";
		if (!is_cmd && a->p) {
			char *m = xasprintf("%s: %s", a->p->import_path, msg);
			build_print(b, desc, m, true);
			free(m);
		} else {
			build_print(b, desc, msg, true);
		}
	}
	a->failed = true;
	if (!a->failed_by)
		a->failed_by = a;
	finish_action(b, a);
}

static int spawn_op(struct work_builder *b, struct work_action *a, struct op *op, struct err *e)
{
	posix_spawn_file_actions_t fa;
	int pfd[2];
	pid_t pid;
	struct strvec envp = {0};
	const char *dir = op->dir[0] && strcmp(op->dir, ".") != 0 ? op->dir : NULL;
	char *path;
	int rc;

	for (size_t i = 0; i < op->argv.n; i++)
		if (op->argv.v[i][0] == '@') {
			struct buf j = BUF_INIT;
			join_unambiguously(&j, op->argv.v, op->argv.n);
			err_setf(e, "invalid command-line argument %s in command: %s", op->argv.v[i], buf_cstr(&j));
			buf_release(&j);
			return -1;
		}
	if (op->kind != OP_TEST && (b->o.n || b->o.x)) {
		struct buf c = BUF_INIT;
		for (size_t i = 0; i < op->env.n; i++) {
			const char *kv = op->env.v[i], *eq = strchr(kv, '=');
			if (!eq)
				continue;
			if (strchr(eq + 1, '\'')) {
				buf_printf(&c, "%.*s=", (int)(eq - kv), kv);
				quoted_go_string(&c, eq + 1, strlen(eq + 1));
			} else {
				buf_printf(&c, "%.*s='%s'", (int)(eq - kv), kv, eq + 1);
			}
			buf_addch(&c, ' ');
		}
		join_unambiguously(&c, op->argv.v, op->argv.n);
		work_show_cmd(b, op->dir[0] ? op->dir : NULL, buf_cstr(&c));
		buf_release(&c);
		if (b->o.n)
			return 1; /* nothing runs */
	}
	/* Shell.runOut looks the command up first (pathcache.LookPath): a
	 * compiler given by path that is missing or not executable fails with
	 * exec.LookPath's text, not os.StartProcess's.  A test binary (or its
	 * -exec program) is run by exec.Command, which looks up only a name
	 * without a slash. */
	if (op->kind == OP_TEST && strchr(op->argv.v[0], '/')) {
		path = xstrdup(op->argv.v[0]);
	} else if (proc_go_lookpath(op->argv.v[0], &path, e) < 0) {
		free(path);
		return -1;
	}
	if (op->kind == OP_TEST) {
		/* a test binary gets the user's environment (cfg.OrigEnv, without
		 * the toolchain switch markers), then PATH and PWD (AppendPATH,
		 * AppendPWD) */
		const char *path0 = getenv("PATH");
		for (char **ep = environ; *ep; ep++)
			if (!has_prefix(*ep, "GOTOOLCHAIN_INTERNAL_SWITCH_"))
				strvec_push(&envp, *ep);
		strvec_push_take(&envp, path0 && path0[0] ? xasprintf("PATH=%s/bin:%s", b->cfg->tc.goroot, path0)
		                                          : xasprintf("PATH=%s/bin", b->cfg->tc.goroot));
		strvec_push_take(&envp, xasprintf("PWD=%s", dir ? dir : b->o.cwd));
	} else {
		for (size_t i = 0; i < b->env.n; i++) {
			if (has_prefix(b->env.v[i], "PWD=") || has_prefix(b->env.v[i], "TOOLEXEC_IMPORTPATH="))
				continue;
			strvec_push(&envp, b->env.v[i]);
		}
		strvec_push_take(&envp, xasprintf("PWD=%s", dir ? dir : b->o.cwd));
		if (a->p)
			strvec_push_take(&envp, xasprintf("TOOLEXEC_IMPORTPATH=%s", pkg_desc(b, a->p)));
	}
	for (size_t i = 0; i < op->env.n; i++) {
		/* later entries win: drop an earlier copy (exec's dedupEnv) */
		const char *eq = strchr(op->env.v[i], '=');
		size_t kl = eq ? (size_t)(eq - op->env.v[i]) + 1 : strlen(op->env.v[i]);
		size_t w = 0;
		for (size_t j = 0; j < envp.n; j++) {
			if (strncmp(envp.v[j], op->env.v[i], kl) == 0) {
				free(envp.v[j]);
				continue;
			}
			envp.v[w++] = envp.v[j];
		}
		envp.n = w;
		strvec_push(&envp, op->env.v[i]);
	}
	strvec_null_terminate(&envp);
	strvec_null_terminate(&op->argv);
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free(path);
		strvec_clear(&envp);
		return err_errno(e, "pipe", "");
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	if (dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	{
		char **argv = xcalloc(op->argv.n + 1, sizeof *argv);
		for (size_t i = 0; i < op->argv.n; i++)
			argv[i] = op->argv.v[i];
		argv[0] = path;
		rc = posix_spawn(&pid, path, &fa, NULL, argv, envp.v);
		free(argv);
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	strvec_clear(&envp);
	if (rc != 0) {
		close(pfd[0]);
		err_setf(e, "fork/exec %s: %s", path, os_errstr(rc));
		free(path);
		return -1;
	}
	free(path);
	a->pid = pid;
	a->fd = pfd[0];
	buf_reset(&a->out);
	b->running++;
	return 0;
}

/* advance runs the action's in-process steps until a tool is started
 * or the action is done. */
static void advance(struct work_builder *b, struct work_action *a)
{
	struct err e = ERR_INIT;

	while (a->op_i < a->ops.n) {
		struct op *op = &a->ops.v[a->op_i++];
		if (op->kind == OP_FUNC) {
			if (op->fn(b, a, &e) < 0) {
				fail_action(b, a, err_msg(&e), false);
				err_clear(&e);
				return;
			}
			continue;
		}
		{
			int rc = spawn_op(b, a, op, &e);
			if (rc < 0 && op->may_fail) {
				a->last_status = -1;
				err_clear(&e);
				continue;
			}
			if (rc < 0) {
				fail_action(b, a, err_msg(&e), false);
				err_clear(&e);
				return;
			}
			if (rc == 0)
				return; /* running */
		}
	}
	finish_action(b, a);
}

static void start_action(struct work_builder *b, struct work_action *a)
{
	struct err e = ERR_INIT;
	int rc = 0;

	b->cur_desc = a->p ? pkg_desc(b, a->p) : "";
	if (a->failed && !a->ignore_fail && a->mode != A_VET) { /* vet: IgnoreFail */
		finish_action(b, a);
		return;
	}
	switch (a->mode) {
	case A_TESTRUN:
	case A_TESTCLEAN:
	case A_TESTPRINT:
		rc = work_test_start(b, a, &e);
		break;
	case A_BUILD:
		rc = start_build(b, a, &e);
		break;
	case A_LINK:
		rc = start_link(b, a, &e);
		break;
	case A_INSTALL:
		if (!b->o.list)
			work_add_func(a, op_install);
		break;
	case A_INSTHDR:
		if (!b->o.list)
			work_add_func(a, op_install_header);
		break;
	case A_PGO:
		if (!b->o.list)
			rc = start_pgo(b, a, &e);
		break;
	case A_VET:
		if (!b->o.list)
			rc = work_vet_start(b, a, &e);
		break;
	case A_CGORUN:
	case A_CGOCC:
		rc = work_cgo_start(b, a, &e);
		break;
	default:
		break;
	}
	if (rc < 0 && b->o.list) {
		/* go list reports no build errors: the package is just stale */
		stale_miss(b, a->p);
		err_clear(&e);
		rc = 0;
	}
	if (rc < 0) {
		fail_action(b, a, err_msg(&e), false);
		err_clear(&e);
		return;
	}
	advance(b, a);
}

char *work_exit_text(int status)
{
	if (WIFSIGNALED(status)) {
		/* os.ProcessState.String: Go's lower-case signal names */
		char *sn = xstrdup(strsignal(WTERMSIG(status))), *m;
		if (sn[0] >= 'A' && sn[0] <= 'Z')
			sn[0] = (char)(sn[0] - 'A' + 'a');
		m = xasprintf("signal: %s%s", sn, WCOREDUMP(status) ? " (core dumped)" : "");
		free(sn);
		return m;
	}
	return xasprintf("exit status %d", WEXITSTATUS(status));
}

int64_t work_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* proc_done handles the exit of an action's tool (runOut + reportCmd). */
static void proc_done(struct work_builder *b, struct work_action *a, int status)
{
	struct op *op = &a->ops.v[a->op_i - 1];
	char *text;

	b->running--;
	a->pid = -1;
	if (op->may_fail) {
		/* gccld: the output is not shown, the status is the answer */
		a->last_status = status;
		advance(b, a);
		return;
	}
	if (op->capture && status == 0) {
		/* pkg-config: the output is data */
		free(a->captured);
		a->captured = xstrdup(buf_cstr(&a->out));
		advance(b, a);
		return;
	}
	text = report_cmd(b, a, op->desc, op->report_in_dir ? op->dir : NULL, buf_cstr(&a->out));
	if (status != 0) {
		if (text) {
			fail_action(b, a, text, true);
		} else {
			char *st = work_exit_text(status);
			char *m = xasprintf("%s: %s", op->argv.v[0], st);
			fail_action(b, a, m, false);
			free(m);
			free(st);
		}
		free(text);
		return;
	}
	if (text)
		build_print(b, a->p ? pkg_desc(b, a->p) : "", text, false);
	free(text);
	advance(b, a);
}

/* ready heap on priority */
struct heap {
	struct work_action **v;
	size_t n, cap;
};

static void heap_push(struct heap *h, struct work_action *a)
{
	size_t i;

	VEC_PUSH(h, a);
	i = h->n - 1;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (h->v[parent]->priority <= h->v[i]->priority)
			break;
		struct work_action *t = h->v[parent];
		h->v[parent] = h->v[i];
		h->v[i] = t;
		i = parent;
	}
}

static struct work_action *heap_pop(struct heap *h)
{
	struct work_action *top = h->v[0];
	size_t i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && h->v[l]->priority < h->v[m]->priority)
			m = l;
		if (r < h->n && h->v[r]->priority < h->v[m]->priority)
			m = r;
		if (m == i)
			break;
		struct work_action *t = h->v[m];
		h->v[m] = h->v[i];
		h->v[i] = t;
		i = m;
	}
	return top;
}

static struct heap ready;

static void finish_action(struct work_builder *b, struct work_action *a)
{
	(void)b;
	a->done = true;
	for (size_t i = 0; i < a->triggers.n; i++) {
		struct work_action *t = a->triggers.v[i];
		if (a->failed && t->mode == A_BARRIER) {
			/* a failure reaches the test run behind the barrier, not
			 * the later barriers chained to it (exec.go handle) */
			for (size_t j = 0; j < t->triggers.n; j++)
				if (t->triggers.v[j]->mode != A_BARRIER) {
					t->triggers.v[j]->failed = true;
					t->triggers.v[j]->failed_by = a->failed_by;
				}
		} else if (a->failed) {
			t->failed = true;
			t->failed_by = a->failed_by;
		}
		if (--t->pending == 0)
			heap_push(&ready, t);
	}
}

static void post_order(struct work_builder *b, struct work_action *a, int *n)
{
	if (a->visited)
		return;
	a->visited = true;
	for (size_t i = 0; i < a->deps.n; i++)
		post_order(b, a->deps.v[i], n);
	a->priority = (*n)++;
}

/* ---- public ------------------------------------------------------------ */

/* cleanup_workdir removes $WORK at exit (arg: the heap path, or NULL). */
static void cleanup_workdir(void *arg)
{
	char *dir = arg;
	struct err e = ERR_INIT;

	if (dir) {
		os_remove_all(dir, &e);
		err_clear(&e);
		free(dir);
	}
}

int work_ensure_workdir(struct work_builder *b, struct err *e)
{
	if (b->workdir_made || b->o.n)
		return 0;
	/* The name was free when chosen (work_builder_new); mode 0700 as
	 * os.MkdirTemp. A name taken since is an error, never a shared dir. */
	if (mkdir(b->workdir, 0700) < 0) {
		err_errno(e, "mkdir", b->workdir);
		return err_wrapf(e, "creating work dir");
	}
	b->workdir_made = true;
	base_atexit(cleanup_workdir, b->o.work ? NULL : xstrdup(b->workdir));
	return 0;
}

/* env_setup computes the environment every tool gets: the process
 * environment with the go variables the tools read set to their
 * effective values (cmd/go sets every go env variable). */
static void env_setup(struct work_builder *b)
{
	const struct cfg *c = b->cfg;
	struct strvec set = {0};
	const char *keys[] = {"GOROOT", "GOOS", "GOARCH", "GOEXPERIMENT", "GOFIPS140", "CGO_ENABLED",
	                      "GOTOOLDIR", "GOVERSION", "GOENV", "GOPATH", "GOMODCACHE", "GOHOSTOS",
	                      "GOHOSTARCH", "GOFLAGS", "GOTOOLCHAIN", "GOPROXY", "GOSUMDB"};

	for (size_t i = 0; i < countof(keys); i++) {
		const char *v = NULL;
		if (strcmp(keys[i], "GOROOT") == 0)
			v = c->tc.goroot;
		else if (strcmp(keys[i], "GOOS") == 0)
			v = c->ctx.goos;
		else if (strcmp(keys[i], "GOARCH") == 0)
			v = c->ctx.goarch;
		else if (strcmp(keys[i], "CGO_ENABLED") == 0)
			v = c->ctx.cgo_enabled ? "1" : "0";
		else if (strcmp(keys[i], "GOTOOLDIR") == 0)
			v = c->tc.tooldir;
		else if (strcmp(keys[i], "GOVERSION") == 0)
			v = c->tc.version;
		else if (strcmp(keys[i], "GOHOSTOS") == 0)
			v = c->tc.hostos;
		else if (strcmp(keys[i], "GOHOSTARCH") == 0)
			v = c->tc.hostarch;
		else if (strcmp(keys[i], "GOEXPERIMENT") == 0)
			v = c->goexperiment;
		else if (strcmp(keys[i], "GOFIPS140") == 0)
			v = c->gofips140;
		else if (strcmp(keys[i], "GOPATH") == 0)
			v = c->gopath;
		else if (strcmp(keys[i], "GOMODCACHE") == 0)
			v = c->gomodcache;
		else
			v = cfg_getenv(c, keys[i]);
		if (v && v[0])
			strvec_push_take(&set, xasprintf("%s=%s", keys[i], v));
	}
	if (c->ctx.goarch_var && c->ctx.goarch_val && c->ctx.goarch_val[0])
		strvec_push_take(&set, xasprintf("%s=%s", c->ctx.goarch_var, c->ctx.goarch_val));
	{
		/* MkEnv's AR, CC and CXX: their defaults are set too (cgo runs $CC) */
		const char *v = cfg_getenv(c, "AR");
		strvec_push_take(&set, xasprintf("AR=%s", v && v[0] ? v : "ar"));
		v = cfg_getenv(c, "CC");
		strvec_push_take(&set, xasprintf("CC=%s", v && v[0] ? v : cfg_default_cc(c->ctx.goos, c->ctx.goarch)));
		v = cfg_getenv(c, "CXX");
		strvec_push_take(&set, xasprintf("CXX=%s", v && v[0] ? v : cfg_default_cxx(c->ctx.goos, c->ctx.goarch)));
	}
	for (char **ep = environ; *ep; ep++) {
		const char *eq = strchr(*ep, '=');
		size_t kl = eq ? (size_t)(eq - *ep) + 1 : strlen(*ep);
		bool over = false;
		for (size_t i = 0; i < set.n && !over; i++)
			over = strncmp(set.v[i], *ep, kl) == 0;
		if (!over)
			strvec_push(&b->env, *ep);
	}
	for (size_t i = 0; i < set.n; i++)
		strvec_push(&b->env, set.v[i]);
	strvec_push(&b->env, "GIT_TERMINAL_PROMPT=0");
	strvec_push(&b->env, "GCM_INTERACTIVE=never");
	strvec_null_terminate(&b->env);
	strvec_clear(&set);
	if (c->goarch_val_changed && c->ctx.goarch_var)
		strvec_push_take(&b->changed_env, xasprintf("%s=%s", c->ctx.goarch_var, c->ctx.goarch_val));
}

const char *work_exe_suffix(const struct work_builder *b)
{
	return b->exe_suffix;
}

int work_builder_new(const struct cfg *cfg, struct load_state *ld, const struct work_build_opts *o,
                     struct work_builder **out, struct err *e)
{
	struct work_builder *b = xcalloc(1, sizeof *b);
	const char *goos = cfg->ctx.goos, *goarch = cfg->ctx.goarch;
	const char *bm = o->buildmode && o->buildmode[0] ? o->buildmode : "default";
	char *codegen = NULL;

	b->cfg = cfg;
	b->ld = ld;
	b->o = *o;
	b->o.buildmode = bm;
	b->a = load_arena(ld);
	map_init(&b->build_actions);
	map_init(&b->mkdirs);
	map_init(&b->flags_of);
	map_init(&b->cover_of);
	map_init(&b->cover_meta_of);
	map_init(&b->gcc_flags);
	map_init(&b->gcc_ids);
	{
		const char *gd = getenv("GODEBUG");
		b->hashdebug = gd && strstr(gd, "gocachehash=1") != NULL;
	}
	/* buildModeInit for the modes gotool supports */
	if (strcmp(bm, "default") == 0) {
		bool pie = strcmp(goos, "android") == 0 || strcmp(goos, "ios") == 0 ||
		           strcmp(goos, "darwin") == 0 || strcmp(goos, "windows") == 0;
		b->ldbuildmode = pie ? "pie" : "exe";
		if (pie && strcmp(goos, "windows") != 0)
			codegen = "-shared";
	} else if (strcmp(bm, "exe") == 0) {
		b->ldbuildmode = "exe";
	} else if (strcmp(bm, "pie") == 0) {
		b->ldbuildmode = "pie";
		if (strcmp(goos, "aix") != 0 && strcmp(goos, "windows") != 0)
			codegen = "-shared";
	} else if (strcmp(bm, "archive") == 0) {
		b->ldbuildmode = "";
	} else if (strcmp(bm, "c-archive") == 0) {
		/* -shared: the archive can go into a PIE or a shared library */
		b->ldbuildmode = "c-archive";
		b->c_header = true;
		if (strcmp(goos, "linux") == 0 || strcmp(goos, "freebsd") == 0 || strcmp(goos, "netbsd") == 0 ||
		    strcmp(goos, "openbsd") == 0 || strcmp(goos, "dragonfly") == 0 || strcmp(goos, "illumos") == 0 ||
		    strcmp(goos, "solaris") == 0 ||
		    ((strcmp(goos, "darwin") == 0 || strcmp(goos, "ios") == 0) && strcmp(goarch, "arm64") == 0))
			codegen = "-shared";
	} else if (strcmp(bm, "c-shared") == 0) {
		b->ldbuildmode = "c-shared";
		b->c_header = true;
		if (strcmp(goos, "linux") == 0 || strcmp(goos, "android") == 0 || strcmp(goos, "freebsd") == 0)
			codegen = "-shared";
	} else {
		free(b);
		return err_setf(e, "-buildmode=%s not supported yet", bm);
	}
	if (strcmp(bm, "c-archive") == 0)
		b->exe_suffix = ".a";
	else if (strcmp(goos, "windows") == 0 && strcmp(bm, "c-shared") != 0)
		b->exe_suffix = ".exe";
	else
		b->exe_suffix = "";
	if (o->instrument) {
		/* instrumentInit: the mode flag goes to compile and link, and the
		 * mode joins the install suffix (before buildModeInit's codegen) */
		const char *sfx = b->o.installsuffix ? b->o.installsuffix : "";
		b->o.installsuffix = arena_printf(b->a, "%s%s%s", sfx, sfx[0] ? "_" : "", o->instrument);
		strvec_push_take(&b->forced_ldflags, xasprintf("-%s", o->instrument));
	}
	if (codegen) {
		strvec_push(&b->forced_gcflags, codegen);
		strvec_push(&b->forced_asmflags, codegen);
		if (strcmp(bm, "default") != 0) {
			const char *sfx = b->o.installsuffix ? b->o.installsuffix : "";
			b->o.installsuffix = arena_printf(b->a, "%s%s%s", sfx, sfx[0] ? "_" : "", codegen + 1);
		}
	}
	if (o->instrument)
		strvec_push_take(&b->forced_gcflags, xasprintf("-%s", o->instrument));
	{
		/* the salt is runtime.Version() without an experiment suffix */
		const char *v = cfg->tc.version;
		const char *x = strstr(v, " X:");
		if (!x)
			x = strstr(v, "-X:");
		b->salt = x ? xstrndup(v, (size_t)(x - v)) : xstrdup(v);
	}
	env_setup(b);
	{
		const char *cc = cfg_getenv(cfg, "CC");
		if (!cc || !cc[0])
			cc = cfg_default_cc(goos, goarch);
		if (quoted_split(cc, &b->cc, e) < 0)
			goto fail;
	}
	b->ct.goroot = cfg->tc.goroot;
	b->ct.tooldir = cfg->tc.tooldir;
	b->ct.goos = goos;
	b->ct.goarch = goarch;
	b->ct.arch_val = cfg->ctx.goarch_val ? cfg->ctx.goarch_val : "";
	b->ct.goversion = cfg->tc.version;
	b->ct.local_version = cfg->tc.gover;
	b->ct.installsuffix = b->o.installsuffix ? b->o.installsuffix : "";
	b->ct.toolexec = &b->o.toolexec;
	b->ct.forced_gcflags = &b->forced_gcflags;
	b->ct.forced_asmflags = &b->forced_asmflags;
	{
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		int c = ncpu > 4 ? 4 : (int)ncpu;
		if (b->o.p == 1)
			c = (int)ncpu;
		b->ct.concurrency = c;
	}
	b->ct.trimpath = o->trimpath;
	if (b->o.n) {
		b->workdir = xstrdup("$WORK");
	} else {
		const char *tmp = getenv("GOTMPDIR");
		char *tmpl;
		if (!tmp || !tmp[0])
			tmp = getenv("TMPDIR");
		if (!tmp || !tmp[0])
			tmp = "/tmp";
		/* $WORK is made on first use (work_ensure_workdir) unless -x or
		 * -work print it now, or the temp dir looks unusable: then it is
		 * made here so that the error is go's, at go's point:
		 * "creating work dir: mkdir DIR/go-buildNNN: not a directory" */
		if (!b->o.x && !b->o.work && access(tmp, W_OK | X_OK) == 0 &&
		    (tmpl = os_temp_name(tmp, "go-build"))) {
			b->workdir = tmpl;
		} else {
			if (os_mkdir_temp(tmp, "go-build", &tmpl, e) < 0) {
				err_wrapf(e, "creating work dir");
				goto fail;
			}
			b->workdir = tmpl;
			b->workdir_made = true;
			base_atexit(cleanup_workdir, b->o.work ? NULL : xstrdup(b->workdir));
		}
		if (b->o.x || b->o.work)
			fprintf(stderr, "WORK=%s\n", b->workdir);
	}
	if (work_cache_open(NULL, &b->cache, e) < 0)
		goto fail;
	if (tool_id(b, "compile", &b->tool_compile, e) < 0 || tool_id(b, "asm", &b->tool_asm, e) < 0 ||
	    tool_id(b, "link", &b->tool_link, e) < 0)
		goto fail;
	b->root = work_new_action(b, A_ROOT, NULL);
	*out = b;
	return 0;
fail:
	*out = b;
	return -1;
}

void work_add_build(struct work_builder *b, struct load_pkg *p)
{
	VEC_PUSH(&b->root->deps, work_build_action(b, p));
}

void work_add_install(struct work_builder *b, struct load_pkg *p, const char *target)
{
	struct work_action *a, *inst;

	if (strcmp(p->name, "main") == 0)
		a = work_link_action(b, p);
	else
		a = work_build_action(b, p);
	inst = work_new_action(b, A_INSTALL, p);
	inst->target = xstrdup(target);
	if (a->mode == A_LINK)
		a->install_target = xstrdup(target);
	VEC_PUSH(&inst->deps, a);
	if (b->c_header && p->cgo_files.n > 0) {
		/* addInstallHeaderAction: cgo's export header goes beside the
		 * library, its extension replaced by .h */
		struct work_action *ah = work_new_action(b, A_INSTHDR, p);
		const char *base = strrchr(target, '/'), *dot;
		base = base ? base + 1 : target;
		dot = strrchr(base, '.');
		ah->target = dot ? xasprintf("%.*s.h", (int)(dot - target), target) : xasprintf("%s.h", target);
		ah->objdir = xstrdup(a->objdir);
		VEC_PUSH(&ah->deps, a);
		VEC_PUSH(&inst->deps, ah);
		/* needCgoHdr looks two triggers up: every cgo package the link
		 * takes "needs" the header, and one without //export (none
		 * cached) runs cgo again on every build, as in go */
		if (a->mode == A_LINK) {
			for (size_t i = 0; i < a->deps.n; i++)
				if (a->deps.v[i]->mode == A_BUILD && a->deps.v[i]->p && a->deps.v[i]->p->cgo_files.n > 0)
					a->deps.v[i]->need_hdr = true;
		}
	}
	VEC_PUSH(&b->root->deps, inst);
}

void work_add_link(struct work_builder *b, struct load_pkg *p, char **exe)
{
	struct work_action *a = work_link_action(b, p);

	a->named_exe = true;
	VEC_PUSH(&b->root->deps, a);
	*exe = xstrdup(a->target);
}

int work_run(struct work_builder *b)
{
	int n = 0;
	struct sigaction sa = {0}, old_int, old_term;

	work_test_wire(b);
	post_order(b, b->root, &n);
	for (size_t i = 0; i < b->all.n; i++) {
		struct work_action *a = b->all.v[i];
		for (size_t j = 0; j < a->deps.n; j++)
			VEC_PUSH(&a->deps.v[j]->triggers, a);
		a->pending = (int)a->deps.n;
	}
	for (size_t i = 0; i < b->all.n; i++)
		if (b->all.v[i]->visited && b->all.v[i]->pending == 0)
			heap_push(&ready, b->all.v[i]);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	{
		int par = b->o.n ? 1 : b->o.p > 0 ? b->o.p : (int)sysconf(_SC_NPROCESSORS_ONLN);
		VEC(struct pollfd) pfds = {0};
		VEC(struct work_action *) pacts = {0};
		while (!b->root->done && !interrupted) {
			while (b->running < par && ready.n > 0 && !interrupted)
				start_action(b, heap_pop(&ready));
			if (b->root->done)
				break;
			if (b->running == 0) {
				if (ready.n == 0)
					break; /* nothing left that can run */
				continue;
			}
			pfds.n = pacts.n = 0;
			for (size_t i = 0; i < b->all.n; i++) {
				struct work_action *a = b->all.v[i];
				if (a->fd >= 0) {
					struct pollfd p = {a->fd, POLLIN, 0};
					VEC_PUSH(&pfds, p);
					VEC_PUSH(&pacts, a);
				}
			}
			{
				/* a running test's kill timer bounds the wait */
				int64_t next = 0, now;
				int tmo = -1;
				for (size_t i = 0; i < pacts.n; i++)
					if (pacts.v[i]->deadline > 0 && (next == 0 || pacts.v[i]->deadline < next))
						next = pacts.v[i]->deadline;
				if (next > 0) {
					now = work_now_ns();
					tmo = next <= now ? 0 : (int)((next - now) / 1000000 + 1);
				}
				if (poll(pfds.v, pfds.n, tmo) < 0) {
					if (errno == EINTR)
						continue;
					break;
				}
				if (next > 0) {
					now = work_now_ns();
					for (size_t i = 0; i < pacts.n; i++)
						if (pacts.v[i]->deadline > 0 && pacts.v[i]->deadline <= now)
							work_test_deadline(b, pacts.v[i]);
				}
			}
			for (size_t i = 0; i < pfds.n; i++) {
				struct work_action *a = pacts.v[i];
				char tmp[65536];
				ssize_t r;
				if (!(pfds.v[i].revents & (POLLIN | POLLHUP | POLLERR)))
					continue;
				r = read(a->fd, tmp, sizeof tmp);
				if (r > 0) {
					if (a->mode == A_TESTRUN)
						work_test_output(b, a, tmp, (size_t)r);
					else
						buf_add(&a->out, tmp, (size_t)r);
					continue;
				}
				if (r < 0 && errno == EINTR)
					continue;
				{
					int st = 0;
					close(a->fd);
					a->fd = -1;
					while (waitpid(a->pid, &st, 0) < 0 && errno == EINTR)
						;
					if (a->mode == A_TESTRUN) {
						b->running--;
						a->pid = -1;
						a->deadline = 0;
						work_test_exited(b, a, st);
						advance(b, a);
					} else {
						proc_done(b, a, WIFEXITED(st) ? (WEXITSTATUS(st) == 0 ? 0 : st) : st);
					}
				}
			}
		}
		VEC_FREE(&pfds);
		VEC_FREE(&pacts);
	}
	if (interrupted) {
		for (size_t i = 0; i < b->all.n; i++) {
			struct work_action *a = b->all.v[i];
			if (a->pid > 0) {
				kill(a->pid, SIGKILL);
				waitpid(a->pid, NULL, 0);
			}
		}
		base_set_exit_status(1);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	VEC_FREE(&ready);
	return base_exit_status();
}

bool work_root_failed(const struct work_builder *b)
{
	return b->root->failed;
}

const char *work_dir(const struct work_builder *b)
{
	return b->workdir;
}

void work_builder_free(struct work_builder *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->all.n; i++) {
		struct work_action *a = b->all.v[i];
		VEC_FREE(&a->deps);
		VEC_FREE(&a->triggers);
		free(a->objdir);
		free(a->target);
		free(a->install_target);
		free(a->built);
		free(a->buildid);
		free(a->modinfo);
		strvec_clear(&a->gcflags);
		strvec_clear(&a->asmflags);
		strvec_clear(&a->ldflags);
		strvec_clear(&a->objects);
		strvec_clear(&a->cover_gofiles);
		if (a->mode == A_BUILD || a->mode == A_BUILTIN)
			work_cgo_free(a->cgo);
		free(a->captured);
		free_ops(a);
		if (a->tr)
			work_test_free(a);
		buf_release(&a->out);
		free(a);
	}
	VEC_FREE(&b->all);
	if (b->cache)
		work_cache_close(b->cache);
	work_vet_state_free(b->vet);
	map_release(&b->build_actions);
	map_release(&b->mkdirs);
	map_release(&b->flags_of);
	map_release(&b->cover_of);
	map_release(&b->cover_meta_of);
	map_release(&b->gcc_flags);
	map_release(&b->gcc_ids);
	VEC_FREE(&b->test_builds);
	VEC_FREE(&b->test_runs);
	VEC_FREE(&b->test_prints);
	strvec_clear(&b->forced_gcflags);
	strvec_clear(&b->forced_asmflags);
	strvec_clear(&b->forced_ldflags);
	strvec_clear(&b->env);
	strvec_clear(&b->changed_env);
	strvec_clear(&b->cc);
	free(b->salt);
	free(b->tool_compile);
	free(b->tool_asm);
	free(b->tool_link);
	free(b->tool_preprofile);
	free(b->tool_cover);
	free(b->tool_cgo);
	free(b->script_dir);
	/* the work dir itself goes at exit (base_atexit) */
	free(b->workdir);
	free(b);
}

/* ---- for the room's other files (work_internal.h) ----------------------- */

struct work_action *work_build_action_find(struct work_builder *b, struct load_pkg *p)
{
	char pk[PTR_KEY_SIZE];

	return map_get(&b->build_actions, ptr_key(pk, p));
}

int work_write_file(struct work_builder *b, const char *file, const char *text, size_t n, struct err *e)
{
	return write_file(b, file, text, n, e);
}

int work_tool_id(struct work_builder *b, const char *name, char **out, struct err *e)
{
	return tool_id(b, name, out, e);
}

int work_file_hash(struct work_builder *b, const char *path, char out[21], struct err *e)
{
	return file_hash(b, path, out, e);
}
