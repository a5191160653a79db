/* Private to cmd/: the subcommand table and what subcommands share. */
#ifndef GOTOOL_CMD_INTERNAL_H
#define GOTOOL_CMD_INTERNAL_H

#include "runtime/runtime.h"

/*
 * A subcommand.  run gets argv with argv[0] the subcommand name and
 * returns the exit status.  usage is the usage line without the program
 * name ("env [-json] [var ...]"); long_help the text of `gotool help
 * <name>` after the usage line, written for gotool.
 */
struct command {
	const char *name;
	const char *short_help;
	const char *usage;
	const char *long_help;
	int (*run)(int argc, char **argv);
};

extern const struct command cmd_version_cmd;
extern const struct command cmd_help_cmd;
extern const struct command cmd_env_cmd;
extern const struct command cmd_list_cmd;
extern const struct command cmd_tool_cmd;

/* cmd_lookup finds a subcommand by name, or NULL. */
const struct command *cmd_lookup(const char *name);
/* cmd_usage_exit prints "usage: <prog> <usage>\nRun '<prog> help NAME' for details.\n" to stderr, exits 2. */
NORETURN void cmd_usage_exit(const struct command *c);

#endif
