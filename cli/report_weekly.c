/* report_weekly.c: `almanac report weekly --period 2026-W43`:
 * DIR/weekly-2026-W43.pdf. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/report_pdf.h"
#include "reports/weekly.h"

static int write_weekly(const char *temp, void *arg, struct report_stats *st, struct almanac_error *err)
{
    struct report_pdf_ctx *ctx = arg;
    return weekly_write(ctx->wh, &ctx->opts, temp, st, err);
}

int report_weekly(int argc, char **argv)
{
    struct report_pdf_args a;
    int rc = report_pdf_parse(argc, argv, &a, false);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct almanac_error err;
    error_clear(&err);
    struct report_pdf_ctx ctx;
    if (report_pdf_open(&a, "week", &ctx, &err) || report_pdf_ensure_kpis(&ctx, &a, &ctx.opts.period, &err) ||
        report_pdf_mkdir(ctx.outdir, &err))
        goto fail;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/weekly-%s.pdf", ctx.outdir, ctx.opts.period.label);
    struct report_stats st = {0};
    if (report_pdf_write(path, write_weekly, &ctx, &st, &err))
        goto fail;
    if (a.verbose)
        fprintf(stderr, "almanac report weekly: %s: %d pages, %lld bytes\n", path, st.pages, st.bytes);
    report_pdf_close(&ctx);
    return 0;
fail:
    report_pdf_close(&ctx);
    return cli_report(&err);
}
