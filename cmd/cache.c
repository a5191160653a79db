/*
 * `gotool cache stats|trim [-size N]|verify`: look after gotool's build
 * cache (work/cache.c).  go has no such command (its cache trims itself and
 * is checked with GODEBUG=gocacheverify=1); docs/cache.md describes these.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/internal.h"
#include "work/cache.h"

/* human appends n bytes as "N bytes (x.y MiB)" style text. */
static void human(struct buf *b, uint64_t n)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	double v = (double)n;
	size_t u = 0;

	buf_printf(b, "%llu bytes", (unsigned long long)n);
	if (n < 1024)
		return;
	v /= 1024;
	while (v >= 1024 && u + 1 < countof(units)) {
		v /= 1024;
		u++;
	}
	buf_printf(b, " (%.1f %s)", v, units[u]);
}

/* open_cache opens the default cache, printing why when it cannot. */
static struct work_cache *open_cache(void)
{
	struct work_cache *c = NULL;
	struct err e = ERR_INIT;
	char *why = NULL, *dir = work_cache_default_dir(&why);

	if (!dir) {
		base_errorf("cache: disabled: %s", why ? why : "no cache directory");
		free(why);
		return NULL;
	}
	if (work_cache_open(dir, &c, &e) < 0) {
		base_errorf("cache: %s", err_msg(&e));
		err_clear(&e);
	}
	free(dir);
	return c;
}

static int cache_stats(struct work_cache *c)
{
	struct work_cache_stats st;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;

	if (work_cache_stats(c, 20, &st, &e) < 0) {
		base_errorf("cache: %s", err_msg(&e));
		err_clear(&e);
		return 1;
	}
	buf_printf(&b, "dir:      %s\n", work_cache_dir(c));
	buf_printf(&b, "entries:  %llu\n", (unsigned long long)st.entries);
	buf_printf(&b, "outputs:  %llu, ", (unsigned long long)st.blobs);
	human(&b, st.bytes);
	buf_adds(&b, "\nlimit:    ");
	human(&b, st.max_bytes);
	buf_printf(&b, "\nmemo:     %llu files\n", (unsigned long long)st.memo_records);
	if (st.runs == 0)
		buf_adds(&b, "hit rate: no runs recorded\n");
	else
		buf_printf(&b, "hit rate: %.1f%% (%llu hits, %llu misses in the last %llu runs)\n",
		           100.0 * (double)st.hits / (double)(st.hits + st.misses), (unsigned long long)st.hits,
		           (unsigned long long)st.misses, (unsigned long long)st.runs);
	fputs(buf_cstr(&b), stdout);
	buf_release(&b);
	return 0;
}

static void print_removed(struct buf *b, const struct work_cache_report *r)
{
	buf_printf(b, "removed %llu entries, %llu outputs (", (unsigned long long)r->removed_entries,
	           (unsigned long long)r->removed_blobs);
	human(b, r->removed_bytes);
	buf_printf(b, "), %llu orphan files, %llu temp files\n", (unsigned long long)r->removed_orphans,
	           (unsigned long long)r->removed_temps);
}

static int cache_trim(struct work_cache *c, uint64_t max)
{
	struct work_cache_report r;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	int rc = 1;

	memset(&r, 0, sizeof r);
	if (work_cache_trim(c, max, &r, &e) < 0) {
		base_errorf("cache: trim: %s", err_msg(&e));
		err_clear(&e);
		goto out;
	}
	print_removed(&b, &r);
	buf_printf(&b, "kept %llu entries, %llu outputs (", (unsigned long long)r.entries,
	           (unsigned long long)r.blobs);
	human(&b, r.bytes);
	buf_adds(&b, ")\n");
	fputs(buf_cstr(&b), stdout);
	rc = 0;
out:
	buf_release(&b);
	work_cache_report_release(&r);
	return rc;
}

static int cache_verify(struct work_cache *c)
{
	struct work_cache_report r;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT;
	int rc = 1;

	memset(&r, 0, sizeof r);
	if (work_cache_verify(c, &r, &e) < 0) {
		base_errorf("cache: verify: %s", err_msg(&e));
		err_clear(&e);
		goto out;
	}
	for (size_t i = 0; i < r.problems.n; i++)
		buf_printf(&b, "%s\n", r.problems.v[i]);
	buf_printf(&b, "verified %llu entries, %llu outputs (", (unsigned long long)r.entries,
	           (unsigned long long)r.blobs);
	human(&b, r.bytes);
	if (r.problems.n)
		buf_printf(&b, "): %zu problems (repaired)\n", r.problems.n);
	else
		buf_adds(&b, "): ok\n");
	if (r.removed_orphans || r.removed_temps)
		buf_printf(&b, "removed %llu orphan files, %llu temp files\n", (unsigned long long)r.removed_orphans,
		           (unsigned long long)r.removed_temps);
	fputs(buf_cstr(&b), stdout);
	if (r.problems.n) {
		fflush(stdout);
		base_errorf("cache: verify found %zu problems", r.problems.n);
	} else {
		rc = 0;
	}
out:
	buf_release(&b);
	work_cache_report_release(&r);
	return rc;
}

static int run_cache(int argc, char **argv)
{
	struct work_cache *c = NULL;
	const char *sub;
	char *size = NULL;
	uint64_t max = 0;
	int rc = 1;

	if (argc < 2)
		cmd_usage_exit(&cmd_cache_cmd);
	sub = argv[1];
	if (strcmp(sub, "trim") == 0) {
		struct flag_def defs[] = {{"size", FLAG_STRING, &size, NULL, "", false}};
		struct err e = ERR_INIT;
		int idx = flag_parse(defs, countof(defs), argc - 2, argv + 2, &e);
		if (idx == FLAG_HELP)
			cmd_usage_exit(&cmd_cache_cmd);
		if (idx < 0) {
			fprintf(stderr, "%s\n", err_msg(&e));
			cmd_usage_exit(&cmd_cache_cmd);
		}
		if (idx != argc - 2)
			cmd_usage_exit(&cmd_cache_cmd);
		max = work_cache_max_bytes();
		if (size && work_cache_parse_size(size, &max) < 0) {
			fprintf(stderr, "invalid value \"%s\" for flag -size: want a byte count such as 500M or 10G\n",
			        size);
			cmd_usage_exit(&cmd_cache_cmd);
		}
	} else if (strcmp(sub, "stats") == 0 || strcmp(sub, "verify") == 0) {
		if (argc != 2)
			cmd_usage_exit(&cmd_cache_cmd);
	} else {
		fprintf(stderr, "%s cache %s: unknown command\nRun '%s help cache' for usage.\n", prog_name, sub,
		        prog_name);
		return 2;
	}
	if (!(c = open_cache()))
		goto out;
	if (strcmp(sub, "stats") == 0)
		rc = cache_stats(c);
	else if (strcmp(sub, "trim") == 0)
		rc = cache_trim(c, max);
	else
		rc = cache_verify(c);
out:
	work_cache_close(c);
	free(size);
	return rc;
}

const struct command cmd_cache_cmd = {
	"cache", "inspect and maintain the build cache", "cache stats|trim [-size N]|verify",
	"Cache looks after gotool's build cache, $GOTOOLCACHE/build (GOTOOLCACHE\n"
	"defaults to the user cache directory + /gotool; GOTOOLCACHE=off disables\n"
	"the cache).\n"
	"\n"
	"'cache stats' prints the number of entries, the outputs and bytes they\n"
	"hold, the size limit, and the hit rate of the most recent runs.\n"
	"\n"
	"'cache trim' removes least-recently-used outputs until the cache holds at\n"
	"most -size bytes (default: $GOTOOLCACHESIZE, else 10G; suffixes K, M, G\n"
	"and T count powers of 1024), plus temp files left by killed writers.\n"
	"\n"
	"'cache verify' checks the index and hashes every output. Each problem is\n"
	"printed and repaired (the bad entry removed); the exit status is 1 when\n"
	"there were problems.\n",
	run_cache,
};
