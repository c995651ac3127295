/* report_partner.c: `almanac report partner --period 2026-10 [--partner ID | --all]`:
 * one PDF per partner, DIR/partners/partner-<id>-<month>.pdf. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "cli/report_pdf.h"
#include "reports/partner.h"

struct job {
    struct report_pdf_ctx *ctx;
    long long id;
};

static int write_partner(const char *temp, void *arg, struct report_stats *st, struct almanac_error *err)
{
    struct job *j = arg;
    return partner_write(j->ctx->wh, &j->ctx->opts, j->id, temp, st, err);
}

int report_partner(int argc, char **argv)
{
    struct report_pdf_args a;
    int rc = report_pdf_parse(argc, argv, &a, true);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct almanac_error err;
    error_clear(&err);
    struct report_pdf_ctx ctx;
    long long *ids = NULL;
    int n = 0;
    char dir[PATH_MAX + 16];
    if (report_pdf_open(&a, "month", &ctx, &err) || report_pdf_ensure_kpis(&ctx, &a, &ctx.opts.period, &err) ||
        partner_list(ctx.wh, &ctx.opts, a.partner_id, &ids, &n, &err))
        goto fail;
    if (a.partner_id && n == 0) {
        error_set(&err, ALMANAC_EX_DATAERR, "partner %lld has no KPIs in %s", a.partner_id, ctx.opts.period.label);
        error_hint(&err, "the month's partners are those approved or deactivated at its end");
        goto fail;
    }
    snprintf(dir, sizeof dir, "%s/partners", ctx.outdir);
    if (report_pdf_mkdir(dir, &err))
        goto fail;
    long long bytes = 0;
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX + 96];
        snprintf(path, sizeof path, "%s/partner-%lld-%s.pdf", dir, ids[i], ctx.opts.period.label);
        struct job j = {&ctx, ids[i]};
        struct report_stats st = {0};
        if (report_pdf_write(path, write_partner, &j, &st, &err))
            goto fail;
        bytes += st.bytes;
    }
    if (a.verbose)
        fprintf(stderr, "almanac report partner: %d files in %s, %lld bytes\n", n, dir, bytes);
    free(ids);
    report_pdf_close(&ctx);
    return 0;
fail:
    free(ids);
    report_pdf_close(&ctx);
    return cli_report(&err);
}
