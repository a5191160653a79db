/*
 * generate: `go generate` without the command line: scanning a Go file for
 * //go:generate directives, splitting them into words (Go-quoted strings,
 * $VAR expansion, -command aliases), selecting them with -run / -skip
 * (Go regexps checked with RE2's rules and matched with PCRE2), and running
 * each one in the package directory.  The room builds nothing: a directive
 * whose command is `go` runs gotool itself (gen_config.self_exe).
 *
 * Mirrors cmd/go/internal/generate/generate.go (go1.26).  Prefix gen_.
 */
#ifndef GOTOOL_GENERATE_GENERATE_H
#define GOTOOL_GENERATE_GENERATE_H

#include "runtime/runtime.h"

/* ---- Go regular expressions (regexp.Compile + Match) ---------------------- */

struct gen_regexp;
/*
 * gen_regexp_compile checks expr with Go's regexp/syntax rules (Perl flags:
 * RE2 syntax, no backreferences, lookaround, possessive or atomic groups)
 * and compiles an equivalent PCRE2 pattern.  On failure e holds Go's text,
 * e.g. "error parsing regexp: invalid escape sequence: `\1`".  *out is heap
 * (gen_regexp_free).
 */
int gen_regexp_compile(const char *expr, struct gen_regexp **out, struct err *e);
/* gen_regexp_match is (*regexp.Regexp).Match on s[0..n): unanchored, and
 * invalid UTF-8 bytes read as U+FFFD as Go reads them. */
bool gen_regexp_match(const struct gen_regexp *re, const char *s, size_t n);
/* gen_regexp_full_match is re.FindString(s) == s: the leftmost-first
 * match of re in s[0..n) is all of s. */
bool gen_regexp_full_match(const struct gen_regexp *re, const char *s, size_t n);
void gen_regexp_free(struct gen_regexp *re);
/* gen_regexp_pcre returns the PCRE2 pattern compiled for re (borrowed; for
 * tests and -x debugging). */
const char *gen_regexp_pcre(const struct gen_regexp *re);

/* ---- running the directives of a file ------------------------------------- */

/* What every file of one `generate` run shares; filled by cmd, borrowed. */
struct gen_config {
	const char *goroot;          /* cfg.GOROOT; $GOROOT/bin is searched first and prepended to PATH */
	const char *goarch, *goos;   /* the target ($GOARCH, $GOOS) */
	const char *self_exe;        /* what a directive's `go` runs (gotool), or NULL to search as go does */
	bool n, x, v;                /* -n, -x, -v */
	const struct gen_regexp *run, *skip; /* NULL when the flag is empty */
	char *const *orig_env;       /* cfg.OrigEnv: the generators' base environment (NULL-terminated) */
};

/* A -command alias: name → words (heap). */
struct gen_alias {
	char *name;
	struct strvec words;
};

/*
 * The state of one file being scanned (generate.go's Generator).  env is
 * the directive's extra environment (setEnv): GOROOT GOARCH GOOS GOFILE
 * GOLINE GOPACKAGE DOLLAR PATH PWD, rebuilt for each directive.
 */
struct gen_file {
	const struct gen_config *cfg;
	const char *path;            /* absolute path (borrowed) */
	const char *short_path;      /* base.ShortPath(path) for messages (borrowed) */
	char *dir;                   /* filepath.Dir(path), heap */
	const char *file;            /* base name, inside path */
	char *pkg;                   /* the package clause's name, heap */
	VEC(struct gen_alias) commands;
	int line;                    /* 1-based number of the current line */
	struct strvec env;
};

/* gen_file_init prepares g for path in package pkg (the strings are copied
 * or borrowed as documented above). */
void gen_file_init(struct gen_file *g, const struct gen_config *cfg, const char *path,
                   const char *short_path, const char *pkg);
void gen_file_release(struct gen_file *g);
/* gen_set_env rebuilds g->env for the current line (setEnv). */
void gen_set_env(struct gen_file *g);
/*
 * gen_split is Generator.split: line is the whole directive line including
 * "//go:generate " and its final byte (the newline), n its length.  Words
 * (heap) are appended to words; an alias in first position is replaced by
 * its definition, then every word is expanded with os.Expand semantics.
 * Returns -1 with e set to go's message ("bad quoted string", ...).
 */
int gen_split(struct gen_file *g, const char *line, size_t n, struct strvec *words, struct err *e);
/* gen_set_shorthand records a "-command name words..." directive. */
int gen_set_shorthand(struct gen_file *g, const struct strvec *words, struct err *e);
/* gen_expand is os.Expand(s, expandVar) for g (appended to out). */
void gen_expand(const struct gen_file *g, const char *s, struct buf *out);

/* What generating one file gives: go on with the package, stop the package
 * (the error was printed, exit status set), or a fatal error (e holds go's
 * log.Fatalf text; go exits 1 at once). */
enum gen_result { GEN_OK, GEN_STOP, GEN_FATAL };
/*
 * gen_run_file is generate.go's generate(absFile): read the file, skip it
 * when its package clause does not parse, run its directives in order.
 * short_path is base.ShortPath(path).
 */
enum gen_result gen_run_file(const struct gen_config *cfg, const char *path, const char *short_path,
                             struct err *e);

#endif
