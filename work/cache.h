/*
 * work/cache.h: gotool's build cache.  go's design (cmd/go/internal/cache:
 * action id -> output id, content-addressed outputs) with a SQLite index
 * (index.db: WAL, busy timeout, prepared statements, PRAGMA user_version)
 * instead of go's per-entry "-a" files, plus a memo of file hashes keyed on
 * (device, inode, size, mtime, ctime) with git's racy-timestamp rule.
 * docs/cache.md describes the layout, the concurrency and crash rules and
 * the trade-offs.  sqlite3.h stays inside work/cache.c.
 *
 * A miss is never an error: every function that looks something up returns
 * 1 hit / 0 miss / -1 error, and a cache that cannot be opened should make
 * the caller build without one rather than fail.
 */
#ifndef GOTOOL_WORK_CACHE_H
#define GOTOOL_WORK_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct work_cache;

/* The size cap when GOTOOLCACHESIZE is unset or invalid: 10 GiB. */
#define WORK_CACHE_DEFAULT_MAX_BYTES ((uint64_t)10 << 30)

/* One cache hit or put: the output's id (SHA-256 of its content), size and
 * the blob file holding it (heap; work_cache_entry_release frees it). */
struct work_cache_entry {
	unsigned char output_id[32];
	uint64_t size;
	int64_t last_use_ns; /* the index's last-use time (approximate: see docs) */
	char *path;
	char *buildid;       /* the blob's build id as noted, or NULL */
};

/* work_cache_entry_release frees en's path and clears it. */
void work_cache_entry_release(struct work_cache_entry *en);

/*
 * work_cache_default_dir returns the build cache directory,
 * $GOTOOLCACHE/build (GOTOOLCACHE defaulting to os.UserCacheDir()/gotool),
 * heap; or NULL when the cache is disabled (GOTOOLCACHE=off, a relative
 * GOTOOLCACHE, no user cache directory: modload/scanindex.c's rule), with
 * *why (when why is non-NULL) set to the reason (heap).
 */
char *work_cache_default_dir(char **why);

/*
 * work_cache_parse_size parses a byte count: decimal digits with an
 * optional K, M, G or T suffix (powers of 1024, any case, optionally
 * followed by "B" or "iB"), or a plain "B".  Returns 0, or -1 when s is
 * not such a count or overflows.
 */
int work_cache_parse_size(const char *s, uint64_t *out);

/* work_cache_max_bytes is the size cap: GOTOOLCACHESIZE when valid, else
 * WORK_CACHE_DEFAULT_MAX_BYTES. */
uint64_t work_cache_max_bytes(void);

/*
 * work_cache_open opens (creating as needed) the cache in dir, or in
 * work_cache_default_dir() when dir is NULL, in which case a disabled
 * cache returns 0 with *out NULL.  A damaged index or one with an unknown
 * schema version is recreated, not an error.  Caller closes *out.
 */
int work_cache_open(const char *dir, struct work_cache **out, struct err *e);

/*
 * work_cache_close writes what this run deferred (last-use times, memo
 * records, the run's hit/miss counts) in one transaction, trims the cache
 * when it is over its cap (or a day has passed since the last trim and this
 * run added something), and frees c.  Errors are ignored: it is a cache.
 * NULL is fine.
 */
void work_cache_close(struct work_cache *c);

/* work_cache_dir is the directory of c (borrowed until close). */
const char *work_cache_dir(const struct work_cache *c);

/*
 * work_cache_get looks up action id aid: 1 hit (out filled; release it),
 * 0 miss, -1 error.  An index row whose blob is missing is a miss; a blob
 * whose size differs from its record, or whose content no longer hashes to
 * its id after its file was changed (different stat), is removed, reported
 * once on stderr ("<prog>: cache: removed corrupt entry <output id>") and
 * is a miss.  Silent media corruption (same stat) is found by verify only.
 */
int work_cache_get(struct work_cache *c, const unsigned char aid[32], struct work_cache_entry *out,
                   struct err *e);

/* work_cache_note_buildid records that the blob oid carries build id
 * text id (work_buildid_read of it), so later hits need not open it.
 * Written at the next flush; the blob's content is its id, so the note
 * stays true for as long as the blob is there. */
void work_cache_note_buildid(struct work_cache *c, const unsigned char oid[32], const char *id);

/* work_cache_put_file records the content of the file at path as the
 * output of aid (copied into a blob); out (may be NULL) gets the entry. */
int work_cache_put_file(struct work_cache *c, const unsigned char aid[32], const char *path,
                        struct work_cache_entry *out, struct err *e);

/* work_cache_put_bytes records data[0..n) as the output of aid. */
int work_cache_put_bytes(struct work_cache *c, const unsigned char aid[32], const void *data, size_t n,
                         struct work_cache_entry *out, struct err *e);

/*
 * work_cache_file_hash stores the SHA-256 of the file at path (absolute
 * paths give the best reuse: the memo is keyed on the path as given) in sum,
 * reading the file only when the memo has no trusted record for it.  A
 * record is trusted when the file's device, inode, size, mtime and ctime
 * are unchanged and its mtime and ctime are strictly older than the time
 * (coarse clock tick) the record was taken.
 */
int work_cache_file_hash(struct work_cache *c, const char *path, unsigned char sum[32], struct err *e);

/* work_cache_flush writes what was deferred so far in one transaction. */
int work_cache_flush(struct work_cache *c, struct err *e);

/* Counters of this handle's run (not persisted beyond the runs table). */
struct work_cache_counters {
	uint64_t hits, misses, puts, put_bytes;
	uint64_t memo_hits, memo_hashed; /* file hashes from the memo / read */
	uint64_t corrupt;                /* corrupt blobs removed by gets */
};
/* work_cache_counters copies this run's counters into out. */
void work_cache_counters(const struct work_cache *c, struct work_cache_counters *out);

/* What `gotool cache stats` prints. */
struct work_cache_stats {
	uint64_t entries;       /* action ids */
	uint64_t blobs, bytes;  /* outputs and their total size */
	uint64_t memo_records;
	uint64_t max_bytes;     /* the cap in force */
	uint64_t runs, hits, misses; /* over the most recent runs that looked anything up */
};
/* work_cache_stats fills st, counting hits and misses of the last `recent` runs. */
int work_cache_stats(struct work_cache *c, unsigned recent, struct work_cache_stats *st, struct err *e);

/* What trim and verify did. */
struct work_cache_report {
	uint64_t entries, blobs, bytes;     /* left in the cache (verify: checked) */
	uint64_t removed_entries, removed_blobs, removed_bytes;
	uint64_t removed_orphans;           /* blob files no index row names */
	uint64_t removed_temps;             /* temp files of dead writers */
	struct {
		char **v;
		size_t n, cap;
	} problems;                         /* verify: one heap line per problem */
};
/* work_cache_report_release frees r's problem lines. */
void work_cache_report_release(struct work_cache_report *r);

/*
 * work_cache_trim removes least-recently-used outputs (and the action ids
 * naming them) until the blobs total at most max_bytes, then removes stale
 * temp files and orphan blobs older than a grace period, and memo records
 * not refreshed for 30 days.  rep may be NULL.
 */
int work_cache_trim(struct work_cache *c, uint64_t max_bytes, struct work_cache_report *rep, struct err *e);

/*
 * work_cache_verify checks the index (SQLite quick_check, dangling rows,
 * the byte total) and hashes every blob; each problem found is a line in
 * rep->problems and is repaired (bad entries removed) so a second verify is
 * clean.  Stale temp files and old orphan blobs are removed without being
 * problems.  Returns 0 (problems or not), -1 when the check could not run.
 */
int work_cache_verify(struct work_cache *c, struct work_cache_report *rep, struct err *e);

/* work_cache_clean empties the cache: every entry, blob, memo record and
 * run record (`gotool clean -cache`). */
int work_cache_clean(struct work_cache *c, struct err *e);

/* work_cache_set_now fixes c's clock at ns (Unix nanoseconds) for tests;
 * 0 returns to the real clock. */
void work_cache_set_now(struct work_cache *c, int64_t ns);

#endif
