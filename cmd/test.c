/*
 * gotool test (cmd/go/internal/test test.go, testflag.go for go1.26): the
 * mixed command line of go test flags, build flags, test binary flags and
 * package arguments; loading the packages and their test variants; the
 * generated test mains; and the build given to work/, which builds, runs
 * and prints each package's test in go's order and format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/internal.h"
#include "link/link.h"
#include "work/work.h"

/* The flags go passes on to the test binary as -test.NAME=VALUE (passFlagToTest). */
enum tkind { T_STR, T_BOOL, T_INT, T_DUR, T_V, T_SHUFFLE, T_OUTDIR };
static const struct {
	const char *name;
	enum tkind kind;
} pass_flags[] = {
	{"artifacts", T_BOOL}, {"bench", T_STR}, {"benchmem", T_BOOL}, {"benchtime", T_STR},
	{"blockprofile", T_STR}, {"blockprofilerate", T_STR}, {"count", T_INT}, {"coverprofile", T_STR},
	{"cpu", T_STR}, {"cpuprofile", T_STR}, {"failfast", T_BOOL}, {"fullpath", T_BOOL}, {"fuzz", T_STR},
	{"fuzzminimizetime", T_STR}, {"fuzztime", T_STR}, {"list", T_STR}, {"memprofile", T_STR},
	{"memprofilerate", T_STR}, {"mutexprofile", T_STR}, {"mutexprofilefraction", T_STR},
	{"outputdir", T_OUTDIR}, {"parallel", T_INT}, {"run", T_STR}, {"short", T_BOOL}, {"shuffle", T_SHUFFLE},
	{"skip", T_STR}, {"timeout", T_DUR}, {"trace", T_STR}, {"v", T_V},
};
#define NPASS (sizeof pass_flags / sizeof pass_flags[0])

/* The analyzers -vet may name (passAnalyzersToVet). */
static const char *const vet_analyzers[] = {
	"appends", "asmdecl", "assign", "atomic", "bool", "bools", "buildtag", "buildtags", "cgocall",
	"composites", "copylocks", "defers", "directive", "errorsas", "framepointer", "hostport",
	"httpresponse", "ifaceassert", "loopclosure", "lostcancel", "methods", "nilfunc", "printf",
	"rangeloops", "shift", "sigchanyzer", "slog", "stdmethods", "stdversion", "stringintconv",
	"structtag", "testinggoroutine", "tests", "timeformat", "unmarshal", "unreachable", "unsafeptr",
	"unusedresult", "waitgroup",
};

/* One pass-through flag's value as go's flag.Value keeps it. */
struct tval {
	char *str;       /* the String() of the value */
	bool set;        /* set on the command line or from GOFLAGS */
	bool from_goflags;
	int64_t dur;     /* T_DUR */
	bool on, json;   /* T_V */
};

struct test_flags {
	bool c, json;
	char *o;
	struct strvec exec;
	/* -vet: explicit, off, and the flags for vet */
	bool vet_explicit, vet_off;
	struct strvec vet_flags;
	bool cover;
	char *covermode, *coverpkg;
	struct tval pass[NPASS];
	char *cwd;
};

static struct test_flags tf;
static bool json_build_text;

static void json_stdout(void *ctx, const char *line, size_t n)
{
	(void)ctx;
	fwrite(line, 1, n, stdout);
	fflush(stdout);
}

static char *desc_of(const struct load_pkg *p)
{
	if (p->for_test && p->for_test[0])
		return xasprintf("%s [%s.test]", p->import_path, p->for_test);
	return xstrdup(p->import_path);
}

/* report_err is runTest's reportErr: the error of perr under p's name. */
static void report_err(struct work_builder *b, struct load_pkg *p, struct load_pkg *perr, const char *text)
{
	char *desc = desc_of(perr), *msg = xasprintf("# %s\n%s", p->import_path, text);

	fflush(stdout);
	work_print_build_error(b, desc, msg);
	free(msg);
	free(desc);
}

/* report_setup_failed prints "FAIL p [setup failed]" (as JSON events under -json). */
static void report_setup_failed(struct load_pkg *p, struct load_pkg *perr)
{
	if (tf.json) {
		struct work_t2j *j = work_t2j_new(p->import_path, WORK_T2J_TIMESTAMP, json_stdout, NULL);
		char *line = xasprintf("FAIL\t%s [setup failed]\n", p->import_path);
		if (!json_build_text) {
			char *desc = desc_of(perr);
			work_t2j_set_failed_build(j, desc);
			free(desc);
		}
		work_t2j_write(j, line, strlen(line));
		free(line);
		work_t2j_exited(j, 1);
		work_t2j_close(j);
	} else {
		printf("FAIL\t%s [setup failed]\n", p->import_path);
		fflush(stdout);
	}
	base_set_exit_status(1);
}

static size_t pass_index(const char *name)
{
	size_t skip = strncmp(name, "test.", 5) == 0 ? 5 : 0;

	for (size_t i = 0; i < NPASS; i++)
		if (strcmp(pass_flags[i].name, name + skip) == 0)
			return i;
	return NPASS;
}

static struct tval *pass_val(const char *name)
{
	size_t i = pass_index(name);
	return i < NPASS ? &tf.pass[i] : NULL;
}

static const char *pass_str(const char *name)
{
	struct tval *v = pass_val(name);
	return v && v->str ? v->str : "";
}

static int parse_go_bool(const char *s)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};

	for (size_t i = 0; i < countof(t); i++) {
		if (strcmp(s, t[i]) == 0)
			return 1;
		if (strcmp(s, f[i]) == 0)
			return 0;
	}
	return -1;
}

/* set_pass is the Set of the flag.Value behind a pass-through flag. */
static int set_pass(void *ctx, const char *name, const char *value, struct err *e)
{
	size_t i = pass_index(name);
	struct tval *v = &tf.pass[i];
	struct buf s = BUF_INIT;
	int64_t n;
	const char *why;
	int bv;

	(void)ctx;
	switch (pass_flags[i].kind) {
	case T_STR:
		buf_adds(&s, value);
		break;
	case T_BOOL:
		if ((bv = parse_go_bool(value)) < 0)
			return err_setf(e, "parse error");
		buf_adds(&s, bv ? "true" : "false");
		break;
	case T_INT:
		if (flag_parse_int64(value, &n, &why) < 0)
			return err_setf(e, "%s", why);
		buf_printf(&s, "%lld", (long long)n);
		break;
	case T_DUR:
		if (go_duration_parse(value, &n) < 0)
			return err_setf(e, "parse error");
		v->dur = n;
		go_duration_format(&s, n);
		break;
	case T_V:
		if ((bv = parse_go_bool(value)) >= 0) {
			v->on = bv;
			v->json = false;
		} else if (strcmp(value, "test2json") == 0) {
			v->on = v->json = true;
		} else {
			return err_setf(e, "invalid flag -test.v=%s", value);
		}
		buf_adds(&s, v->json ? "test2json" : v->on ? "true" : "false");
		break;
	case T_SHUFFLE:
		if (strcmp(value, "off") == 0 || strcmp(value, "on") == 0) {
			buf_adds(&s, value);
		} else if (flag_parse_int64(value, &n, &why) == 0 && value[0] != '+' &&
		           !(value[0] == '0' && value[1])) {
			buf_printf(&s, "%lld", (long long)n);
		} else {
			return err_setf(e, "-shuffle argument must be \"on\", \"off\", or an int64: strconv.ParseInt: "
			                   "parsing \"%s\": invalid syntax", value);
		}
		break;
	case T_OUTDIR:
		if (value[0]) {
			char *abs = path_is_abs(value) ? path_clean(value) : path_join(tf.cwd, value);
			buf_adds(&s, abs);
			free(abs);
		}
		break;
	}
	free(v->str);
	v->str = buf_detach(&s);
	v->set = true;
	return 0;
}

static int set_vet(void *ctx, const char *name, const char *value, struct err *e)
{
	const char *single = NULL;
	struct strvec parts = {0};
	int rc = -1;

	(void)ctx;
	(void)name;
	strvec_clear(&tf.vet_flags);
	tf.vet_explicit = tf.vet_off = false;
	if (value[0] == '\0') {
		/* the default set */
		return 0;
	}
	if (strchr(value, '='))
		return err_setf(e, "-vet argument cannot contain equal signs");
	if (strchr(value, ' '))
		return err_setf(e, "-vet argument is comma-separated list, cannot contain spaces");
	tf.vet_explicit = true;
	{
		const char *s = value;
		for (;;) {
			const char *c = strchr(s, ',');
			strvec_push_take(&parts, c ? xstrndup(s, (size_t)(c - s)) : xstrdup(s));
			if (!c)
				break;
			s = c + 1;
		}
	}
	for (size_t i = 0; i < parts.n; i++) {
		const char *arg = parts.v[i];
		bool known = false;
		if (arg[0] == '\0') {
			err_setf(e, "-vet argument contains empty list element");
			goto out;
		}
		if (strcmp(arg, "all") == 0 || strcmp(arg, "off") == 0) {
			single = arg;
			strvec_clear(&tf.vet_flags);
			tf.vet_off = strcmp(arg, "off") == 0;
			continue;
		}
		for (size_t j = 0; j < countof(vet_analyzers) && !known; j++)
			known = strcmp(vet_analyzers[j], arg) == 0;
		if (!known) {
			err_setf(e, "-vet argument must be a supported analyzer or a distinguished value; found %s", arg);
			goto out;
		}
		strvec_push_take(&tf.vet_flags, xasprintf("-%s", arg));
	}
	if (tf.vet_flags.n > 1 && single) {
		err_setf(e, "-vet does not accept \"%s\" in a list with other analyzers", single);
		goto out;
	}
	rc = 0;
out:
	strvec_clear(&parts);
	return rc;
}

static int set_exec(void *ctx, const char *name, const char *value, struct err *e)
{
	(void)ctx;
	(void)name;
	strvec_clear(&tf.exec);
	return quoted_split(value, &tf.exec, e);
}

NORETURN static void test_usage_exit(void)
{
	fprintf(stderr, "usage: %s test [build/test flags] [packages] [build/test flags & test binary flags]\n",
	        prog_name);
	fprintf(stderr, "Run '%s help test' and '%s help testflag' for details.\n", prog_name, prog_name);
	base_set_exit_status(2);
	base_exit(2);
}

/* The flag table: build flags (without -v), go test's own, the pass-through ones and their test. forms. */
static size_t test_defs(struct build_flags *bf, struct flag_def *defs, size_t cap)
{
	size_t n = 0, nb;
	struct flag_def tmp[64];

	nb = build_flags_defs(bf, tmp, countof(tmp));
	for (size_t i = 0; i < nb; i++)
		if (strcmp(tmp[i].name, "v") != 0 && strcmp(tmp[i].name, "cover") != 0 &&
		    strcmp(tmp[i].name, "covermode") != 0 && strcmp(tmp[i].name, "coverpkg") != 0)
			defs[n++] = tmp[i];
	{
		struct flag_def own[] = {
			{"c", FLAG_BOOL, &tf.c, NULL, "", false},
			{"o", FLAG_STRING, &tf.o, NULL, "", false},
			{"cover", FLAG_BOOL, &tf.cover, NULL, "", false},
			{"covermode", FLAG_STRING, &tf.covermode, NULL, "", false},
			{"coverpkg", FLAG_STRING, &tf.coverpkg, NULL, "", false},
			{"exec", FLAG_FUNC, NULL, set_exec, "", false},
			{"json", FLAG_BOOL, &tf.json, NULL, "", false},
			{"vet", FLAG_FUNC, NULL, set_vet, "", false},
		};
		for (size_t i = 0; i < countof(own); i++)
			defs[n++] = own[i];
	}
	for (size_t i = 0; i < NPASS; i++) {
		enum tkind k = pass_flags[i].kind;
		bool isbool = k == T_BOOL || k == T_V;
		struct flag_def d = {pass_flags[i].name, isbool ? FLAG_BOOLFUNC : FLAG_FUNC, NULL, set_pass, "", false};
		struct flag_def t = d;
		t.name = xasprintf("test.%s", pass_flags[i].name);
		defs[n++] = d;
		defs[n++] = t;
	}
	CHECK(n <= cap);
	return n;
}

static void free_defs(struct flag_def *defs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (has_prefix(defs[i].name, "test."))
			free((char *)defs[i].name);
}


static int add_perpkg(struct link_perpkg_flags *f, const char *name, const struct strvec *all, const char *cwd,
                      struct err *e)
{
	for (size_t i = 0; i < all->n; i++)
		if (link_perpkg_flags_add(f, all->v[i], cwd, e) < 0)
			return err_wrapf(e, "invalid value \"%s\" for flag -%s", all->v[i], name);
	return 0;
}

/* need_binary is testNeedBinary: a profile that needs the binary, or -o. */
static bool need_binary(void)
{
	return pass_str("blockprofile")[0] || pass_str("cpuprofile")[0] || pass_str("memprofile")[0] ||
	       pass_str("mutexprofile")[0] || (tf.o && tf.o[0]);
}

/* the profile flag in use (testProfile), or NULL */
static const char *test_profile(void)
{
	static const char *const names[] = {"-blockprofile", "-cpuprofile", "-memprofile", "-mutexprofile", "-trace"};

	for (size_t i = 0; i < countof(names); i++)
		if (pass_str(names[i] + 1)[0])
			return names[i];
	return NULL;
}

static bool is_null(const char *s)
{
	return strcmp(s, "/dev/null") == 0;
}


static int run_test(int argc, char **argv)
{
	struct build_flags bf = {0};
	struct flag_def defs[160];
	size_t ndefs = 0;
	struct strvec pkg_args = {0}, explicit = {0}, test_args = {0}, goflag_names = {0};
	bool have_pkg_list = false, in_pkg_list = false, after_no_value = false, test_help = false;
	const char *first_unknown = NULL;
	struct cfg cfg;
	struct err e = ERR_INIT;
	struct load_state *ld = NULL;
	struct load_opts opts = {.no_doc = true};
	struct load_pkgs roots = {0};
	struct link_perpkg_flags gcf, asmf, ldf;
	struct work_build_opts wo = {0};
	const char *instrument = NULL; /* -race/-msan/-asan mode */
	struct work_test_opts to = {0};
	struct work_builder *b = NULL;
	struct strvec toolexec = {0};
	int rc = 1;
	bool odir = false;
	const char *cover_mode = NULL; /* cfg.BuildCoverMode when -cover is on */
	char *coverprofile = NULL;

	memset(&tf, 0, sizeof tf);
	memset(&cfg, 0, sizeof cfg);
	link_perpkg_flags_init(&gcf);
	link_perpkg_flags_init(&asmf);
	link_perpkg_flags_init(&ldf);
	tf.cwd = getcwd(NULL, 0);
	if (!tf.cwd) {
		base_errorf("getwd: %s", os_errstr(errno));
		goto out;
	}
	ndefs = test_defs(&bf, defs, countof(defs));
	/* -timeout's default is 10m */
	tf.pass[pass_index("timeout")].dur = 10LL * 60 * 1000000000;
	tf.pass[pass_index("timeout")].str = xstrdup("10m0s");
	if (cfg_load(&cfg, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (cfg.goflags && cfg.goflags[0]) {
		if (flag_apply_goflags(defs, ndefs, cfg.goflags, &e) < 0) {
			fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
			test_usage_exit();
		}
		/* addFromGOFLAGS: the pass-through flags GOFLAGS set */
		for (size_t i = 0; i < ndefs; i++)
			if (defs[i].seen && pass_index(defs[i].name) < NPASS) {
				strvec_push(&goflag_names, defs[i].name);
				tf.pass[pass_index(defs[i].name)].from_goflags = true;
			}
		for (size_t i = 0; i < ndefs; i++)
			defs[i].seen = false;
	}
	/* testFlags: the command line, one argument at a time */
	{
		int i = 1;
		while (i < argc) {
			struct flag_def *d = NULL;
			bool has_value = false, was_after = after_no_value;
			int used = 0;
			int r = flag_parse_one(defs, ndefs, argc - i, argv + i, &used, &d, &has_value, &e);
			after_no_value = false;
			if (r == FLAG_ONE_HELP)
				test_usage_exit();
			if (r == FLAG_ONE_TERMINATOR) {
				for (; i < argc; i++)
					strvec_push(&explicit, argv[i]);
				break;
			}
			if (r == FLAG_ONE_NONFLAG) {
				if (!in_pkg_list && have_pkg_list) {
					if (was_after) {
						strvec_push(&explicit, argv[i]);
						i++;
						continue;
					}
					for (; i < argc; i++)
						strvec_push(&explicit, argv[i]);
					break;
				}
				in_pkg_list = true;
				have_pkg_list = true;
				strvec_push(&pkg_args, argv[i]);
				i++;
				continue;
			}
			in_pkg_list = false;
			if (r == FLAG_ONE_UNDEFINED) {
				have_pkg_list = true;
				if (strcmp(argv[i], "-args") == 0 || strcmp(argv[i], "--args") == 0) {
					for (i++; i < argc; i++)
						strvec_push(&explicit, argv[i]);
					break;
				}
				if (!first_unknown)
					first_unknown = argv[i];
				strvec_push(&explicit, argv[i]);
				i += used;
				if (!has_value)
					after_no_value = true;
				continue;
			}
			if (r == FLAG_ONE_ERR) {
				fprintf(stderr, "%s\n", err_msg(&e));
				test_usage_exit();
			}
			if (strcmp(d->name, "covermode") == 0 && tf.covermode && tf.covermode[0] &&
			    strcmp(tf.covermode, "set") != 0 && strcmp(tf.covermode, "count") != 0 &&
			    strcmp(tf.covermode, "atomic") != 0) {
				/* coverModeFlag.Set */
				fprintf(stderr, "invalid value \"%s\" for flag -covermode: valid modes are \"set\", "
				                "\"count\", or \"atomic\"\n", tf.covermode);
				test_usage_exit();
			}
			{
				size_t k = pass_index(d->name);
				if (k < NPASS) {
					strvec_push_take(&explicit, xasprintf("-test.%s=%s", pass_flags[k].name,
					                                      tf.pass[k].str ? tf.pass[k].str : ""));
					tf.pass[k].from_goflags = false;
				}
			}
			i += used;
		}
	}
	if (first_unknown && tf.c) {
		fprintf(stderr, "%s: unknown flag %s cannot be used with -c\n", prog_name, first_unknown);
		test_usage_exit();
	}
	{
		/* injected flags, then the explicit ones */
		bool timeout_set = false, outdir_set = false;
		if (tf.json)
			strvec_push(&test_args, "-test.v=test2json");
		if (goflag_names.n > 1) /* qsort(NULL, 0) is undefined (UBSan) */
			qsort(goflag_names.v, goflag_names.n, sizeof *goflag_names.v, cmp_strptr);
		for (size_t i = 0; i < goflag_names.n; i++) {
			size_t k = pass_index(goflag_names.v[i]);
			if (!tf.pass[k].from_goflags || (tf.json && strcmp(pass_flags[k].name, "v") == 0))
				continue;
			strvec_push_take(&test_args, xasprintf("-test.%s=%s", pass_flags[k].name,
			                                       tf.pass[k].str ? tf.pass[k].str : ""));
		}
		timeout_set = tf.pass[pass_index("timeout")].set;
		outdir_set = tf.pass[pass_index("outputdir")].set;
		if (tf.pass[pass_index("timeout")].dur > 0 && !timeout_set)
			strvec_push_take(&test_args, xasprintf("-test.timeout=%s", pass_str("timeout")));
		if ((test_profile() || strcmp(pass_str("artifacts"), "true") == 0) && !outdir_set)
			strvec_push_take(&test_args, xasprintf("-test.outputdir=%s",
			                                       pass_str("outputdir")[0] ? pass_str("outputdir") : tf.cwd));
		for (size_t i = 0; i < explicit.n; i++) {
			const char *a = explicit.v[i];
			if (strcmp(a, "--") == 0)
				break;
			if (strcmp(a, "-h") == 0 || strcmp(a, "-help") == 0 || strcmp(a, "--help") == 0) {
				test_help = true;
				break;
			}
		}
		for (size_t i = 0; i < explicit.n; i++)
			strvec_push(&test_args, explicit.v[i]);
	}
	/* -covermode, -coverpkg and -coverprofile set -cover; the mode
	 * defaults to set (atomic under -race, refused below) */
	if (tf.cover || (tf.covermode && tf.covermode[0]) || (tf.coverpkg && tf.coverpkg[0]) ||
	    pass_str("coverprofile")[0])
		cover_mode = tf.covermode && tf.covermode[0] ? tf.covermode : "set";
	if (bf.tags)
		cfg_set_tags(&cfg, bf.tags);
	if (cfg.experiment_err) {
		fprintf(stderr, "%s: %s\n", prog_name, cfg.experiment_err);
		goto out;
	}
	{
		/* what gotool cannot do yet is refused, never ignored */
		const char *bad = NULL;
		if (tf.coverpkg && tf.coverpkg[0])
			bad = "-coverpkg";
		else if (pass_str("fuzz")[0])
			bad = "-fuzz";
		else if (bf.linkshared)
			bad = "-linkshared";
		else if (bf.overlay && bf.overlay[0])
			bad = "-overlay";
		else if (bf.compiler && strcmp(bf.compiler, "gccgo") == 0)
			bad = "-compiler=gccgo";
		else if (bf.pkgdir && bf.pkgdir[0])
			bad = "-pkgdir";
		else if ((bf.debug_actiongraph && bf.debug_actiongraph[0]) || (bf.debug_trace && bf.debug_trace[0]) ||
		         (bf.debug_runtime_trace && bf.debug_runtime_trace[0]))
			bad = "-debug-*";
		if (!bad && bf.buildmode && bf.buildmode[0] && strcmp(bf.buildmode, "default") != 0 &&
		    strcmp(bf.buildmode, "exe") != 0 && strcmp(bf.buildmode, "pie") != 0) {
			base_errorf("-buildmode=%s not supported yet", bf.buildmode);
			goto out;
		}
		if (bad) {
			base_errorf("%s not supported yet", bad);
			goto out;
		}
	}
	instrument = cmd_instrument_init(&cfg, &bf);
	if (instrument && strcmp(instrument, "race") == 0 && cover_mode) {
		/* BuildInit: the default mode is atomic under -race, and must be */
		if (!(tf.covermode && tf.covermode[0]))
			cover_mode = "atomic";
		else if (strcmp(cover_mode, "atomic") != 0) {
			fprintf(stderr, "-covermode must be \"atomic\", not \"%s\", when -race is enabled\n", cover_mode);
			base_exit(1);
		}
	}
	if (add_perpkg(&gcf, "gcflags", &bf.gcflags_all, tf.cwd, &e) < 0 ||
	    add_perpkg(&asmf, "asmflags", &bf.asmflags_all, tf.cwd, &e) < 0 ||
	    add_perpkg(&ldf, "ldflags", &bf.ldflags_all, tf.cwd, &e) < 0) {
		fprintf(stderr, "%s\n", err_msg(&e));
		test_usage_exit();
	}
	if (bf.toolexec && bf.toolexec[0] && quoted_split(bf.toolexec, &toolexec, &e) < 0) {
		fprintf(stderr, "%s: -toolexec: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (tf.exec.n == 0 && (strcmp(cfg.ctx.goos, cfg.tc.hostos) != 0 || strcmp(cfg.ctx.goarch, cfg.tc.hostarch) != 0)) {
		/* FindExecCmd: go_$GOOS_$GOARCH_exec from PATH when cross-compiling */
		char *name = xasprintf("go_%s_%s_exec", cfg.ctx.goos, cfg.ctx.goarch);
		char *path = proc_lookpath(name);
		if (path)
			strvec_push_take(&tf.exec, path);
		free(name);
	}

	opts.test = true;
	opts.instrument_pkg = cmd_instrument_pkg(instrument);
	opts.cover = cover_mode != NULL;
	opts.mod_flag = bf.mod;
	opts.modfile = bf.modfile;
	cfg.modcache_rw = bf.modcacherw;
	opts.embed = cmd_embed_hook;
	opts.linkmode = cmd_linkmode_hook;
	opts.linkmode_ctx = &ldf;
	if (load_state_new(&cfg, &opts, &ld, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (load_packages_resolving(&ld, &cfg, &opts, pkg_args.v, pkg_args.n, &roots, &e) < 0) {
		if (load_error_bare(ld))
			fprintf(stderr, "%s\n", err_msg(&e));
		else
			fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (roots.n == 0) {
		fprintf(stderr, "no packages to test\n"); /* base.Fatalf: no prefix */
		base_set_exit_status(1);
		goto out;
	}
	load_apply_pgo(ld, &roots, bf.pgo && bf.pgo[0] ? bf.pgo : "auto");
	for (size_t i = 0; i < roots.n; i++)
		roots.v[i]->cmdline_pkg = true;
	{
		const char *prof = test_profile();
		if (prof && roots.n != 1) {
			fprintf(stderr, "cannot use %s flag with multiple packages\n", prof);
			base_set_exit_status(1);
			goto out;
		}
	}
	if (tf.o && tf.o[0]) {
		struct stat st;
		if (has_suffix(tf.o, "/") || (stat(tf.o, &st) == 0 && S_ISDIR(st.st_mode)))
			odir = true;
	}
	if (roots.n > 1 && (tf.c || (tf.o && tf.o[0])) && !(tf.o && is_null(tf.o))) {
		struct map seen;
		bool any = false;
		if (tf.o && tf.o[0] && !odir) {
			fprintf(stderr, "with multiple packages, -o must refer to a directory or /dev/null\n");
			base_set_exit_status(1);
			goto out;
		}
		map_init(&seen);
		for (size_t i = 0; i < roots.n; i++) {
			const char *name = load_default_exec_name(ld, roots.v[i]);
			if (map_has(&seen, name))
				continue;
			map_put(&seen, name, roots.v[i]);
			{
				struct buf msg = BUF_INIT;
				size_t cnt = 0;
				for (size_t j = i; j < roots.n; j++)
					if (strcmp(load_default_exec_name(ld, roots.v[j]), name) == 0) {
						buf_printf(&msg, "%s\n", roots.v[j]->import_path);
						cnt++;
					}
				if (cnt > 1) {
					fflush(stdout);
					fprintf(stderr, "cannot write test binary %s.test for multiple packages:\n%s\n", name,
					        buf_cstr(&msg));
					any = true;
				}
				buf_release(&msg);
			}
		}
		map_release(&seen);
		if (any) {
			base_set_exit_status(1);
			goto out;
		}
	}

	wo.regexp = &cmd_regexp_ops;
	wo.a = bf.a;
	wo.n = bf.n;
	wo.x = bf.x;
	wo.work = bf.work;
	wo.trimpath = bf.trimpath;
	wo.p = bf.p;
	wo.toolexec = toolexec;
	wo.gcflags = &gcf;
	wo.asmflags = &asmf;
	wo.ldflags = &ldf;
	wo.buildmode = bf.buildmode && bf.buildmode[0] ? bf.buildmode : "default";
	wo.buildvcs = bf.buildvcs && bf.buildvcs[0] ? bf.buildvcs : "auto";
	wo.installsuffix = bf.installsuffix;
	wo.clean_goexperiment = cfg.goexperiment;
	wo.link_mains = true;
	wo.cwd = tf.cwd;
	wo.cmd_name = "test";
	wo.cover = cover_mode != NULL;
	wo.instrument = instrument;
	{
		/* go test -json also turns build output into JSON events, unless
		 * GODEBUG=gotestjsonbuildtext=1 */
		const char *gd = getenv("GODEBUG");
		json_build_text = gd && strstr(gd, "gotestjsonbuildtext=1");
		wo.json = tf.json && !json_build_text;
	}

	{
		struct tval *v = pass_val("v");
		int64_t timeout = tf.pass[pass_index("timeout")].dur;
		bool bench = pass_str("bench")[0] != 0;
		bool show_pass = v->on || pass_str("list")[0] || test_help;
		to.c = tf.c;
		to.json = tf.json || v->json;
		to.show_pass = show_pass;
		to.stream = pkg_args.n == 0 || bench;
		to.stream_and_cache = (show_pass && (roots.n == 1 || bf.p == 1)) || tf.json;
		to.bench = bench;
		to.failfast = strcmp(pass_str("failfast"), "true") == 0;
		to.omit_debug = !tf.c && !need_binary();
		to.args = &test_args;
		to.exec = tf.exec.n ? &tf.exec : NULL;
		if (timeout > 0 && !bench) {
			int64_t wd = timeout / 10;
			if (wd < 5LL * 1000000000)
				wd = 5LL * 1000000000;
			to.wait_delay = wd;
			to.kill_timeout = timeout + (wd < 60LL * 1000000000 ? 60LL * 1000000000 : wd);
		}
		to.pkg_args = pkg_args.n > 0;
		to.cover_mode = cover_mode;
		if (pass_str("coverprofile")[0] && !tf.c) {
			/* initCoverProfile: relative to -outputdir (or the current
			 * directory), created with its mode line even under -n */
			const char *cp = pass_str("coverprofile"), *od = pass_str("outputdir");
			char *base = od[0] ? (path_is_abs(od) ? path_clean(od) : path_join(tf.cwd, od)) : xstrdup(tf.cwd);
			char *mode_line = xasprintf("mode: %s\n", cover_mode);
			coverprofile = path_is_abs(cp) ? path_clean(cp) : path_join(base, cp);
			free(base);
			{
				FILE *f = fopen(coverprofile, "w");
				bool ok = f && fputs(mode_line, f) >= 0;
				int en = errno;
				if (f && fclose(f) != 0 && ok) {
					ok = false;
					en = errno;
				}
				free(mode_line);
				if (!ok) {
					/* base.Fatalf("%v", err): no prefix */
					fprintf(stderr, "open %s: %s\n", coverprofile, os_errstr(en));
					base_set_exit_status(1);
					goto out;
				}
			}
			to.coverprofile = coverprofile;
		}
	}
	if (work_builder_new(&cfg, ld, &wo, &b, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		goto out;
	}
	if (!tf.vet_off) {
		/* go test's vet: the default analyzers, or the -vet list */
		static const char *const defaults[] = {"-atomic", "-bool", "-buildtags", "-directive", "-errorsas",
		                                       "-ifaceassert", "-nilfunc", "-printf", "-slog",
		                                       "-stringintconv", "-tests"};
		struct work_vet_opts vo = {0};
		if (!tf.vet_explicit)
			for (size_t i = 0; i < countof(defaults); i++)
				strvec_push(&tf.vet_flags, defaults[i]);
		vo.explicit_flags = tf.vet_explicit;
		vo.cmd_test = true;
		vo.context = -1;
		work_vet_setup(b, &vo);
		to.vetflags = &tf.vet_flags;
	}
	work_set_test_opts(b, &to);
	{
		struct arena *a = load_arena(ld);
		struct map imported;
		char pk[PTR_KEY_SIZE];
		map_init(&imported);
		/* allImports: what the packages being tested import */
		for (size_t i = 0; i < roots.n; i++) {
			struct load_pkg *p = roots.v[i];
			if (p->error && p->error->is_import_cycle)
				continue;
			for (size_t j = 0; j < p->internal_imports.n; j++)
				map_put(&imported, arena_strdup(a, ptr_key(pk, p->internal_imports.v[j])), p);
		}
		/* -cover: the cover tool inserts a sync/atomic import in atomic
		 * mode; a package without tests gets its meta-data file
		 * (GenMeta).  Both before any build action is made. */
		for (size_t i = 0; cover_mode && i < roots.n; i++) {
			struct load_pkg *p = roots.v[i];
			if (strcmp(cover_mode, "atomic") == 0 && strcmp(p->import_path, "sync/atomic") != 0 &&
			    load_ensure_import(ld, p, "sync/atomic", &e) < 0) {
				fprintf(stderr, "%s\n", err_msg(&e)); /* base.Fatalf */
				base_set_exit_status(1);
				map_release(&imported);
				goto out;
			}
			if (p->test_go_files.n + p->xtest_go_files.n == 0)
				work_cover_package(b, p, cover_mode, true);
		}
		for (size_t i = 0; i < roots.n; i++) {
			struct load_pkg *p = roots.v[i], *pmain = NULL, *ptest = NULL, *pxtest = NULL, *bad = NULL;
			struct work_testfuncs *tfs = NULL;
			struct buf data = BUF_INIT;
			char *install = NULL;
			{
				/* load.PackageErrors: every error below p, reported under p's name */
				struct load_pkgs all = {0};
				load_package_list_deps(ld, &p, 1, &all);
				for (size_t j = 0; j < all.n; j++)
					if (all.v[j]->error && (p->incomplete || all.v[j] == p)) {
						report_err(b, p, all.v[j], load_error_text(a, all.v[j]->error));
						if (!bad)
							bad = all.v[j];
					}
				VEC_FREE(&all);
			}
			if (bad) {
				report_setup_failed(p, bad);
				continue;
			}
			if (p->test_go_files.n + p->xtest_go_files.n > 0) {
				load_test_packages(ld, p, &pmain, &ptest, &pxtest);
				if (work_testfuncs_load(a, p->dir, p->import_path, p->test_go_files.v, p->test_go_files.n,
				                        p->xtest_go_files.v, p->xtest_go_files.n, &tfs, &e) < 0)
					load_set_testmain_error(ld, pmain, p, tfs->err_pos ? tfs->err_pos : "",
					                        tfs->err_msg ? tfs->err_msg : arena_strdup(a, err_msg(&e)));
				err_clear(&e);
				work_testfuncs_set_package(tfs, p->module ? p->module->path : "",
				                           p->go_files.n + p->cgo_files.n);
				tfs->cover_mode = cover_mode;
				if (work_testmain_format(&data, tfs, &e) < 0 && !pmain->error) {
					pmain->error = arena_new(a, struct load_error);
					pmain->error->pos = "";
					pmain->error->err = arena_strdup(a, err_msg(&e));
					pmain->incomplete = true;
				}
				err_clear(&e);
				{
					struct load_pkg *cand[3] = {ptest, pxtest, pmain};
					bad = cmd_test_first_error(ld, cand, 3);
				}
				if (bad) {
					report_err(b, p, bad, load_error_text(a, bad->error));
					report_setup_failed(p, bad);
					buf_release(&data);
					continue;
				}
				{
					/* vet reads every dependency's cgo output (facts), and
					 * -cover instruments cgo files: not supported yet */
					const char *why = cmd_cgo_vet_unsupported(ld, ptest, pxtest, !tf.vet_off, cover_mode != NULL);
					if (why) {
						base_errorf("%s: %s", p->import_path, why);
						buf_release(&data);
						continue;
					}
				}
				if (tf.c || need_binary()) {
					const char *name = load_default_exec_name(ld, p);
					char *bin = xasprintf("%s.test%s", strcmp(p->import_path, "command-line-arguments") == 0
					                                         ? p->name : name,
					                      strcmp(cfg.ctx.goos, "windows") == 0 ? ".exe" : "");
					if (tf.o && tf.o[0]) {
						if (odir)
						{
							char *d = path_is_abs(tf.o) ? path_clean(tf.o) : path_join(tf.cwd, tf.o);
							install = path_join(d, bin);
							free(d);
						}
						else if (!is_null(tf.o))
							install = path_is_abs(tf.o) ? path_clean(tf.o) : path_join(tf.cwd, tf.o);
					} else {
						install = path_join(tf.cwd, bin);
					}
					free(bin);
				}
			}
			if (work_add_test(b, p, pmain, ptest, pxtest, data.data, data.len, install,
			                  map_has(&imported, ptr_key(pk, p)), &e) < 0) {
				fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
				err_clear(&e);
				base_set_exit_status(1);
				free(install);
				buf_release(&data);
				map_release(&imported);
				goto out;
			}
			free(install);
			buf_release(&data);
		}
		map_release(&imported);
	}
	rc = work_run(b);
	/* printExitStatus (the root action: skipped when a -c build failed): a
	 * last FAIL when something failed */
	if (!tf.json && pkg_args.n > 0 && base_exit_status() != 0 && !work_root_failed(b)) {
		printf("FAIL\n");
		fflush(stdout);
	}
out:
	work_builder_free(b);
	if (rc == 0 && base_exit_status() != 0)
		rc = base_exit_status();
	VEC_FREE(&roots);
	load_state_free(ld);
	cfg_release(&cfg);
	link_perpkg_flags_release(&gcf);
	link_perpkg_flags_release(&asmf);
	link_perpkg_flags_release(&ldf);
	strvec_clear(&toolexec);
	strvec_clear(&pkg_args);
	strvec_clear(&explicit);
	strvec_clear(&test_args);
	strvec_clear(&goflag_names);
	build_flags_release(&bf);
	free_defs(defs, ndefs);
	for (size_t i = 0; i < NPASS; i++)
		free(tf.pass[i].str);
	strvec_clear(&tf.exec);
	strvec_clear(&tf.vet_flags);
	free(tf.o);
	free(tf.covermode);
	free(coverprofile);
	free(tf.coverpkg);
	free(tf.cwd);
	err_clear(&e);
	if (rc != 0 && base_exit_status() == 0)
		base_set_exit_status(rc);
	return rc ? 1 : 0;
}

const struct command cmd_test_cmd = {
	"test", "test packages",
	"test [build/test flags] [packages] [build/test flags & test binary flags]",
	"Test builds the test binary of each package named by the import paths\n"
	"(the package with its _test.go files, the external _test package and the\n"
	"generated test main), runs it, and prints a summary line per package in\n"
	"go test's format:\n"
	"\n"
	"\tok   archive/tar   0.011s\n"
	"\tFAIL archive/zip   0.022s\n"
	"\n"
	"Output is buffered per package and printed in the order the packages were\n"
	"named; with no package arguments (the current directory) or with -bench it\n"
	"streams.  -c builds the binary pkg.test (or -o) without running it.\n"
	"\n"
	"Test flags (-run, -skip, -bench, -benchtime, -benchmem, -count, -cpu,\n"
	"-parallel, -short, -timeout, -failfast, -v, -list, -shuffle, profiles...)\n"
	"are passed to the binary as -test.NAME=VALUE; -args passes the rest as is.\n"
	"Vet runs first, as in go (-vet=off, -vet=all, -vet=LIST); -json prints\n"
	"test2json events; passing results are cached with go's rules (-count=1\n"
	"runs again).  -cover, -covermode and -coverprofile work as in go.  Not\n"
	"yet implemented, and refused with an error: -coverpkg, -fuzz, -race.\n",
	run_test,
};
