/*
 * The build cache: go's cache design (cmd/go/internal/cache, go1.26: an
 * action id maps to an output id, outputs are content-addressed files) with
 * a SQLite index in place of go's "<aid>-a" entry files, and a memo of file
 * hashes (git's index idea: stat data + racy-timestamp rule).
 *
 * Layout of dir ($GOTOOLCACHE/build):
 *   index.db (+ -wal, -shm)   the index, WAL mode
 *   <xx>/<64 hex>             a blob: the output whose SHA-256 is the name
 *   .tmp-<pid>-<seq>-<rand>   a blob being written (renamed into <xx>/)
 *
 * Invariants:
 * - a blob file under its final name is complete: it is written to a temp
 *   name and renamed (rename is atomic; a SIGKILL leaves a temp file, which
 *   trim/verify remove once its writer is dead);
 * - a blob is renamed into place before the transaction that records it
 *   commits, so a committed row never names a blob that was never written;
 *   a row whose blob disappeared (trim racing a put, a user deleting files)
 *   is a miss and is dropped;
 * - every write transaction is BEGIN IMMEDIATE, so concurrent processes
 *   queue on the busy timeout instead of failing on a lock upgrade;
 * - meta 'bytes' is the sum of blobs.size, kept in the transactions that
 *   change blobs.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "work/cache.h"

#define SCHEMA_VERSION 2
#define BUSY_TIMEOUT_MS 10000
/* A WAL larger than this at close is checkpointed and truncated. */
#define WAL_KEEP_BYTES (256 * 1024)
#define NS_PER_SEC INT64_C(1000000000)
/* A hit refreshes last_use only when it is older than this, so a no-op
 * build writes almost nothing (go's cache uses an hour for its mtimes). */
#define TOUCH_INTERVAL_NS (10 * 60 * NS_PER_SEC)
/* Orphan blobs younger than this may belong to a put between its rename
 * and its commit: the sweep leaves them. */
#define ORPHAN_GRACE_NS (10 * 60 * NS_PER_SEC)
/* Temp files older than this are removed even if their pid is alive (the
 * pid may have been reused). */
#define TEMP_MAX_AGE_NS (60 * 60 * NS_PER_SEC)
/* A run that added something trims when the last trim is older than this. */
#define TRIM_INTERVAL_NS (24 * 60 * 60 * NS_PER_SEC)
#define MEMO_MAX_AGE_NS (30 * 24 * 60 * 60 * NS_PER_SEC)
#define RUNS_KEPT 100
/* Deferred writes are flushed when this many are queued. */
#define QUEUE_FLUSH 1024

/* The statements kept prepared for the handle's life. */
enum stmt_id {
	ST_GET,
	ST_ACTION_PUT,
	ST_BLOB_INSERT,
	ST_BLOB_REUSE,
	ST_BLOB_SIZE,
	ST_BLOB_STAT,
	ST_TOUCH_ACTION,
	ST_TOUCH_BLOB,
	ST_DROP_AID,
	ST_DROP_OID_ACTIONS,
	ST_DROP_OID_BLOB,
	ST_BYTES_ADD,
	ST_META_GET,
	ST_META_SET,
	ST_MEMO_GET,
	ST_MEMO_DIR,
	ST_MEMO_PUT,
	ST_RUN_PUT,
	ST_BLOB_BUILDID,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_GET] = "SELECT a.oid, a.last_use, b.size, b.dev, b.ino, b.mtime, b.ctime, b.last_use, b.buildid "
	           "FROM actions a LEFT JOIN blobs b ON b.oid = a.oid WHERE a.aid = ?1",
	[ST_ACTION_PUT] = "INSERT OR REPLACE INTO actions(aid, oid, last_use) VALUES(?1, ?2, ?3)",
	[ST_BLOB_INSERT] = "INSERT OR IGNORE INTO blobs(oid, size, last_use, dev, ino, mtime, ctime) "
	                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* a put of an existing blob: newer use; stat only when we wrote the file */
	[ST_BLOB_REUSE] = "UPDATE blobs SET last_use = max(last_use, ?2), dev = coalesce(?3, dev), "
	                  "ino = coalesce(?4, ino), mtime = coalesce(?5, mtime), ctime = coalesce(?6, ctime) "
	                  "WHERE oid = ?1",
	[ST_BLOB_SIZE] = "SELECT size FROM blobs WHERE oid = ?1",
	[ST_BLOB_STAT] = "UPDATE blobs SET dev = ?2, ino = ?3, mtime = ?4, ctime = ?5 WHERE oid = ?1",
	[ST_TOUCH_ACTION] = "UPDATE actions SET last_use = ?2 WHERE aid = ?1 AND last_use < ?2",
	[ST_TOUCH_BLOB] = "UPDATE blobs SET last_use = ?2 WHERE oid = ?1 AND last_use < ?2",
	[ST_DROP_AID] = "DELETE FROM actions WHERE aid = ?1 AND NOT EXISTS "
	                "(SELECT 1 FROM blobs WHERE blobs.oid = actions.oid)",
	[ST_DROP_OID_ACTIONS] = "DELETE FROM actions WHERE oid = ?1",
	[ST_DROP_OID_BLOB] = "DELETE FROM blobs WHERE oid = ?1",
	[ST_BYTES_ADD] = "UPDATE meta SET v = v + ?1 WHERE k = 'bytes'",
	[ST_META_GET] = "SELECT v FROM meta WHERE k = ?1",
	[ST_META_SET] = "INSERT OR REPLACE INTO meta(k, v) VALUES(?1, ?2)",
	[ST_MEMO_GET] = "SELECT dev, ino, size, mtime, ctime, sum, rec FROM memo WHERE path = ?1",
	/* the rows under "dir/": ?1 = "dir/", ?2 = "dir0" ('0' follows '/') */
	[ST_MEMO_DIR] = "SELECT dev, ino, size, mtime, ctime, sum, rec, path FROM memo "
	                "WHERE path > ?1 AND path < ?2",
	[ST_MEMO_PUT] = "INSERT OR REPLACE INTO memo(path, dev, ino, size, mtime, ctime, sum, rec) "
	                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_RUN_PUT] = "INSERT INTO runs(time, hits, misses, puts, put_bytes) VALUES(?1, ?2, ?3, ?4, ?5)",
	[ST_BLOB_BUILDID] = "UPDATE blobs SET buildid = ?2 WHERE oid = ?1",
};

static const char schema_sql[] =
	"CREATE TABLE actions(aid BLOB PRIMARY KEY, oid BLOB NOT NULL, last_use INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX actions_oid ON actions(oid);"
	"CREATE TABLE blobs(oid BLOB PRIMARY KEY, size INTEGER NOT NULL, last_use INTEGER NOT NULL,"
	" dev INTEGER, ino INTEGER, mtime INTEGER, ctime INTEGER, buildid TEXT) WITHOUT ROWID;"
	"CREATE INDEX blobs_lru ON blobs(last_use, oid);"
	"CREATE TABLE memo(path TEXT PRIMARY KEY, dev INTEGER NOT NULL, ino INTEGER NOT NULL,"
	" size INTEGER NOT NULL, mtime INTEGER NOT NULL, ctime INTEGER NOT NULL, sum BLOB NOT NULL,"
	" rec INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE runs(id INTEGER PRIMARY KEY, time INTEGER NOT NULL, hits INTEGER NOT NULL,"
	" misses INTEGER NOT NULL, puts INTEGER NOT NULL, put_bytes INTEGER NOT NULL);"
	"CREATE TABLE meta(k TEXT PRIMARY KEY, v INTEGER NOT NULL) WITHOUT ROWID;"
	"INSERT INTO meta(k, v) VALUES('bytes', 0);";

/* Stat data the memo and the blob records compare; 0 fields never match a
 * real file's ctime, so an all-zero filestat means "not recorded". */
struct filestat {
	int64_t dev, ino, size, mtime, ctime;
};

/* A deferred write (flushed in one transaction). */
enum op_kind {
	OP_TOUCH,    /* a hit: refresh last_use of aid and oid */
	OP_DROP,     /* aid's blob oid is missing or corrupt: drop rows if still missing */
	OP_BLOBSTAT, /* oid's content was re-hashed and matched: record st */
	OP_BUILDID,  /* oid's content carries build id text */
};
struct op {
	enum op_kind kind;
	unsigned char aid[32], oid[32];
	struct filestat st;
	char *text; /* heap, OP_BUILDID */
};

/* A memo record, in the process map (key = path, owned by the record). */
struct memo_rec {
	char *path;
	struct filestat st;
	unsigned char sum[32];
	int64_t rec;  /* coarse clock before the stat the record holds */
	bool dirty;   /* not yet written to the index */
};

/*
 * An open cache.  db and its statements live until close; queue and the
 * dirty memo records are what the next flush writes; reported remembers
 * which corrupt blobs were already reported so each is reported once;
 * checked names the blobs a get found intact this run, whose content
 * hash work_cache_file_hash then reads off their names (the vet facts of
 * every dependency, often the one empty blob, are hashed this way).
 */
struct work_cache {
	char *dir;     /* heap: the cache directory */
	char *dbpath;  /* heap: dir/index.db */
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	VEC(struct op) queue;
	struct map memo;      /* path -> struct memo_rec * */
	struct map memo_dirs; /* "dir/" (heap key) -> non-NULL: its rows are in memo */
	size_t memo_dirty;
	struct map reported;  /* hex output id (heap key) -> non-NULL */
	struct map checked;   /* blob path (heap key) -> non-NULL: found intact this run;
	                       * NULL: found missing or damaged after that */
	uint64_t max_bytes;
	int64_t fixed_now;    /* test clock, or 0 */
	unsigned tmpseq;
	struct work_cache_counters run;
	/* a read transaction shared by consecutive look-ups (see read_begin) */
	bool in_read;
	int64_t read_since;   /* monotonic ns when it began */
};

/* ---- small helpers --------------------------------------------------------- */

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static int64_t now_ns(const struct work_cache *c)
{
	return c->fixed_now ? c->fixed_now : clock_ns(CLOCK_REALTIME);
}

/*
 * coarse_now is the clock file timestamps are taken from: Linux stamps
 * files with the coarse (tick) clock, so a record's time must come from it
 * too for "mtime strictly older than the record" to mean "changed before".
 */
static int64_t coarse_now(const struct work_cache *c)
{
	if (c->fixed_now)
		return c->fixed_now;
#ifdef CLOCK_REALTIME_COARSE
	return clock_ns(CLOCK_REALTIME_COARSE);
#else
	return clock_ns(CLOCK_REALTIME);
#endif
}

static void filestat_from(struct filestat *fs, const struct stat *st)
{
	fs->dev = (int64_t)st->st_dev;
	fs->ino = (int64_t)st->st_ino;
	fs->size = (int64_t)st->st_size;
	fs->mtime = (int64_t)st->st_mtim.tv_sec * NS_PER_SEC + st->st_mtim.tv_nsec;
	fs->ctime = (int64_t)st->st_ctim.tv_sec * NS_PER_SEC + st->st_ctim.tv_nsec;
}

static bool filestat_eq(const struct filestat *a, const struct filestat *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime == b->mtime &&
	       a->ctime == b->ctime;
}

static bool is_hex_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return false;
	}
	return s[n] == 0;
}

static void forget_checked(struct work_cache *c)
{
	size_t i = 0;
	const char *k;

	while (map_next(&c->checked, &i, &k, NULL))
		free((char *)k);
	map_release(&c->checked);
	map_init(&c->checked);
}

static int hexval(char ch)
{
	return ch <= '9' ? ch - '0' : ch - 'a' + 10;
}

/* blob_path returns dir/<xx>/<hex> for oid (heap). */
static char *blob_path(const struct work_cache *c, const unsigned char oid[32])
{
	char hex[65];

	hash_hex(oid, 32, hex);
	return xasprintf("%s/%.2s/%s", c->dir, hex, hex);
}

static int sql_err(struct work_cache *c, const char *what, struct err *e)
{
	return err_setf(e, "cache index %s: %s: %s", c->dbpath, what, sqlite3_errmsg(c->db));
}

/* stmt returns the prepared statement id, reset and unbound (or NULL). */
static sqlite3_stmt *stmt(struct work_cache *c, enum stmt_id id, struct err *e)
{
	sqlite3_stmt *s = c->st[id];

	if (!s) {
		if (sqlite3_prepare_v3(c->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &c->st[id], NULL) !=
		    SQLITE_OK) {
			sql_err(c, "prepare", e);
			return NULL;
		}
		return c->st[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* done runs a statement that returns no rows to completion. */
static int step_done(struct work_cache *c, sqlite3_stmt *s, struct err *e)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sql_err(c, "step", e);
	return 0;
}

static int exec(struct work_cache *c, const char *sql, struct err *e)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_err(c, sql, e);
	return 0;
}

/*
 * Look-ups share one read transaction: in WAL mode each transaction takes
 * and drops a shared lock (two fcntl calls), which would be most of the
 * cost of a get.  It ends before any write, at flush and close, and after
 * READ_TXN_NS so that puts by other processes become visible soon and
 * checkpoints are not held back.
 */
#define READ_TXN_NS (50 * 1000 * 1000)

static void read_end(struct work_cache *c)
{
	if (c->in_read) {
		if (!sqlite3_get_autocommit(c->db))
			sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
		c->in_read = false;
	}
}

static void read_begin(struct work_cache *c)
{
	int64_t t = clock_ns(CLOCK_MONOTONIC);

	if (c->in_read && t - c->read_since < READ_TXN_NS)
		return;
	read_end(c);
	/* a failed BEGIN only means each statement runs on its own */
	if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK) {
		c->in_read = true;
		c->read_since = t;
	}
}

static int begin_write(struct work_cache *c, struct err *e)
{
	read_end(c);
	return exec(c, "BEGIN IMMEDIATE", e);
}

static int commit(struct work_cache *c, struct err *e)
{
	return exec(c, "COMMIT", e);
}

static void rollback(struct work_cache *c)
{
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

static void bind_stat(sqlite3_stmt *s, int first, const struct filestat *fs)
{
	if (fs && fs->ctime) {
		sqlite3_bind_int64(s, first, fs->dev);
		sqlite3_bind_int64(s, first + 1, fs->ino);
		sqlite3_bind_int64(s, first + 2, fs->mtime);
		sqlite3_bind_int64(s, first + 3, fs->ctime);
	} else {
		for (int i = 0; i < 4; i++)
			sqlite3_bind_null(s, first + i);
	}
}

static int meta_get(struct work_cache *c, const char *k, int64_t *v, struct err *e)
{
	sqlite3_stmt *s = stmt(c, ST_META_GET, e);
	int rc;

	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_err(c, "read meta", e);
	return 0;
}

static int meta_set(struct work_cache *c, const char *k, int64_t v, struct err *e)
{
	sqlite3_stmt *s = stmt(c, ST_META_SET, e);

	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, v);
	return step_done(c, s, e);
}

/* hash_fd hashes fd from its current offset to EOF; *n gets the length. */
static int hash_fd(int fd, const char *path, unsigned char sum[32], uint64_t *n, struct err *e)
{
	struct hash_sha256 h;
	char *chunk = xmalloc(64 * 1024);
	uint64_t total = 0;
	int rc = -1;

	hash_sha256_init(&h);
	for (;;) {
		ssize_t r = read(fd, chunk, 64 * 1024);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err_errno(e, "read", path);
			break;
		}
		if (r == 0) {
			rc = 0;
			break;
		}
		hash_sha256_write(&h, chunk, (size_t)r);
		total += (uint64_t)r;
	}
	hash_sha256_sum(&h, sum);
	free(chunk);
	if (n)
		*n = total;
	return rc;
}


/* ---- opening ----------------------------------------------------------------- */

char *work_cache_default_dir(char **why)
{
	const char *env = getenv("GOTOOLCACHE");
	char *base = NULL, *dir;
	struct err e = ERR_INIT;

	if (why)
		*why = NULL;
	/* the same rule as modload/scanindex.c's index_path */
	if (env && env[0]) {
		if (strcmp(env, "off") == 0) {
			if (why)
				*why = xstrdup("GOTOOLCACHE=off");
			return NULL;
		}
		if (!path_is_abs(env)) {
			if (why)
				*why = xasprintf("GOTOOLCACHE=%s is not an absolute path", env);
			return NULL;
		}
		base = xstrdup(env);
	} else {
		char *user = cfg_user_cache_dir(&e);
		if (!user) {
			if (why)
				*why = err_take(&e);
			err_clear(&e);
			return NULL;
		}
		base = path_join(user, "gotool");
		free(user);
	}
	dir = path_join(base, "build");
	free(base);
	return dir;
}

int work_cache_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	const char *p = s;

	if (!s || !(*p >= '0' && *p <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	switch (*p) {
	case 'k': case 'K': mul = (uint64_t)1 << 10; p++; break;
	case 'm': case 'M': mul = (uint64_t)1 << 20; p++; break;
	case 'g': case 'G': mul = (uint64_t)1 << 30; p++; break;
	case 't': case 'T': mul = (uint64_t)1 << 40; p++; break;
	default: break;
	}
	if (mul > 1 && (*p == 'i' || *p == 'I'))
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p != 0)
		return -1;
	if (v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

uint64_t work_cache_max_bytes(void)
{
	const char *env = getenv("GOTOOLCACHESIZE");
	uint64_t v;

	/* a bad value must not fail a build: the default applies */
	if (env && env[0] && work_cache_parse_size(env, &v) == 0)
		return v;
	return WORK_CACHE_DEFAULT_MAX_BYTES;
}

static void close_db(struct work_cache *c)
{
	if (c->db)
		read_end(c);
	for (size_t i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(c->st[i]);
		c->st[i] = NULL;
	}
	if (c->db) {
		/* the WAL is kept at close (open_db), but not a big one: a run
		 * that wrote much folds it into the database and empties it */
		char *wal = xasprintf("%s-wal", c->dbpath);
		struct stat st;
		if (stat(wal, &st) == 0 && st.st_size > WAL_KEEP_BYTES)
			sqlite3_exec(c->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
		free(wal);
		sqlite3_close_v2(c->db);
	}
	c->db = NULL;
}

/* drop_all_tables empties a database whose schema gotool does not know. */
static int drop_all_tables(struct work_cache *c, struct err *e)
{
	sqlite3_stmt *s = NULL;
	struct strvec names = {0};
	int rc = -1;

	if (sqlite3_prepare_v2(c->db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
	                       -1, &s, NULL) != SQLITE_OK) {
		sql_err(c, "list tables", e);
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW)
		strvec_push(&names, (const char *)sqlite3_column_text(s, 0));
	strvec_sort(&names);
	for (size_t i = 0; i < names.n; i++) {
		struct buf q = BUF_INIT;
		/* quote the identifier: "" doubles a quote inside it */
		buf_adds(&q, "DROP TABLE \"");
		for (const char *p = names.v[i]; *p; p++) {
			if (*p == '"')
				buf_addch(&q, '"');
			buf_addch(&q, *p);
		}
		buf_adds(&q, "\"");
		int x = exec(c, buf_cstr(&q), e);
		buf_release(&q);
		if (x < 0)
			goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	strvec_clear(&names);
	return rc;
}

/* ensure_schema creates the tables, or recreates them when user_version is
 * not ours (a newer or older gotool: the cache is only a cache). */
static int ensure_schema(struct work_cache *c, bool *recreated, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int version = -1, rc = -1;

	*recreated = false;
	for (int pass = 0; pass < 2; pass++) {
		if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK) {
			sql_err(c, "read schema version", e);
			goto out;
		}
		if (sqlite3_step(s) != SQLITE_ROW) {
			sql_err(c, "read schema version", e);
			goto out;
		}
		version = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
		s = NULL;
		if (version == SCHEMA_VERSION) {
			if (pass == 1 && commit(c, e) < 0)
				goto out;
			rc = 0;
			goto out;
		}
		if (pass == 0 && begin_write(c, e) < 0)
			goto out;
	}
	/* under the write lock and still not ours: whatever tables are there
	 * (none for a new file) belong to another schema */
	*recreated = version != 0;
	if (drop_all_tables(c, e) < 0)
		goto fail;
	if (exec(c, schema_sql, e) < 0)
		goto fail;
	{
		char *q = xasprintf("INSERT INTO meta(k, v) VALUES('last_trim', %lld); PRAGMA user_version = %d",
		                    (long long)now_ns(c), SCHEMA_VERSION);
		int x = exec(c, q, e);
		free(q);
		if (x < 0)
			goto fail;
	}
	if (commit(c, e) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	rollback(c);
out:
	sqlite3_finalize(s);
	return rc;
}

/* open_db opens the index once; *damaged tells a file that is not a usable
 * database (the caller removes it and retries). */
static int open_db(struct work_cache *c, bool *damaged, struct err *e)
{
	bool recreated = false;
	int rc;

	*damaged = false;
	rc = sqlite3_open_v2(c->dbpath, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		if (c->db)
			sql_err(c, "open", e);
		else
			err_setf(e, "cache index %s: open: out of memory", c->dbpath);
		goto fail;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(c->db, 0);
	/* WAL: readers never block the writer; NORMAL: no fsync per commit
	 * (a power loss may lose the last transactions, never corrupt). */
	/* Turning a new database to WAL takes a lock that SQLite does not
	 * wait for through the busy handler when another process is doing
	 * the same: wait here, as long as the busy timeout. */
	for (int waited = 0;; waited += 10) {
		rc = sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= BUSY_TIMEOUT_MS)
			break;
		sqlite3_sleep(10);
	}
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
		*damaged = true;
		sql_err(c, "open", e);
		goto fail;
	}
	if (rc != SQLITE_OK) {
		sql_err(c, "set WAL mode", e);
		goto fail;
	}
	/* Leave the WAL and its index in place at close: the last closer would
	 * otherwise checkpoint (four fsyncs) and delete both, and the next run
	 * recreate them, on every no-op build.  SQLite still checkpoints when
	 * the WAL grows past its limit; a later open reads the WAL as usual. */
	{
		int on = 1;
		sqlite3_db_config(c->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
		sqlite3_file_control(c->db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
	}
	if (ensure_schema(c, &recreated, e) < 0) {
		rc = sqlite3_errcode(c->db);
		*damaged = rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
		goto fail;
	}
	return 0;
fail:
	close_db(c);
	return -1;
}

int work_cache_open(const char *dir, struct work_cache **out, struct err *e)
{
	struct work_cache *c = NULL;
	char *def = NULL;
	bool damaged = false;

	*out = NULL;
	if (!dir) {
		def = work_cache_default_dir(NULL);
		if (!def)
			return 0;
		dir = def;
	}
	c = xcalloc(1, sizeof *c);
	c->dir = path_clean(dir);
	c->dbpath = path_join(c->dir, "index.db");
	c->max_bytes = work_cache_max_bytes();
	map_init(&c->memo);
	map_init(&c->memo_dirs);
	map_init(&c->reported);
	map_init(&c->checked);
	free(def);
	if (os_mkdir_all(c->dir, 0777, e) < 0)
		goto fail;
	if (open_db(c, &damaged, e) < 0) {
		if (!damaged)
			goto fail;
		/* not a database (or a damaged one): start over; other processes
		 * still holding the old file lose only what they write to it */
		err_clear(e);
		const char *sfx[] = {"", "-wal", "-shm"};
		for (size_t i = 0; i < countof(sfx); i++) {
			char *p = xasprintf("%s%s", c->dbpath, sfx[i]);
			unlink(p);
			free(p);
		}
		fprintf(stderr, "%s: cache: index %s was damaged; recreated\n", prog_name, c->dbpath);
		if (open_db(c, &damaged, e) < 0)
			goto fail;
	}
	*out = c;
	return 0;
fail:
	err_wrapf(e, "open build cache");
	work_cache_close(c);
	return -1;
}

const char *work_cache_dir(const struct work_cache *c)
{
	return c->dir;
}

void work_cache_set_now(struct work_cache *c, int64_t ns)
{
	c->fixed_now = ns;
}

void work_cache_counters(const struct work_cache *c, struct work_cache_counters *out)
{
	*out = c->run;
}

void work_cache_entry_release(struct work_cache_entry *en)
{
	free(en->path);
	en->path = NULL;
	free(en->buildid);
	en->buildid = NULL;
}

void work_cache_report_release(struct work_cache_report *r)
{
	for (size_t i = 0; i < r->problems.n; i++)
		free(r->problems.v[i]);
	free(r->problems.v);
	r->problems.v = NULL;
	r->problems.n = r->problems.cap = 0;
}

/* ---- deferred writes ------------------------------------------------------------ */

static int flush_ops(struct work_cache *c, struct err *e);

/* clear_queue forgets the deferred writes (flushed or not). */
static void clear_queue(struct work_cache *c)
{
	for (size_t i = 0; i < c->queue.n; i++)
		free(c->queue.v[i].text);
	c->queue.n = 0;
}

static void queue_op(struct work_cache *c, enum op_kind kind, const unsigned char *aid, const unsigned char *oid,
                     const struct filestat *fs, const char *text)
{
	struct op op;
	struct err e = ERR_INIT;

	memset(&op, 0, sizeof op);
	op.kind = kind;
	if (aid)
		memcpy(op.aid, aid, 32);
	if (oid)
		memcpy(op.oid, oid, 32);
	if (fs)
		op.st = *fs;
	if (text)
		op.text = xstrdup(text);
	VEC_PUSH(&c->queue, op);
	/* a long run writes in batches; a failure only loses cache updates */
	if (c->queue.n + c->memo_dirty >= QUEUE_FLUSH && flush_ops(c, &e) < 0)
		err_clear(&e);
}

/* drop_oid removes oid's blob row and the actions naming it (in a
 * transaction held by the caller), keeping meta 'bytes' right. */
static int drop_oid(struct work_cache *c, const unsigned char oid[32], uint64_t *size, struct err *e)
{
	sqlite3_stmt *s;
	int64_t sz = 0;
	int rc;

	if (!(s = stmt(c, ST_BLOB_SIZE, e)))
		return -1;
	sqlite3_bind_blob(s, 1, oid, 32, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		sz = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_err(c, "read blob", e);
	if (!(s = stmt(c, ST_DROP_OID_ACTIONS, e)))
		return -1;
	sqlite3_bind_blob(s, 1, oid, 32, SQLITE_STATIC);
	if (step_done(c, s, e) < 0)
		return -1;
	if (rc == SQLITE_ROW) {
		if (!(s = stmt(c, ST_DROP_OID_BLOB, e)))
			return -1;
		sqlite3_bind_blob(s, 1, oid, 32, SQLITE_STATIC);
		if (step_done(c, s, e) < 0)
			return -1;
		if (!(s = stmt(c, ST_BYTES_ADD, e)))
			return -1;
		sqlite3_bind_int64(s, 1, -sz);
		if (step_done(c, s, e) < 0)
			return -1;
	}
	if (size)
		*size = rc == SQLITE_ROW ? (uint64_t)sz : 0;
	return 0;
}

static int apply_op(struct work_cache *c, const struct op *op, int64_t now, struct err *e)
{
	sqlite3_stmt *s;

	switch (op->kind) {
	case OP_TOUCH:
		if (!(s = stmt(c, ST_TOUCH_ACTION, e)))
			return -1;
		sqlite3_bind_blob(s, 1, op->aid, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
		if (step_done(c, s, e) < 0)
			return -1;
		if (!(s = stmt(c, ST_TOUCH_BLOB, e)))
			return -1;
		sqlite3_bind_blob(s, 1, op->oid, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
		return step_done(c, s, e);
	case OP_DROP: {
		/* another process may have put the blob again since: drop the
		 * rows only while the file is really missing */
		char *path = blob_path(c, op->oid);
		struct stat st;
		int missing = lstat(path, &st) < 0 && errno == ENOENT;
		free(path);
		if (!(s = stmt(c, ST_DROP_AID, e)))
			return -1;
		sqlite3_bind_blob(s, 1, op->aid, 32, SQLITE_STATIC);
		if (step_done(c, s, e) < 0)
			return -1;
		return missing ? drop_oid(c, op->oid, NULL, e) : 0;
	}
	case OP_BLOBSTAT:
		if (!(s = stmt(c, ST_BLOB_STAT, e)))
			return -1;
		sqlite3_bind_blob(s, 1, op->oid, 32, SQLITE_STATIC);
		bind_stat(s, 2, &op->st);
		return step_done(c, s, e);
	case OP_BUILDID:
		if (!(s = stmt(c, ST_BLOB_BUILDID, e)))
			return -1;
		sqlite3_bind_blob(s, 1, op->oid, 32, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, op->text, -1, SQLITE_STATIC);
		return step_done(c, s, e);
	}
	BUG("unknown cache op");
}

static int put_memo(struct work_cache *c, const struct memo_rec *m, struct err *e)
{
	sqlite3_stmt *s = stmt(c, ST_MEMO_PUT, e);

	if (!s)
		return -1;
	sqlite3_bind_text(s, 1, m->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, m->st.dev);
	sqlite3_bind_int64(s, 3, m->st.ino);
	sqlite3_bind_int64(s, 4, m->st.size);
	sqlite3_bind_int64(s, 5, m->st.mtime);
	sqlite3_bind_int64(s, 6, m->st.ctime);
	sqlite3_bind_blob(s, 7, m->sum, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 8, m->rec);
	return step_done(c, s, e);
}

/* flush_ops writes the queue and the dirty memo records in one transaction.
 * On failure what was queued is dropped (it is only cache bookkeeping). */
static int flush_ops(struct work_cache *c, struct err *e)
{
	int64_t now = now_ns(c);
	size_t i;
	const char *key;
	void *val;
	int rc = -1;

	read_end(c);
	if (c->queue.n == 0 && c->memo_dirty == 0)
		return 0;
	if (begin_write(c, e) < 0)
		goto out;
	for (i = 0; i < c->queue.n; i++)
		if (apply_op(c, &c->queue.v[i], now, e) < 0)
			goto out;
	for (i = 0; c->memo_dirty && map_next(&c->memo, &i, &key, &val);) {
		struct memo_rec *m = val;
		if (m->dirty && put_memo(c, m, e) < 0)
			goto out;
	}
	if (commit(c, e) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		rollback(c);
	clear_queue(c);
	for (i = 0; c->memo_dirty && map_next(&c->memo, &i, &key, &val);)
		((struct memo_rec *)val)->dirty = false;
	c->memo_dirty = 0;
	return rc;
}

int work_cache_flush(struct work_cache *c, struct err *e)
{
	return flush_ops(c, e);
}

/* ---- get ----------------------------------------------------------------------- */

/* report_corrupt removes a blob that does not hold its id's content and
 * says so once per blob per process. */
static void report_corrupt(struct work_cache *c, const unsigned char aid[32], const unsigned char oid[32],
                           const char *path)
{
	char hex[65];

	hash_hex(oid, 32, hex);
	unlink(path);
	c->run.corrupt++;
	if (!map_has(&c->reported, hex)) {
		map_put(&c->reported, xstrdup(hex), c);
		fflush(stdout);
		fprintf(stderr, "%s: cache: removed corrupt entry %s\n", prog_name, hex);
	}
	queue_op(c, OP_DROP, aid, oid, NULL, NULL);
}

int work_cache_get(struct work_cache *c, const unsigned char aid[32], struct work_cache_entry *out,
                   struct err *e)
{
	sqlite3_stmt *s;
	unsigned char oid[32];
	struct filestat rec = {0}, cur;
	int64_t blob_size, action_use, blob_use, now;
	bool have_blob;
	char *path = NULL;
	struct stat st;
	int rc;

	memset(out, 0, sizeof *out);
	read_begin(c);
	if (!(s = stmt(c, ST_GET, e)))
		return -1;
	sqlite3_bind_blob(s, 1, aid, 32, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		c->run.misses++;
		return 0;
	}
	if (rc != SQLITE_ROW) {
		sql_err(c, "get", e);
		sqlite3_reset(s);
		return -1;
	}
	if (sqlite3_column_bytes(s, 0) != 32) {
		/* a row gotool did not write: treat as absent */
		sqlite3_reset(s);
		c->run.misses++;
		return 0;
	}
	memcpy(oid, sqlite3_column_blob(s, 0), 32);
	action_use = sqlite3_column_int64(s, 1);
	have_blob = sqlite3_column_type(s, 2) != SQLITE_NULL;
	blob_size = sqlite3_column_int64(s, 2);
	if (sqlite3_column_type(s, 6) != SQLITE_NULL) {
		rec.dev = sqlite3_column_int64(s, 3);
		rec.ino = sqlite3_column_int64(s, 4);
		rec.size = blob_size;
		rec.mtime = sqlite3_column_int64(s, 5);
		rec.ctime = sqlite3_column_int64(s, 6);
	}
	blob_use = sqlite3_column_int64(s, 7);
	free(out->buildid);
	out->buildid = NULL;
	if (sqlite3_column_type(s, 8) == SQLITE_TEXT)
		out->buildid = xstrdup((const char *)sqlite3_column_text(s, 8));
	sqlite3_reset(s);

	path = blob_path(c, oid);
	if (!have_blob || stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		/* missing blob: a miss; the rows go at the next flush */
		queue_op(c, OP_DROP, aid, oid, NULL, NULL);
		goto miss;
	}
	filestat_from(&cur, &st);
	if (cur.size != blob_size) {
		report_corrupt(c, aid, oid, path);
		goto miss;
	}
	if (!rec.ctime || !filestat_eq(&rec, &cur)) {
		/* the file changed since it was written (or was adopted
		 * unverified): check its content once and remember the stat */
		unsigned char sum[32];
		uint64_t n = 0;
		struct err he = ERR_INIT;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		int hr = fd < 0 ? -1 : hash_fd(fd, path, sum, &n, &he);
		if (fd >= 0)
			close(fd);
		err_clear(&he);
		if (hr < 0 || n != (uint64_t)blob_size || memcmp(sum, oid, 32) != 0) {
			report_corrupt(c, aid, oid, path);
			goto miss;
		}
		queue_op(c, OP_BLOBSTAT, NULL, oid, &cur, NULL);
	}
	if (!map_has(&c->checked, path))
		map_put(&c->checked, xstrdup(path), c);
	else
		map_put(&c->checked, path, c);
	now = now_ns(c);
	if (now - action_use >= TOUCH_INTERVAL_NS || now - blob_use >= TOUCH_INTERVAL_NS)
		queue_op(c, OP_TOUCH, aid, oid, NULL, NULL);
	memcpy(out->output_id, oid, 32);
	out->size = (uint64_t)blob_size;
	out->last_use_ns = action_use;
	out->path = path;
	c->run.hits++;
	return 1;
miss:
	if (map_has(&c->checked, path))
		map_put(&c->checked, path, NULL); /* no longer intact */
	free(path);
	free(out->buildid);
	out->buildid = NULL;
	c->run.misses++;
	return 0;
}

void work_cache_note_buildid(struct work_cache *c, const unsigned char oid[32], const char *id)
{
	queue_op(c, OP_BUILDID, NULL, oid, NULL, id);
}

/* ---- put ------------------------------------------------------------------------ */

/* temp_open creates a fresh temp file in the cache directory; *tmp heap.
 * The pid in the name lets a sweep tell a dead writer's leftovers. */
static int temp_open(struct work_cache *c, char **tmp, struct err *e)
{
	for (int tries = 0; tries < 100; tries++) {
		unsigned r = (unsigned)(clock_ns(CLOCK_MONOTONIC) ^ ((int64_t)c->tmpseq << 20));
		char *p = xasprintf("%s/.tmp-%ld-%u-%08x", c->dir, (long)getpid(), c->tmpseq++, r);
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0) {
			*tmp = p;
			return fd;
		}
		if (errno != EEXIST) {
			err_errno(e, "open", p);
			free(p);
			return -1;
		}
		free(p);
	}
	return err_setf(e, "open %s/.tmp-*: too many collisions", c->dir);
}

/*
 * install_blob moves the finished temp file to oid's blob path, unless an
 * intact blob is already there (then the temp file is dropped and the old
 * file's mtime refreshed so a concurrent orphan sweep spares it).  *fs gets
 * the blob's stat when we installed it, zeros when it was there already
 * (recorded as unverified).
 */
static int install_blob(struct work_cache *c, const char *tmp, const unsigned char oid[32], uint64_t size,
                        char **pathp, struct filestat *fs, struct err *e)
{
	char *path = blob_path(c, oid), *dir = path_dir(path);
	struct stat st;
	int rc = -1;

	memset(fs, 0, sizeof *fs);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == size) {
		unlink(tmp);
		utimensat(AT_FDCWD, path, NULL, 0);
		rc = 0;
		goto out;
	}
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		err_errno(e, "mkdir", dir);
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, path) < 0) {
		err_errno(e, "rename", tmp);
		unlink(tmp);
		goto out;
	}
	/* rename changes ctime: stat the final name */
	if (stat(path, &st) == 0)
		filestat_from(fs, &st);
	rc = 0;
out:
	free(dir);
	if (rc == 0)
		*pathp = path;
	else
		free(path);
	return rc;
}

/* record_put commits the rows of a put: the blob (new, or its use time
 * refreshed) and the action pointing at it. */
static int record_put(struct work_cache *c, const unsigned char aid[32], const unsigned char oid[32], uint64_t size,
                      const struct filestat *fs, struct err *e)
{
	int64_t now = now_ns(c);
	sqlite3_stmt *s;

	if (begin_write(c, e) < 0)
		return -1;
	if (!(s = stmt(c, ST_BLOB_INSERT, e)))
		goto fail;
	sqlite3_bind_blob(s, 1, oid, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)size);
	sqlite3_bind_int64(s, 3, now);
	bind_stat(s, 4, fs);
	if (step_done(c, s, e) < 0)
		goto fail;
	if (sqlite3_changes(c->db) == 1) {
		if (!(s = stmt(c, ST_BYTES_ADD, e)))
			goto fail;
		sqlite3_bind_int64(s, 1, (int64_t)size);
	} else {
		if (!(s = stmt(c, ST_BLOB_REUSE, e)))
			goto fail;
		sqlite3_bind_blob(s, 1, oid, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
		bind_stat(s, 3, fs);
	}
	if (step_done(c, s, e) < 0)
		goto fail;
	if (!(s = stmt(c, ST_ACTION_PUT, e)))
		goto fail;
	sqlite3_bind_blob(s, 1, aid, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, oid, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	if (step_done(c, s, e) < 0)
		goto fail;
	if (commit(c, e) < 0)
		goto fail;
	return 0;
fail:
	rollback(c);
	return -1;
}

static int finish_put(struct work_cache *c, const unsigned char aid[32], const char *tmp, const unsigned char oid[32],
                      uint64_t size, struct work_cache_entry *out, struct err *e)
{
	struct filestat fs;
	char *path = NULL;

	if (install_blob(c, tmp, oid, size, &path, &fs, e) < 0)
		return -1;
	if (record_put(c, aid, oid, size, &fs, e) < 0) {
		free(path);
		return -1;
	}
	c->run.puts++;
	c->run.put_bytes += size;
	if (out) {
		memcpy(out->output_id, oid, 32);
		out->size = size;
		out->last_use_ns = now_ns(c);
		out->path = path;
	} else {
		free(path);
	}
	return 0;
}

int work_cache_put_file(struct work_cache *c, const unsigned char aid[32], const char *path,
                        struct work_cache_entry *out, struct err *e)
{
	struct hash_sha256 h;
	unsigned char oid[32];
	char *chunk = NULL, *tmp = NULL;
	int in = -1, fd = -1, rc = -1;
	uint64_t size = 0;

	if (out)
		memset(out, 0, sizeof *out);
	if ((in = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		err_errno(e, "open", path);
		goto out;
	}
	if ((fd = temp_open(c, &tmp, e)) < 0)
		goto out;
	/* one pass: copy into the temp file and hash what was copied, so the
	 * id always matches the blob even if the source changes meanwhile */
	chunk = xmalloc(64 * 1024);
	hash_sha256_init(&h);
	for (;;) {
		ssize_t r = read(in, chunk, 64 * 1024);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err_errno(e, "read", path);
			hash_sha256_sum(&h, oid);
			goto out;
		}
		if (r == 0)
			break;
		if (os_write_all(fd, chunk, (size_t)r) < 0) {
			err_errno(e, "write", tmp);
			hash_sha256_sum(&h, oid);
			goto out;
		}
		hash_sha256_write(&h, chunk, (size_t)r);
		size += (uint64_t)r;
	}
	hash_sha256_sum(&h, oid);
	if (close(fd) < 0) {
		fd = -1;
		err_errno(e, "close", tmp);
		goto out;
	}
	fd = -1;
	rc = finish_put(c, aid, tmp, oid, size, out, e);
	free(tmp);
	tmp = NULL; /* finish_put renamed or removed it */
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (in >= 0)
		close(in);
	free(chunk);
	return rc;
}

int work_cache_put_bytes(struct work_cache *c, const unsigned char aid[32], const void *data, size_t n,
                         struct work_cache_entry *out, struct err *e)
{
	unsigned char oid[32];
	char *tmp = NULL;
	int fd, rc = -1;

	if (out)
		memset(out, 0, sizeof *out);
	hash_sha256(data, n, oid);
	if ((fd = temp_open(c, &tmp, e)) < 0)
		return -1;
	if (os_write_all(fd, data, n) < 0) {
		err_errno(e, "write", tmp);
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0) {
		err_errno(e, "close", tmp);
		unlink(tmp);
		goto out;
	}
	rc = finish_put(c, aid, tmp, oid, n, out, e);
out:
	free(tmp);
	return rc;
}

/* ---- file hash memo ------------------------------------------------------------- */

static void memo_dirs_release(struct work_cache *c)
{
	size_t i = 0;
	const char *k;

	while (map_next(&c->memo_dirs, &i, &k, NULL))
		free((char *)k);
	map_release(&c->memo_dirs);
}

/* memo_from_row makes the record of path from a memo row (columns dev, ino,
 * size, mtime, ctime, sum, rec), or returns NULL for a malformed row. */
static struct memo_rec *memo_from_row(sqlite3_stmt *s, const char *path)
{
	struct memo_rec *m;

	if (sqlite3_column_bytes(s, 5) != 32)
		return NULL;
	m = xcalloc(1, sizeof *m);
	m->path = xstrdup(path);
	m->st.dev = sqlite3_column_int64(s, 0);
	m->st.ino = sqlite3_column_int64(s, 1);
	m->st.size = sqlite3_column_int64(s, 2);
	m->st.mtime = sqlite3_column_int64(s, 3);
	m->st.ctime = sqlite3_column_int64(s, 4);
	memcpy(m->sum, sqlite3_column_blob(s, 5), 32);
	m->rec = sqlite3_column_int64(s, 6);
	return m;
}

/*
 * memo_load_dir reads the records of the files directly in path's directory
 * into c->memo, once per directory: a build hashes a package's files one
 * after another, and one range query costs about what one point query does.
 * A record this process already holds is kept (it may be newer).  Returns
 * false when path has no directory (then look it up alone).
 */
static bool memo_load_dir(struct work_cache *c, const char *path, struct err *e)
{
	const char *slash = strrchr(path, '/');
	sqlite3_stmt *s;
	size_t n;
	char *lo, *hi;
	int rc;

	if (!slash)
		return false;
	n = (size_t)(slash - path) + 1;
	lo = xstrndup(path, n);
	if (map_has(&c->memo_dirs, lo)) {
		free(lo);
		return true;
	}
	hi = xstrdup(lo);
	hi[n - 1] = '0';
	read_begin(c);
	if (!(s = stmt(c, ST_MEMO_DIR, e)))
		goto out;
	sqlite3_bind_text(s, 1, lo, (int)n, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, hi, (int)n, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(s, 7);
		struct memo_rec *m;

		/* files of subdirectories wait for their own directory */
		if (!p || strlen(p) <= n || strchr(p + n, '/') || map_has(&c->memo, p))
			continue;
		if ((m = memo_from_row(s, p)))
			map_put(&c->memo, m->path, m);
	}
	if (rc != SQLITE_DONE)
		sql_err(c, "read memo", e);
	sqlite3_reset(s);
	if (!err_isset(e)) {
		map_put(&c->memo_dirs, lo, (void *)1);
		lo = NULL;
	}
out:
	free(lo);
	free(hi);
	return true;
}

static struct memo_rec *memo_lookup(struct work_cache *c, const char *path, struct err *e)
{
	struct memo_rec *m = map_get(&c->memo, path);
	sqlite3_stmt *s;
	int rc;

	if (m)
		return m;
	if (memo_load_dir(c, path, e))
		return err_isset(e) ? NULL : map_get(&c->memo, path);
	read_begin(c);
	if (!(s = stmt(c, ST_MEMO_GET, e)))
		return NULL;
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if ((m = memo_from_row(s, path)))
			map_put(&c->memo, m->path, m);
	} else if (rc != SQLITE_DONE) {
		sql_err(c, "read memo", e);
	}
	sqlite3_reset(s);
	return m;
}

int work_cache_file_hash(struct work_cache *c, const char *path, unsigned char sum[32], struct err *e)
{
	/* the record's time is taken before the stat: any change after it
	 * stamps the file with a time not older than rec (see docs/cache.md) */
	int64_t rec = coarse_now(c);
	struct filestat cur;
	struct memo_rec *m;
	struct stat st;
	int fd = -1, rc = -1;

	/* a blob checked this run is named by its content's hash */
	if (map_get(&c->checked, path)) {
		const char *hex = strrchr(path, '/') + 1;
		for (int i = 0; i < 32; i++)
			sum[i] = (unsigned char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
		c->run.memo_hits++;
		return 0;
	}
	/* a memo hit costs one stat(2): open only to hash */
	if (stat(path, &st) < 0)
		return err_errno(e, errno == ENOENT ? "open" : "stat", path);
	filestat_from(&cur, &st);
	m = memo_lookup(c, path, e);
	if (err_isset(e))
		return -1;
	if (m && filestat_eq(&m->st, &cur) && m->st.mtime < m->rec && m->st.ctime < m->rec) {
		memcpy(sum, m->sum, 32);
		c->run.memo_hits++;
		return 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_errno(e, "open", path);
	/* record the stat of the file actually read (it may have been replaced) */
	if (fstat(fd, &st) < 0) {
		err_errno(e, "stat", path);
		goto out;
	}
	filestat_from(&cur, &st);
	if (!S_ISREG(st.st_mode)) {
		err_setf(e, "read %s: not a regular file", path);
		goto out;
	}
	if (hash_fd(fd, path, sum, NULL, e) < 0)
		goto out;
	c->run.memo_hashed++;
	if (!m) {
		m = xcalloc(1, sizeof *m);
		m->path = xstrdup(path);
		map_put(&c->memo, m->path, m);
	}
	m->st = cur;
	m->rec = rec;
	memcpy(m->sum, sum, 32);
	if (!m->dirty) {
		m->dirty = true;
		c->memo_dirty++;
	}
	if (c->queue.n + c->memo_dirty >= QUEUE_FLUSH) {
		struct err fe = ERR_INIT;
		if (flush_ops(c, &fe) < 0)
			err_clear(&fe);
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

/* ---- stats, trim, verify, clean -------------------------------------------------- */

/* query_u64 runs a one-value query (no parameters). */
static int query_u64(struct work_cache *c, const char *sql, uint64_t *v, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(c->db, sql, -1, &s, NULL) != SQLITE_OK)
		return sql_err(c, sql, e);
	rc = sqlite3_step(s);
	*v = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_err(c, sql, e);
	return 0;
}

int work_cache_stats(struct work_cache *c, unsigned recent, struct work_cache_stats *st, struct err *e)
{
	char *q = NULL;
	sqlite3_stmt *s = NULL;
	int rc = -1;

	memset(st, 0, sizeof *st);
	st->max_bytes = c->max_bytes;
	read_end(c);
	if (exec(c, "BEGIN", e) < 0)
		return -1;
	if (query_u64(c, "SELECT count(*) FROM actions", &st->entries, e) < 0 ||
	    query_u64(c, "SELECT count(*) FROM blobs", &st->blobs, e) < 0 ||
	    query_u64(c, "SELECT coalesce(sum(size), 0) FROM blobs", &st->bytes, e) < 0 ||
	    query_u64(c, "SELECT count(*) FROM memo", &st->memo_records, e) < 0)
		goto out;
	q = xasprintf("SELECT count(*), coalesce(sum(hits), 0), coalesce(sum(misses), 0) FROM "
	              "(SELECT hits, misses FROM runs WHERE hits + misses > 0 ORDER BY id DESC LIMIT %u)",
	              recent);
	if (sqlite3_prepare_v2(c->db, q, -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		sql_err(c, "read runs", e);
		goto out;
	}
	st->runs = (uint64_t)sqlite3_column_int64(s, 0);
	st->hits = (uint64_t)sqlite3_column_int64(s, 1);
	st->misses = (uint64_t)sqlite3_column_int64(s, 2);
	rc = 0;
out:
	sqlite3_finalize(s);
	free(q);
	rollback(c);
	return rc;
}

static void add_problem(struct work_cache_report *rep, char *line)
{
	VEC_PUSH(&rep->problems, line);
}

/*
 * sweep removes temp files whose writer is gone (its pid no longer exists,
 * or the file is older than TEMP_MAX_AGE_NS) and blob files that no index
 * row names and that are older than ORPHAN_GRACE_NS (younger ones may be a
 * put between its rename and its commit).
 */
static int sweep(struct work_cache *c, struct work_cache_report *rep, struct err *e)
{
	struct map known;
	struct strvec keys = {0}, top = {0};
	sqlite3_stmt *s = NULL;
	int64_t now = now_ns(c), realnow = clock_ns(CLOCK_REALTIME);
	int rc = -1;

	map_init(&known);
	if (sqlite3_prepare_v2(c->db, "SELECT oid FROM blobs", -1, &s, NULL) != SQLITE_OK) {
		sql_err(c, "list blobs", e);
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		char hex[65];
		if (sqlite3_column_bytes(s, 0) != 32)
			continue;
		hash_hex(sqlite3_column_blob(s, 0), 32, hex);
		strvec_push(&keys, hex);
	}
	for (size_t i = 0; i < keys.n; i++)
		map_put(&known, keys.v[i], &known);
	if (os_readdir(c->dir, &top, e) < 0)
		goto out;
	for (size_t i = 0; i < top.n; i++) {
		const char *name = top.v[i];
		char *p = path_join(c->dir, name);
		struct stat st;
		if (has_prefix(name, ".tmp-")) {
			long pid = strtol(name + 5, NULL, 10);
			bool dead = pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
			if (lstat(p, &st) == 0 &&
			    (dead || realnow - ((int64_t)st.st_mtim.tv_sec * NS_PER_SEC) > TEMP_MAX_AGE_NS) &&
			    unlink(p) == 0)
				rep->removed_temps++;
		} else if (strlen(name) == 2 && is_hex_name(name, 2)) {
			struct strvec files = {0};
			struct err de = ERR_INIT;
			if (os_readdir(p, &files, &de) < 0)
				err_clear(&de);
			for (size_t j = 0; j < files.n; j++) {
				const char *f = files.v[j];
				char *fp;
				if (strlen(f) != 64 || !is_hex_name(f, 64) || strncmp(f, name, 2) != 0 ||
				    map_has(&known, f))
					continue;
				fp = path_join(p, f);
				/* the grace is judged on the test clock too, so tests can age files */
				if (lstat(fp, &st) == 0 &&
				    now - ((int64_t)st.st_mtim.tv_sec * NS_PER_SEC + st.st_mtim.tv_nsec) > ORPHAN_GRACE_NS &&
				    unlink(fp) == 0)
					rep->removed_orphans++;
				free(fp);
			}
			strvec_clear(&files);
		}
		free(p);
	}
	rc = 0;
out:
	sqlite3_finalize(s);
	map_release(&known);
	strvec_clear(&keys);
	strvec_clear(&top);
	return rc;
}

/* A blob chosen for removal. */
struct victim {
	unsigned char oid[32];
	uint64_t size;
};

int work_cache_trim(struct work_cache *c, uint64_t max_bytes, struct work_cache_report *rep, struct err *e)
{
	struct work_cache_report local;
	VEC(struct victim) victims = {0};
	sqlite3_stmt *s = NULL;
	uint64_t total = 0, n_actions_before = 0, n_actions_after = 0;
	int64_t now = now_ns(c);
	int rc = -1;

	memset(&local, 0, sizeof local);
	if (!rep)
		rep = &local;
	forget_checked(c); /* trim may remove any blob */
	if (flush_ops(c, e) < 0)
		err_clear(e);
	if (begin_write(c, e) < 0)
		goto out;
	/* recompute the total under the write lock: trim is the place that
	 * heals a drifted counter */
	if (query_u64(c, "SELECT coalesce(sum(size), 0) FROM blobs", &total, e) < 0 ||
	    query_u64(c, "SELECT count(*) FROM actions", &n_actions_before, e) < 0)
		goto fail;
	if (total > max_bytes) {
		if (sqlite3_prepare_v2(c->db, "SELECT oid, size FROM blobs ORDER BY last_use, oid", -1, &s, NULL) !=
		    SQLITE_OK) {
			sql_err(c, "list blobs", e);
			goto fail;
		}
		while (total > max_bytes && sqlite3_step(s) == SQLITE_ROW) {
			struct victim v;
			if (sqlite3_column_bytes(s, 0) != 32)
				continue;
			memcpy(v.oid, sqlite3_column_blob(s, 0), 32);
			v.size = (uint64_t)sqlite3_column_int64(s, 1);
			VEC_PUSH(&victims, v);
			total -= v.size < total ? v.size : total;
		}
		sqlite3_finalize(s);
		s = NULL;
	}
	for (size_t i = 0; i < victims.n; i++) {
		uint64_t sz = 0;
		if (drop_oid(c, victims.v[i].oid, &sz, e) < 0)
			goto fail;
		rep->removed_blobs++;
		rep->removed_bytes += victims.v[i].size;
	}
	{
		char *q = xasprintf("UPDATE meta SET v = (SELECT coalesce(sum(size), 0) FROM blobs) WHERE k = 'bytes';"
		                    "DELETE FROM memo WHERE rec < %lld;"
		                    "DELETE FROM runs WHERE id <= (SELECT max(id) FROM runs) - %d",
		                    (long long)(now - MEMO_MAX_AGE_NS), RUNS_KEPT);
		int x = exec(c, q, e);
		free(q);
		if (x < 0)
			goto fail;
	}
	if (meta_set(c, "last_trim", now, e) < 0)
		goto fail;
	if (query_u64(c, "SELECT count(*) FROM actions", &n_actions_after, e) < 0 ||
	    query_u64(c, "SELECT count(*) FROM blobs", &rep->blobs, e) < 0 ||
	    query_u64(c, "SELECT coalesce(sum(size), 0) FROM blobs", &rep->bytes, e) < 0)
		goto fail;
	if (commit(c, e) < 0)
		goto fail;
	rep->entries = n_actions_after;
	rep->removed_entries = n_actions_before - n_actions_after;
	/* the rows are gone: now the files (a crash here leaves orphans,
	 * which the next sweep removes) */
	for (size_t i = 0; i < victims.n; i++) {
		char *p = blob_path(c, victims.v[i].oid);
		unlink(p);
		free(p);
	}
	rc = sweep(c, rep, e);
	goto out;
fail:
	rollback(c);
out:
	sqlite3_finalize(s);
	VEC_FREE(&victims);
	work_cache_report_release(&local);
	return rc;
}

int work_cache_verify(struct work_cache *c, struct work_cache_report *rep, struct err *e)
{
	VEC(struct victim) blobs = {0};
	VEC(struct victim) bad = {0};
	sqlite3_stmt *s = NULL;
	uint64_t meta_bytes = 0, dangling = 0;
	int64_t mb = 0;
	int rc = -1;

	if (flush_ops(c, e) < 0)
		err_clear(e);
	if (sqlite3_prepare_v2(c->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK) {
		sql_err(c, "quick_check", e);
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(s, 0);
		if (r && strcmp(r, "ok") != 0)
			add_problem(rep, xasprintf("index: %s", r));
	}
	sqlite3_finalize(s);
	s = NULL;

	/* the blob list is read once; hashing runs outside any transaction */
	if (sqlite3_prepare_v2(c->db, "SELECT oid, size FROM blobs ORDER BY oid", -1, &s, NULL) != SQLITE_OK) {
		sql_err(c, "list blobs", e);
		goto out;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct victim v;
		if (sqlite3_column_bytes(s, 0) != 32)
			continue;
		memcpy(v.oid, sqlite3_column_blob(s, 0), 32);
		v.size = (uint64_t)sqlite3_column_int64(s, 1);
		VEC_PUSH(&blobs, v);
	}
	sqlite3_finalize(s);
	s = NULL;
	for (size_t i = 0; i < blobs.n; i++) {
		char *p = blob_path(c, blobs.v[i].oid), hex[65], shex[65];
		unsigned char sum[32];
		uint64_t n = 0;
		struct err he = ERR_INIT;
		int fd = open(p, O_RDONLY | O_CLOEXEC);

		hash_hex(blobs.v[i].oid, 32, hex);
		if (fd < 0) {
			add_problem(rep, xasprintf("missing blob %s: %s", hex, os_errstr(errno)));
			VEC_PUSH(&bad, blobs.v[i]);
		} else if (hash_fd(fd, p, sum, &n, &he) < 0) {
			add_problem(rep, xasprintf("unreadable blob %s: %s", hex, err_msg(&he)));
			VEC_PUSH(&bad, blobs.v[i]);
		} else if (n != blobs.v[i].size) {
			add_problem(rep, xasprintf("corrupt blob %s: size %llu, want %llu", hex, (unsigned long long)n,
			                           (unsigned long long)blobs.v[i].size));
			VEC_PUSH(&bad, blobs.v[i]);
		} else if (memcmp(sum, blobs.v[i].oid, 32) != 0) {
			hash_hex(sum, 32, shex);
			add_problem(rep, xasprintf("corrupt blob %s: content hash %s", hex, shex));
			VEC_PUSH(&bad, blobs.v[i]);
		} else {
			rep->bytes += n;
		}
		if (fd >= 0)
			close(fd);
		err_clear(&he);
		free(p);
	}

	if (begin_write(c, e) < 0)
		goto out;
	for (size_t i = 0; i < bad.n; i++) {
		char *p = blob_path(c, bad.v[i].oid);
		unlink(p);
		free(p);
		if (drop_oid(c, bad.v[i].oid, NULL, e) < 0)
			goto fail;
		rep->removed_blobs++;
		rep->removed_bytes += bad.v[i].size;
	}
	if (sqlite3_prepare_v2(c->db, "SELECT aid, oid FROM actions WHERE oid NOT IN (SELECT oid FROM blobs) ORDER BY aid",
	                       -1, &s, NULL) != SQLITE_OK) {
		sql_err(c, "list actions", e);
		goto fail;
	}
	while (sqlite3_step(s) == SQLITE_ROW) {
		char ahex[65] = "?", ohex[65] = "?";
		if (sqlite3_column_bytes(s, 0) == 32)
			hash_hex(sqlite3_column_blob(s, 0), 32, ahex);
		if (sqlite3_column_bytes(s, 1) == 32)
			hash_hex(sqlite3_column_blob(s, 1), 32, ohex);
		dangling++;
		/* rows of blobs removed just above are expected, not a second problem */
		bool just_removed = false;
		for (size_t i = 0; i < bad.n && !just_removed; i++)
			just_removed = sqlite3_column_bytes(s, 1) == 32 && memcmp(sqlite3_column_blob(s, 1), bad.v[i].oid, 32) == 0;
		if (!just_removed)
			add_problem(rep, xasprintf("entry %s names unknown output %s", ahex, ohex));
	}
	sqlite3_finalize(s);
	s = NULL;
	if (dangling && exec(c, "DELETE FROM actions WHERE oid NOT IN (SELECT oid FROM blobs)", e) < 0)
		goto fail;
	if (meta_get(c, "bytes", &mb, e) < 0 ||
	    query_u64(c, "SELECT coalesce(sum(size), 0) FROM blobs", &meta_bytes, e) < 0)
		goto fail;
	if ((uint64_t)mb != meta_bytes) {
		add_problem(rep, xasprintf("index: byte total %lld, blobs hold %llu", (long long)mb,
		                           (unsigned long long)meta_bytes));
		if (meta_set(c, "bytes", (int64_t)meta_bytes, e) < 0)
			goto fail;
	}
	if (query_u64(c, "SELECT count(*) FROM actions", &rep->entries, e) < 0 ||
	    query_u64(c, "SELECT count(*) FROM blobs", &rep->blobs, e) < 0)
		goto fail;
	if (commit(c, e) < 0)
		goto fail;
	rc = sweep(c, rep, e);
	goto out;
fail:
	rollback(c);
out:
	sqlite3_finalize(s);
	VEC_FREE(&blobs);
	VEC_FREE(&bad);
	return rc;
}

int work_cache_clean(struct work_cache *c, struct err *e)
{
	struct strvec top = {0};
	int rc = -1;

	clear_queue(c);
	/* the process memo would write back what clean removes */
	{
		size_t i = 0;
		const char *k;
		void *v;
		while (map_next(&c->memo, &i, &k, &v)) {
			struct memo_rec *m = v;
			free(m->path);
			free(m);
		}
		map_release(&c->memo);
		map_init(&c->memo);
		memo_dirs_release(c);
		map_init(&c->memo_dirs);
		c->memo_dirty = 0;
	}
	if (begin_write(c, e) < 0)
		goto out;
	if (exec(c, "DELETE FROM actions; DELETE FROM blobs; DELETE FROM memo; DELETE FROM runs;"
	            "UPDATE meta SET v = 0 WHERE k = 'bytes'", e) < 0) {
		rollback(c);
		goto out;
	}
	if (meta_set(c, "last_trim", now_ns(c), e) < 0 || commit(c, e) < 0) {
		rollback(c);
		goto out;
	}
	if (os_readdir(c->dir, &top, e) < 0)
		goto out;
	for (size_t i = 0; i < top.n; i++) {
		const char *name = top.v[i];
		if ((strlen(name) == 2 && is_hex_name(name, 2)) || has_prefix(name, ".tmp-")) {
			char *p = path_join(c->dir, name);
			int x = os_remove_all(p, e);
			free(p);
			if (x < 0)
				goto out;
		}
	}
	rc = 0;
out:
	strvec_clear(&top);
	return rc;
}

/* ---- close ----------------------------------------------------------------------- */

/* record_run stores this run's hit/miss counts with the deferred writes. */
static int record_run(struct work_cache *c, struct err *e)
{
	sqlite3_stmt *s;

	if (begin_write(c, e) < 0)
		return -1;
	if (!(s = stmt(c, ST_RUN_PUT, e)))
		goto fail;
	sqlite3_bind_int64(s, 1, now_ns(c));
	sqlite3_bind_int64(s, 2, (int64_t)c->run.hits);
	sqlite3_bind_int64(s, 3, (int64_t)c->run.misses);
	sqlite3_bind_int64(s, 4, (int64_t)c->run.puts);
	sqlite3_bind_int64(s, 5, (int64_t)c->run.put_bytes);
	if (step_done(c, s, e) < 0)
		goto fail;
	return commit(c, e);
fail:
	rollback(c);
	return -1;
}

void work_cache_close(struct work_cache *c)
{
	struct err e = ERR_INIT;
	size_t i = 0;
	const char *k;
	void *v;

	if (!c)
		return;
	if (c->db) {
		if (flush_ops(c, &e) < 0)
			err_clear(&e);
		if (c->run.hits + c->run.misses + c->run.puts > 0 && record_run(c, &e) < 0)
			err_clear(&e);
		if (c->run.puts > 0) {
			/* trimming costs a scan: only when over the cap, or daily */
			int64_t bytes = 0, last = 0;
			if (meta_get(c, "bytes", &bytes, &e) == 0 && meta_get(c, "last_trim", &last, &e) == 0 &&
			    ((uint64_t)bytes > c->max_bytes || now_ns(c) - last > TRIM_INTERVAL_NS)) {
				/* trim below the cap so the next runs do not trim again at once */
				uint64_t target = (uint64_t)bytes > c->max_bytes ? c->max_bytes / 10 * 9 : c->max_bytes;
				if (work_cache_trim(c, target, NULL, &e) < 0)
					err_clear(&e);
			}
			err_clear(&e);
		}
	}
	close_db(c);
	while (map_next(&c->memo, &i, &k, &v)) {
		struct memo_rec *m = v;
		free(m->path);
		free(m);
	}
	map_release(&c->memo);
	memo_dirs_release(c);
	i = 0;
	while (map_next(&c->reported, &i, &k, &v))
		free((char *)k);
	map_release(&c->reported);
	forget_checked(c);
	clear_queue(c);
	VEC_FREE(&c->queue);
	free(c->dir);
	free(c->dbpath);
	free(c);
}
