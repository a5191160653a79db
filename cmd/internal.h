/* Private to cmd/: the subcommand table and what subcommands share. */
#ifndef GOTOOL_CMD_INTERNAL_H
#define GOTOOL_CMD_INTERNAL_H

#include "runtime/runtime.h"

/*
 * A subcommand.  run gets argv with argv[0] the subcommand name and
 * returns the exit status.  usage is the usage line without the program
 * name ("env [-json] [var ...]"); long_help the text of `gotool help
 * <name>` after the usage line, written for gotool.
 */
struct command {
	const char *name;
	const char *short_help;
	const char *usage;
	const char *long_help;
	int (*run)(int argc, char **argv);
};

extern const struct command cmd_version_cmd;
extern const struct command cmd_help_cmd;
extern const struct command cmd_env_cmd;
extern const struct command cmd_list_cmd;
extern const struct command cmd_tool_cmd;
extern const struct command cmd_build_cmd;
extern const struct command cmd_install_cmd;
extern const struct command cmd_run_cmd;
extern const struct command cmd_cache_cmd;
extern const struct command cmd_clean_cmd;
extern const struct command cmd_generate_cmd;
extern const struct command cmd_test_cmd;
extern const struct command cmd_vet_cmd;
extern const struct command cmd_mod_cmd; /* modgraph.c until cmd/mod.c lands */
extern const struct command cmd_mod_graph_cmd; /* modgraph.c: a row of cmd/mod.c's cmd_mod_subs */

/* cmd_env_export sets every go env variable whose value differs from the
 * process environment, as go's invoke does before running a command (env.c). */
void cmd_env_export(const struct cfg *c);

/* cmd_lookup finds a subcommand by name, or NULL. */
const struct command *cmd_lookup(const char *name);
/* cmd_usage_exit prints "usage: <prog> <usage>\nRun '<prog> help NAME' for details.\n" to stderr, exits 2. */
NORETURN void cmd_usage_exit(const struct command *c);

/* The build flags shared by build-like commands (work.AddBuildFlags). */
struct build_flags {
	bool a, n, x, v, work, trimpath, race, msan, asan, cover, linkshared, modcacherw;
	int p;
	char *asmflags, *gcflags, *gccgoflags, *ldflags, *toolexec, *compiler, *buildmode, *buildvcs;
	char *installsuffix, *overlay, *pgo, *pkgdir, *covermode, *coverpkg, *tags, *mod, *modfile;
	char *debug_actiongraph, *debug_runtime_trace, *debug_trace;
	/* every occurrence of the per-package flags, in order (GOFLAGS first) */
	struct strvec asmflags_all, gcflags_all, ldflags_all, gccgoflags_all;
};
/* build_flags_defs copies the build flag table (bound to bf) to out;
 * returns how many were written (cap must be large enough). */
size_t build_flags_defs(struct build_flags *bf, struct flag_def *out, size_t cap);
/* build_flags_unsupported names the first given flag whose effect gotool
 * does not implement yet, or NULL. */
const char *build_flags_unsupported(const struct build_flags *bf);
void build_flags_release(struct build_flags *bf);

struct load_state;
struct arena;
struct load_strs;
struct load_pkg;
/* cmd_embed_hook resolves //go:embed patterns for the loader (load_opts.embed; build.c). */
int cmd_embed_hook(void *ctx, struct arena *a, const char *dir, const char *const *patterns, size_t n,
                   struct load_strs *files, size_t *bad, const char **msg);
/* cmd_test_first_error is TestPackagesFor's perr: the first of the candidates
 * with an error, or below the first incomplete one (list.c). */
struct load_pkg *cmd_test_first_error(struct load_state *ld, struct load_pkg *const *c, size_t n);
struct load_pkg;
/* build_list_stale fills Stale and StaleReason of pkgs[0..n) as go list
 * does (a builder in list mode: nothing runs).  Packages with errors, test
 * packages and packages without Go files are left alone. */
void build_list_stale(struct cfg *cfg, struct load_state *ld, const struct build_flags *bf,
                      struct load_pkg **pkgs, size_t n);

#endif
