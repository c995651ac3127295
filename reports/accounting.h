/* accounting.h: the monthly accounting workbook (XLSX).
 *
 * Sheets, in order: Summary (every platform KPI of the month with the
 * previous month, change and band), Credits roll-forward (per partner, a
 * totals row and checks that tie it to the Transactions sheet and to last
 * month's closing balance), Transactions (continued on "Transactions (2)"...
 * past Excel's row limit), Partners, Events, Style usage, B2C revenue,
 * Loyalty ledger, Charts (revenue by month, consumption by segment).
 * Every query is a file under schemas/reports/accounting/; the whole book
 * is read in one read-only transaction in the business time zone. KPIs are
 * read from kpi.results, never recomputed. Docs: docs/reports.md.
 */
#ifndef ALMANAC_REPORTS_ACCOUNTING_H
#define ALMANAC_REPORTS_ACCOUNTING_H

#include <time.h>

#include <libpq-fe.h>

#include "core/config.h"
#include "core/error.h"
#include "kpi/period.h"

struct accounting_options {
    const struct almanac_config *cfg; /* time zone, currency */
    struct kpi_period period;         /* a month */
    const char *path;                 /* file to write (the caller's temporary name) */
    const char *tmpdir;               /* libxlsxwriter's temporary files; NULL: system default */
    long max_rows;                    /* rows per sheet before continuing; 0: Excel's limit */
};

struct accounting_result {
    long long transactions;  /* rows on the Transactions sheet(s) */
    int transaction_sheets;
    long long partners;      /* rows of the roll-forward */
    int failed_checks;       /* roll-forward checks whose difference is not 0 */
    char source[16];         /* roll-forward read from "snapshot" or "facts" */
    char missing_months[13 * 8 + 1]; /* months of the revenue chart without stored KPIs */
    long long kpi_run_id;
};

/* Writes the workbook of o->period to o->path. Fails (exit 65) when the
 * month's KPIs are not stored, or were stored in another time zone, with a
 * hint to run `almanac kpi`; 73 when the file cannot be written. */
int accounting_write(PGconn *wh, const struct accounting_options *o, struct accounting_result *r,
                     struct almanac_error *err);

/* The end of the period as a time_t (local midnight in UTC terms is not
 * needed: the document's creation date is the period's end day at 00:00
 * UTC, the same for every run). */
time_t accounting_created(const struct kpi_period *p);

#endif
