/*
 * A subset of Go's text/template over struct val (runtime.h), as `go list
 * -f` and `go list -m -f` use it: template "main" with the builtins and the
 * go command's extra functions join, context and module.
 *
 * Supported: text, actions with trim markers, comments, fields and chains,
 * variables ($, :=, =), pipelines, parenthesised pipelines, string, raw
 * string, int, bool and nil literals, if/else if/else, range (slices, maps
 * in key order, ints; else; break/continue), with/else with, and the
 * builtins and, or, not, len, index, print, printf, println, eq, ne, lt, le,
 * gt, ge.  define/template/block, float/complex/char constants and the
 * builtins call, html, js, slice, urlquery fail with a clear error; so does
 * printing a value fmt would print as a pointer address.
 */
#ifndef GOTOOL_CMD_TEMPLATE_H
#define GOTOOL_CMD_TEMPLATE_H

#include "runtime/runtime.h"

struct tmpl;

/*
 * The go command's functions: context() and module(path).  Each returns a
 * val (caller's arena, must outlive the execution) or NULL with e set; an
 * error becomes "template: ...: error calling module: <e>".  A NULL
 * function pointer makes a call fail the same way.
 */
struct tmpl_funcs {
	void *ctx;
	struct val *(*context)(void *ctx, struct err *e);
	struct val *(*module)(void *ctx, const char *path, struct err *e);
};

/*
 * tmpl_parse parses text as template "main" into *out (allocated in a).
 * On failure e holds go's whole message, e.g. `template: main:1: function
 * "foo" not defined`, which go prints bare (base.Fatalf("%s", err)).
 */
int tmpl_parse(struct arena *a, const char *text, struct tmpl **out, struct err *e);

/*
 * tmpl_execute runs t with dot, appending to out.  On failure e holds go's
 * whole message (`template: main:1:2: executing "main" at <.Foo>: can't
 * evaluate field Foo in type *load.PackagePublic`) and out keeps what was
 * produced before the error, which go flushes before printing the error.
 */
int tmpl_execute(const struct tmpl *t, struct buf *out, const struct val *dot,
		 const struct tmpl_funcs *funcs, struct err *e);

#endif
