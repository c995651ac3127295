/* cmd_kpi.c: `almanac kpi`: compute a period's KPIs, print them. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/db.h"
#include "core/sqlfile.h"
#include "kpi/engine.h"
#include "kpi/period.h"

enum format { FMT_NONE, FMT_TABLE, FMT_CSV, FMT_JSON };

/* 1234567.891 -> "1,234,567.89" with `decimals` digits. */
static void group_thousands(char *out, size_t size, double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof(raw), "%.*f", decimals, fabs(v));
    const char *dot = strchr(raw, '.');
    size_t intlen = dot ? (size_t)(dot - raw) : strlen(raw);
    char buf[96];
    size_t n = 0;
    if (v < 0 && strspn(raw, "0.") != strlen(raw))
        buf[n++] = '-';
    for (size_t i = 0; i < intlen; i++) {
        if (i && (intlen - i) % 3 == 0)
            buf[n++] = ',';
        buf[n++] = raw[i];
    }
    snprintf(buf + n, sizeof(buf) - n, "%s", dot ? dot : "");
    snprintf(out, size, "%s", buf);
}

/* A stored value as a person reads it, by unit; NULL is "n/a". */
static void format_value(char *out, size_t size, const char *text, const char *unit)
{
    if (!text) {
        snprintf(out, size, "n/a");
        return;
    }
    double v = strtod(text, NULL);
    bool whole = fabs(v - round(v)) < 1e-9;
    if (!strcmp(unit, "pct"))
        snprintf(out, size, "%.1f %%", v);
    else if (!strcmp(unit, "usd"))
        group_thousands(out, size, v, 2);
    else if (!strcmp(unit, "seconds"))
        snprintf(out, size, "%.2f s", v);
    else if (!strcmp(unit, "status"))
        snprintf(out, size, "%s", v == 0 ? "green" : v == 1 ? "amber" : "red");
    else if (!strcmp(unit, "date") && whole && v > 19000101)
        snprintf(out, size, "%.4s-%.2s-%.2s", text, text + 4, text + 6);
    else
        group_thousands(out, size, v, whole ? 0 : 1);
}

static void format_change(char *out, size_t size, const char *delta, const char *delta_pct,
                          const char *unit)
{
    if (!strcmp(unit, "pct")) {
        if (delta)
            snprintf(out, size, "%+.1f pp", strtod(delta, NULL));
        else
            snprintf(out, size, "n/a");
    } else if (!strcmp(unit, "status") || !strcmp(unit, "date") || !strcmp(unit, "rank")) {
        snprintf(out, size, "%s", "");
    } else if (delta_pct)
        snprintf(out, size, "%+.1f %%", strtod(delta_pct, NULL));
    else
        snprintf(out, size, "n/a");
}

static void print_table(const PGresult *res, const struct kpi_period *p, bool colour)
{
    int n = PQntuples(res);
    if (n == 0) {
        printf("no KPIs stored for this scope in %s\n", p->label);
        return;
    }
    printf("KPIs %s (%s, %s to %s, time zone %s)\n", p->label, p->grain, db_value(res, 0, 10),
           db_value(res, 0, 11), db_value(res, 0, 12));
    const char *scope = "";
    for (int i = 0; i < n; i++) {
        const char *code = db_value(res, i, 0), *sc = db_value(res, i, 1), *bd = db_value(res, i, 2);
        const char *unit = db_value(res, i, 7), *band = db_value(res, i, 8), *flag = db_value(res, i, 9);
        if (strcmp(scope, sc)) {
            scope = sc;
            printf("\n%-44s %14s %14s %10s  %s\n", sc, "value", "previous", "change", "band");
        }
        char name[96], value[48], prev[48], change[32];
        snprintf(name, sizeof(name), "%s%s%s", code, bd[0] ? " " : "", bd);
        format_value(value, sizeof(value), db_value(res, i, 3), unit);
        format_value(prev, sizeof(prev), db_value(res, i, 4), unit);
        format_change(change, sizeof(change), db_value(res, i, 5), db_value(res, i, 6), unit);
        const char *on = "", *off = "";
        if (colour && band) {
            on = !strcmp(band, "good") ? "\033[32m" : !strcmp(band, "watch") ? "\033[33m" : "\033[31m";
            off = "\033[0m";
        }
        printf("  %-42s %14s %14s %10s  %s%s%s%s%s\n", name, value, prev, change, on,
               band ? band : "", off, flag ? (band ? "  " : "") : "", flag ? flag : "");
    }
}

static void print_csv(const PGresult *res, const struct kpi_period *p)
{
    static const char *const head[] = {"code", "grain", "period_start", "period_end", "scope",
                                       "breakdown", "value", "prev_value", "delta", "delta_pct",
                                       "unit", "band", "flag", "time_zone"};
    for (int k = 0; k < 14; k++)
        cli_csv_field(head[k], k == 13);
    for (int i = 0; i < PQntuples(res); i++) {
        const char *row[14] = {db_value(res, i, 0), p->grain,       db_value(res, i, 10), db_value(res, i, 11),
                               db_value(res, i, 1), db_value(res, i, 2), db_value(res, i, 3),  db_value(res, i, 4),
                               db_value(res, i, 5), db_value(res, i, 6), db_value(res, i, 7),  db_value(res, i, 8),
                               db_value(res, i, 9), db_value(res, i, 12)};
        for (int k = 0; k < 14; k++)
            cli_csv_field(row[k], k == 13);
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

static void print_json(const PGresult *res, const struct kpi_period *p)
{
    json_t *doc = json_object(), *rows = json_array();
    json_object_set_new(doc, "period", json_string(p->label));
    json_object_set_new(doc, "grain", json_string(p->grain));
    char d[11];
    period_date_format(p->start, d);
    json_object_set_new(doc, "period_start", json_string(d));
    period_date_format(p->end, d);
    json_object_set_new(doc, "period_end", json_string(d));
    json_object_set_new(doc, "time_zone", PQntuples(res) ? json_string(db_value(res, 0, 12)) : json_null());
    json_object_set_new(doc, "run_id", PQntuples(res) ? json_num(db_value(res, 0, 13)) : json_null());
    for (int i = 0; i < PQntuples(res); i++) {
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(db_value(res, i, 0)));
        json_object_set_new(o, "scope", json_string(db_value(res, i, 1)));
        json_object_set_new(o, "breakdown", json_string(db_value(res, i, 2)));
        json_object_set_new(o, "value", json_num(db_value(res, i, 3)));
        json_object_set_new(o, "prev_value", json_num(db_value(res, i, 4)));
        json_object_set_new(o, "delta", json_num(db_value(res, i, 5)));
        json_object_set_new(o, "delta_pct", json_num(db_value(res, i, 6)));
        json_object_set_new(o, "unit", json_string(db_value(res, i, 7)));
        json_object_set_new(o, "band", db_value(res, i, 8) ? json_string(db_value(res, i, 8)) : json_null());
        json_object_set_new(o, "flag", db_value(res, i, 9) ? json_string(db_value(res, i, 9)) : json_null());
        json_array_append_new(rows, o);
    }
    json_object_set_new(doc, "rows", rows);
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    putchar('\n');
    json_decref(doc);
}

struct kpi_args {
    const char *warehouse, *config, *period, *window, *as_of, *scope;
    bool show, stored, breakdowns, verbose, if_stale;
    enum format format;
};

static int parse_args(int argc, char **argv, struct kpi_args *a)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'w'}, {"config", required_argument, NULL, 'c'},
        {"period", required_argument, NULL, 'p'},    {"window", required_argument, NULL, 'W'},
        {"as-of", required_argument, NULL, 'a'},     {"scope", required_argument, NULL, 's'},
        {"show", no_argument, NULL, 'S'},            {"stored", no_argument, NULL, 'R'},
        {"breakdowns", no_argument, NULL, 'b'},      {"format", required_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'},         {"help", no_argument, NULL, 'h'},
        {"if-stale", no_argument, NULL, 'I'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    a->scope = "platform";
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': a->warehouse = optarg; break;
        case 'c': a->config = optarg; break;
        case 'p': a->period = optarg; break;
        case 'W': a->window = optarg; break;
        case 'a': a->as_of = optarg; break;
        case 's': a->scope = optarg; break;
        case 'S': a->show = true; break;
        case 'R': a->stored = true; break;
        case 'b': a->breakdowns = true; break;
        case 'v': a->verbose = true; break;
        case 'I': a->if_stale = true; break;
        case 'f':
            a->format = !strcmp(optarg, "table") ? FMT_TABLE
                        : !strcmp(optarg, "csv") ? FMT_CSV
                        : !strcmp(optarg, "json") ? FMT_JSON
                                                  : FMT_NONE;
            if (a->format == FMT_NONE)
                return cli_usage_error("kpi ", "--format must be table, csv or json, not \"%s\"", optarg);
            break;
        case 'h': return cli_print_help(cli_find("kpi")) ? ALMANAC_EX_CANTCREAT : -1;
        case ':': return cli_usage_error("kpi ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("kpi ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("kpi ", "unexpected argument \"%s\"", argv[optind]);
    if (!a->period == !a->window)
        return cli_usage_error("kpi ", a->period ? "give --period or --window, not both"
                                                 : "which period? give --period or --window");
    if (a->as_of && !a->window)
        return cli_usage_error("kpi ", "--as-of goes with --window");
    if (a->show && a->format == FMT_NONE)
        a->format = FMT_TABLE;
    if (a->stored && a->format == FMT_NONE)
        a->format = FMT_TABLE;
    return 0;
}

int cmd_kpi(int argc, char **argv)
{
    struct kpi_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct almanac_error err;
    error_clear(&err);
    struct kpi_period p;
    /* Every option is checked before connecting; a window without --as-of
     * is checked with a stand-in date, its real end comes from the server's
     * clock in the business time zone. */
    if (a.period && period_parse(a.period, &p, &err))
        return cli_report(&err);
    if (a.window && period_window(a.window, a.as_of ? a.as_of : "2000-01-01", &p, &err))
        return cli_report(&err);
    struct almanac_config *cfg = malloc(sizeof *cfg);
    if (!cfg)
        return ALMANAC_EX_SOFTWARE;
    PGconn *wh = NULL;
    PGresult *res = NULL;
    if (cli_load_config(a.config, cfg, &err))
        goto fail;
    const char *warehouse = cli_warehouse(a.warehouse, cfg, &err);
    if (!warehouse) {
        goto fail;
    }
    wh = cli_connect_warehouse(warehouse, "almanac kpi", &err);
    if (!wh)
        goto fail;
    if (a.window) {
        char as_of[16];
        if (!a.as_of) {
            const char *tz[1] = {cfg->time_zone};
            res = db_query(wh, sqlfile_text("kpi/queries/yesterday.sql"), 1, tz, &err);
            if (!res) {
                error_hint(&err, "is time_zone \"%s\" a valid IANA name?", cfg->time_zone);
                err.code = ALMANAC_EX_CONFIG;
                goto fail;
            }
            snprintf(as_of, sizeof(as_of), "%s", PQgetvalue(res, 0, 0));
            PQclear(res);
            res = NULL;
        } else
            snprintf(as_of, sizeof(as_of), "%s", a.as_of);
        if (period_window(a.window, as_of, &p, &err))
            goto fail;
    }
    long long current = 0;
    if (!a.stored && a.if_stale && kpi_current(wh, cfg, &p, &current, &err))
        goto fail;
    if (current && (a.verbose || (a.format == FMT_NONE && isatty(STDOUT_FILENO))))
        printf("kpi %s: up to date (run %lld): no data loaded and no setting changed since\n", p.label, current);
    if (!a.stored && !current) {
        struct kpi_result r;
        if (kpi_compute(wh, cfg, &p, &r, &err))
            goto fail;
        if (a.verbose || (a.format == FMT_NONE && isatty(STDOUT_FILENO)))
            printf("kpi %s: %lld results%s in %.1f s (run %lld, time zone %s)%s\n", p.label, r.rows,
                   r.segments ? " and partner segments" : "", r.seconds, r.run_id, cfg->time_zone,
                   r.has_previous ? "" : "; no previous period to compare with");
        if (a.verbose)
            for (int i = 0; i < r.nsteps; i++)
                fprintf(stderr, "  %-32s %7.3f s\n", r.steps[i].name, r.steps[i].seconds);
    }
    if (a.format != FMT_NONE) {
        char start[11];
        period_date_format(p.start, start);
        const char *params[4] = {p.grain, start, a.scope, a.breakdowns || a.format != FMT_TABLE ? "true" : "false"};
        if (a.format != FMT_TABLE && !strcmp(a.scope, "platform") && !a.breakdowns)
            params[2] = "all";
        res = db_query(wh, sqlfile_text("kpi/queries/show.sql"), 4, params, &err);
        if (!res)
            goto fail;
        if (a.stored && PQntuples(res) == 0) {
            error_set(&err, ALMANAC_EX_DATAERR, "no KPIs stored for %s (%s) in scope %s", p.label, p.grain,
                      a.scope);
            error_hint(&err, "compute them: almanac kpi --period %s", a.period ? a.period : p.label);
            goto fail;
        }
        if (a.format == FMT_TABLE)
            print_table(res, &p, isatty(STDOUT_FILENO));
        else if (a.format == FMT_CSV)
            print_csv(res, &p);
        else
            print_json(res, &p);
        PQclear(res);
    }
    PQfinish(wh);
    free(cfg);
    return 0;
fail:
    PQclear(res);
    PQfinish(wh);
    free(cfg);
    return cli_report(&err);
}
