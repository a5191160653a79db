/*
 * runtime: what every room of gotool stands on.  Memory (xmalloc, arenas),
 * strings (str views, buf growable buffers), vectors and one hash map, the
 * one error type, files and locks, processes, hashing, Go-compatible JSON
 * output and flag parsing, and the Go toolchain being driven (GOROOT,
 * version, tools, targets, build context).
 *
 * runtime knows nothing of modules, packages or actions.
 */
#ifndef GOTOOL_RUNTIME_RUNTIME_H
#define GOTOOL_RUNTIME_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* ---- macros (STYLE.md #16) ---------------------------------------------- */

#define countof(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))
#define WARN_UNUSED __attribute__((warn_unused_result))
/* CHECK is an always-on invariant check: a failure is a gotool bug. */
#define CHECK(c) ((c) ? (void)0 : bug_at(__FILE__, __LINE__, #c))

NORETURN void bug_at(const char *file, int line, const char *what);
#define BUG(msg) bug_at(__FILE__, __LINE__, msg)

/* ---- memory ------------------------------------------------------------- */

/* mem_heap_init tunes malloc for a short run (main calls it first): the
 * heap grows in a few large steps, is never trimmed, and is advised for
 * transparent huge pages. Only advice: nothing depends on it. */
void mem_heap_init(void);
/* Out of memory is fatal (STYLE.md #4): these never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray grows p to n elements of size bytes, checking overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xasprintf returns a heap string the caller frees. */
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/*
 * An arena holds graph-shaped data of one invocation (modules, packages,
 * interned paths); it is released once.  With GOTOOL_ARENA_DEBUG every
 * allocation is a real malloc so ASan sees it.
 */
struct arena {
	struct arena_block *head;
	size_t nbytes; /* total bytes handed out, for statistics */
};
void arena_init(struct arena *a);
void arena_release(struct arena *a);
/* arena_alloc returns n zeroed bytes, aligned for any type; owned by a. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
#define arena_new(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define arena_newarray(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (n)))

/* ---- strings ------------------------------------------------------------ */

/* A str is a view like a Go string: not NUL-terminated, never owns. */
struct str {
	const char *p;
	size_t n;
};
#define STR(lit) ((struct str){(lit), sizeof(lit) - 1})
struct str str_c(const char *s);
bool str_eq(struct str a, struct str b);
/* str_eqc and str_has_prefix are inline: called per line of every scanned
 * header, with literals whose strlen the compiler folds. */
static inline bool str_eqc(struct str a, const char *b)
{
	size_t n = strlen(b);
	return a.n == n && memcmp(a.p, b, n) == 0;
}
static inline bool str_has_prefix(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}
bool str_has_suffix(struct str s, const char *suffix);
struct str str_trim_space(struct str s);
/* str_cut splits s around the first sep like Go's strings.Cut. */
bool str_cut(struct str s, char sep, struct str *before, struct str *after);
int str_cmp(struct str a, struct str b);
/* ptr_key writes p as printf's "%p" does with glibc ("0x" and lower-case
 * hex; "(nil)" for NULL) into buf and returns buf: a map key naming an
 * object by identity, without the cost of printf. */
enum { PTR_KEY_SIZE = 24 };
char *ptr_key(char buf[PTR_KEY_SIZE], const void *p);
char *str_dup(struct str s); /* heap, caller frees */

/* C-string helpers mirroring Go's strings package. */
bool has_prefix(const char *s, const char *prefix);
bool has_suffix(const char *s, const char *suffix);
/* strcmp for qsort over an array of char*. */
int cmp_strptr(const void *a, const void *b);

/*
 * A buf is a growable byte buffer that is always NUL-terminated and whose
 * data pointer is never NULL after buf_init (git's strbuf invariants).
 * limit, when non-zero, caps the length for untrusted input: an append past
 * it sets overflow and appends nothing more.
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;
	bool overflow;
};
#define BUF_INIT {0}
void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addstr(struct buf *b, struct str s);
void buf_addch(struct buf *b, int c);
/* buf_add_base64 appends p[0..n) in encoding/base64.StdEncoding (padded). */
void buf_add_base64(struct buf *b, const unsigned char *p, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_truncate(struct buf *b, size_t len);
/* buf_detach returns the heap string and leaves b empty (caller frees). */
char *buf_detach(struct buf *b);
/* buf_cstr never returns NULL (an empty buf gives ""). */
const char *buf_cstr(const struct buf *b);
struct str buf_str(const struct buf *b);

/* ---- vectors ------------------------------------------------------------ */

/*
 * VEC(T) is the one vector idiom: struct { T *v; size_t n, cap; }.
 * VEC_PUSH grows with xrealloc; VEC_FREE releases the array only.
 */
#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec, x) do { \
	if ((vec)->n == (vec)->cap) { \
		(vec)->cap = (vec)->cap ? (vec)->cap * 2 : 8; \
		(vec)->v = xreallocarray((vec)->v, (vec)->cap, sizeof(*(vec)->v)); \
	} \
	(vec)->v[(vec)->n++] = (x); \
} while (0)
#define VEC_FREE(vec) do { free((vec)->v); (vec)->v = NULL; (vec)->n = (vec)->cap = 0; } while (0)
#define VEC_SORT(vec, cmp) do { if ((vec)->n > 1) qsort((vec)->v, (vec)->n, sizeof(*(vec)->v), (cmp)); } while (0)

/* A vector of C strings (ownership stated by whoever fills it). */
struct strvec {
	char **v;
	size_t n, cap;
};
void strvec_push(struct strvec *sv, const char *s);   /* pushes a heap copy */
void strvec_push_take(struct strvec *sv, char *s);    /* takes ownership of s */
void strvec_clear(struct strvec *sv);                 /* frees the strings too */
/* strvec_null_terminate leaves v[n] == NULL (for argv/envp). */
void strvec_null_terminate(struct strvec *sv);
void strvec_sort(struct strvec *sv);
bool strvec_contains(const struct strvec *sv, const char *s);

/* ---- hash map ----------------------------------------------------------- */

/*
 * An open-addressing hash map from NUL-terminated string keys to void*
 * values (samurai's htab).  Keys are borrowed: the caller keeps them alive
 * (usually in an arena).  Iteration order is unspecified: sort before output.
 */
struct map_entry {
	const char *key;
	uint64_t hash;
	void *val;
};
struct map {
	struct map_entry *slots;
	size_t n, cap;
};
void map_init(struct map *m);
void map_release(struct map *m);
void *map_get(const struct map *m, const char *key);
bool map_has(const struct map *m, const char *key);
/* map_put inserts or replaces; returns the previous value or NULL. */
void *map_put(struct map *m, const char *key, void *val);
/* map_next iterates: start with *i = 0; returns false at the end. */
bool map_next(const struct map *m, size_t *i, const char **key, void **val);

/* An interner: one canonical arena copy of each distinct string. */
struct intern {
	struct map m;
	struct arena *a;
};
void intern_init(struct intern *in, struct arena *a);
void intern_release(struct intern *in);
const char *intern_str(struct intern *in, const char *s);
const char *intern_strn(struct intern *in, const char *s, size_t n);

/* ---- errors ------------------------------------------------------------- */

/*
 * struct err is the one error type, passed last; functions return 0 / -1.
 * msg is the full text as go would print it after its "go: " prefix (or
 * without prefix, for errors that go prints bare).  err_wrapf prepends
 * context like Go's fmt.Errorf("...: %w").
 */
struct err {
	char *msg; /* heap; NULL when no error */
};
#define ERR_INIT {0}
int err_setf(struct err *e, const char *fmt, ...) PRINTF_LIKE(2, 3);
int err_wrapf(struct err *e, const char *fmt, ...) PRINTF_LIKE(2, 3);
int err_errno(struct err *e, const char *op, const char *path); /* "op path: <Go's errno text>" */
/* os_errstr is Go's text for an errno ("no such file or directory"); static buffer. */
const char *os_errstr(int errnum);
void err_clear(struct err *e);
bool err_isset(const struct err *e);
const char *err_msg(const struct err *e); /* "" when unset */
/* err_take moves the message out (caller frees), leaving e clear. */
char *err_take(struct err *e);

/* ---- process-wide exit semantics (cmd/go/internal/base) ----------------- */

/* prog_name is the name gotool was invoked by: "gotool", or "go". */
extern const char *prog_name;
/* base_errorf prints "<prog>: msg\n" to stderr and sets exit status 1. */
void base_errorf(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* base_fatalf prints like base_errorf, runs the at-exit hooks, exits 1. */
NORETURN void base_fatalf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void base_set_exit_status(int status);
int base_exit_status(void);
/* base_atexit registers cleanup (remove $WORK, close the cache). */
void base_atexit(void (*fn)(void *), void *arg);
/* base_exit runs the at-exit hooks, flushes stdout and exits. */
NORETURN void base_exit(int status);

/* ---- files -------------------------------------------------------------- */

/* os_read_file reads all of path into b (appending); limit 0 = unlimited. */
int os_read_file(const char *path, struct buf *b, size_t limit, struct err *e);
/* os_read_regular_file is os_read_file for a path known to name a regular
 * file: a short read is taken as end of file, saving a read(2) per file. */
int os_read_regular_file(const char *path, struct buf *b, struct err *e);
/* os_map_file maps a regular file read-only (private; pages read lazily
 * with the kernel's fault-around) into *data and *n; an empty file is a NULL
 * mapping of length 0.  A file larger than limit (0: unlimited) is an
 * error.  Meant for files replaced only by rename, never rewritten in
 * place (a file truncated under the mapping would fault on access). */
int os_map_file(const char *path, size_t limit, const void **data, size_t *n, struct err *e);
/* os_unmap_file releases an os_map_file mapping (NULL is fine). */
void os_unmap_file(const void *data, size_t n);
/* os_write_file_atomic writes via a temp file in the same dir + rename. */
int os_write_file_atomic(const char *path, const void *data, size_t n, mode_t mode, struct err *e);
/* os_write_file_scratch is os_write_file_atomic without the fsync, for files
 * that do not outlive the run ($WORK's: a cached test run writes a test main
 * per package, and each fsync waits for the disk) and for the module cache's
 * files, which go writes without one too. */
int os_write_file_scratch(const char *path, const void *data, size_t n, mode_t mode, struct err *e);
bool os_exists(const char *path);
bool os_is_dir(const char *path);
bool os_is_regular(const char *path);
/* os_mkdir_temp is os.MkdirTemp(dir, prefix): a new directory dir/prefixNNN
 * (NNN a random decimal uint32), mode 0700; *path gets it (heap).  The
 * error is go's: "mkdir DIR/prefixNNN: <errno text>". */
int os_mkdir_temp(const char *dir, const char *prefix, char **path, struct err *e);
/* os_temp_name returns a name os_mkdir_temp could make (dir/prefixNNN with
 * nothing there now) without making it: heap, or NULL after many tries. */
char *os_temp_name(const char *dir, const char *prefix);
/* os_write_all writes p[0..n) to fd, retrying short writes and EINTR; -1 with errno set. */
int os_write_all(int fd, const void *p, size_t n);
/* os_mkdir_all is mkdir -p. */
int os_mkdir_all(const char *path, mode_t mode, struct err *e);
/* os_remove_all is rm -rf (does not follow symlinks). */
int os_remove_all(const char *path, struct err *e);
/* os_readdir lists names (without . and ..) sorted bytewise, into sv. */
int os_readdir(const char *dir, struct strvec *sv, struct err *e);
/* A directory entry with its type from readdir (no stat needed). */
enum os_ftype { OS_FT_OTHER, OS_FT_REG, OS_FT_DIR, OS_FT_LNK };
struct os_dirent {
	char *name;            /* heap */
	enum os_ftype type;    /* DT_UNKNOWN is resolved with lstat */
};
struct os_dirents {
	struct os_dirent *v;
	size_t n, cap;
};
/* os_readdir_ents lists dir's entries with their types, sorted by name. */
int os_readdir_ents(const char *dir, struct os_dirents *out, struct err *e);
void os_dirents_release(struct os_dirents *d);
/* os_getwd returns the current directory, heap. */
char *os_getwd(void);
/* os_flock_open opens (creating) path and takes an exclusive flock; -1 on error. */
int os_flock_open(const char *path, struct err *e);
void os_flock_close(int fd);

/* Path helpers on '/'-separated paths (Go's path and path/filepath). */
char *path_join(const char *a, const char *b);           /* heap; like filepath.Join(a, b) */
char *path_clean(const char *p);                         /* heap; like filepath.Clean */
char *path_dir(const char *p);                           /* heap; like filepath.Dir */
const char *path_base(const char *p);                    /* borrowed suffix of p; like Base for clean p */
const char *path_ext(const char *p);                     /* borrowed; like filepath.Ext */
bool path_is_abs(const char *p);
/* path_has_prefix_dir reports whether p == dir or p is inside dir. */
bool path_has_prefix_dir(const char *p, const char *dir);
/* path_match is Go's path.Match; returns 1 match, 0 no match, -1 ErrBadPattern. */
int path_match(const char *pattern, const char *name);
/* ---- match area: additions (helper "embed") ---- */
/* path_match_filepath is path/filepath.Match on Unix: like path_match but a
 * failed match does not check the unread rest of the pattern (fsys.Glob uses it). */
int path_match_filepath(const char *pattern, const char *name);
/* utf8_rune_decode is utf8.DecodeRuneInString on s[0..n): stores the rune,
 * returns its width (U+FFFD width 1 for invalid, width 0 for empty). */
size_t utf8_rune_decode(const char *s, size_t n, int32_t *r);
/* utf8_string_valid is utf8.ValidString on s[0..n). */
bool utf8_string_valid(const char *s, size_t n);
/* ---- end match additions ---- */

/* ---- processes ---------------------------------------------------------- */

/*
 * proc_run runs argv[0] (searched on PATH when it has no '/') in dir (NULL
 * for the current one) with envp (NULL for the current environment),
 * capturing stdout into out and stderr into errout when non-NULL (else
 * inherited).  Returns the exit status (0..255, 128+signal), or -1 with e
 * set when the process could not be started.
 */
int proc_run(char *const argv[], const char *dir, char *const envp[],
             struct buf *out, struct buf *errout, struct err *e);
/* proc_lookpath finds an executable on PATH (heap), or NULL. */
char *proc_lookpath(const char *name);
/* ---- processes area: additions (helper "generate") ---- */
/*
 * proc_go_lookpath is os/exec.LookPath on Unix: a name with a '/' is checked
 * as is, else searched on $PATH ("" meaning "."); *path gets the heap result.
 * On failure returns -1 with e set to Go's exec.Error text (`exec: "x":
 * executable file not found in $PATH`, `...: permission denied`).  A match
 * in a relative PATH entry fills *path and still fails with Go's ErrDot
 * text unless GODEBUG has execerrdot=0, as exec.Command then refuses it.
 */
int proc_go_lookpath(const char *name, char **path, struct err *e);
/* proc_go_find_executable is exec's findExecutable: 0, or an errno. */
int proc_go_find_executable(const char *file);
/*
 * proc_spawn_wait runs path with argv (argv[0] need not be path) and envp
 * in dir, as exec.Cmd.Run does for a command whose Stdin is nil: stdin
 * from /dev/null, stdout and stderr inherited.  *wstatus gets the raw
 * wait status.  Returns 0, or -1 with e set to Go's os.StartProcess text
 * ("fork/exec PATH: no such file or directory", "chdir DIR: ...").
 */
int proc_spawn_wait(const char *path, char *const argv[], const char *dir, char *const envp[],
                    int *wstatus, struct err *e);
/* proc_status_string appends os.ProcessState.String() for a raw wait
 * status ("exit status 1", "signal: killed (core dumped)") to b. */
void proc_status_string(struct buf *b, int wstatus);
/* ---- end processes additions ---- */

/* ---- parallel loops (par.c) ----------------------------------------------- */

/* par_threads is the number of CPUs online, from 1 to PAR_MAX_THREADS. */
#define PAR_MAX_THREADS 8
unsigned par_threads(void);
/* par_for calls fn(ctx, i) once for every i in [0, n), on up to nthreads
 * threads (the caller's among them; items are handed out in index order),
 * and returns when every call has returned.  fn must touch only item i's
 * own state and what is safe to share; see par.c. */
void par_for(size_t n, unsigned nthreads, void (*fn)(void *ctx, size_t i), void *ctx);

/* ---- hashing ------------------------------------------------------------ */

struct hash_sha256 {
	void *ctx; /* SHA256_CTX, or EVP_MD_CTX (runtime/hash.c) */
};
void hash_sha256_init(struct hash_sha256 *h);
void hash_sha256_write(struct hash_sha256 *h, const void *p, size_t n);
void hash_sha256_sum(struct hash_sha256 *h, unsigned char out[32]); /* also releases */
void hash_sha256(const void *p, size_t n, unsigned char out[32]);
void hash_hex(const unsigned char *sum, size_t n, char *out); /* out: 2n+1 bytes */
/* hash_crc32c extends crc (0 to start) with p[0:n]: CRC-32C (Castagnoli),
 * the checksum of gotool's own cache files, not a security hash. */
uint32_t hash_crc32c(uint32_t crc, const void *p, size_t n);
/* hash_crc32c_soft is hash_crc32c without the CPU's help (for tests). */
uint32_t hash_crc32c_soft(uint32_t crc, const void *p, size_t n);

/* ---- JSON / template values --------------------------------------------- */

/*
 * A val is a Go-like value tree used for `list -json` and `list -f`: the
 * JSON encoder prints it exactly as Go's json.MarshalIndent would print the
 * Go struct it models, and the template engine evaluates fields on it.
 * Struct fields keep declaration order; each field knows whether it has
 * `omitempty`.  All vals live in an arena.
 */
enum val_kind {
	VAL_NIL,    /* a nil pointer/slice/map/interface */
	VAL_BOOL,
	VAL_INT,
	VAL_STRING,
	VAL_LIST,   /* a Go slice */
	VAL_MAP,    /* a Go map[string]T: keys printed sorted */
	VAL_STRUCT, /* a Go struct (is_ptr: a pointer to one) */
};
/* gotime.c: a time.Time as list -m's Time holds it (a module .info's
 * RFC 3339 text): UTC, or a fixed zone with no name. */
struct gotime {
	int year, month, day, hour, min, sec, nsec;
	int offset; /* seconds east of UTC */
	bool utc;   /* "Z": time.UTC, whose name is "UTC" */
};
/* gotime_parse_rfc3339 is time.Parse(time.RFC3339, s): 0, or -1. */
int gotime_parse_rfc3339(const char *s, struct gotime *t);
/* gotime_format appends Time.Format(layout). */
void gotime_format(struct buf *b, const struct gotime *t, const char *layout);
/* gotime_string appends Time.String() (no monotonic reading). */
void gotime_string(struct buf *b, const struct gotime *t);
/* gotime_unix is Time.Unix(); gotime_yday is Time.YearDay(). */
long long gotime_unix(const struct gotime *t);
int gotime_yday(const struct gotime *t);

struct val;
struct val_field {
	const char *name;
	struct val *v;
	bool omitempty;
};
struct val {
	enum val_kind kind;
	bool is_ptr;         /* VAL_STRUCT reached through a pointer (prints &{...}) */
	const char *type;    /* Go type name for error messages, e.g. "*load.PackagePublic" */
	bool b;
	int64_t i;
	const char *s;       /* VAL_STRING */
	VEC(struct val *) items;         /* VAL_LIST */
	VEC(struct val_field) fields;    /* VAL_STRUCT; VAL_MAP (name = key) */
	/* json/flag/template area: when non-NULL on a VAL_STRUCT, the value is a
	 * Go error or Stringer (*load.PackageError, *modinfo.ModulePublic) and
	 * templates print this text, as fmt prints through Error()/String();
	 * JSON still prints the fields.  On a VAL_NIL of such a type set it to
	 * "" so printf %s prints <nil> as fmt does for nil Stringers. */
	const char *error_text;
	struct arena *arena; /* json area: owner, so items/fields grow in the arena */
};
struct val *val_nil(struct arena *a);
struct val *val_bool(struct arena *a, bool b);
struct val *val_int(struct arena *a, int64_t i);
struct val *val_string(struct arena *a, const char *s); /* s borrowed: must outlive the arena's use */
struct val *val_list(struct arena *a);
struct val *val_map(struct arena *a);
struct val *val_struct(struct arena *a, const char *type, bool is_ptr);
void val_list_add(struct val *list, struct val *item);
/* val_field_add appends a field to a struct or a key to a map. */
void val_field_add(struct val *s, const char *name, struct val *v, bool omitempty);
/* val_strlist makes a []string from n C strings (NULL n==0 → nil slice). */
struct val *val_strlist(struct arena *a, char *const *v, size_t n);
struct val *val_lookup(const struct val *s, const char *name); /* field or key, or NULL */
/* val_is_empty is Go's isEmptyValue for omitempty. */
bool val_is_empty(const struct val *v);

/* json_marshal_indent appends the encoding of v to b like
 * json.MarshalIndent(v, prefix, indent), including HTML escaping. */
void json_marshal_indent(struct buf *b, const struct val *v, const char *prefix, const char *indent);
/* json_quote appends s as a JSON string the way encoding/json does. */
void json_quote(struct buf *b, const char *s, size_t n);
/* ---- json/flag/template area: additions (helper "json") ---- */
/* json_marshal appends the compact encoding of v to b like json.Marshal. */
void json_marshal(struct buf *b, const struct val *v);
/* val_error makes a VAL_STRUCT that prints as text through Error(). */
struct val *val_error(struct arena *a, const char *type, bool is_ptr, const char *text);
/* ---- end json additions ---- */

/* ---- flags (Go's flag package) ------------------------------------------ */

enum flag_kind {
	FLAG_BOOL,
	FLAG_STRING,
	FLAG_INT,
	FLAG_FUNC,  /* a flag.Value: set(ctx, value) called for each occurrence */
	FLAG_BOOLFUNC, /* bool-like flag.Value (may appear without =value) */
};
struct flag_def {
	const char *name;
	enum flag_kind kind;
	void *ptr;  /* bool*, char** (heap, replaced), int*; or ctx for FUNC */
	int (*set)(void *ctx, const char *name, const char *value, struct err *e);
	const char *usage;
	bool seen;  /* set while parsing: was the flag given on the command line */
};
/*
 * flag_parse parses argv[0..argc) like Go's flag.FlagSet.Parse: one or two
 * dashes, -f=v or -f v (not for bools), stops at the first non-flag or at
 * "--".  Returns the index of the first argument left, or -1 with e set
 * to go's message ("flag provided but not defined: -x", ...).
 */
int flag_parse(struct flag_def *defs, size_t ndefs, int argc, char **argv, struct err *e);
struct flag_def *flag_lookup(struct flag_def *defs, size_t ndefs, const char *name);
/*
 * flag_split_goflags splits a GOFLAGS value on spaces (go's strings.Fields
 * with quoting via quoted.Split since 1.21) into sv, or fails like go.
 */
int flag_split_goflags(const char *goflags, struct strvec *sv, struct err *e);
/* quoted_split is cmd/internal/quoted.Split (heap strings into sv). */
int quoted_split(const char *s, struct strvec *sv, struct err *e);
/* quoted_join appends cmd/internal/quoted.Join(args) to b. */
int quoted_join(struct buf *b, char *const *args, size_t n, struct err *e);
/* ---- flags area: additions (helper "json") ---- */
/* FLAG_HELP is what flag_parse returns for an undefined -h/-help (e unset):
 * the caller prints its usage and exits 2, as go does for ErrHelp. */
#define FLAG_HELP (-2)
/*
 * flag_apply_goflags sets the flags of defs named in GOFLAGS (the raw value)
 * before the command line is parsed, like base.SetFromGOFLAGS: flags defs
 * lacks are ignored, bools take -x or -x=v, others need -x=v.  Returns 0,
 * or -1 with e set to go's text after its "go: " prefix (e.g. `invalid
 * boolean value "x" for flag -a (from $GOFLAGS): parse error`); go prints
 * "go: " + that, then the command usage, and exits 2.
 */
int flag_apply_goflags(struct flag_def *defs, size_t ndefs, const char *goflags, struct err *e);
/* quoted_go_string appends s quoted like Go's strconv.Quote / %q (unicode.IsPrint approximated). */
void quoted_go_string(struct buf *b, const char *s, size_t n);
/* flag_parse_int64 is strconv.ParseInt(s, 0, 64): 0, or -1 with *why "parse error" / "value out of range". */
int flag_parse_int64(const char *s, int64_t *out, const char **why);
/* flag_goflag_name returns the flag name of one GOFLAGS entry ("--x=1" → "x"), heap. */
char *flag_goflag_name(const char *entry);
/*
 * flag_parse_one parses the first argument of argv like cmdflag.ParseOne
 * (go test and go vet parse their mixed flags this way).  *consumed is how
 * many arguments were used; *def the flag set (FLAG_ONE_OK, or
 * FLAG_ONE_ERR when its value was bad).  Results:
 *   FLAG_ONE_OK          a defined flag was set;
 *   FLAG_ONE_NONFLAG     argv[0] is not a flag (nothing consumed);
 *   FLAG_ONE_TERMINATOR  argv[0] is "--" (consumed);
 *   FLAG_ONE_UNDEFINED   a flag defs lacks (consumed; *has_value: it had =v);
 *   FLAG_ONE_HELP        -h, -help or -? (consumed);
 *   FLAG_ONE_ERR         a bad value; e holds go's text.
 */
enum { FLAG_ONE_OK, FLAG_ONE_NONFLAG, FLAG_ONE_TERMINATOR, FLAG_ONE_UNDEFINED, FLAG_ONE_HELP, FLAG_ONE_ERR };
int flag_parse_one(struct flag_def *defs, size_t ndefs, int argc, char **argv, int *consumed,
                   struct flag_def **def, bool *has_value, struct err *e);
/* ---- Go durations (time.Duration) ---- */
/* go_duration_parse is time.ParseDuration: 0, or -1 when s is not a duration. */
int go_duration_parse(const char *s, int64_t *ns);
/* go_duration_format appends time.Duration(ns).String() ("1m30s", "10ms", "0s"). */
void go_duration_format(struct buf *b, int64_t ns);
/* ---- end flags additions ---- */

/* ---- toolchain and build context (tc_) ---------------------------------- */

/* Go version strings ("go1.26.8", "1.26rc1") compared as go/version does. */
int tc_version_compare(const char *x, const char *y); /* "1.21" vs "1.21.0" style, gover.Compare */
bool tc_version_valid(const char *v);                  /* gover.IsValid */
/* tc_version_lang returns the language version ("1.26") of v, heap. */
char *tc_version_lang(const char *v);

/* What toolchain selection found at startup (gover.Startup), filled by
 * cmd before a command runs: the GOTOOLCHAIN setting, and the go.mod or
 * go.work (its short path) whose go or toolchain line chose the toolchain. */
struct tc_startup {
	char *gotoolchain;
	char *auto_file;
	char *auto_go_version;
	char *auto_toolchain;
};
extern struct tc_startup tc_startup;
/* tc_too_new_error is gover.TooNewError's text: what needs go >= v, and
 * local is the running version ("1.26.8"); heap. */
char *tc_too_new_error(const char *what, const char *v, const char *local);

struct toolchain {
	char *goroot;      /* absolute, clean */
	char *version;     /* VERSION's first line, e.g. "go1.26.8" */
	char *gover;       /* version without "go": "1.26.8" */
	int major, minor;  /* 1, 26 */
	char *tooldir;     /* $GOROOT/pkg/tool/<hostos>_<hostarch> */
	char *hostos, *hostarch;
	char *how_found;   /* "$GOROOT", "env file", "PATH", "default" */
	struct strvec goenv; /* $GOROOT/go.env KEY=VALUE lines, in order */
	/* toolchain area (env helper): the target table read from
	 * $GOROOT/src/cmd/dist/build.go; targets_err is set (heap) instead
	 * when that file is missing or unparsable. */
	struct tc_target *targets;
	size_t ntargets;
	char *targets_err;
};
/*
 * tc_find locates GOROOT as a Go user expects: $GOROOT, else the env file's
 * GOROOT, else the root of a `go` on PATH (symlinks followed), else
 * /usr/local/go; then reads VERSION and go.env.  envfile_goroot is the value
 * from gotool's env file or NULL.  On failure e says where gotool looked.
 */
int tc_find(struct toolchain *tc, const char *envfile_goroot, struct err *e);
void tc_release(struct toolchain *tc);
/* tc_goenv returns the go.env default for key, or NULL (borrowed). */
const char *tc_goenv(const struct toolchain *tc, const char *key);

/* A target from `go tool dist list`. */
struct tc_target {
	const char *goos, *goarch;
	bool cgo_supported;  /* cmd/dist's cgoEnabled */
	bool first_class;
	bool broken;         /* cmd/dist's broken: hidden from dist list without -broken */
};
/* tc_targets returns the toolchain's target list sorted like dist list. */
size_t tc_targets(const struct toolchain *tc, const struct tc_target **out);
const struct tc_target *tc_target_find(const struct toolchain *tc, const char *goos, const char *goarch);
/* tc_targets_error returns why the target table could not be read, or NULL. */
const char *tc_targets_error(const struct toolchain *tc);
/* tc_version_is_lang is gover.IsLang: "1.21" yes, "1.21.0"/"1.20" no. */
bool tc_version_is_lang(const char *v);
/* tc_version_is_prerelease is gover.IsPrerelease: "1.21rc1" yes, "1.21.0" no. */
bool tc_version_is_prerelease(const char *v);
/* tc_host_goarch maps the machine (uname) to a GOARCH name (static string). */
const char *tc_host_goarch(void);

/*
 * The build context (go/build.Context as cmd/go configures it): the target
 * and the tag sets that //go:build lines are matched against.
 */
struct buildctx {
	char *goos, *goarch;     /* target */
	char *compiler;          /* "gc" */
	bool cgo_enabled;        /* CGO_ENABLED's effective value */
	struct strvec build_tags;   /* -tags, in command-line order */
	struct strvec tool_tags;    /* arch feature tags (amd64.v1...), goexperiment.* */
	struct strvec release_tags; /* go1.1 ... go1.N for the toolchain */
	char *goarch_var;        /* name of the per-arch variable ("GOAMD64") or NULL */
	char *goarch_val;        /* its effective value ("v1") or NULL */
};

/*
 * struct cfg is the effective configuration of one invocation, read once
 * at start (cmd/go/internal/cfg) and then never mutated: the toolchain, the
 * env file, and the build context.
 */
struct cfg {
	struct toolchain tc;
	struct buildctx ctx;
	char *envfile;               /* $GOENV or the default path; "off" possible */
	struct strvec envfile_vars;  /* KEY=VALUE lines of the env file, in order */
	char *gopath;                /* effective GOPATH (first element used for defaults) */
	char *gomodcache;            /* effective GOMODCACHE */
	char *goflags;               /* effective GOFLAGS, or "" */
	/* toolchain area (env helper): more of cmd/go/internal/cfg. */
	bool gopath_changed, gomodcache_changed, cgo_changed;
	bool envfile_changed;        /* GOENV set in the environment */
	char *envfile_err;           /* why there is no env file ("GOENV=off"...), heap or NULL */
	char *goexperiment;          /* raw GOEXPERIMENT (RawGOEXPERIMENT) */
	char *experiment_err;        /* cfg.ExperimentErr text (go prints it and exits 1), or NULL */
	char *buildcfg_err;          /* internal/buildcfg.Error text (exit 2 except in env), or NULL */
	struct strvec experiments;   /* enabled experiments, lower-case, in flag order */
	bool goarch_val_changed;     /* ctx.goarch_val differs from its default */
	char *gofips140;             /* effective GOFIPS140 */
	bool gofips140_changed;
	bool modcache_rw;            /* -modcacherw (cfg.ModCacheRW): the command sets it */
};
/* cfg_load finds the toolchain and computes everything above from the
 * process environment, the env file and $GOROOT/go.env. */
int cfg_load(struct cfg *c, struct err *e);
void cfg_release(struct cfg *c);
/* cfg_getenv returns the effective value of a go variable (environment,
 * then env file, then go.env), or NULL when unset everywhere; borrowed. */
const char *cfg_getenv(const struct cfg *c, const char *key);
/* cfg_set_tags sets the -tags value (comma- or space-separated) in ctx. */
void cfg_set_tags(struct cfg *c, const char *tags);
/* cfg_env_or is EnvOrAndChanged: the value (borrowed) or def when unset;
 * *changed (may be NULL) compares against go.env's value when it has one. */
const char *cfg_env_or(const struct cfg *c, const char *key, const char *def, bool *changed);
/* cfg_can_getenv reports whether key is a known go variable (or is in
 * the env file or go.env): cfg.CanGetenv. */
bool cfg_can_getenv(const struct cfg *c, const char *key);
/* cfg_known_env reports whether key is in internal/cfg.KnownEnv. */
bool cfg_known_env(const char *key);
/* cfg_default_cc / cfg_default_cxx are the toolchain's default C/C++ compilers. */
const char *cfg_default_cc(const char *goos, const char *goarch);
const char *cfg_default_cxx(const char *goos, const char *goarch);
/* cfg_user_config_dir / cfg_user_cache_dir are os.UserConfigDir and
 * os.UserCacheDir: heap path, or NULL with e set to Go's message. */
char *cfg_user_config_dir(struct err *e);
char *cfg_user_cache_dir(struct err *e);
/* cfg_envfile_path is cfg.EnvFile: heap path, or NULL with e set. */
char *cfg_envfile_path(bool *changed, struct err *e);
/* cfg_parse_goexperiment is buildcfg.ParseGOEXPERIMENT for the toolchain:
 * the enabled experiments (heap strings, flag order) into enabled. */
int cfg_parse_goexperiment(const struct toolchain *tc, const char *goos, const char *goarch,
                           const char *goexp, struct strvec *enabled, struct err *e);
/* cfg_check_goos_goarch is work.CheckGOOSARCHPair: go's error for an
 * unsupported pair ("unsupported GOOS/GOARCH pair x/y"). */
int cfg_check_goos_goarch(const struct cfg *c, const char *goos, const char *goarch, struct err *e);

/* ---- build info area: additions (helper "vers") ---- */
/* A module line of a Go binary's build info (runtime/debug.Module);
 * strings live in the arena given to the reader, never NULL. */
struct buildinfo_module {
	const char *path, *version, *sum;
	struct buildinfo_module *replace; /* NULL when not replaced */
};
/* One "build\tkey=value" line (runtime/debug.BuildSetting). */
struct buildinfo_setting {
	const char *key, *value;
};
/* runtime/debug.BuildInfo; the vectors are heap (buildinfo_release). */
struct buildinfo {
	const char *go_version;  /* NULL or "" when not known */
	const char *path;
	struct buildinfo_module main;
	VEC(struct buildinfo_module *) deps;
	VEC(struct buildinfo_setting) settings;
};
/* buildinfo_read_file reads the build info of the Go binary at name like
 * debug/buildinfo.ReadFile; e gets go's text ("could not read Go build info
 * from NAME: not a Go executable"); *open_failed tells an open error. */
int buildinfo_read_file(const char *name, struct arena *a, struct buildinfo *bi, bool *open_failed,
                        struct err *e);
/* buildinfo_read_mem is buildinfo_read_file on the image data[0..n). */
int buildinfo_read_mem(const void *data, size_t n, const char *name, struct arena *a, struct buildinfo *bi,
                       struct err *e);
/* buildinfo_parse is debug.ParseBuildInfo on modinfo text (framing stripped). */
int buildinfo_parse(const char *data, size_t n, struct arena *a, struct buildinfo *bi, struct err *e);
/* buildinfo_string appends (*debug.BuildInfo).String() to b. */
void buildinfo_string(struct buf *b, const struct buildinfo *bi);
/* buildinfo_val makes the value `go version -m -json` marshals (arena a). */
struct val *buildinfo_val(struct arena *a, const struct buildinfo *bi);
/* buildinfo_uvarint is encoding/binary.Uvarint: bytes used, 0 short, <0 overflow. */
int buildinfo_uvarint(const unsigned char *p, size_t n, uint64_t *v);
/* buildinfo_release frees bi's vectors. */
void buildinfo_release(struct buildinfo *bi);
/* ---- end build info additions ---- */

#endif
