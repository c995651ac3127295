/* report_pdf.h: the shared command-line part of the PDF reports (review,
 * partner, weekly). Options: docs/reports-pdf.md. */
#ifndef ALMANAC_CLI_REPORT_PDF_H
#define ALMANAC_CLI_REPORT_PDF_H

#include <limits.h>
#include <stdbool.h>

#include <libpq-fe.h>

#include "core/config.h"
#include "core/error.h"
#include "reports/report.h"

struct report_pdf_args {
    const char *kind; /* argv[0]: review, partner, weekly */
    const char *period, *locale, *paper, *out, *warehouse, *config, *font;
    bool no_compute; /* fail instead of computing missing KPIs */
    bool verbose;
    long long partner_id; /* partner: --partner ID */
    bool all;             /* partner: --all */
};

struct report_pdf_ctx {
    struct almanac_config *cfg;
    struct report_options opts;
    PGconn *wh;
    char outdir[PATH_MAX];
};

/* Parses the options; `partner` allows --partner and --all. Returns 0, -1
 * after --help, or an exit code. */
int report_pdf_parse(int argc, char **argv, struct report_pdf_args *a, bool partner);

/* Checks the period's grain, loads the configuration, connects. */
int report_pdf_open(const struct report_pdf_args *a, const char *grain, struct report_pdf_ctx *ctx,
                    struct almanac_error *err);
void report_pdf_close(struct report_pdf_ctx *ctx);

/* Computes the KPIs of p with kpi_compute when none are stored (or fails
 * with exit 65 and a hint under --no-compute). */
int report_pdf_ensure_kpis(struct report_pdf_ctx *ctx, const struct report_pdf_args *a,
                           const struct kpi_period *p, struct almanac_error *err);

/* Computes seasonality as of the quarter's end when none is stored. */
int report_pdf_ensure_seasonality(struct report_pdf_ctx *ctx, const struct report_pdf_args *a,
                                  const struct kpi_period *quarter, struct almanac_error *err);

int report_pdf_mkdir(const char *dir, struct almanac_error *err);

/* Writes one file through a temporary name: fn writes to temp_path, then
 * the file is fsynced and renamed to path (exit 73 when it cannot be). */
typedef int (*report_pdf_writer)(const char *temp_path, void *arg, struct report_stats *st,
                                 struct almanac_error *err);
int report_pdf_write(const char *path, report_pdf_writer fn, void *arg, struct report_stats *st,
                     struct almanac_error *err);

#endif
