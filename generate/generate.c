/*
 * Running the //go:generate directives of one file: mirrors
 * cmd/go/internal/generate/generate.go (go1.26) from generate(absFile) on:
 * the line scanner (bufio.Reader's 4096-byte lines), split, the variables,
 * -command aliases and exec.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "generate/generate.h"
#include "modload/modload.h"

/* bufio.NewReader's default size: a line that does not fit (its newline
 * included) comes back as ErrBufferFull. */
#define GEN_MAX_LINE 4096

static const char directive[] = "//go:generate";

/* is_go_generate is isGoGenerate: the marker followed by a space or a tab. */
static bool is_go_generate(const char *buf, size_t n)
{
	size_t m = sizeof directive - 1;

	return n > m && memcmp(buf, directive, m) == 0 && (buf[m] == ' ' || buf[m] == '\t');
}

void gen_file_init(struct gen_file *g, const struct gen_config *cfg, const char *path,
                   const char *short_path, const char *pkg)
{
	const char *slash = strrchr(path, '/');

	memset(g, 0, sizeof(*g));
	g->cfg = cfg;
	g->path = path;
	g->short_path = short_path;
	/* filepath.Split then Clean: no final separator */
	g->dir = path_dir(path);
	g->file = slash ? slash + 1 : path;
	g->pkg = xstrdup(pkg);
}

void gen_file_release(struct gen_file *g)
{
	for (size_t i = 0; i < g->commands.n; i++) {
		free(g->commands.v[i].name);
		strvec_clear(&g->commands.v[i].words);
	}
	VEC_FREE(&g->commands);
	strvec_clear(&g->env);
	free(g->dir);
	free(g->pkg);
	memset(g, 0, sizeof(*g));
}

/* env_get is os.Getenv on Unix: the first NAME=value entry whose key (up to
 * its first '=') is name, or NULL. */
static const char *env_get(char *const *env, const char *name, size_t n)
{
	for (; env && *env; env++) {
		const char *eq = strchr(*env, '=');
		if (eq && (size_t)(eq - *env) == n && memcmp(*env, name, n) == 0)
			return eq + 1;
	}
	return NULL;
}

extern char **environ;

void gen_set_env(struct gen_file *g)
{
	const struct gen_config *c = g->cfg;
	const char *path = env_get(environ, "PATH", 4);
	char *bin = path_join(c->goroot, "bin");

	strvec_clear(&g->env);
	strvec_push_take(&g->env, xasprintf("GOROOT=%s", c->goroot));
	strvec_push_take(&g->env, xasprintf("GOARCH=%s", c->goarch));
	strvec_push_take(&g->env, xasprintf("GOOS=%s", c->goos));
	strvec_push_take(&g->env, xasprintf("GOFILE=%s", g->file));
	strvec_push_take(&g->env, xasprintf("GOLINE=%d", g->line));
	strvec_push_take(&g->env, xasprintf("GOPACKAGE=%s", g->pkg));
	strvec_push(&g->env, "DOLLAR=$");
	/* base.AppendPATH: $GOROOT/bin first, so that a generator running
	 * `go` gets the toolchain of the `go generate` that started it */
	if (path && *path)
		strvec_push_take(&g->env, xasprintf("PATH=%s:%s", bin, path));
	else
		strvec_push_take(&g->env, xasprintf("PATH=%s", bin));
	/* base.AppendPWD */
	strvec_push_take(&g->env, xasprintf("PWD=%s", g->dir));
	strvec_null_terminate(&g->env);
	free(bin);
}

/* expand_var is Generator.expandVar: the directive environment first, then
 * the process environment (where go has set its `go env` values). */
static const char *expand_var(const struct gen_file *g, const char *name, size_t n)
{
	const char *v;

	v = g->env.n ? env_get(g->env.v, name, n) : NULL;
	if (!v)
		v = env_get(environ, name, n);
	return v ? v : "";
}

static bool is_shell_special(unsigned char c)
{
	return strchr("*#$@!?-0123456789", c) != NULL && c != 0;
}

static bool is_alnum(unsigned char c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* shell_name is os.getShellName on s[0..n) (n > 0): the name's start and
 * length, and the bytes consumed after the '$'. */
static void shell_name(const char *s, size_t n, size_t *off, size_t *len, size_t *w)
{
	size_t i;

	if (s[0] == '{') {
		if (n > 2 && is_shell_special((unsigned char)s[1]) && s[2] == '}') {
			*off = 1, *len = 1, *w = 3;
			return;
		}
		for (i = 1; i < n; i++) {
			if (s[i] == '}') {
				if (i == 1) {
					*off = 0, *len = 0, *w = 2; /* bad syntax: eat "${}" */
					return;
				}
				*off = 1, *len = i - 1, *w = i + 1;
				return;
			}
		}
		*off = 0, *len = 0, *w = 1; /* bad syntax: eat "${" */
		return;
	}
	if (is_shell_special((unsigned char)s[0])) {
		*off = 0, *len = 1, *w = 1;
		return;
	}
	for (i = 0; i < n && is_alnum((unsigned char)s[i]); i++)
		;
	*off = 0, *len = i, *w = i;
}

void gen_expand(const struct gen_file *g, const char *s, struct buf *out)
{
	size_t n = strlen(s), i = 0, j;

	for (j = 0; j < n; j++) {
		size_t off, len, w;
		if (s[j] != '$' || j + 1 >= n)
			continue;
		buf_add(out, s + i, j - i);
		shell_name(s + j + 1, n - j - 1, &off, &len, &w);
		if (len == 0 && w > 0) {
			/* invalid syntax: the characters are eaten */
		} else if (len == 0) {
			buf_addch(out, '$'); /* no name: the dollar stays */
		} else {
			char *name = xstrndup(s + j + 1 + off, len);
			buf_adds(out, expand_var(g, name, len));
			free(name);
		}
		j += w;
		i = j + 1;
	}
	if (i < n)
		buf_add(out, s + i, n - i);
}

static const struct gen_alias *find_alias(const struct gen_file *g, const char *name)
{
	for (size_t i = 0; i < g->commands.n; i++)
		if (strcmp(g->commands.v[i].name, name) == 0)
			return &g->commands.v[i];
	return NULL;
}

/* unquote_go is strconv.Unquote for a double-quoted literal q[0..n). */
static bool unquote_go(const char *q, size_t n, struct buf *out);

int gen_split(struct gen_file *g, const char *line, size_t n, struct strvec *words, struct err *e)
{
	struct strvec raw = {0};
	const struct gen_alias *alias;
	size_t start = sizeof directive; /* the marker and its space or tab */
	const char *s;
	size_t len;
	int rc = -1;

	/* drop the preamble and the final newline, then one carriage return */
	if (n < start + 1) {
		s = line + n;
		len = 0;
	} else {
		s = line + start;
		len = n - start - 1;
	}
	if (len > 0 && s[len - 1] == '\r')
		len--;
	for (;;) {
		size_t i;
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++, len--;
		if (len == 0)
			break;
		if (*s == '"') {
			bool closed = false;
			for (i = 1; i < len; i++) {
				char c = s[i];
				if (c == '\\') {
					if (i + 1 == len) {
						err_setf(e, "bad backslash");
						goto out;
					}
					i++; /* the next byte is the escape's; Unquote checks it */
				} else if (c == '"') {
					struct buf w = BUF_INIT;
					if (!unquote_go(s, i + 1, &w)) {
						buf_release(&w);
						err_setf(e, "bad quoted string");
						goto out;
					}
					strvec_push_take(&raw, buf_detach(&w));
					s += i + 1;
					len -= i + 1;
					if (len > 0 && *s != ' ' && *s != '\t') {
						err_setf(e, "expect space after quoted argument");
						goto out;
					}
					closed = true;
					break;
				}
			}
			if (!closed) {
				err_setf(e, "mismatched quoted string");
				goto out;
			}
			continue;
		}
		for (i = 0; i < len && s[i] != ' ' && s[i] != '\t'; i++)
			;
		strvec_push_take(&raw, xstrndup(s, i));
		s += i;
		len -= i;
	}
	/* substitute the alias (a copy of its words), then expand every word */
	alias = raw.n ? find_alias(g, raw.v[0]) : NULL;
	if (alias) {
		struct strvec sub = {0};
		for (size_t i = 0; i < alias->words.n; i++)
			strvec_push(&sub, alias->words.v[i]);
		for (size_t i = 1; i < raw.n; i++)
			strvec_push(&sub, raw.v[i]);
		strvec_clear(&raw);
		raw = sub;
	}
	for (size_t i = 0; i < raw.n; i++) {
		struct buf w = BUF_INIT;
		gen_expand(g, raw.v[i], &w);
		strvec_push_take(words, buf_detach(&w));
	}
	rc = 0;
out:
	strvec_clear(&raw);
	return rc;
}

int gen_set_shorthand(struct gen_file *g, const struct strvec *words, struct err *e)
{
	struct gen_alias a = {0};
	struct buf q = BUF_INIT;

	if (words->n == 1)
		return err_setf(e, "no command specified for -command");
	/* "-command x" alone defines x as nothing (go stores an empty,
	 * non-nil slice): "x a b" then runs "a b" */
	if (find_alias(g, words->v[1])) {
		quoted_go_string(&q, words->v[1], strlen(words->v[1]));
		err_setf(e, "command %s multiply defined", buf_cstr(&q));
		buf_release(&q);
		return -1;
	}
	a.name = xstrdup(words->v[1]);
	for (size_t i = 2; i < words->n; i++)
		strvec_push(&a.words, words->v[i]);
	VEC_PUSH(&g->commands, a);
	return 0;
}

/* ---- strconv.Unquote for "..." ------------------------------------------ */

static int unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void utf8_encode(struct buf *b, uint32_t r)
{
	if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
		r = 0xFFFD;
	if (r < 0x80) {
		buf_addch(b, (int)r);
	} else if (r < 0x800) {
		buf_addch(b, (int)(0xC0 | (r >> 6)));
		buf_addch(b, (int)(0x80 | (r & 0x3F)));
	} else if (r < 0x10000) {
		buf_addch(b, (int)(0xE0 | (r >> 12)));
		buf_addch(b, (int)(0x80 | ((r >> 6) & 0x3F)));
		buf_addch(b, (int)(0x80 | (r & 0x3F)));
	} else {
		buf_addch(b, (int)(0xF0 | (r >> 18)));
		buf_addch(b, (int)(0x80 | ((r >> 12) & 0x3F)));
		buf_addch(b, (int)(0x80 | ((r >> 6) & 0x3F)));
		buf_addch(b, (int)(0x80 | (r & 0x3F)));
	}
}

/* mirrors strconv.Unquote / UnquoteChar for a double-quoted string: no raw
 * newline, no invalid UTF-8 (utf8.ValidString), Go's escapes only. */
static bool unquote_go(const char *q, size_t n, struct buf *out)
{
	size_t i;

	if (n < 2 || q[0] != '"' || q[n - 1] != '"')
		return false;
	q++;
	n -= 2;
	if (!utf8_string_valid(q, n))
		return false;
	for (i = 0; i < n;) {
		unsigned char c = (unsigned char)q[i];
		if (c == '"' || c == '\n')
			return false;
		if (c != '\\') {
			buf_addch(out, c);
			i++;
			continue;
		}
		if (i + 1 >= n)
			return false;
		c = (unsigned char)q[i + 1];
		i += 2;
		switch (c) {
		case 'a': buf_addch(out, '\a'); break;
		case 'b': buf_addch(out, '\b'); break;
		case 'f': buf_addch(out, '\f'); break;
		case 'n': buf_addch(out, '\n'); break;
		case 'r': buf_addch(out, '\r'); break;
		case 't': buf_addch(out, '\t'); break;
		case 'v': buf_addch(out, '\v'); break;
		case '\\': buf_addch(out, '\\'); break;
		case '"': buf_addch(out, '"'); break;
		case 'x': case 'u': case 'U': {
			size_t k = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			uint32_t v = 0;
			if (i + k > n)
				return false;
			for (size_t j = 0; j < k; j++) {
				int d = unhex((unsigned char)q[i + j]);
				if (d < 0)
					return false;
				v = v << 4 | (uint32_t)d;
			}
			i += k;
			if (c == 'x') {
				buf_addch(out, (int)v); /* a single byte */
				break;
			}
			if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
				return false;
			utf8_encode(out, v);
			break;
		}
		case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
			uint32_t v = (uint32_t)(c - '0');
			if (i + 2 > n)
				return false;
			for (size_t j = 0; j < 2; j++) {
				unsigned char d = (unsigned char)q[i + j];
				if (d < '0' || d > '7')
					return false;
				v = v << 3 | (uint32_t)(d - '0');
			}
			i += 2;
			if (v > 255)
				return false;
			buf_addch(out, (int)v);
			break;
		}
		default:
			return false; /* includes \' which is only valid in rune literals */
		}
	}
	return true;
}

/* ---- running one directive ---------------------------------------------- */

/* dedup_env is os/exec's dedupEnv on Unix: later values win, entries keep
 * the order of their last occurrence; entries without '=' stay as they are. */
static void dedup_env(char *const *env, size_t n, struct strvec *out)
{
	struct strvec rev = {0};
	struct map saw;

	map_init(&saw);
	for (size_t k = n; k > 0; k--) {
		const char *kv = env[k - 1];
		const char *eq = strchr(kv, '=');
		char *key;
		if (eq == kv)
			eq = strchr(kv + 1, '=');
		if (!eq) {
			if (*kv)
				strvec_push(&rev, kv);
			continue;
		}
		key = xstrndup(kv, (size_t)(eq - kv));
		if (map_has(&saw, key)) {
			free(key);
			continue;
		}
		map_put(&saw, key, (void *)kv);
		strvec_push(&rev, kv);
	}
	for (size_t k = rev.n; k > 0; k--)
		strvec_push(out, rev.v[k - 1]);
	strvec_null_terminate(out);
	{
		size_t it = 0;
		const char *key;
		void *val;
		while (map_next(&saw, &it, &key, &val))
			free((char *)key);
	}
	map_release(&saw);
	strvec_clear(&rev);
}

/* gen_exec is Generator.exec: resolve the command as go does and run it in
 * the package directory with the generator's environment. */
static int gen_exec(struct gen_file *g, const struct strvec *words, struct err *e)
{
	const struct gen_config *c = g->cfg;
	const char *word0 = words->v[0];
	char *path = NULL;
	struct strvec env = {0}, argv = {0};
	struct err xe = ERR_INIT;
	struct buf q = BUF_INIT, st = BUF_INIT;
	int ws = 0, rc = -1;

	quoted_go_string(&q, word0, strlen(word0));
	if (c->self_exe && strcmp(word0, "go") == 0) {
		/* gotool stands in for the go that go would find in
		 * $GOROOT/bin: `go run ./gen` in a directive builds with gotool */
		path = xstrdup(c->self_exe);
	} else if (*word0 && !strchr(word0, '/')) {
		char *bin = path_join(c->goroot, "bin");
		char *cand = path_join(bin, word0);
		free(bin);
		if (proc_go_find_executable(cand) == 0)
			path = cand;
		else
			free(cand);
	}
	if (!path) {
		if (!*word0) {
			err_setf(e, "running %s: exec: no command", buf_cstr(&q));
			goto out;
		}
		if (strchr(word0, '/')) {
			path = xstrdup(word0);
		} else if (proc_go_lookpath(word0, &path, &xe) < 0) {
			err_setf(e, "running %s: %s", buf_cstr(&q), err_msg(&xe));
			goto out;
		}
	}
	for (size_t i = 0; i < words->n; i++)
		strvec_push(&argv, words->v[i]);
	strvec_null_terminate(&argv);
	{
		struct strvec all = {0};
		for (char *const *p = c->orig_env; p && *p; p++)
			strvec_push(&all, *p);
		for (size_t i = 0; i < g->env.n; i++)
			strvec_push(&all, g->env.v[i]);
		dedup_env(all.v, all.n, &env);
		strvec_clear(&all);
	}
	if (proc_spawn_wait(path, argv.v, g->dir, env.v, &ws, &xe) < 0) {
		err_setf(e, "running %s: %s", buf_cstr(&q), err_msg(&xe));
		goto out;
	}
	if (!(WIFEXITED(ws) && WEXITSTATUS(ws) == 0)) {
		proc_status_string(&st, ws);
		err_setf(e, "running %s: %s", buf_cstr(&q), buf_cstr(&st));
		goto out;
	}
	rc = 0;
out:
	err_clear(&xe);
	buf_release(&q);
	buf_release(&st);
	strvec_clear(&argv);
	strvec_clear(&env);
	free(path);
	return rc;
}

/* trim_right_space is the right half of bytes.TrimSpace (a directive line
 * starts with "//go:generate", so there is nothing to trim on the left):
 * ASCII white space and Unicode's White_Space runes in UTF-8. */
static size_t trim_right_space(const char *s, size_t n)
{
	while (n > 0) {
		unsigned char c = (unsigned char)s[n - 1];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
			n--;
			continue;
		}
		if (c < 0x80)
			break;
		{
			/* the last rune: back up over continuation bytes */
			size_t k = n - 1, w;
			int32_t r;
			while (k > 0 && n - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
				k--;
			w = utf8_rune_decode(s + k, n - k, &r);
			if (k + w != n)
				break; /* not a whole rune at the end: RuneError, not space */
			if (r == 0x85 || r == 0xA0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 ||
			    r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000) {
				n = k;
				continue;
			}
			break;
		}
	}
	return n;
}

/* report is Generator.errorf: "FILE:LINE: msg" on stderr; the caller stops
 * the file (and with it the package). */
static void report(const struct gen_file *g, const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "%s:%d: %s\n", g->short_path, g->line, msg);
}

/* run_lines is Generator.run over the file's bytes. */
static bool run_lines(struct gen_file *g, const char *data, size_t n)
{
	const struct gen_config *c = g->cfg;
	struct strvec words = {0};
	struct err e = ERR_INIT;
	size_t pos = 0;
	bool ok = false;

	if (c->v) {
		fflush(stdout);
		fprintf(stderr, "%s\n", g->short_path);
	}
	for (;;) {
		const char *line = data + pos, *nl;
		size_t len, llen;
		bool has_nl;

		g->line++;
		nl = memchr(line, '\n', n - pos);
		has_nl = nl != NULL;
		llen = has_nl ? (size_t)(nl - line) : n - pos; /* without the newline */
		len = llen + has_nl;
		pos += len;
		if (llen >= GEN_MAX_LINE) {
			/* ErrBufferFull: the line is consumed and ignored, unless
			 * its first 4096 bytes are a directive */
			if (is_go_generate(line, GEN_MAX_LINE)) {
				err_setf(&e, "directive too long");
				goto fail;
			}
			if (!has_nl)
				break;
			continue;
		}
		if (!has_nl) {
			/* io.EOF: a directive without its final newline is
			 * io.ErrUnexpectedEOF */
			if (is_go_generate(line, len)) {
				err_setf(&e, "error reading %s: unexpected EOF", g->short_path);
				goto fail;
			}
			break;
		}
		if (!is_go_generate(line, len))
			continue;
		{
			size_t t = trim_right_space(line, len);
			if (c->run && !gen_regexp_match(c->run, line, t))
				continue;
			if (c->skip && gen_regexp_match(c->skip, line, t))
				continue;
		}
		gen_set_env(g);
		strvec_clear(&words);
		if (gen_split(g, line, len, &words, &e) < 0)
			goto fail;
		if (words.n == 0) {
			err_setf(&e, "no arguments to directive");
			goto fail;
		}
		if (strcmp(words.v[0], "-command") == 0) {
			if (gen_set_shorthand(g, &words, &e) < 0)
				goto fail;
			continue;
		}
		if (c->n || c->x) {
			struct buf b = BUF_INIT;
			for (size_t i = 0; i < words.n; i++) {
				if (i)
					buf_addch(&b, ' ');
				buf_adds(&b, words.v[i]);
			}
			fflush(stdout);
			fprintf(stderr, "%s\n", buf_cstr(&b));
			buf_release(&b);
		}
		if (c->n)
			continue;
		if (gen_exec(g, &words, &e) < 0)
			goto fail;
	}
	ok = true;
	goto out;
fail:
	report(g, err_msg(&e));
	base_set_exit_status(1);
out:
	err_clear(&e);
	strvec_clear(&words);
	return ok;
}

enum gen_result gen_run_file(const struct gen_config *cfg, const char *path, const char *short_path,
                             struct err *e)
{
	struct buf src = BUF_INIT;
	struct arena a;
	struct gen_file g;
	const char *pkg = NULL;
	enum gen_result r = GEN_OK;

	arena_init(&a);
	if (os_read_file(path, &src, 0, e) < 0) {
		err_wrapf(e, "generate");
		r = GEN_FATAL;
		goto out;
	}
	/* an invalid package clause: the file is ignored */
	if (!load_package_clause(&a, src.data, src.len, &pkg))
		goto out;
	gen_file_init(&g, cfg, path, short_path, pkg);
	if (!run_lines(&g, src.data, src.len))
		r = GEN_STOP;
	gen_file_release(&g);
out:
	arena_release(&a);
	buf_release(&src);
	return r;
}
