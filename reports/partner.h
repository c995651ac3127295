/* partner.h: the per-partner monthly review (PDF): the partner's KPIs of
 * the month with month-over-month change, its segment and the segment's
 * recommended action, the styles used at its events and the events held.
 */
#ifndef ALMANAC_REPORTS_PARTNER_H
#define ALMANAC_REPORTS_PARTNER_H

#include <libpq-fe.h>

#include "core/error.h"
#include "reports/report.h"

/* The partners month o->period reports on: ids (malloc'd, the caller
 * frees) and their count; only `only` when it is not 0. */
int partner_list(PGconn *wh, const struct report_options *o, long long only, long long **ids, int *n,
                 struct almanac_error *err);

/* Writes partner `id`'s review of month o->period to path. */
int partner_write(PGconn *wh, const struct report_options *o, long long id, const char *path,
                  struct report_stats *st, struct almanac_error *err);

#endif
