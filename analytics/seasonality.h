/* seasonality.h: seasonal indices and next-quarter forecasts of the
 * warehouse's monthly series, stored for the reports.
 *
 * Reads each series from the warehouse (schemas/seasonality/series_*.sql,
 * in the business time zone) into kpi.seasonal_series, runs
 * seasonal_decompose and forecast_series (seasonal.h, forecast.h) on every
 * scope of it, and stores kpi.seasonal_index and kpi.forecast, all in one
 * transaction. This is the only part of analytics/ that touches a database;
 * the statistics stay pure. Series, tables and choices: docs/seasonality.md.
 */
#ifndef ALMANAC_ANALYTICS_SEASONALITY_H
#define ALMANAC_ANALYTICS_SEASONALITY_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "core/config.h"
#include "core/error.h"

/* The next quarter: the three months after the last complete one. */
#define SEASONALITY_HORIZON 3
/* An 80 % interval: wide enough to be honest about a quarter ahead, narrow
 * enough to say something; the same coverage for every series and method. */
#define SEASONALITY_COVERAGE 0.80

struct seasonality_result {
    long long run_id;
    char as_of[11];      /* the as-of date used, YYYY-MM-DD */
    char last_month[11]; /* first day of the last complete month: the series' end */
    int series;          /* series computed */
    int scopes;          /* (series, scope) pairs with indices stored */
    int forecasts;       /* of those, with a forecast */
    int short_history;   /* of those, under 24 months: month-of-year shares */
    int no_forecast;     /* of those, under 12 months: indices only */
    long long rows;      /* rows written to the three tables */
    double seconds;
};

/* True for "events", "generations", "revenue" and "claims". */
bool seasonality_series_known(const char *name);

/* Computes and stores `series` (NULL: all four) as of `as_of` (YYYY-MM-DD,
 * NULL: today in the business time zone): every month from each scope's
 * first month with data to the last complete month before as_of. Replaces
 * the stored rows of the series computed. Thresholds and time zone come from
 * cfg. The warehouse must be migrated (cli_connect_warehouse). Returns 0,
 * or -1 with err set: 64 for an unknown series or a bad date, 78 for an unknown time zone,
 * 69 for a lost connection, 70 otherwise. */
int seasonality_compute(PGconn *wh, const struct almanac_config *cfg, const char *series,
                        const char *as_of, struct seasonality_result *r,
                        struct almanac_error *err);

#endif
