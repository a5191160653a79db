/*
 * modload/modedit.c against go's own answers: modedit_cases.h is written by
 * modedit_cases.go from go1.26's vendored golang.org/x/mod/modfile (the
 * cases follow x/mod's rule_test.go and work_test.go tables).  Each case
 * parses a go.mod or go.work, applies a list of edit operations, cleans up
 * and formats; the text and the operations' errors must be go's.  A second
 * table checks MustQuote/AutoQuote and that formatting is idempotent.
 */
#include <stdlib.h>
#include <string.h>

#include "modload/modload.h"
#include "runtime/runtime.h"
#include "test.h"

#include "modedit_cases.h"

/* arg mirrors the generator's arg(): "-" is empty, "|" a newline (heap). */
static char *arg(const char *s)
{
	if (strcmp(s, "-") == 0)
		return xstrdup("");
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		if (*p == '|')
			*p = '\n';
	return r;
}

static void apply(struct mod_edit *f, const char *op, struct buf *errs)
{
	struct strvec w = {0};
	struct err e = ERR_INIT;
	int rc = 0;
	char *copy = xstrdup(op);

	for (char *save = NULL, *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		strvec_push_take(&w, arg(t));
	const char *v = w.v[0];
	const char *a1 = w.n > 1 ? w.v[1] : "", *a2 = w.n > 2 ? w.v[2] : "", *a3 = w.n > 3 ? w.v[3] : "",
		   *a4 = w.n > 4 ? w.v[4] : "";
	if (strcmp(v, "module") == 0)
		mod_edit_add_module(f, a1);
	else if (strcmp(v, "comment") == 0)
		mod_edit_add_comment(f, op + strlen("comment "));
	else if (strcmp(v, "go") == 0)
		rc = mod_edit_add_go(f, a1, &e);
	else if (strcmp(v, "dropgo") == 0)
		mod_edit_drop_go(f);
	else if (strcmp(v, "toolchain") == 0)
		rc = mod_edit_add_toolchain(f, a1, &e);
	else if (strcmp(v, "droptoolchain") == 0)
		mod_edit_drop_toolchain(f);
	else if (strcmp(v, "require") == 0)
		mod_edit_add_require(f, a1, a2);
	else if (strcmp(v, "newrequire") == 0)
		mod_edit_add_new_require(f, a1, a2, strcmp(a3, "1") == 0);
	else if (strcmp(v, "setrequire") == 0 || strcmp(v, "setrequiresep") == 0) {
		struct mod_edit_req reqs[16];
		size_t n = 0;
		for (size_t i = 1; i + 2 < w.n && n < countof(reqs); i += 3, n++) {
			memset(&reqs[n], 0, sizeof reqs[n]);
			reqs[n].path = w.v[i];
			reqs[n].version = w.v[i + 1];
			reqs[n].indirect = strcmp(w.v[i + 2], "1") == 0;
		}
		if (strcmp(v, "setrequire") == 0)
			mod_edit_set_require(f, reqs, n);
		else
			mod_edit_set_require_separate_indirect(f, reqs, n);
	} else if (strcmp(v, "droprequire") == 0)
		mod_edit_drop_require(f, a1);
	else if (strcmp(v, "exclude") == 0)
		rc = mod_edit_add_exclude(f, a1, a2, &e);
	else if (strcmp(v, "dropexclude") == 0)
		mod_edit_drop_exclude(f, a1, a2);
	else if (strcmp(v, "replace") == 0)
		mod_edit_add_replace(f, a1, a2, a3, a4);
	else if (strcmp(v, "dropreplace") == 0)
		mod_edit_drop_replace(f, a1, a2);
	else if (strcmp(v, "retract") == 0)
		rc = mod_edit_add_retract(f, a1, a2, a3, &e);
	else if (strcmp(v, "dropretract") == 0)
		mod_edit_drop_retract(f, a1, a2);
	else if (strcmp(v, "godebug") == 0)
		mod_edit_add_godebug(f, a1, a2);
	else if (strcmp(v, "dropgodebug") == 0)
		mod_edit_drop_godebug(f, a1);
	else if (strcmp(v, "tool") == 0)
		mod_edit_add_tool(f, a1);
	else if (strcmp(v, "droptool") == 0)
		mod_edit_drop_tool(f, a1);
	else if (strcmp(v, "ignore") == 0)
		mod_edit_add_ignore(f, a1);
	else if (strcmp(v, "dropignore") == 0)
		mod_edit_drop_ignore(f, a1);
	else if (strcmp(v, "use") == 0)
		mod_edit_add_use(f, a1, a2);
	else if (strcmp(v, "dropuse") == 0)
		mod_edit_drop_use(f, a1);
	else if (strcmp(v, "sort") == 0)
		mod_edit_sort_blocks(f);
	else if (strcmp(v, "fmt") != 0)
		T_FAIL("unknown op %s", op);
	if (rc < 0) {
		if (errs->len)
			buf_addch(errs, '\n');
		buf_adds(errs, err_msg(&e));
	}
	err_clear(&e);
	strvec_clear(&w);
	free(copy);
}

static void test_cases(void)
{
	for (size_t i = 0; i < countof(modedit_cases); i++) {
		const struct modedit_case *c = &modedit_cases[i];
		struct mod_edit *f = NULL;
		struct err e = ERR_INIT;
		struct buf out = BUF_INIT, errs = BUF_INIT;

		if (mod_edit_parse("in", c->in, strlen(c->in), c->work, &f, &e) < 0) {
			buf_printf(&errs, "parse: %s", err_msg(&e));
			err_clear(&e);
		} else {
			char *ops = xstrdup(c->ops);
			for (char *save = NULL, *l = strtok_r(ops, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
				apply(f, l, &errs);
			free(ops);
			mod_edit_cleanup(f);
			mod_edit_format(f, &out);
		}
		T_STREQ(buf_cstr(&out), c->out, "%s: output", c->name);
		T_STREQ(buf_cstr(&errs), c->err, "%s: errors", c->name);

		/* Format is a fixed point: parsing go's output and printing it again changes nothing */
		if (c->out[0] != '\0') {
			struct mod_edit *g = NULL;
			struct buf again = BUF_INIT;
			if (mod_edit_parse("out", c->out, strlen(c->out), c->work, &g, &e) < 0) {
				T_FAIL("%s: reparse: %s", c->name, err_msg(&e));
				err_clear(&e);
			} else {
				mod_edit_format(g, &again);
				T_STREQ(buf_cstr(&again), c->out, "%s: format twice", c->name);
			}
			buf_release(&again);
			mod_edit_free(g);
		}
		buf_release(&out);
		buf_release(&errs);
		mod_edit_free(f);
	}
}

/* modfile.MustQuote / AutoQuote */
static void test_quote(void)
{
	static const struct {
		const char *in, *auto_quoted;
	} cases[] = {
		{"example.com/m", "example.com/m"},
		{"", "\"\""},
		{"a b", "\"a b\""},
		{"a\"b", "\"a\\\"b\""},
		{"a'b", "\"a'b\""},
		{"a`b", "\"a`b\""},
		{"(", "("},
		{"()", "\"()\""},
		{"a,b", "\"a,b\""},
		{"a//b", "\"a//b\""},
		{"a/*b", "\"a/*b\""},
		{"tab\there", "\"tab\\there\""},
		{"caf\xc3\xa9", "caf\xc3\xa9"},
		{"\xff", "\xff"}, /* range yields U+FFFD, which IsPrint accepts */
	};
	for (size_t i = 0; i < countof(cases); i++) {
		struct arena a;
		arena_init(&a);
		T_STREQ(mod_auto_quote(&a, cases[i].in), cases[i].auto_quoted, "AutoQuote(%s)", cases[i].in);
		T_TRUE(mod_must_quote(cases[i].in) == (strcmp(cases[i].in, cases[i].auto_quoted) != 0),
		       "MustQuote(%s)", cases[i].in);
		arena_release(&a);
	}
}

int main(void)
{
	test_cases();
	test_quote();
	return test_exit();
}
