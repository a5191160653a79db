/*
 * gotool mod graph (mirrors cmd/go/internal/modcmd/graph.go, go1.26).
 *
 * cmd_mod_graph_cmd is a "mod <sub>" command as cmd/mod.c's cmd_mod_subs
 * table takes them (run gets argv[0] == "graph").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "modload/modload.h"
#include "runtime/runtime.h"

int cmd_load_cfg(struct cfg *c);
static int run_mod_graph(int argc, char **argv);

const struct command cmd_mod_graph_cmd = {
	"mod graph", "print module requirement graph", "mod graph [-go=version] [-x]",
	"Graph prints the module requirement graph (with replacements applied)\n"
	"in text form. Each line in the output has two space-separated fields: a module\n"
	"and one of its requirements. Each module is identified as a string of the form\n"
	"path@version, except for the main module, which has no @version suffix.\n"
	"\n"
	"The -go flag causes graph to report the module graph as loaded by the\n"
	"given Go version, instead of the version indicated by the 'go' directive\n"
	"in the go.mod file.\n"
	"\n"
	"The -x flag causes graph to print the commands graph executes.\n"
	"\n"
	"gotool never downloads here: the go.mod files of dependencies come from\n"
	"the module cache (GOMODCACHE), as go's do with GOPROXY=off.\n",
	run_mod_graph,
};

struct graph_out {
	struct mod_graph *g;
	struct buf b;
};

static void format_mod(struct buf *b, struct mod_version m)
{
	buf_adds(b, m.path);
	if (m.version && *m.version) {
		buf_addch(b, '@');
		buf_adds(b, m.version);
	}
}

static void print_reqs(void *ctx, struct mod_version m)
{
	struct graph_out *o = ctx;
	const struct mod_version *reqs;
	size_t n;

	mod_graph_required_by(o->g, m, &reqs, &n);
	for (size_t i = 0; i < n; i++) {
		format_mod(&o->b, m);
		buf_addch(&o->b, ' ');
		format_mod(&o->b, reqs[i]);
		buf_addch(&o->b, '\n');
	}
}

static int run_mod_graph(int argc, char **argv)
{
	char *go_version = NULL, *modfile = NULL;
	bool x = false, modcacherw = false;
	struct flag_def defs[] = {
		{"go", FLAG_STRING, &go_version, NULL, "", false},
		{"x", FLAG_BOOL, &x, NULL, "", false},
		/* base.AddModCommonFlags */
		{"modcacherw", FLAG_BOOL, &modcacherw, NULL, "", false},
		{"modfile", FLAG_STRING, &modfile, NULL, "", false},
	};
	struct load_opts opts = {0};
	struct load_state *ld = NULL;
	struct graph_out o = {NULL, BUF_INIT};
	struct err e = ERR_INIT;
	struct cfg c;
	int rc, first;

	if ((rc = cmd_load_cfg(&c)) != 0)
		return rc;
	if (flag_apply_goflags(defs, countof(defs), c.goflags, &e) < 0) {
		fprintf(stderr, "%s: %s\n", prog_name, err_msg(&e));
		cmd_usage_exit(&cmd_mod_graph_cmd);
	}
	first = flag_parse(defs, countof(defs), argc - 1, argv + 1, &e);
	if (first < 0) {
		if (first != FLAG_HELP)
			fprintf(stderr, "%s\n", err_msg(&e));
		cmd_usage_exit(&cmd_mod_graph_cmd);
	}
	if (go_version && *go_version) {
		/* goVersionFlag.Set */
		const char *local = c.tc.version && has_prefix(c.tc.version, "go") ? c.tc.version + 2 : "";
		if (!tc_version_valid(go_version)) {
			fprintf(stderr, "invalid value \"%s\" for flag -go: expecting a Go version like \"%s\"\n",
			        go_version, local);
			cmd_usage_exit(&cmd_mod_graph_cmd);
		}
		if (*local && tc_version_compare(go_version, local) > 0) {
			fprintf(stderr, "invalid value \"%s\" for flag -go: maximum supported Go version is %s\n",
			        go_version, local);
			cmd_usage_exit(&cmd_mod_graph_cmd);
		}
	}
	if (argc - 1 - first > 0) {
		base_errorf("'go mod graph' accepts no arguments");
		rc = 1;
		goto out;
	}
	/* setDefaultBuildMod: mod graph runs with -mod=mod (no go.sum demands, no vendor) */
	opts.mod_flag = "mod";
	opts.mod_default = true;
	opts.modfile = modfile;
	c.modcache_rw = modcacherw;
	opts.x = x;
	if (load_state_new(&c, &opts, &ld, &e) < 0) {
		base_errorf("%s", err_msg(&e));
		rc = 1;
		goto out;
	}
	if (load_module_graph(ld, go_version && *go_version ? go_version : NULL, &o.g, &e) < 0 ||
	    (!(go_version && *go_version) && load_expand_graph(ld, &o.g, false, &e) < 0)) {
		base_errorf("%s", err_msg(&e));
		rc = 1;
		goto out;
	}
	mod_graph_walk(o.g, print_reqs, &o);
	if (fwrite(o.b.data, 1, o.b.len, stdout) != o.b.len || fflush(stdout) != 0) {
		base_errorf("write /dev/stdout: write error");
		rc = 1;
	}
out:
	err_clear(&e);
	buf_release(&o.b);
	load_state_free(ld);
	free(go_version);
	free(modfile);
	cfg_release(&c);
	return rc;
}
