/* report_accounting.c: `almanac report accounting`. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/db.h"
#include "core/fsutil.h"
#include "reports/accounting.h"
#include "reports/outfile.h"

static const char usage[] =
    "Usage: almanac report accounting --period YYYY-MM [OPTIONS]\n"
    "\n"
    "Writes the month's accounting workbook, DIR/accounting-YYYY-MM.xlsx: KPI summary,\n"
    "credits roll-forward with checks, transactions, partners, events, style usage,\n"
    "B2C revenue, loyalty ledger and charts (docs/reports.md). The month's KPIs must be\n"
    "stored first (almanac kpi --period YYYY-MM).\n"
    "\n"
    "Options:\n"
    "  --period YYYY-MM     the month (required)\n"
    "  --out DIR            output directory (default: output_dir of the configuration)\n"
    "  --warehouse CONN     warehouse connection (default: $ALMANAC_WAREHOUSE, configuration)\n"
    "  --config FILE        configuration file (default: $ALMANAC_CONFIG)\n"
    "  -v, --verbose        say what was written (always on a terminal)\n"
    "  -h, --help           this help\n";

struct args {
    const char *period, *out, *warehouse, *config;
    bool verbose;
};

static int parse(int argc, char **argv, struct args *a)
{
    static const struct option longopts[] = {
        {"period", required_argument, NULL, 'p'}, {"out", required_argument, NULL, 'o'},
        {"warehouse", required_argument, NULL, 'w'}, {"config", required_argument, NULL, 'c'},
        {"verbose", no_argument, NULL, 'v'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'v': a->verbose = true; break;
        case 'p': a->period = optarg; break;
        case 'o': a->out = optarg; break;
        case 'w': a->warehouse = optarg; break;
        case 'c': a->config = optarg; break;
        case 'h': return fputs(usage, stdout) == EOF || fflush(stdout) ? ALMANAC_EX_CANTCREAT : -1;
        case ':': return cli_usage_error("report accounting ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("report accounting ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("report accounting ", "unexpected argument \"%s\"", argv[optind]);
    if (!a->period)
        return cli_usage_error("report accounting ", "which month? give --period YYYY-MM");
    return 0;
}

/* Rows per sheet before "Transactions (2)": Excel's limit, or a smaller one
 * from ALMANAC_XLSX_MAX_ROWS so tests can see the continuation without a
 * million rows. */
static long max_rows_from_env(struct almanac_error *err)
{
    const char *e = getenv("ALMANAC_XLSX_MAX_ROWS");
    if (!e || !*e)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(e, &end, 10);
    if (*end || errno || v < 3 || v > 1048576) {
        error_set(err, ALMANAC_EX_CONFIG, "ALMANAC_XLSX_MAX_ROWS must be a number of rows from 3 to 1048576, not \"%s\"",
                  e);
        return -1;
    }
    return v;
}

int report_accounting(int argc, char **argv)
{
    struct args a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct almanac_error err;
    error_clear(&err);
    struct accounting_options o = {0};
    if (period_parse(a.period, &o.period, &err))
        return cli_report(&err);
    if (strcmp(o.period.grain, "month"))
        return cli_usage_error("report accounting ", "--period must be a month (YYYY-MM), not \"%s\"", a.period);
    long max_rows = max_rows_from_env(&err);
    if (max_rows < 0)
        return cli_report(&err);
    o.max_rows = max_rows;
    struct almanac_config *cfg = malloc(sizeof(*cfg));
    if (!cfg)
        return ALMANAC_EX_SOFTWARE;
    PGconn *wh = NULL;
    struct outfile *f = NULL;
    if (cli_load_config(a.config, cfg, &err))
        goto fail;
    o.cfg = cfg;
    const char *warehouse = cli_warehouse(a.warehouse, cfg, &err);
    if (!warehouse) {
        goto fail;
    }
    const char *dir = a.out ? a.out : cfg->output_dir;
    if (fsutil_mkdirs(dir, 0755)) {
        error_set(&err, ALMANAC_EX_CANTCREAT, "cannot create the output directory %s: %s", dir, strerror(errno));
        goto fail;
    }
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/accounting-%s.xlsx", dir, o.period.label);
    wh = cli_connect_warehouse(warehouse, "almanac report accounting", &err);
    if (!wh)
        goto fail;
    /* The revenue chart shows 13 months: the KPI engine computes those of
     * the 12 before that are not stored yet (once; they are kept). */
    struct kpi_period m = o.period;
    for (int i = 0; i < 12; i++) {
        period_previous(&m, &m);
        if (cli_ensure_kpis(wh, cfg, &m, false, "accounting", a.verbose, &err))
            goto fail;
    }
    f = outfile_open(path, false, &err);
    if (!f)
        goto fail;
    o.path = outfile_temp_path(f);
    o.tmpdir = dir; /* the sheets' temporary files go where the book goes, not to a small /tmp */
    struct accounting_result r;
    if (accounting_write(wh, &o, &r, &err))
        goto fail;
    long long bytes = 0;
    rc = outfile_commit(f, &bytes, &err);
    f = NULL;
    if (rc)
        goto fail;
    /* Silent in a job (not a terminal): the manifest lists the file. */
    if (a.verbose || isatty(STDOUT_FILENO))
        printf("wrote %s (%lld bytes): %lld transactions on %d sheet%s, %lld partners in the roll-forward "
               "(from %s)\n",
               path, bytes, r.transactions, r.transaction_sheets, r.transaction_sheets == 1 ? "" : "s",
               r.partners, r.source);
    if (r.missing_months[0])
        fprintf(stderr, "almanac: warning: revenue chart: no KPIs stored for %s\n", r.missing_months);
    if (r.failed_checks)
        fprintf(stderr, "almanac: warning: %d roll-forward check%s not 0: see the Credits roll-forward sheet\n",
                r.failed_checks, r.failed_checks == 1 ? " is" : "s are");
    PQfinish(wh);
    free(cfg);
    if (fflush(stdout) != 0)
        return ALMANAC_EX_CANTCREAT;
    return 0;
fail:
    outfile_abort(f);
    PQfinish(wh);
    free(cfg);
    return cli_report(&err);
}
