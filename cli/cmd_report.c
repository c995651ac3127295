/* cmd_report.c: `almanac report KIND`: dispatch to one writer per kind. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

struct report_kind {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the kind */
};

static const struct report_kind kinds[] = {
    {"exports", "CSV exports of a month (partners, transactions, events, generations, style usage, loyalty)",
     report_exports},
    {"accounting", "the monthly accounting workbook (XLSX)", report_accounting},
    {"loyalty", "per-brand loyalty statements (XLSX)", report_loyalty},
    {"review", "the quarterly leadership review (PDF)", report_review},
    {"partner", "per-partner monthly reviews (PDF)", report_partner},
    {"weekly", "the week-over-week review (PDF)", report_weekly},
    {NULL, NULL, NULL},
};

int cmd_report(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        FILE *out = argc < 2 ? stderr : stdout;
        fputs("Usage: almanac report KIND [OPTIONS]\n"
              "       almanac report KIND --help\n\nKinds:\n", out);
        for (const struct report_kind *k = kinds; k->name; k++)
            fprintf(out, "  %-11s %s\n", k->name, k->summary);
        fputs("\nEvery file is written under a temporary name and renamed when complete:\n"
              "a failed run leaves no partial file under a final name.\n", out);
        return argc < 2 ? ALMANAC_EX_USAGE : 0;
    }
    for (const struct report_kind *k = kinds; k->name; k++)
        if (!strcmp(k->name, argv[1]))
            return k->run(argc - 1, argv + 1);
    return cli_usage_error("report ", "unknown report \"%s\" (exports, accounting, loyalty, review, partner, weekly)",
                           argv[1]);
}
