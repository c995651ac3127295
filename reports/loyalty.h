/* loyalty.h: the per-brand loyalty statement (XLSX), one workbook per brand.
 *
 * Sheets: Dashboard (the portal's metrics for the month with the previous
 * month, change and the capital-efficiency insight), Last 7-30-90 days
 * (the same metrics over the trailing windows ending with the month),
 * Perks (lifecycle: claims, claims per day, supply left, rank, peak hour
 * and week), Claims (every claim with its transaction hash) and
 * Transactions (every loyalty event of the brand in the month). Numbers
 * are read from kpi.results; the lists from dw.fact_loyalty_transaction.
 * Docs: docs/reports.md.
 */
#ifndef ALMANAC_REPORTS_LOYALTY_H
#define ALMANAC_REPORTS_LOYALTY_H

#include <libpq-fe.h>

#include "core/config.h"
#include "core/error.h"
#include "kpi/period.h"

struct loyalty_options {
    const struct almanac_config *cfg;
    struct kpi_period period; /* a month */
    long long brand_id;       /* the brand */
    const char *brand_name;
    const char *path;         /* file to write (the caller's temporary name) */
    const char *tmpdir;       /* libxlsxwriter's temporary files */
};

struct loyalty_result {
    long long claims;
    long long transactions;
    int perks;
};

/* Writes one brand's statement. The month's KPIs and the three windows
 * ending with it must be stored (exit 65 with a hint otherwise). */
int loyalty_write(PGconn *wh, const struct loyalty_options *o, struct loyalty_result *r,
                  struct almanac_error *err);

#endif
