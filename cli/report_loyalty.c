/* report_loyalty.c: `almanac report loyalty`: one statement per brand. */
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
#include "core/sqlfile.h"
#include "reports/loyalty.h"
#include "reports/outfile.h"

static const char usage[] =
    "Usage: almanac report loyalty --period YYYY-MM [--brand ID] [OPTIONS]\n"
    "\n"
    "Writes one loyalty statement per brand, DIR/brands/loyalty-YYYY-MM-brand-ID.xlsx:\n"
    "the portal's dashboard metrics for the month, the last 7, 30 and 90 days, the\n"
    "perk lifecycle, every claim with its transaction hash, and every loyalty\n"
    "transaction of the month (docs/reports.md). The month's KPIs must be stored\n"
    "(almanac kpi --period YYYY-MM); the three windows ending with the month are\n"
    "computed by the KPI engine when they are not.\n"
    "\n"
    "Options:\n"
    "  --period YYYY-MM     the month (required)\n"
    "  --brand ID           only this brand (default: every brand created before the month ends)\n"
    "  --out DIR            output directory (default: output_dir of the configuration)\n"
    "  --warehouse CONN     warehouse connection (default: $ALMANAC_WAREHOUSE, configuration)\n"
    "  --config FILE        configuration file (default: $ALMANAC_CONFIG)\n"
    "  -v, --verbose        say what was written\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit codes: 0 ok, 64 bad option, 65 the month's KPIs are not stored or no such\n"
    "brand, 69 warehouse unreachable, 73 cannot write, 78 bad configuration.\n";

struct args {
    const char *period, *out, *warehouse, *config, *brand;
    bool verbose;
};

static int parse(int argc, char **argv, struct args *a)
{
    static const struct option longopts[] = {
        {"period", required_argument, NULL, 'p'},    {"out", required_argument, NULL, 'o'},
        {"warehouse", required_argument, NULL, 'w'}, {"config", required_argument, NULL, 'c'},
        {"brand", required_argument, NULL, 'b'},     {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': a->period = optarg; break;
        case 'o': a->out = optarg; break;
        case 'w': a->warehouse = optarg; break;
        case 'c': a->config = optarg; break;
        case 'b': a->brand = optarg; break;
        case 'v': a->verbose = true; break;
        case 'h': return fputs(usage, stdout) == EOF || fflush(stdout) ? ALMANAC_EX_CANTCREAT : -1;
        case ':': return cli_usage_error("report loyalty ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("report loyalty ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("report loyalty ", "unexpected argument \"%s\"", argv[optind]);
    if (!a->period)
        return cli_usage_error("report loyalty ", "which month? give --period YYYY-MM");
    if (a->brand && strspn(a->brand, "0123456789") != strlen(a->brand))
        return cli_usage_error("report loyalty ", "--brand must be a brand id, not \"%s\"", a->brand);
    return 0;
}

/* The 7-, 30- and 90-day windows that end with the month, computed by the
 * KPI engine when they are not stored yet (the engine is the one place
 * KPIs are computed; the statement only reads). */
static int ensure_windows(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *month,
                          bool verbose, struct almanac_error *err)
{
    char last[11];
    period_date_format(month->end - 1, last);
    static const char *const windows[] = {"7d", "30d", "90d"};
    for (int i = 0; i < 3; i++) {
        struct kpi_period w;
        if (period_window(windows[i], last, &w, err) ||
            cli_ensure_kpis(wh, cfg, &w, false, "loyalty", verbose, err))
            return -1;
    }
    return 0;
}

int report_loyalty(int argc, char **argv)
{
    struct args a;
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct almanac_error err;
    error_clear(&err);
    struct loyalty_options o = {0};
    if (period_parse(a.period, &o.period, &err))
        return cli_report(&err);
    if (strcmp(o.period.grain, "month"))
        return cli_usage_error("report loyalty ", "--period must be a month (YYYY-MM), not \"%s\"", a.period);
    struct almanac_config *cfg = malloc(sizeof(*cfg));
    if (!cfg)
        return ALMANAC_EX_SOFTWARE;
    PGconn *wh = NULL;
    PGresult *brands = NULL;
    if (cli_load_config(a.config, cfg, &err))
        goto fail;
    o.cfg = cfg;
    const char *warehouse = cli_warehouse(a.warehouse, cfg, &err);
    if (!warehouse) {
        goto fail;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s/brands", a.out ? a.out : cfg->output_dir);
    if (fsutil_mkdirs(dir, 0755)) {
        error_set(&err, ALMANAC_EX_CANTCREAT, "cannot create the output directory %s: %s", dir, strerror(errno));
        goto fail;
    }
    wh = cli_connect_warehouse(warehouse, "almanac report loyalty", &err);
    if (!wh || ensure_windows(wh, cfg, &o.period, a.verbose, &err))
        goto fail;
    char end[11];
    period_date_format(o.period.end, end);
    const char *bp[3] = {end, a.brand, cfg->time_zone};
    brands = db_query(wh, sqlfile_text("reports/loyalty/brands.sql"), 3, bp, &err);
    if (!brands)
        goto fail;
    if (a.brand && PQntuples(brands) == 0) {
        error_set(&err, ALMANAC_EX_DATAERR, "no brand %s existed by the end of %s", a.brand, o.period.label);
        goto fail;
    }
    bool say = a.verbose || isatty(STDOUT_FILENO);
    for (int i = 0; i < PQntuples(brands); i++) {
        o.brand_id = strtoll(PQgetvalue(brands, i, 0), NULL, 10);
        o.brand_name = PQgetvalue(brands, i, 1);
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/loyalty-%s-brand-%lld.xlsx", dir, o.period.label, o.brand_id);
        struct outfile *f = outfile_open(path, false, &err);
        if (!f)
            goto fail;
        o.path = outfile_temp_path(f);
        o.tmpdir = dir;
        struct loyalty_result r;
        long long bytes = 0;
        if (loyalty_write(wh, &o, &r, &err)) {
            outfile_abort(f);
            goto fail;
        }
        if (outfile_commit(f, &bytes, &err))
            goto fail;
        if (say)
            printf("wrote %s (%lld bytes): %d perks, %lld claims, %lld transactions\n", path, bytes, r.perks,
                   r.claims, r.transactions);
    }
    PQclear(brands);
    PQfinish(wh);
    free(cfg);
    return 0;
fail:
    PQclear(brands);
    PQfinish(wh);
    free(cfg);
    return cli_report(&err);
}
