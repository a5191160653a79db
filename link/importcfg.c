/*
 * importcfg.link: the linker's view of the packages it links and the build
 * info it embeds (cmd/go/internal/work/exec.go writeLinkImportcfg and
 * action.go addTransitiveLinkDeps, go1.26).
 */
#include <stdlib.h>
#include <string.h>

#include "link/link.h"

/* The markers of modload.ModInfoData (cmd/go/internal/modload/build.go):
 * runtime/debug finds the text between them in runtime.modinfo. */
static const unsigned char modinfo_start[16] = {
	0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02,
	0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6,
};
static const unsigned char modinfo_end[16] = {
	0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72,
	0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2,
};

/* go writes fmt's %q of the framed bytes, which is strconv.Quote */
void link_modinfo_quoted(struct buf *b, const char *text, size_t n)
{
	struct buf raw = BUF_INIT;

	buf_init(&raw);
	buf_add(&raw, modinfo_start, sizeof(modinfo_start));
	buf_add(&raw, text, n);
	buf_add(&raw, modinfo_end, sizeof(modinfo_end));
	buf_adds(b, "modinfo ");
	quoted_go_string(b, raw.data, raw.len);
	buf_release(&raw);
}

/* mirrors work/exec.go writeLinkImportcfg: no header line, unlike the
 * compiler's importcfg, and the modinfo line even without build info */
void link_importcfg_link(struct buf *b, const struct link_pkgfile *files, size_t n,
                         const char *modinfo_text, size_t modinfo_len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		buf_printf(b, "packagefile %s=%s\n", files[i].path, files[i].file);
		if (files[i].shlib && *files[i].shlib)
			buf_printf(b, "packageshlib %s=%s\n", files[i].path, files[i].shlib);
	}
	link_modinfo_quoted(b, modinfo_text ? modinfo_text : "", modinfo_text ? modinfo_len : 0);
	buf_addch(b, '\n');
}

/*
 * mirrors work/action.go addTransitiveLinkDeps (go1.26): a breadth-first
 * walk from the main package's build action, so that rebuilt-for-test
 * copies are met before the standard ones; each import path is taken once
 * and actions that build nothing (unsafe) are neither listed nor walked.
 */
void link_deps_order(const struct link_graph *g, const void *main_node, struct link_nodes *out)
{
	struct map have;
	size_t start = out->n, i, j;

	map_init(&have);
	VEC_PUSH(out, main_node);
	map_put(&have, g->import_path(g->ctx, main_node), (void *)main_node);
	for (i = start; i < out->n; i++) {
		const void *const *imps = NULL;
		size_t nimps = g->imports(g->ctx, out->v[i], &imps);

		for (j = 0; j < nimps; j++) {
			const char *p = g->import_path(g->ctx, imps[j]);

			if (!g->linked(g->ctx, imps[j]) || map_has(&have, p))
				continue;
			map_put(&have, p, (void *)imps[j]);
			VEC_PUSH(out, imps[j]);
		}
	}
	map_release(&have);
}
