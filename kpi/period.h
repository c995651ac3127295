/* period.h: KPI periods: months, quarters, ISO weeks, days and trailing
 * windows, as half-open ranges of local calendar days.
 *
 * Days are counted from 1970-01-01 (day 0) in the proleptic Gregorian
 * calendar; the business time zone only enters when SQL turns a day into an
 * instant (local midnight), never here.
 */
#ifndef ALMANAC_KPI_PERIOD_H
#define ALMANAC_KPI_PERIOD_H

#include "core/error.h"

struct kpi_period {
    char grain[8];  /* day, week, month, quarter, 7d, 30d, 90d */
    char label[16]; /* 2026-10, 2026Q3, 2026-W43, 2026-10-14, 30d:2026-10-31 */
    long start;     /* first day */
    long end;       /* day after the last one */
};

/* Parses "2026-10", "2026Q3", "2026-W43" or "2026-10-14". Returns 0, or -1
 * with err (exit 64) saying which forms are accepted. */
int period_parse(const char *spec, struct kpi_period *p, struct almanac_error *err);

/* The trailing window of `days` days (7, 30 or 90) ending on as_of
 * (YYYY-MM-DD), as_of included. */
int period_window(const char *days, const char *as_of, struct kpi_period *p, struct almanac_error *err);

/* The period of `grain` (day, week, month, quarter) that holds `day`. */
int period_containing(const char *grain, long day, struct kpi_period *p, struct almanac_error *err);

/* The period after p of the same grain (day, week, month, quarter); next
 * may be p itself. */
void period_next(const struct kpi_period *p, struct kpi_period *next);

/* The period before p of the same grain and length; prev may be p itself. */
void period_previous(const struct kpi_period *p, struct kpi_period *prev);

/* Day number of a calendar date, and back; date_parse returns -1 when s is
 * not a valid YYYY-MM-DD. */
long period_day(int year, int month, int day);
int period_date_parse(const char *s, long *day);
void period_date_format(long day, char buf[11]);

#endif
