/* gotool: a go-compatible build driver. */
#include "cmd/cmd.h"
#include "runtime/runtime.h"

int main(int argc, char **argv)
{
	mem_heap_init();
	return cmd_main(argc, argv);
}
