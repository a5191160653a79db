/* The command table, dispatch and `gotool help` (mirrors cmd/go/main.go). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/internal.h"

static const struct command *const commands[] = {
	&cmd_build_cmd,
	&cmd_cache_cmd,
	&cmd_clean_cmd,
	&cmd_env_cmd,
	&cmd_generate_cmd,
	&cmd_get_cmd,
	&cmd_install_cmd,
	&cmd_list_cmd,
	&cmd_mod_cmd,
	&cmd_run_cmd,
	&cmd_test_cmd,
	&cmd_tool_cmd,
	&cmd_version_cmd,
	&cmd_vet_cmd,
	&cmd_work_cmd,
};

/* Help topics that are not commands: short line and text. */
struct topic {
	const char *name;
	const char *short_help;
	const char *text;
};

static const struct topic topics[] = {
	{"buildconstraint", "build constraints",
	 "A build constraint is a line comment that starts with //go:build, placed\n"
	 "before the package clause and preceded only by blank lines and other line\n"
	 "comments. It holds a boolean expression over build tags, combined with\n"
	 "||, && and ! and grouped with parentheses. gotool evaluates it exactly as\n"
	 "go does.\n"
	 "\n"
	 "Satisfied tags are the target's GOOS and GOARCH, \"unix\" on Unix-like\n"
	 "systems, the compiler \"gc\", \"cgo\" when cgo is enabled, a go1.N tag for\n"
	 "every Go release up to the toolchain's, the architecture feature tags\n"
	 "(such as amd64.v2), goexperiment.X for each enabled experiment, and\n"
	 "those listed with -tags.\n"
	 "\n"
	 "A file name of the form *_GOOS, *_GOARCH or *_GOOS_GOARCH (before the\n"
	 "extension, and before _test for tests) carries the same constraint\n"
	 "implicitly. Files whose names begin with \"_\" or \".\" are ignored.\n"
	 "Legacy \"// +build\" lines are honoured only when a file has no\n"
	 "//go:build line.\n"},
	{"environment", "environment variables",
	 "gotool reads the same environment variables as the go command, with the\n"
	 "same precedence: the process environment first, then the env file\n"
	 "(written by 'gotool env -w', at $GOENV, by default in the user\n"
	 "configuration directory under go/env), then the toolchain's\n"
	 "$GOROOT/go.env. 'gotool env' prints the effective values.\n"
	 "\n"
	 "GOROOT names the Go distribution whose tools gotool drives. Without it,\n"
	 "gotool uses the env file's GOROOT, else the root of a go command found\n"
	 "on PATH, else /usr/local/go.\n"
	 "\n"
	 "Target variables: GOOS, GOARCH and the per-architecture settings\n"
	 "GOAMD64, GOARM, GOARM64, GO386, GOMIPS, GOMIPS64, GOPPC64, GORISCV64\n"
	 "and GOWASM; CGO_ENABLED; GOFLAGS holds default flags for every command\n"
	 "that accepts them.\n"},
	{"packages", "package lists and patterns",
	 "Many commands apply to a set of packages named by import paths or\n"
	 "patterns. A pattern containing \"...\" matches any string, so \"./...\"\n"
	 "names the package in the current directory and every package below it.\n"
	 "The special patterns \"std\" and \"cmd\" name the standard library and\n"
	 "the Go commands, \"all\" names the main module's packages and all their\n"
	 "dependencies (with tests). Paths beginning with ./ or ../ name\n"
	 "directories; a list of .go files names a synthetic package made of\n"
	 "exactly those files.\n"},
};

/* subs_of returns the subcommands of c (mod, work), or NULL. */
static const struct command *const *subs_of(const struct command *c, size_t *n)
{
	if (c == &cmd_mod_cmd) {
		*n = cmd_mod_nsubs;
		return cmd_mod_subs;
	}
	if (c == &cmd_work_cmd) {
		*n = cmd_work_nsubs;
		return cmd_work_subs;
	}
	*n = 0;
	return NULL;
}

const struct command *cmd_lookup(const char *name)
{
	for (size_t i = 0; i < countof(commands); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

void cmd_usage_exit(const struct command *c)
{
	fflush(stdout);
	fprintf(stderr, "usage: %s %s\nRun '%s help %s' for details.\n", prog_name, c->usage, prog_name, c->name);
	base_exit(2);
}

static void print_usage(FILE *f)
{
	fprintf(f, "gotool is a go-compatible build driver.\n\n"
		   "Usage:\n\n\t%s <command> [arguments]\n\n"
		   "The commands are:\n\n", prog_name);
	for (size_t i = 0; i < countof(commands); i++)
		fprintf(f, "\t%-11s %s\n", commands[i]->name, commands[i]->short_help);
	fprintf(f, "\nUse \"%s help <command>\" for more information about a command.\n\n"
		   "Additional help topics:\n\n", prog_name);
	for (size_t i = 0; i < countof(topics); i++)
		fprintf(f, "\t%-15s %s\n", topics[i].name, topics[i].short_help);
	fprintf(f, "\nUse \"%s help <topic>\" for more information about that topic.\n\n", prog_name);
}

static int run_help(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stdout);
		return 0;
	}
	const struct command *c = cmd_lookup(argv[1]);
	size_t nsubs;
	const struct command *const *subs = c ? subs_of(c, &nsubs) : NULL;
	if (subs && argc == 3) {
		/* help mod edit */
		for (size_t i = 0; i < nsubs; i++) {
			const char *sub = strchr(subs[i]->name, ' ');
			if (sub && strcmp(sub + 1, argv[2]) == 0) {
				printf("usage: %s %s\n\n%s", prog_name, subs[i]->usage, subs[i]->long_help);
				return 0;
			}
		}
		fprintf(stderr, "%s help %s %s: unknown help topic. Run '%s help %s'.\n", prog_name, argv[1], argv[2],
			prog_name, argv[1]);
		return 2;
	}
	if (argc > 2) {
		fprintf(stderr, "usage: %s help command\n\nToo many arguments given.\n", prog_name);
		return 2;
	}
	if (c) {
		printf("usage: %s %s\n\n%s", prog_name, c->usage, c->long_help);
		return 0;
	}
	for (size_t i = 0; i < countof(topics); i++) {
		if (strcmp(topics[i].name, argv[1]) == 0) {
			fputs(topics[i].text, stdout);
			return 0;
		}
	}
	fprintf(stderr, "%s help %s: unknown help topic. Run '%s help'.\n", prog_name, argv[1], prog_name);
	return 2;
}

const struct command cmd_help_cmd = {
	"help", "show help for a command or topic", "help [command|topic]",
	"Help prints the documentation of a command or of a help topic.\n", run_help,
};

/*
 * handle_chdir_flag mirrors cmd/go's handleChdirFlag: a -C dir given as the
 * first flag after the command changes directory before anything else
 * and is removed from argv.
 */
static void handle_chdir_flag(int *argc, char **argv, int at)
{
	const char *a = argv[at], *dir = NULL;
	int drop = 0;

	if (strcmp(a, "-C") == 0 || strcmp(a, "--C") == 0) {
		if (*argc < at + 2)
			return;
		dir = argv[at + 1];
		drop = 2;
	} else if (has_prefix(a, "-C=") || has_prefix(a, "--C=")) {
		dir = strchr(a, '=') + 1;
		drop = 1;
	} else {
		return;
	}
	if (chdir(dir) < 0)
		base_fatalf("chdir %s: %s", dir, os_errstr(errno));
	for (int i = at; i + drop <= *argc; i++)
		argv[i] = argv[i + drop];
	*argc -= drop;
}

int cmd_main(int argc, char **argv)
{
	const struct command *c;
	const char *base;

	base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : (argc > 0 ? argv[0] : "gotool");
	prog_name = strcmp(base, "go") == 0 ? "go" : "gotool";

	if (argc < 2) {
		print_usage(stderr);
		base_exit(2);
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "-help") == 0 || strcmp(argv[1], "--help") == 0) {
		if (argv[1][0] == '-') {
			print_usage(stdout);
			base_exit(0);
		}
		base_exit(run_help(argc - 1, argv + 1));
	}
	c = cmd_lookup(argv[1]);
	size_t nsubs;
	if (c && argc > 2 && !subs_of(c, &nsubs))
		handle_chdir_flag(&argc, argv, 2);
	if (!c) {
		fprintf(stderr, "%s %s: unknown command\nRun '%s help' for usage.\n", prog_name, argv[1], prog_name);
		base_exit(2);
	}
	/* after -C, as go's main: GOTOOLCHAIN and go.mod may choose another
	 * toolchain, and then gotool runs again over it */
	cmd_toolchain_select(argc, argv);
	base_exit(c->run(argc - 1, argv + 1));
}

int cmd_run_sub(const struct command *const *subs, size_t n, void (*usage)(FILE *), int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < n; i++) {
		const char *sub = strchr(subs[i]->name, ' ');
		if (sub && strcmp(sub + 1, argv[1]) == 0) {
			/* go's handleChdirFlag: the first flag after "mod edit" */
			if (argc > 2)
				handle_chdir_flag(&argc, argv, 2);
			return subs[i]->run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "%s %s: unknown command\nRun '%s help %s' for usage.\n", prog_name, argv[0],
		prog_name, argv[0]);
	return 2;
}

int cmd_chdir_not_first(void *ctx, const char *name, const char *value, struct err *e)
{
	(void)ctx, (void)name, (void)value;
	err_setf(e, "-C flag must be first flag on command line");
	return -1;
}
