/*
 * go work sync's module half: mirrors cmd/go/internal/workcmd/sync.go
 * (go1.26) runSync up to the go.work update, which cmd/work.c does.
 *
 * The workspace is loaded once (its module graph, then LoadPackages("all")
 * with opts.MainModule for each workspace module, tidy.c's loader in
 * workspace mode), giving each module the versions it must select.  Then
 * each module is entered alone (a second loader over its go.mod, as
 * EnterModule leaves modload) and edited as go get would (editRequirements,
 * edit.c), tidied without resolving missing imports and written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modload/requirements.h"

/* add_keys copies from's keys into to (strings in ld's arena). */
static void add_keys(struct load_state *ld, struct map *to, const struct map *from)
{
	size_t i = 0;
	const char *k;
	void *v;

	while (map_next(from, &i, &k, &v))
		if (!map_has(to, k))
			map_put(to, arena_strdup(&ld->arena, k), (void *)1);
}

int mod_work_sync(const struct cfg *cfg, char **gowork, char **go_v)
{
	struct load_opts lo = {0};
	struct load_state *ld = NULL;
	struct mod_graph *mg;
	struct err e = ERR_INIT;
	struct mod_version **must = NULL;
	size_t *nmust = NULL, nmains;
	char *gov = NULL;
	struct map read;   /* go.mod files read so far (rawGoModSummaryCache) */
	int rc = 1;

	map_init(&read);
	*gowork = NULL;
	*go_v = NULL;
	/* setDefaultBuildMod: work sync runs with BuildMod "mod" without a -mod flag */
	lo.mod_flag = "mod";
	lo.mod_default = true;
	lo.work_cmd = true;
	if (load_state_new(cfg, &lo, &ld, &e) < 0)
		base_fatalf("%s", err_msg(&e));
	if (!ld->workspace)
		base_fatalf("no go.work file found\n\t(run '%s work init' first or specify path using GOWORK environment variable)",
		            prog_name);
	ld->zips_prefetched = true; /* only the zips of packages loaded */
	/* a workspace without modules: its graph is go (and toolchain) alone */
	if (ld->mains.n > 0 && load_module_graph(ld, NULL, &mg, &e) < 0)
		base_fatalf("%s", err_msg(&e)); /* toolchain.SwitchOrFatal */
	nmains = ld->mains.n;
	must = xcalloc(nmains ? nmains : 1, sizeof *must);
	nmust = xcalloc(nmains ? nmains : 1, sizeof *nmust);
	for (size_t i = 0; i < nmains; i++)
		if (mod_sync_must_select(ld, ld->mains.v[i], &must[i], &nmust[i]) < 0)
			goto out;
	/* workFilePath is saved: EnterModule clobbers it */
	*gowork = xstrdup(ld->gowork);
	add_keys(ld, &read, &ld->summaries);
	for (size_t i = 0; i < nmains; i++) {
		struct load_opts mo = lo;
		struct load_state *mld = NULL;
		struct mod_query_source src;
		struct mod_allow allow;
		const char *v = NULL;
		int r;

		mo.enter_modroot = ld->mains.v[i]->dir;
		if (load_state_new(cfg, &mo, &mld, &e) < 0)
			base_fatalf("%s", err_msg(&e));
		mld->zips_prefetched = true;
		mld->prior_summaries = &read;
		mod_fetch_query_source(load_fetcher(mld), &src);
		mod_allow_init(&allow, &src, mld->mains.v[0]->file);
		allow.main_dir = mld->mains.v[0]->dir;
		r = mod_sync_module(mld, must[i], nmust[i], &allow, &v);
		if (r == 0 && v && (!gov || tc_version_compare(v, gov) > 0)) {
			free(gov);
			gov = xstrdup(v); /* gover.Max */
		}
		mod_allow_release(&allow);
		add_keys(ld, &read, &mld->summaries);
		load_state_free(mld);
		if (r < 0)
			goto out;
	}
	*go_v = gov ? gov : xstrdup("");
	gov = NULL;
	rc = 0;
out:
	for (size_t i = 0; must && i < nmains; i++)
		free(must[i]);
	free(must);
	free(nmust);
	free(gov);
	err_clear(&e);
	map_release(&read);
	load_state_free(ld);
	if (rc) {
		free(*gowork);
		*gowork = NULL;
	}
	return rc ? (base_exit_status() ? base_exit_status() : 1) : 0;
}
