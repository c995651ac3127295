/* report_review.c: `almanac report review --period 2026Q3`. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/report_pdf.h"
#include "reports/review.h"

struct job {
    struct report_pdf_ctx *ctx;
};

static int write_review(const char *temp, void *arg, struct report_stats *st, struct almanac_error *err)
{
    struct job *j = arg;
    return review_write(j->ctx->wh, &j->ctx->opts, temp, st, err);
}

/* The periods the review reads: the quarter, the same quarter a year
 * earlier, and the 24 months of the trend charts. */
static int ensure_inputs(struct report_pdf_ctx *ctx, const struct report_pdf_args *a, struct almanac_error *err)
{
    const struct kpi_period *q = &ctx->opts.period;
    if (report_pdf_ensure_kpis(ctx, a, q, err))
        return -1;
    struct kpi_period p = *q;
    for (int i = 0; i < 4; i++) {
        struct kpi_period prev;
        period_previous(&p, &prev);
        p = prev;
    }
    if (report_pdf_ensure_kpis(ctx, a, &p, err))
        return -1;
    /* The month containing the quarter's last day, then back. */
    if (period_containing("month", q->end - 1, &p, err))
        return -1;
    for (int i = 0; i < REVIEW_TREND_MONTHS; i++) {
        if (report_pdf_ensure_kpis(ctx, a, &p, err))
            return -1;
        struct kpi_period prev;
        period_previous(&p, &prev);
        p = prev;
    }
    return report_pdf_ensure_seasonality(ctx, a, q, err);
}

int report_review(int argc, char **argv)
{
    struct report_pdf_args a;
    int rc = report_pdf_parse(argc, argv, &a, false);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct almanac_error err;
    error_clear(&err);
    struct report_pdf_ctx ctx;
    if (report_pdf_open(&a, "quarter", &ctx, &err) || ensure_inputs(&ctx, &a, &err) ||
        report_pdf_mkdir(ctx.outdir, &err))
        goto fail;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/review-%s.pdf", ctx.outdir, ctx.opts.period.label);
    struct job j = {&ctx};
    struct report_stats st = {0};
    if (report_pdf_write(path, write_review, &j, &st, &err))
        goto fail;
    if (a.verbose)
        fprintf(stderr, "almanac report review: %s: %d pages, %lld bytes%s\n", path, st.pages, st.bytes,
                st.replaced ? ", some characters not in the font shown as \xEF\xBF\xBD" : "");
    report_pdf_close(&ctx);
    return 0;
fail:
    report_pdf_close(&ctx);
    return cli_report(&err);
}
