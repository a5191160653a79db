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

#endif
