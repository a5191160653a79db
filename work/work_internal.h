/*
 * work internals shared by the room's files (not for other rooms).
 */
#ifndef GOTOOL_WORK_WORK_INTERNAL_H
#define GOTOOL_WORK_WORK_INTERNAL_H

#include "work/work.h"

/* ---- Test main (helper "testmain") ---- */

/*
 * work_is_test reports whether name looks like a test for prefix ("Test",
 * "Benchmark", "Fuzz", "Example"): the prefix alone, or the prefix followed
 * by a rune that is not lower case (load.isTest / go/doc.isTest).
 */
bool work_is_test(const char *name, const char *prefix);

/*
 * work_comment_text is go/ast.CommentGroup.Text for the raw comments
 * texts[0..n) (each "//..." or a "/ *...* /" block, CRs already stripped);
 * appends the text to b.
 */
void work_comment_text(struct buf *b, const char *const *texts, const size_t *lens, size_t n);

/*
 * work_example_output applies go/doc's exampleOutput rules to the text of
 * the last comment group of an example body: returns true when it starts
 * with an output comment, and sets *out_off to where the expected output
 * starts in text and *unordered.
 */
bool work_example_output(const char *text, size_t n, size_t *out_off, bool *unordered);

/* ---- the action graph (work/build.c; vet actions in work/vet.c) ---- */

#include <stdbool.h>
#include <sys/types.h>

#include "compile/compile.h"

struct work_vet_state;

enum amode { A_BUILTIN, A_BUILD, A_NOP, A_LINK, A_INSTALL, A_ROOT, A_PGO, A_VET };

enum opkind { OP_PROC, OP_FUNC };

struct work_action;
struct work_builder;

/* One step of an action: a tool run or in-process work. */
struct op {
	enum opkind kind;
	struct strvec argv;
	char *dir;             /* working directory ("" = the go command's own) */
	struct strvec env;     /* extra environment (shown by -x) */
	const char *desc;      /* reportCmd desc ("" = package) */
	int (*fn)(struct work_builder *b, struct work_action *a, struct err *e);
};

struct work_action {
	enum amode mode;
	struct load_pkg *p;
	VEC(struct work_action *) deps;
	VEC(struct work_action *) triggers;
	int pending, priority;
	bool visited, failed, done, queued;
	char *objdir;          /* real path with trailing slash */
	char *target;          /* install target / link output */
	char *built;           /* output file */
	char *buildid;         /* placeholder id given to the tool, then the final id */
	char aid[21];          /* action id, HashToString */
	unsigned char aid_sum[32]; /* the whole action id (the cache key) */
	bool cached;           /* the output came from the cache */
	bool named_exe;        /* link for run: the binary must exist at target (os.Args[0]) */
	char *install_target;  /* link: where the install step puts the binary, or NULL */
	bool target_hit;       /* link: install_target is already this link's output */
	struct work_action *main_build; /* link: the main package's build action */
	const char *pgo_input;  /* A_PGO: the profile (absolute) */
	/* build details */
	struct strvec gcflags, asmflags, ldflags;
	char *modinfo;         /* build info text (main packages), or NULL */
	VEC(struct op) ops;
	size_t op_i;
	pid_t pid;
	int fd;
	struct buf out;
	struct strvec objects; /* files to pack */
	/* vet (work/vet.c) */
	bool vet_only;         /* build: only the vet config is wanted (ModeVetOnly: no compile) */
	bool need_vet;         /* build: a vet action reads its config (needVet) */
	bool vetx_only;        /* vet: only facts for dependents (VetxOnly), no diagnostics */
};

struct work_builder {
	const struct cfg *cfg;
	struct load_state *ld;
	struct work_build_opts o;
	struct arena *a;
	char *workdir;
	int nobj;
	VEC(struct work_action *) all;
	struct map build_actions; /* import path (+fork suffix) -> action */
	struct work_action *root;
	struct compile_target ct;
	struct strvec forced_gcflags, forced_asmflags, forced_ldflags;
	const char *ldbuildmode;
	char *salt;
	char *tool_compile, *tool_asm, *tool_link, *tool_preprofile; /* -V=full ids */
	struct strvec env;     /* the environment every tool gets */
	struct strvec changed_env; /* cfgChangedEnv */
	struct strvec cc;
	char *script_dir;      /* ShowCmd's current directory */
	struct map mkdirs;
	bool hashdebug;
	int running;
	struct work_cache *cache; /* NULL: GOTOOLCACHE=off */
	struct work_vet_state *vet; /* vet actions' shared settings (work/vet.c), or NULL */
};

/*
 * Helpers of work/build.c for the room's other files (thin wrappers over
 * build.c's own static functions, same contracts).
 */
struct work_action *work_new_action(struct work_builder *b, enum amode mode, struct load_pkg *p);
/* work_build_action is CompileAction(ModeBuild, ModeBuild, p): the build action of p (created once). */
struct work_action *work_build_action(struct work_builder *b, struct load_pkg *p);
/* work_build_action_find returns p's build action if one exists, else NULL. */
struct work_action *work_build_action_find(struct work_builder *b, struct load_pkg *p);
struct op *work_add_proc(struct work_action *a, const char *dir, const char *desc);
void work_add_func(struct work_action *a, int (*fn)(struct work_builder *, struct work_action *, struct err *));
int work_mkdir(struct work_builder *b, const char *dir, struct err *e);
/* work_write_file is Shell.writeFile (shown as echo/cat under -n/-x; nothing written under -n). */
int work_write_file(struct work_builder *b, const char *file, const char *text, size_t n, struct err *e);
/* work_tool_id is toolID(name): the -V=full id of a tool (heap, memoised in the cache). */
int work_tool_id(struct work_builder *b, const char *name, char **out, struct err *e);
/* work_file_hash is fileHash: HashToString of the file's SHA-256 (gocachehash printed). */
int work_file_hash(struct work_builder *b, const char *path, char out[21], struct err *e);
/* work_show_cmd prints cmd as Shell.ShowCmd does (dir "" = no cd). */
void work_show_cmd(struct work_builder *b, const char *dir, const char *cmd);

/* ---- vet (work/vet.c) ---- */

/* work_vet_start lays out the steps of a vet action (Builder.vet). */
int work_vet_start(struct work_builder *b, struct work_action *a, struct err *e);
/* work_vet_state_free releases b->vet. */
void work_vet_state_free(struct work_vet_state *s);

#endif
