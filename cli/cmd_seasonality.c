/* cmd_seasonality.c: `almanac seasonality`: compute and store seasonal
 * indices and forecasts, print what is stored. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "analytics/seasonality.h"
#include "cli/cli.h"
#include "core/db.h"
#include "core/sqlfile.h"
#include "kpi/period.h"

enum format { FMT_NONE, FMT_TABLE, FMT_CSV, FMT_JSON };

/* Peak usage cells named per channel. */
#define PEAK_CELLS 3

static const char *const MONTHS[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const WEEKDAYS[8] = {"", "Monday", "Tuesday", "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

/* 1234567.891 -> "1,234,568" (whole numbers: counts and USD alike). */
static void group_thousands(char *out, size_t size, double v)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.0f", fabs(v));
    size_t len = strlen(raw), n = 0;
    char buf[96];
    if (v <= -0.5)
        buf[n++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            buf[n++] = ',';
        buf[n++] = raw[i];
    }
    buf[n] = '\0';
    snprintf(out, size, "%s", buf);
}

/* The twelve index rows of one (series, scope), read from show_index.sql. */
struct block {
    const PGresult *res;
    int row; /* first of the twelve */
};

static const char *quality_words(const char *q)
{
    if (!strcmp(q, "full"))
        return "full: classical multiplicative decomposition over 36 months or more";
    if (!strcmp(q, "indicative"))
        return "indicative: decomposition over 24 to 35 months, each index rests on one or two "
               "years";
    if (!strcmp(q, "short_history"))
        return "short history: under 24 months, month-of-year shares (the trend is not removed)";
    return "no signal: nothing to measure, every index is 1";
}

/* "May, Jun, Jul" for the months of class `klass`, or "none". */
static void month_list(const struct block *b, const char *klass, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int m = 0; m < 12 && len < size; m++)
        if (!strcmp(db_value(b->res, b->row + m, 5), klass))
            len += (size_t)snprintf(out + len, size - len, "%s%s", len ? ", " : "", MONTHS[m]);
    if (!len)
        snprintf(out, size, "none");
}

/* Forecast rows of a series and scope: the index of the first, and how
 * many (0 when there is no forecast). */
static int find_forecast(const PGresult *fc, const char *series, const char *scope, int *count)
{
    *count = 0;
    int first = -1;
    for (int i = 0; i < PQntuples(fc); i++)
        if (!strcmp(db_value(fc, i, 0), series) && !strcmp(db_value(fc, i, 1), scope)) {
            if (first < 0)
                first = i;
            (*count)++;
        }
    return first;
}

static void flag_words(const char *flags, char *out, size_t size)
{
    static const struct {
        const char *flag, *words;
    } names[] = {
        {"short_history", "seasonal naive by design: under 24 months"},
        {"hw_failed", "no admissible Holt-Winters fit, seasonal naive instead"},
        {"no_drift", "no drift: exactly 12 months"},
        {"no_interval", "no interval: under 14 months"},
        {"clipped", "clipped at 0"},
    };
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0] && len < size; i++)
        if (flags && strstr(flags, names[i].flag))
            len += (size_t)snprintf(out + len, size - len, "%s%s", len ? "; " : "", names[i].words);
}

static void print_block(const struct block *b, const PGresult *fc)
{
    const PGresult *r = b->res;
    int i = b->row;
    const char *series = db_value(r, i, 0), *scope = db_value(r, i, 1), *quality = db_value(r, i, 6);
    printf("\n%s, %s: %s months, %s to %s%s\n", series, scope, db_value(r, i, 8), db_value(r, i, 9),
           db_value(r, i, 10), db_value(r, i, 11)[0] == 't' ? " (some months are 0)" : "");
    printf("  quality: %s\n", quality_words(quality));
    printf("  ");
    for (int m = 0; m < 12; m++)
        printf("%7s", MONTHS[m]);
    printf("\n  ");
    for (int m = 0; m < 12; m++) {
        const char *klass = db_value(r, i + m, 5);
        if (db_value(r, i + m, 4)[0] != 't')
            printf("%7s", "--");
        else
            printf("%6.2f%s", strtod(db_value(r, i + m, 3), NULL),
                   !strcmp(klass, "peak") ? "+" : !strcmp(klass, "low") ? "-" : " ");
    }
    char peaks[96], lows[96];
    month_list(b, "peak", peaks, sizeof peaks);
    month_list(b, "low", lows, sizeof lows);
    printf("\n  peak months: %s; low months: %s\n", peaks, lows);

    int n;
    int f = find_forecast(fc, series, scope, &n);
    if (n == 0) {
        const char *note = db_value(r, i, 14);
        printf("  next quarter: %s\n", note ? note : "no forecast stored");
        return;
    }
    double coverage = strtod(db_value(fc, f, 7), NULL);
    const char *method = db_value(fc, f, 8);
    if (!strcmp(method, "holt_winters"))
        printf("  next quarter, Holt-Winters (alpha %.3f, beta %.3f, gamma %.3f), %.0f %% "
               "interval:\n",
               strtod(db_value(fc, f, 9), NULL), strtod(db_value(fc, f, 10), NULL),
               strtod(db_value(fc, f, 11), NULL), coverage * 100);
    else if (strstr(db_value(fc, f, 14), "no_drift"))
        printf("  next quarter, seasonal naive, %.0f %% interval:\n", coverage * 100);
    else
        printf("  next quarter, seasonal naive with drift (%+.1f a year), %.0f %% interval:\n",
               strtod(db_value(fc, f, 13), NULL), coverage * 100);
    for (int k = f; k < f + n; k++) {
        char point[32], lower[32], upper[32];
        group_thousands(point, sizeof point, strtod(db_value(fc, k, 4), NULL));
        group_thousands(lower, sizeof lower, strtod(db_value(fc, k, 5), NULL));
        group_thousands(upper, sizeof upper, strtod(db_value(fc, k, 6), NULL));
        printf("    %s  %12s   (%s to %s)\n", db_value(fc, k, 3), point, lower, upper);
    }
    char words[256];
    flag_words(db_value(fc, f, 14), words, sizeof words);
    if (words[0])
        printf("    note: %s\n", words);
}

static void print_peaks_table(const PGresult *pk)
{
    if (PQntuples(pk) == 0) {
        printf("\npeak usage: no heat map stored (kpi.results, generations_by_hour)\n"
               "  compute one: almanac kpi --period YYYY-MM\n");
        return;
    }
    printf("\npeak usage, %s (time zone %s): the busiest weekday and hour per channel\n",
           db_value(pk, 0, 5), db_value(pk, 0, 6));
    const char *channel = "";
    for (int i = 0; i < PQntuples(pk); i++) {
        if (strcmp(channel, db_value(pk, i, 0))) {
            channel = db_value(pk, i, 0);
            printf("  %s:\n", !strcmp(channel, "b2c") ? "B2C" : channel);
        }
        int wd = atoi(db_value(pk, i, 2)), h = atoi(db_value(pk, i, 3));
        char n[32];
        group_thousands(n, sizeof n, strtod(db_value(pk, i, 4), NULL));
        double share = 100 * strtod(db_value(pk, i, 4), NULL) / strtod(db_value(pk, i, 7), NULL);
        printf("    %d. %-9s %02d:00-%02d:00  %10s generations (%.1f %% of the month)\n",
               atoi(db_value(pk, i, 1)), WEEKDAYS[wd >= 1 && wd <= 7 ? wd : 0], h, (h + 1) % 24, n,
               share);
    }
}

static void print_table(const PGresult *ix, const PGresult *fc, const PGresult *pk)
{
    printf("Seasonal indices by calendar month (mean 1), run %s, time zone %s\n", db_value(ix, 0, 15),
           db_value(ix, 0, 16));
    printf("  + peak month (index >= %.2f), - low month (<= %.2f), -- no data for the month\n",
           strtod(db_value(ix, 0, 12), NULL), strtod(db_value(ix, 0, 13), NULL));
    for (int i = 0; i + 12 <= PQntuples(ix); i += 12) {
        struct block b = {ix, i};
        print_block(&b, fc);
    }
    if (pk)
        print_peaks_table(pk);
}

/* One row per series and scope: the twelve indices, then the forecast. */
static void print_csv(const PGresult *ix, const PGresult *fc)
{
    static const char *const head[] = {"series", "scope", "quality", "method", "months_used",
                                       "history_start", "history_end", "jan", "feb", "mar",
                                       "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec", "peak_months", "low_months", "forecast_method",
                                       "coverage", "m1", "m1_point", "m1_lower", "m1_upper",
                                       "m2", "m2_point", "m2_lower", "m2_upper", "m3",
                                       "m3_point", "m3_lower", "m3_upper", "flags", "note"};
    size_t ncols = sizeof head / sizeof head[0];
    for (size_t k = 0; k < ncols; k++)
        cli_csv_field(head[k], k + 1 == ncols);
    /* series, scope, quality, method, months_used, history_start, history_end */
    static const int lead[] = {0, 1, 6, 7, 8, 9, 10};
    for (int i = 0; i + 12 <= PQntuples(ix); i += 12) {
        struct block b = {ix, i};
        for (size_t k = 0; k < sizeof lead / sizeof lead[0]; k++)
            cli_csv_field(db_value(ix, i, lead[k]), false);
        for (int m = 0; m < 12; m++)
            cli_csv_field(db_value(ix, i + m, 4)[0] == 't' ? db_value(ix, i + m, 3) : "", false);
        char peaks[96], lows[96];
        month_list(&b, "peak", peaks, sizeof peaks);
        month_list(&b, "low", lows, sizeof lows);
        cli_csv_field(strcmp(peaks, "none") ? peaks : "", false);
        cli_csv_field(strcmp(lows, "none") ? lows : "", false);
        int n, f = find_forecast(fc, db_value(ix, i, 0), db_value(ix, i, 1), &n);
        cli_csv_field(n ? db_value(fc, f, 8) : "", false);
        cli_csv_field(n ? db_value(fc, f, 7) : "", false);
        for (int h = 0; h < SEASONALITY_HORIZON; h++)
            for (int k = 0; k < 4; k++)
                cli_csv_field(h < n ? db_value(fc, f + h, 3 + k) : "", false);
        cli_csv_field(n ? db_value(fc, f, 14) : "", false);
        cli_csv_field(db_value(ix, i, 14), true);
    }
}

static json_t *json_num(const char *text)
{
    if (!text)
        return json_null();
    char *end;
    long long i = strtoll(text, &end, 10);
    if (!*end)
        return json_integer(i);
    return json_real(strtod(text, NULL));
}

static json_t *json_forecast(const PGresult *fc, int f, int n)
{
    if (n == 0)
        return json_null();
    json_t *o = json_object(), *months = json_array(), *flags = json_array();
    json_object_set_new(o, "method", json_string(db_value(fc, f, 8)));
    json_object_set_new(o, "coverage", json_num(db_value(fc, f, 7)));
    static const char *const names[] = {"alpha", "beta", "gamma", "sse", "drift"};
    for (int k = 0; k < 5; k++)
        json_object_set_new(o, names[k], json_num(db_value(fc, f, 9 + k)));
    char buf[96];
    snprintf(buf, sizeof buf, "%s", db_value(fc, f, 14));
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(flags, json_string(t));
    json_object_set_new(o, "flags", flags);
    for (int k = f; k < f + n; k++) {
        json_t *m = json_object();
        json_object_set_new(m, "month", json_string(db_value(fc, k, 3)));
        json_object_set_new(m, "point", json_num(db_value(fc, k, 4)));
        json_object_set_new(m, "lower", json_num(db_value(fc, k, 5)));
        json_object_set_new(m, "upper", json_num(db_value(fc, k, 6)));
        json_array_append_new(months, m);
    }
    json_object_set_new(o, "months", months);
    return o;
}

static json_t *json_peaks(const PGresult *pk)
{
    if (!pk || PQntuples(pk) == 0)
        return json_null();
    json_t *o = json_object(), *channels = json_object();
    json_object_set_new(o, "month", json_string(db_value(pk, 0, 5)));
    json_object_set_new(o, "time_zone", json_string(db_value(pk, 0, 6)));
    for (int i = 0; i < PQntuples(pk); i++) {
        const char *ch = db_value(pk, i, 0);
        json_t *list = json_object_get(channels, ch);
        if (!list) {
            list = json_array();
            json_object_set_new(channels, ch, list);
        }
        int wd = atoi(db_value(pk, i, 2)), h = atoi(db_value(pk, i, 3));
        char label[48];
        snprintf(label, sizeof label, "%s %02d:00-%02d:00", WEEKDAYS[wd >= 1 && wd <= 7 ? wd : 0],
                 h, (h + 1) % 24);
        json_t *c = json_object();
        json_object_set_new(c, "weekday", json_integer(wd));
        json_object_set_new(c, "hour", json_integer(h));
        json_object_set_new(c, "label", json_string(label));
        json_object_set_new(c, "generations", json_num(db_value(pk, i, 4)));
        json_array_append_new(list, c);
    }
    json_object_set_new(o, "channels", channels);
    return o;
}

static void print_json(const PGresult *ix, const PGresult *fc, const PGresult *pk)
{
    json_t *doc = json_object(), *list = json_array();
    json_object_set_new(doc, "run_id", PQntuples(ix) ? json_num(db_value(ix, 0, 15)) : json_null());
    json_object_set_new(doc, "time_zone", PQntuples(ix) ? json_string(db_value(ix, 0, 16)) : json_null());
    for (int i = 0; i + 12 <= PQntuples(ix); i += 12) {
        json_t *o = json_object(), *months = json_array(), *peak = json_array(), *low = json_array();
        json_object_set_new(o, "series", json_string(db_value(ix, i, 0)));
        json_object_set_new(o, "scope", json_string(db_value(ix, i, 1)));
        json_object_set_new(o, "quality", json_string(db_value(ix, i, 6)));
        json_object_set_new(o, "method", json_string(db_value(ix, i, 7)));
        json_object_set_new(o, "months_used", json_num(db_value(ix, i, 8)));
        json_object_set_new(o, "history_start", json_string(db_value(ix, i, 9)));
        json_object_set_new(o, "history_end", json_string(db_value(ix, i, 10)));
        json_object_set_new(o, "has_zeros", json_boolean(db_value(ix, i, 11)[0] == 't'));
        for (int m = 0; m < 12; m++) {
            json_t *x = json_object();
            const char *klass = db_value(ix, i + m, 5);
            json_object_set_new(x, "month", json_integer(m + 1));
            json_object_set_new(x, "index", json_num(db_value(ix, i + m, 3)));
            json_object_set_new(x, "estimated", json_boolean(db_value(ix, i + m, 4)[0] == 't'));
            json_object_set_new(x, "class", json_string(klass));
            json_array_append_new(months, x);
            if (!strcmp(klass, "peak"))
                json_array_append_new(peak, json_string(MONTHS[m]));
            else if (!strcmp(klass, "low"))
                json_array_append_new(low, json_string(MONTHS[m]));
        }
        json_object_set_new(o, "indices", months);
        json_object_set_new(o, "peak_months", peak);
        json_object_set_new(o, "low_months", low);
        int n, f = find_forecast(fc, db_value(ix, i, 0), db_value(ix, i, 1), &n);
        json_object_set_new(o, "forecast", json_forecast(fc, f, n));
        json_object_set_new(o, "note", db_value(ix, i, 14) ? json_string(db_value(ix, i, 14)) : json_null());
        json_array_append_new(list, o);
    }
    json_object_set_new(doc, "series", list);
    if (pk)
        json_object_set_new(doc, "peak_usage", json_peaks(pk));
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    putchar('\n');
    json_decref(doc);
}

struct season_args {
    const char *warehouse, *config, *series, *by, *as_of;
    bool show, stored, verbose;
    enum format format;
};

static int parse_args(int argc, char **argv, struct season_args *a)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'w'}, {"config", required_argument, NULL, 'c'},
        {"series", required_argument, NULL, 's'},    {"by", required_argument, NULL, 'b'},
        {"as-of", required_argument, NULL, 'a'},     {"show", no_argument, NULL, 'S'},
        {"stored", no_argument, NULL, 'R'},          {"format", required_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->series = "all";
    a->by = "all";
    optind = 1;
    opterr = 0;
    int c;
    long day;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': a->warehouse = optarg; break;
        case 'c': a->config = optarg; break;
        case 's':
            if (strcmp(optarg, "all") && !seasonality_series_known(optarg))
                return cli_usage_error("seasonality ",
                                       "--series must be events, generations, revenue, claims "
                                       "or all, not \"%s\"",
                                       optarg);
            a->series = optarg;
            break;
        case 'b':
            if (strcmp(optarg, "event_type") && strcmp(optarg, "brand") && strcmp(optarg, "platform"))
                return cli_usage_error("seasonality ",
                                       "--by must be event_type, brand or platform, not \"%s\"",
                                       optarg);
            a->by = optarg;
            break;
        case 'a':
            if (period_date_parse(optarg, &day))
                return cli_usage_error("seasonality ", "--as-of must be a date YYYY-MM-DD, not \"%s\"",
                                       optarg);
            a->as_of = optarg;
            break;
        case 'S': a->show = true; break;
        case 'R': a->stored = true; break;
        case 'v': a->verbose = true; break;
        case 'f':
            a->format = !strcmp(optarg, "table") ? FMT_TABLE
                        : !strcmp(optarg, "csv") ? FMT_CSV
                        : !strcmp(optarg, "json") ? FMT_JSON
                                                  : FMT_NONE;
            if (a->format == FMT_NONE)
                return cli_usage_error("seasonality ", "--format must be table, csv or json, not \"%s\"",
                                       optarg);
            break;
        case 'h': return cli_print_help(cli_find("seasonality")) ? ALMANAC_EX_CANTCREAT : -1;
        case ':': return cli_usage_error("seasonality ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("seasonality ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("seasonality ", "unexpected argument \"%s\"", argv[optind]);
    /* Scopes that do not exist for a series are a mistake worth saying
     * before connecting, not an empty table. */
    bool claims = !strcmp(a->series, "claims"), all = !strcmp(a->series, "all");
    if (!strcmp(a->by, "brand") && !claims && !all)
        return cli_usage_error("seasonality ", "--by brand goes with --series claims: only "
                                               "loyalty claims have brands");
    if (!strcmp(a->by, "event_type") &&
        (claims || !strcmp(a->series, "revenue")))
        return cli_usage_error("seasonality ", "--by event_type goes with --series events or "
                                               "generations; %s has no event types",
                               a->series);
    if (a->stored && a->as_of)
        return cli_usage_error("seasonality ", "--as-of applies when computing, not with --stored");
    if ((a->show || a->stored) && a->format == FMT_NONE)
        a->format = FMT_TABLE;
    return 0;
}

static int show(PGconn *wh, const struct season_args *a, struct almanac_error *err)
{
    const char *params[2] = {a->series, a->by};
    PGresult *ix = NULL, *fc = NULL, *pk = NULL;
    int rc = -1;
    ix = db_query(wh, sqlfile_text("seasonality/show_index.sql"), 2, params, err);
    if (!ix)
        goto done;
    if (PQntuples(ix) == 0) {
        error_set(err, ALMANAC_EX_DATAERR, "no seasonality stored for series %s%s%s", a->series,
                  strcmp(a->by, "all") ? " by " : "", strcmp(a->by, "all") ? a->by : "");
        error_hint(err, "compute it: almanac seasonality --series %s", a->series);
        goto done;
    }
    fc = db_query(wh, sqlfile_text("seasonality/show_forecast.sql"), 2, params, err);
    if (!fc)
        goto done;
    /* The heat map belongs to generations: shown with that series. */
    if (!strcmp(a->series, "generations") || !strcmp(a->series, "all")) {
        char top[8];
        snprintf(top, sizeof top, "%d", PEAK_CELLS);
        const char *p[1] = {top};
        pk = db_query(wh, sqlfile_text("seasonality/peak_cells.sql"), 1, p, err);
        if (!pk)
            goto done;
    }
    if (a->format == FMT_TABLE)
        print_table(ix, fc, pk);
    else if (a->format == FMT_CSV)
        print_csv(ix, fc);
    else
        print_json(ix, fc, pk);
    rc = 0;
done:
    PQclear(ix);
    PQclear(fc);
    PQclear(pk);
    return rc;
}

int cmd_seasonality(int argc, char **argv)
{
    struct season_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct almanac_error err;
    error_clear(&err);
    struct almanac_config *cfg = malloc(sizeof *cfg);
    if (!cfg)
        return ALMANAC_EX_SOFTWARE;
    PGconn *wh = NULL;
    if (cli_load_config(a.config, cfg, &err))
        goto fail;
    const char *warehouse = cli_warehouse(a.warehouse, cfg, &err);
    if (!warehouse) {
        goto fail;
    }
    wh = cli_connect_warehouse(warehouse, "almanac seasonality", &err);
    if (!wh)
        goto fail;
    if (!a.stored) {
        struct seasonality_result r;
        if (seasonality_compute(wh, cfg, strcmp(a.series, "all") ? a.series : NULL, a.as_of, &r,
                                &err))
            goto fail;
        if (a.verbose || (a.format == FMT_NONE && isatty(STDOUT_FILENO)))
            printf("seasonality as of %s (months to %.7s): %d series, %d scopes, %d forecasts; "
                   "%d short histories, %d without forecast; %.1f s (run %lld, time zone %s)\n",
                   r.as_of, r.last_month, r.series, r.scopes, r.forecasts, r.short_history,
                   r.no_forecast, r.seconds, r.run_id, cfg->time_zone);
    }
    if (a.format != FMT_NONE && show(wh, &a, &err))
        goto fail;
    PQfinish(wh);
    free(cfg);
    return 0;
fail:
    PQfinish(wh);
    free(cfg);
    return cli_report(&err);
}
