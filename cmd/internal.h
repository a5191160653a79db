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
extern const struct command cmd_mod_cmd;
extern const struct command cmd_mod_init_cmd;
extern const struct command cmd_mod_download_cmd;
extern const struct command cmd_mod_graph_cmd; /* modgraph.c */
extern const struct command cmd_mod_tidy_cmd, cmd_mod_why_cmd; /* modtidy.c */
extern const struct command cmd_mod_vendor_cmd; /* modvendor.c */
extern const struct command cmd_mod_verify_cmd; /* modverify.c */
extern const struct command cmd_work_cmd;
extern const struct command cmd_get_cmd;
/* The subcommands of mod and work (named "mod edit"...), in help order. */
extern const struct command *const cmd_mod_subs[];
extern const size_t cmd_mod_nsubs;
extern const struct command *const cmd_work_subs[];
extern const size_t cmd_work_nsubs;

int cmd_load_cfg(struct cfg *c);
/* cmd_toolchain_select is toolchain.Select (toolchain.c): it returns when
 * this toolchain runs the command, else runs gotool again over another. */
void cmd_toolchain_select(int argc, char **argv);
/* cmd_toolchain_switch_or_fatal is toolchain.SwitchOrFatal for a
 * gover.TooNewError (what needs go >= need; msg its text): gotool again
 * over a newer toolchain when GOTOOLCHAIN allows it, else msg as a fatal
 * error.  Never returns. */
/* cmd_toolchain_can_switch is HasAuto() || HasPath(). */
bool cmd_toolchain_can_switch(const struct cfg *c);
NORETURN void cmd_toolchain_switch_or_fatal(const struct cfg *c, const char *what, const char *need,
                                            const char *msg);
/* cmd_run_sub runs argv[1] of a command with subcommands (mod, work):
 * go's usage (usage(stderr), exit 2) without one, "unknown command" for
 * a name not in subs, and a first -C dir after the name (mod.c / cmd.c). */
int cmd_run_sub(const struct command *const *subs, size_t n, void (*usage)(FILE *), int argc, char **argv);
/* cmd_chdir_not_first is the flag func of a -C that is not the first flag. */
int cmd_chdir_not_first(void *ctx, const char *name, const char *value, struct err *e);
/* cmd_write_file replaces path's contents by temp file and rename, keeping its
 * mode and writing through a symlink, as go's in-place writes do. */
int cmd_write_file(const char *path, const struct buf *data, struct err *e);
/* cmd_short_path is base.ShortPath (heap). */
char *cmd_short_path(const char *path);

struct mod_edit;
/* cmd_parse_path_version_optional is modcmd's (work: workcmd's) parsePathVersionOptional;
 * heap outputs, or -1 with go's text in e. */
int cmd_parse_path_version_optional(const char *adj, const char *arg, bool allow_dir, bool work,
				    char **path, char **vers, struct err *e);
/* The editing flags shared by mod edit and work edit (mod.c). */
/* An edit_state holds the editing flags in order (heap: cmd_edit_state_new/_free);
 * cmd_edit_set_flag is their flag func (ctx: the state). */
void *cmd_edit_state_new(bool work);
void cmd_edit_state_free(void *st);
size_t cmd_edit_state_len(const void *st);
int cmd_edit_set_flag(void *ctx, const char *name, const char *arg, struct err *e);
void cmd_edit_apply(struct mod_edit *f, const void *st);
void cmd_edit_print_json(const struct mod_edit *f);

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
/* cmd_in_goflags is base.InGOFLAGS: does GOFLAGS name the flag at all. */
bool cmd_in_goflags(const char *goflags, const char *name);
/* build_flags_unsupported names the first given flag whose effect gotool
 * does not implement yet, or NULL. */
const char *build_flags_unsupported(const struct build_flags *bf);
void build_flags_release(struct build_flags *bf);
/* cmd_instrument_init is work.instrumentInit (instrument.c): go's checks and
 * exits for -race/-msan/-asan; adds the mode's tool tag to cfg and returns
 * the mode ("race", "msan", "asan"; static), or NULL without those flags. */
struct cfg;
const char *cmd_instrument_init(struct cfg *cfg, const struct build_flags *bf);
/* cmd_instrument_pkg maps a mode to its runtime package (static), NULL to NULL. */
const char *cmd_instrument_pkg(const char *mode);
struct load_pkg;
struct load_state;
/* cmd_cgo_unsupported says why gotool cannot build package p yet (SWIG),
 * or NULL (build.c). */
const char *cmd_cgo_unsupported(const struct load_pkg *p);
/* cmd_cgo_vet_unsupported says why gotool cannot vet (vet) or cover (cover)
 * ptest/pxtest (either may be NULL) yet: a package of theirs uses cgo; or
 * NULL (arena text; build.c). */
const char *cmd_cgo_vet_unsupported(struct load_state *ld, struct load_pkg *ptest, struct load_pkg *pxtest, bool vet,
                                    bool cover);
/* cmd_linkmode_hook is the loader's linkmode hook (load_opts.linkmode):
 * ctx is the -ldflags link_perpkg_flags (build.c). */
const char *cmd_linkmode_hook(void *ctx, const struct load_pkg *p);
struct work_regexp_ops;
/* cmd_regexp_ops gives work Go's regexps (the generate room's) for $CGO_*_ALLOW. */
extern const struct work_regexp_ops cmd_regexp_ops;

struct load_state;
struct arena;
struct load_strs;
struct load_pkg;
/* cmd_embed_hook resolves //go:embed patterns for the loader (load_opts.embed; build.c). */
int cmd_embed_hook(void *ctx, struct arena *a, const char *dir, const char *const *patterns, size_t n,
                   struct load_strs *files, size_t *bad, const char **msg);
/* cmd_run_mod_tool is buildAndRunModtool: go tool NAME for tool, a package
 * a main module declares, built as go run builds (with the module flags
 * modfile and modcacherw) and run with argv; its exit status. */
int cmd_run_mod_tool(const char *name, const char *tool, const char *modfile, bool modcacherw, int argc,
                     char **argv);
/* cmd_test_first_error is TestPackagesFor's perr: the first of the candidates
 * with an error, or below the first incomplete one (list.c). */
struct load_pkg *cmd_test_first_error(struct load_state *ld, struct load_pkg *const *c, size_t n);
struct load_pkg;
/* build_list_stale fills Stale and StaleReason of pkgs[0..n) as go list
 * does (a builder in list mode: nothing runs).  Packages with errors, test
 * packages and packages without Go files are left alone. */
void build_list_stale(struct cfg *cfg, struct load_state *ld, const struct build_flags *bf,
                      struct load_pkg **pkgs, size_t n);


/* list -m with arguments and modes (listmod.c: modload.ListModules). */
struct load_state;
struct load_module;
struct mod_fetch_config;
struct cmd_mod_list {
	struct load_module **v;
	size_t n, cap;
};
#define CMD_LIST_U 1u
#define CMD_LIST_RETRACTED 2u
#define CMD_LIST_DEPRECATED 4u
#define CMD_LIST_VERSIONS 8u
#define CMD_LIST_RETRACTED_VERSIONS 16u
/* cmd_list_modules is ListModules: the modules args name (the main
 * modules for none), with the mode's fields filled in; *graph_err gets the
 * module graph's error (arena).  Fatal errors exit as go's do. */
int cmd_list_modules(struct load_state *ld, const struct cfg *cfg, int argc, char **argv, unsigned mode,
                     struct cmd_mod_list *mods, const char **graph_err);

#endif
