/* report_pdf.c: what `almanac report review|partner|weekly` share: their
 * options, the connection, making sure the KPIs they read are stored, and
 * writing each file under a temporary name. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analytics/seasonality.h"
#include "cli/cli.h"
#include "cli/report_pdf.h"
#include "core/db.h"
#include "core/fsutil.h"
#include "kpi/engine.h"
#include "reports/outfile.h"

int report_pdf_parse(int argc, char **argv, struct report_pdf_args *a, bool partner)
{
    static const struct option longopts[] = {
        {"period", required_argument, NULL, 'p'},    {"locale", required_argument, NULL, 'l'},
        {"paper", required_argument, NULL, 'P'},     {"out", required_argument, NULL, 'o'},
        {"warehouse", required_argument, NULL, 'w'}, {"config", required_argument, NULL, 'c'},
        {"font", required_argument, NULL, 'f'},      {"no-compute", no_argument, NULL, 'n'},
        {"partner", required_argument, NULL, 'i'},   {"all", no_argument, NULL, 'A'},
        {"verbose", no_argument, NULL, 'v'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->kind = argv[0];
    optind = 1;
    opterr = 0;
    int c;
    char cmd[32];
    snprintf(cmd, sizeof cmd, "report %s ", argv[0]);
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': a->period = optarg; break;
        case 'l': a->locale = optarg; break;
        case 'P': a->paper = optarg; break;
        case 'o': a->out = optarg; break;
        case 'w': a->warehouse = optarg; break;
        case 'c': a->config = optarg; break;
        case 'f': a->font = optarg; break;
        case 'n': a->no_compute = true; break;
        case 'v': a->verbose = true; break;
        case 'i':
        case 'A':
            if (!partner)
                return cli_usage_error(cmd, "unknown option \"%s\"", argv[optind - 1]);
            if (c == 'A')
                a->all = true;
            else {
                char *end;
                a->partner_id = strtoll(optarg, &end, 10);
                if (*end || a->partner_id <= 0)
                    return cli_usage_error(cmd, "--partner must be a partner id (a positive integer), not \"%s\"",
                                           optarg);
            }
            break;
        case 'h': return cli_print_help(cli_find("report")) ? ALMANAC_EX_CANTCREAT : -1;
        case ':': return cli_usage_error(cmd, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(cmd, "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument \"%s\"", argv[optind]);
    if (!a->period)
        return cli_usage_error(cmd, "which period? give --period");
    if (a->paper && strcmp(a->paper, "a4") && strcmp(a->paper, "letter"))
        return cli_usage_error(cmd, "--paper must be a4 or letter, not \"%s\"", a->paper);
    if (a->locale && strcmp(a->locale, "en") && strcmp(a->locale, "es"))
        return cli_usage_error(cmd, "--locale must be en or es, not \"%s\"", a->locale);
    if (partner && a->all && a->partner_id)
        return cli_usage_error(cmd, "give --partner ID or --all, not both");
    return 0;
}

int report_pdf_open(const struct report_pdf_args *a, const char *grain, struct report_pdf_ctx *ctx,
                    struct almanac_error *err)
{
    memset(ctx, 0, sizeof *ctx);
    if (period_parse(a->period, &ctx->opts.period, err))
        return -1;
    if (strcmp(ctx->opts.period.grain, grain)) {
        error_set(err, ALMANAC_EX_USAGE, "report %s needs a %s (e.g. %s), not \"%s\"", a->kind, grain,
                  !strcmp(grain, "quarter") ? "2026Q3" : !strcmp(grain, "week") ? "2026-W43" : "2026-10",
                  a->period);
        return -1;
    }
    ctx->cfg = malloc(sizeof *ctx->cfg);
    if (!ctx->cfg)
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
    if (cli_load_config(a->config, ctx->cfg, err))
        return -1;
    if (i18n_parse(a->locale ? a->locale : ctx->cfg->locale, &ctx->opts.locale, err)) {
        err->code = ALMANAC_EX_CONFIG;
        return -1;
    }
    ctx->opts.cfg = ctx->cfg;
    /* The options win over the configuration's "paper" and "font". */
    const char *paper = a->paper ? a->paper : ctx->cfg->paper;
    ctx->opts.paper = !strcmp(paper, "letter") ? PDF_LETTER : PDF_A4;
    ctx->opts.font_path = a->font ? a->font : ctx->cfg->font;
    const char *through = getenv("ALMANAC_DATA_THROUGH");
    ctx->opts.data_through = through && *through ? through : NULL;
    snprintf(ctx->outdir, sizeof ctx->outdir, "%s", a->out ? a->out : ctx->cfg->output_dir);
    const char *warehouse = cli_warehouse(a->warehouse, ctx->cfg, err);
    if (!warehouse) {
        return -1;
    }
    char appname[48];
    snprintf(appname, sizeof appname, "almanac report %s", a->kind);
    ctx->wh = cli_connect_warehouse(warehouse, appname, err);
    return ctx->wh ? 0 : -1;
}

void report_pdf_close(struct report_pdf_ctx *ctx)
{
    PQfinish(ctx->wh);
    free(ctx->cfg);
    ctx->wh = NULL;
    ctx->cfg = NULL;
}

int cli_ensure_kpis(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p, bool no_compute,
                    const char *kind, bool verbose, struct almanac_error *err)
{
    char start[11];
    period_date_format(p->start, start);
    const char *params[2] = {p->grain, start};
    PGresult *res = reportdb_query(wh, "reports/has_period.sql", 2, params, err);
    if (!res)
        return -1;
    bool stored = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (stored)
        return 0;
    if (no_compute) {
        error_set(err, ALMANAC_EX_DATAERR, "no KPIs stored for %s, which the %s report reads", p->label, kind);
        error_hint(err, "compute them: almanac kpi --period %s (or drop --no-compute)", p->label);
        return -1;
    }
    /* The KPI engine is the one place KPIs are computed: the report asks
     * it for what is missing rather than computing anything itself. */
    struct kpi_result r;
    if (kpi_compute(wh, cfg, p, &r, err)) {
        error_prefix(err, "computing the KPIs of %s for the report: ", p->label);
        return -1;
    }
    if (verbose)
        fprintf(stderr, "almanac report %s: computed the KPIs of %s (%lld rows, run %lld, %.1f s)\n", kind,
                p->label, r.rows, r.run_id, r.seconds);
    return 0;
}

int report_pdf_ensure_kpis(struct report_pdf_ctx *ctx, const struct report_pdf_args *a,
                           const struct kpi_period *p, struct almanac_error *err)
{
    return cli_ensure_kpis(ctx->wh, ctx->cfg, p, a->no_compute, a->kind, a->verbose, err);
}

int report_pdf_ensure_seasonality(struct report_pdf_ctx *ctx, const struct report_pdf_args *a,
                                  const struct kpi_period *quarter, struct almanac_error *err)
{
    PGresult *res = reportdb_query(ctx->wh, "reports/review/seasonality.sql", 0, NULL, err);
    if (!res)
        return -1;
    int n = PQntuples(res);
    PQclear(res);
    if (n > 0)
        return 0;
    if (a->no_compute) {
        error_set(err, ALMANAC_EX_DATAERR, "no seasonality stored, which the %s report reads", a->kind);
        error_hint(err, "compute it: almanac seasonality (or drop --no-compute)");
        return -1;
    }
    char as_of[11];
    period_date_format(quarter->end, as_of);
    struct seasonality_result r;
    if (seasonality_compute(ctx->wh, ctx->cfg, NULL, as_of, &r, err)) {
        error_prefix(err, "computing seasonality for the report: ");
        return -1;
    }
    if (a->verbose)
        fprintf(stderr, "almanac report %s: computed seasonality as of %s (run %lld)\n", a->kind, as_of, r.run_id);
    return 0;
}

int report_pdf_mkdir(const char *dir, struct almanac_error *err)
{
    if (fsutil_mkdirs(dir, 0755)) {
        error_set(err, ALMANAC_EX_CANTCREAT, "cannot create the output directory %s", dir);
        error_detail(err, "%m");
        return -1;
    }
    return 0;
}

int report_pdf_write(const char *path, report_pdf_writer fn, void *arg, struct report_stats *st,
                     struct almanac_error *err)
{
    struct outfile *f = outfile_open(path, false, err);
    if (!f)
        return -1;
    if (fn(outfile_temp_path(f), arg, st, err)) {
        outfile_abort(f);
        return -1;
    }
    return outfile_commit(f, &st->bytes, err);
}
