/*
 * work: actions and the scheduler, the build cache, build ids, and the
 * test side of a build: the generated test main, running tests, the test
 * result cache and -json events.  Never parses go.mod or Go source itself
 * beyond what the test main needs from test files.
 */
#ifndef GOTOOL_WORK_WORK_H
#define GOTOOL_WORK_WORK_H

#include "modload/modload.h"

#endif
