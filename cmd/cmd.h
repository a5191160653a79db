/* cmd: gotool's command line: one file per subcommand, flag tables, help
 * text and output formats.  cmd only fills requests and calls the rooms
 * below; it decides nothing about how to build. */
#ifndef GOTOOL_CMD_CMD_H
#define GOTOOL_CMD_CMD_H

/* cmd_main runs gotool with argv and returns the exit status. */
int cmd_main(int argc, char **argv);

#endif
