/* report_partner.c: `almanac report partner`. */
#include <stdio.h>

#include "cli/cli.h"

int report_partner(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "almanac: error: `almanac report %s` is not yet built in this version\n", argv[0]);
    return ALMANAC_EX_USAGE;
}
