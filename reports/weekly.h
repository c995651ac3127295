/* weekly.h: the short week-over-week review (PDF): the week's KPIs with
 * WoW change, the top partners, active partners without an event, and
 * styles unused for 90 days (retire candidates). */
#ifndef ALMANAC_REPORTS_WEEKLY_H
#define ALMANAC_REPORTS_WEEKLY_H

#include <libpq-fe.h>

#include "core/error.h"
#include "reports/report.h"

/* Writes the review of ISO week o->period to path. */
int weekly_write(PGconn *wh, const struct report_options *o, const char *path, struct report_stats *st,
                 struct almanac_error *err);

#endif
