/* report_review.c: `almanac report review`. */
#include <stdio.h>

#include "cli/cli.h"

int report_review(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "almanac: error: `almanac report %s` is not yet built in this version\n", argv[0]);
    return ALMANAC_EX_USAGE;
}
