/* seasonality.c: read the monthly series, compute indices and forecasts,
 * store them; one warehouse transaction. See seasonality.h. */
#include "analytics/seasonality.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/forecast.h"
#include "analytics/seasonal.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/sqlfile.h"
#include "kpi/period.h"

/* In the order they are computed and shown. */
static const char *const SERIES[] = {"events", "generations", "revenue", "claims"};
#define NSERIES (sizeof SERIES / sizeof SERIES[0])

bool seasonality_series_known(const char *name)
{
    for (size_t i = 0; i < NSERIES; i++)
        if (name && !strcmp(name, SERIES[i]))
            return true;
    return false;
}

/* What a run needs at hand besides the connection. */
struct run {
    PGconn *wh;
    struct seasonal_options opt;
    char run_id[24];
    struct seasonality_result *r;
};

/* One scope of one series, as read back from kpi.seasonal_series. */
struct scope_series {
    const char *series;
    char scope[128];
    char first[11], last[11]; /* first days of the first and last month */
    int first_month;          /* calendar month of values[0], 1..12 */
    const double *values;
    size_t n;
};

/* "{v1,v2,...}" with every double written exactly. */
static void float_array(char *buf, size_t size, const double *v, size_t n)
{
    size_t len = 0;
    len += (size_t)snprintf(buf + len, size - len, "{");
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%.17g", i ? "," : "", v[i]);
    if (len < size)
        snprintf(buf + len, size - len, "}");
}

static void flag_list(char *buf, size_t size, unsigned flags)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {FORECAST_SHORT_HISTORY, "short_history"}, {FORECAST_HW_FAILED, "hw_failed"},
        {FORECAST_NO_DRIFT, "no_drift"},           {FORECAST_NO_INTERVAL, "no_interval"},
        {FORECAST_CLIPPED, "clipped"},
    };
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0] && len < size; i++)
        if (flags & names[i].bit)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "", names[i].name);
}

static const char *quality_code(enum seasonal_quality q)
{
    switch (q) {
    case SEASONAL_FULL: return "full";
    case SEASONAL_INDICATIVE: return "indicative";
    case SEASONAL_SHORT_HISTORY: return "short_history";
    case SEASONAL_NO_SIGNAL: return "no_signal";
    }
    return "no_signal";
}

static const char *class_code(enum seasonal_class c)
{
    return c == SEASONAL_PEAK ? "peak" : c == SEASONAL_LOW ? "low" : "normal";
}

static int store_forecast(struct run *run, const struct scope_series *s,
                          const struct forecast_result *f, struct almanac_error *err)
{
    char point[256], lower[256], upper[256], coverage[32], alpha[32], beta[32], gamma[32],
        sse[32], drift[32], flags[96];
    float_array(point, sizeof point, f->point, f->horizon);
    float_array(lower, sizeof lower, f->lower, f->horizon);
    float_array(upper, sizeof upper, f->upper, f->horizon);
    snprintf(coverage, sizeof coverage, "%.17g", f->coverage);
    bool hw = f->method == FORECAST_HOLT_WINTERS;
    snprintf(alpha, sizeof alpha, "%.17g", f->hw.model.alpha);
    snprintf(beta, sizeof beta, "%.17g", f->hw.model.beta);
    snprintf(gamma, sizeof gamma, "%.17g", f->hw.model.gamma);
    snprintf(sse, sizeof sse, "%.17g", f->hw.sse);
    snprintf(drift, sizeof drift, "%.17g", f->drift);
    flag_list(flags, sizeof flags, f->flags);
    const char *params[15] = {s->series, s->scope, s->last, point, lower, upper, coverage,
                              hw ? "holt_winters" : "seasonal_naive",
                              hw ? alpha : NULL, hw ? beta : NULL, hw ? gamma : NULL,
                              hw ? sse : NULL, hw ? NULL : drift, flags, run->run_id};
    PGresult *res = db_query(run->wh, sqlfile_text("seasonality/store_forecast.sql"), 15, params, err);
    if (!res)
        return -1;
    run->r->rows += strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return 0;
}

/* Indices, then the forecast when the history allows one. */
static int compute_scope(struct run *run, const struct scope_series *s, struct almanac_error *err)
{
    struct seasonal_result sr;
    if (seasonal_decompose(s->values, s->n, s->first_month, &run->opt, &sr, NULL, NULL, err)) {
        error_prefix(err, "%s, %s: ", s->series, s->scope);
        return -1;
    }
    char note[160] = "";
    struct forecast_result fr;
    bool have_forecast = s->n >= FORECAST_MIN_HISTORY;
    if (!have_forecast)
        snprintf(note, sizeof note,
                 "no forecast: %zu month%s of history, a forecast needs at least %d", s->n,
                 s->n == 1 ? "" : "s", FORECAST_MIN_HISTORY);
    else if (forecast_series(s->values, s->n, SEASONALITY_HORIZON, SEASONALITY_COVERAGE, &fr,
                             err)) {
        error_prefix(err, "%s, %s: ", s->series, s->scope);
        return -1;
    }

    char index[512], estimated[64], klass[128], months[16], peak[32], low[32];
    float_array(index, sizeof index, sr.index, SEASONAL_PERIOD);
    size_t le = 0, lk = 0;
    for (int m = 0; m < SEASONAL_PERIOD; m++) {
        le += (size_t)snprintf(estimated + le, sizeof estimated - le, "%s%s", m ? "," : "{",
                               sr.estimated[m] ? "t" : "f");
        lk += (size_t)snprintf(klass + lk, sizeof klass - lk, "%s%s", m ? "," : "{",
                               class_code(sr.month_class[m]));
    }
    snprintf(estimated + le, sizeof estimated - le, "}");
    snprintf(klass + lk, sizeof klass - lk, "}");
    snprintf(months, sizeof months, "%zu", s->n);
    snprintf(peak, sizeof peak, "%.17g", run->opt.peak_threshold);
    snprintf(low, sizeof low, "%.17g", run->opt.low_threshold);
    const char *params[15] = {s->series,
                              s->scope,
                              index,
                              estimated,
                              klass,
                              quality_code(sr.quality),
                              sr.method == SEASONAL_DECOMPOSITION ? "decomposition" : "month_share",
                              months,
                              s->first,
                              s->last,
                              sr.has_zeros ? "true" : "false",
                              peak,
                              low,
                              note[0] ? note : NULL,
                              run->run_id};
    PGresult *res = db_query(run->wh, sqlfile_text("seasonality/store_index.sql"), 15, params, err);
    if (!res)
        return -1;
    run->r->rows += strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);

    run->r->scopes++;
    if (sr.quality == SEASONAL_SHORT_HISTORY)
        run->r->short_history++;
    if (!have_forecast) {
        run->r->no_forecast++;
        return 0;
    }
    run->r->forecasts++;
    return store_forecast(run, s, &fr, err);
}

/* Fills kpi.seasonal_series with one series, reads it back and computes
 * every scope of it. */
static int compute_series(struct run *run, const char *series, struct almanac_error *err)
{
    char file[64];
    snprintf(file, sizeof file, "seasonality/series_%s.sql", series);
    const char *del[1] = {series};
    const char *ins[2] = {run->r->last_month, run->run_id};
    if (db_command(run->wh, sqlfile_text("seasonality/delete_series.sql"), 1, del, err))
        return -1;
    PGresult *res = db_query(run->wh, sqlfile_text(file), 2, ins, err);
    if (!res)
        return -1;
    run->r->rows += strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    res = db_query(run->wh, sqlfile_text("seasonality/read_series.sql"), 1, del, err);
    if (!res)
        return -1;
    int rows = PQntuples(res), rc = 0;
    double *values = malloc(((size_t)rows + 1) * sizeof *values);
    if (!values) {
        PQclear(res);
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory reading %d months", rows);
    }
    for (int i = 0; i < rows && rc == 0;) {
        struct scope_series s = {.series = series, .values = values + i};
        snprintf(s.scope, sizeof s.scope, "%s", PQgetvalue(res, i, 0));
        snprintf(s.first, sizeof s.first, "%s", PQgetvalue(res, i, 1));
        s.first_month = atoi(PQgetvalue(res, i, 2));
        int j = i;
        for (; j < rows && !strcmp(PQgetvalue(res, j, 0), s.scope); j++)
            values[j] = strtod(PQgetvalue(res, j, 3), NULL);
        snprintf(s.last, sizeof s.last, "%s", PQgetvalue(res, j - 1, 1));
        s.n = (size_t)(j - i);
        rc = compute_scope(run, &s, err);
        i = j;
    }
    free(values);
    PQclear(res);
    if (rc == 0)
        run->r->series++;
    return rc;
}

static int compute(struct run *run, const struct almanac_config *cfg, const char *series,
                   const char *as_of, struct almanac_error *err)
{
    const char *tz[1] = {cfg->time_zone};
    if (db_command(run->wh, sqlfile_text("kpi/queries/set_time_zone.sql"), 1, tz, err))
        return -1;
    const char *a[1] = {as_of};
    PGresult *res = db_query(run->wh, sqlfile_text("seasonality/bounds.sql"), 1, a, err);
    if (!res)
        return -1;
    snprintf(run->r->as_of, sizeof run->r->as_of, "%s", PQgetvalue(res, 0, 0));
    snprintf(run->r->last_month, sizeof run->r->last_month, "%s", PQgetvalue(res, 0, 1));
    char history_end[11];
    snprintf(history_end, sizeof history_end, "%s", PQgetvalue(res, 0, 2));
    PQclear(res);
    const char *start[2] = {history_end, cfg->time_zone};
    res = db_query(run->wh, sqlfile_text("seasonality/start_run.sql"), 2, start, err);
    if (!res)
        return -1;
    snprintf(run->run_id, sizeof run->run_id, "%s", PQgetvalue(res, 0, 0));
    run->r->run_id = strtoll(run->run_id, NULL, 10);
    PQclear(res);
    for (size_t i = 0; i < NSERIES; i++)
        if (!series || !strcmp(series, SERIES[i]))
            if (compute_series(run, SERIES[i], err))
                return -1;
    char rows[24];
    snprintf(rows, sizeof rows, "%lld", run->r->rows);
    const char *fin[2] = {run->run_id, rows};
    return db_command(run->wh, sqlfile_text("seasonality/finish_run.sql"), 2, fin, err);
}

int seasonality_compute(PGconn *wh, const struct almanac_config *cfg, const char *series,
                        const char *as_of, struct seasonality_result *r,
                        struct almanac_error *err)
{
    memset(r, 0, sizeof *r);
    double t0 = clock_seconds();
    if (series && !seasonality_series_known(series))
        return error_set(err, ALMANAC_EX_USAGE,
                         "unknown series \"%s\": events, generations, revenue or claims", series);
    long day;
    if (as_of && period_date_parse(as_of, &day))
        return error_set(err, ALMANAC_EX_USAGE, "as-of date \"%s\" is not a date YYYY-MM-DD",
                         as_of);
    struct run run = {.wh = wh, .opt = SEASONAL_OPTIONS_DEFAULT, .r = r};
    double peak = config_param_get(cfg, "seasonality", "indices", "peak_index");
    double low = config_param_get(cfg, "seasonality", "indices", "low_index");
    if (!isnan(peak))
        run.opt.peak_threshold = peak;
    if (!isnan(low))
        run.opt.low_threshold = low;

    PGresult *res = db_query(wh, sqlfile_text("kpi/queries/check_time_zone.sql"), 1,
                             (const char *const[]){cfg->time_zone}, err);
    if (!res)
        return -1;
    bool known = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!known) {
        error_set(err, ALMANAC_EX_CONFIG, "%s: time_zone: unknown time zone \"%s\"",
                  cfg->path[0] ? cfg->path : "configuration", cfg->time_zone);
        error_hint(err, "use an IANA name such as UTC, Europe/Madrid or America/Mexico_City");
        return -1;
    }
    if (db_exec(wh, "BEGIN", "starting the seasonality transaction", err))
        return -1;
    if (compute(&run, cfg, series, as_of, err) == 0 &&
        db_exec(wh, "COMMIT", "committing the seasonality results", err) == 0) {
        r->seconds = clock_seconds() - t0;
        return 0;
    }
    if (PQstatus(wh) == CONNECTION_OK) {
        PQclear(PQexec(wh, "ROLLBACK"));
        const char *params[6] = {"seasonality", "month", NULL, NULL, cfg->time_zone,
                                 err->message};
        struct almanac_error ignored;
        error_clear(&ignored);
        db_command(wh, sqlfile_text("kpi/queries/fail_run.sql"), 6, params, &ignored);
    } else if (err->code != ALMANAC_EX_UNAVAILABLE) {
        error_prefix(err, "connection to the warehouse lost: ");
        err->code = ALMANAC_EX_UNAVAILABLE;
    }
    return -1;
}
