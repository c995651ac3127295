/* report_exports.c: `almanac report exports`. */
#include <stdio.h>

#include "cli/cli.h"

int report_exports(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "almanac: error: `almanac report %s` is not yet built in this version\n", argv[0]);
    return ALMANAC_EX_USAGE;
}
