/* review.h: the quarterly leadership review (PDF).
 *
 * Sections and where each number comes from: docs/reports-pdf.md. The
 * writer reads the quarter's KPIs (grain quarter), the same quarter a year
 * earlier, 24 months of monthly KPIs, the month segments of the quarter's
 * last month, the stored seasonality and forecasts and the quarter's
 * alerts; it never computes a KPI.
 */
#ifndef ALMANAC_REPORTS_REVIEW_H
#define ALMANAC_REPORTS_REVIEW_H

#include <libpq-fe.h>

#include "core/error.h"
#include "reports/report.h"

/* Months of the trend charts, ending with the quarter's last month. */
#define REVIEW_TREND_MONTHS 24

/* Writes the review of quarter o->period to path (a temporary name: the
 * caller commits it with outfile). Returns 0, or -1 with err set. */
int review_write(PGconn *wh, const struct report_options *o, const char *path, struct report_stats *st,
                 struct almanac_error *err);

#endif
