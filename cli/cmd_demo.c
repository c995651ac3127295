/* cmd_demo.c: `almanac demo` and `almanac server`. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "kpi/engine.h"
#include "kpi/period.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/fsutil.h"
#include "core/pgserver.h"
#include "demo/generate.h"
#include "etl/run.h"

#define SOURCE_DB "almanac_source"
#define WAREHOUSE_DB "almanac_warehouse"

static const char *default_dir(void)
{
    const char *d = cli_env_or(NULL, "ALMANAC_DEMO_DIR");
    return d ? d : "almanac-demo";
}

/* Accepts a real calendar date YYYY-MM-DD. */
static int parse_date(const char *s, char out[11])
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return 0;
}

static void today_utc(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static void group_digits(long long v, char *buf, size_t size)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%lld", v);
    size_t len = strlen(raw), o = 0;
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        buf[o++] = raw[i];
        size_t rest = len - i - 1;
        if (rest > 0 && rest % 3 == 0 && raw[i] != '-')
            buf[o++] = ',';
    }
    buf[o] = '\0';
}

/* Drops and recreates a database (data made with other parameters). */
static int recreate_database(struct pgserver *srv, const char *name, struct almanac_error *err)
{
    char ci[PATH_MAX + 128];
    PGconn *conn = db_connect(pgserver_conninfo(srv, "postgres", ci, sizeof ci), "almanac", err);
    if (!conn)
        return -1;
    char *q = db_quote_ident(conn, name);
    int rc = -1;
    if (q) {
        char sql[256];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", q);
        rc = db_exec(conn, sql, "dropping the old demo database", err);
        free(q);
    }
    PQfinish(conn);
    if (rc != 0)
        return -1;
    return pgserver_ensure_database(srv, name, err);
}

struct demo_opts {
    const char *dir;
    struct demo_params params;
    int fresh;
    int keep_running;
    int data_only;
    int quiet;
};

/* The demo runs the scheduled jobs, the way cron would, for the periods
 * that end with history (the month before --as-of): the monthly job (whose
 * ETL step does the first load), the quarterly, the weekly and the daily
 * one. No code path of its own: `almanac run JOB --period P`. */
static int demo_jobs(const struct demo_opts *o, const char *source, const char *warehouse,
                     const char *outdir, struct almanac_error *err)
{
    long as_of;
    if (period_date_parse(o->params.as_of, &as_of) != 0)
        return error_set(err, ALMANAC_EX_SOFTWARE, "bad as-of date %s", o->params.as_of);
    struct kpi_period this_month, month, quarter, week, day;
    if (period_containing("month", as_of, &this_month, err) != 0)
        return -1;
    long last_day = this_month.start - 1; /* history ends the day before */
    period_previous(&this_month, &month);
    if (period_containing("quarter", last_day, &quarter, err) != 0 ||
        period_containing("week", last_day, &week, err) != 0 || period_containing("day", last_day, &day, err) != 0)
        return -1;
    if (quarter.end > this_month.start)
        period_previous(&quarter, &quarter);
    if (week.end > this_month.start)
        period_previous(&week, &week);
    const struct {
        const char *job;
        const struct kpi_period *p;
    } runs[] = {{"monthly", &month}, {"quarterly", &quarter}, {"weekly", &week}, {"daily", &day}};
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
        if (!o->quiet) {
            printf("almanac demo: run %s --period %s\n", runs[i].job, runs[i].p->label);
            fflush(stdout);
        }
        char *argv[] = {"run",         (char *)runs[i].job, "--period", (char *)runs[i].p->label,
                        "--source",    (char *)source,      "--warehouse", (char *)warehouse,
                        "--out",       (char *)outdir,      NULL};
        int rc = cmd_run(10, argv);
        if (rc != 0)
            return error_set(err, rc, "job %s for %s failed (exit %d); see the messages above", runs[i].job,
                             runs[i].p->label, rc);
    }
    return 0;
}

static int parse_demo_args(int argc, char **argv, struct demo_opts *o)
{
    static const struct option longopts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"scale", required_argument, NULL, 's'},
        {"seed", required_argument, NULL, 'S'},
        {"as-of", required_argument, NULL, 'a'},
        {"fresh", no_argument, NULL, 'f'},
        {"keep-running", no_argument, NULL, 'k'},
        {"data-only", no_argument, NULL, 'D'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    o->dir = default_dir();
    snprintf(o->params.scale, sizeof o->params.scale, "1");
    o->params.seed = 42;
    today_utc(o->params.as_of);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'd':
            o->dir = optarg;
            break;
        case 's': {
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || *end || end == optarg || !(v > 0) || v > 100)
                return cli_usage_error("demo ", "--scale must be a number above 0 and at most 100, not \"%s\"",
                                       optarg);
            snprintf(o->params.scale, sizeof o->params.scale, "%s", optarg);
            break;
        }
        case 'S':
            errno = 0;
            o->params.seed = strtoll(optarg, &end, 10);
            if (errno || *end || end == optarg || o->params.seed < 0)
                return cli_usage_error("demo ", "--seed must be a non-negative integer, not \"%s\"",
                                       optarg);
            break;
        case 'a':
            if (parse_date(optarg, o->params.as_of) != 0)
                return cli_usage_error("demo ", "--as-of must be a date YYYY-MM-DD, not \"%s\"",
                                       optarg);
            break;
        case 'f':
            o->fresh = 1;
            break;
        case 'k':
            o->keep_running = 1;
            break;
        case 'D':
            o->data_only = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            return -2;
        case ':':
            return cli_usage_error("demo ", "option %s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("demo ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("demo ", "unexpected argument \"%s\"", argv[optind]);
    return 0;
}

int cmd_demo(int argc, char **argv)
{
    struct demo_opts o = {0};
    int prc = parse_demo_args(argc, argv, &o);
    if (prc == -2)
        return cli_print_help(cli_find("demo"));
    if (prc)
        return prc;

    struct almanac_error err;
    error_clear(&err);
    struct pgserver_config cfg = {.dir = o.dir};
    struct pgserver *srv = pgserver_new(&cfg, &err);
    PGconn *src = NULL;
    int rc = 0;
    if (!srv)
        return cli_report(&err);

    if (o.fresh) {
        if (!o.quiet)
            printf("almanac demo: --fresh: removing the server and data in %s\n", o.dir);
        if (pgserver_remove(srv, &err) != 0)
            goto fail;
    }
    double t0 = clock_seconds();
    if (pgserver_start(srv, &err) != 0)
        goto fail;
    if (!o.quiet)
        printf("almanac demo: private PostgreSQL on socket %s port %d: %s\n",
               pgserver_socket_dir(srv), pgserver_port(srv),
               pgserver_was_running(srv) ? "already running, reused" : "started");
    if (pgserver_ensure_database(srv, SOURCE_DB, &err) != 0 ||
        pgserver_ensure_database(srv, WAREHOUSE_DB, &err) != 0)
        goto fail;

    char ci[PATH_MAX + 128];
    src = db_connect(pgserver_conninfo(srv, SOURCE_DB, ci, sizeof ci), "almanac demo", &err);
    if (!src)
        goto fail;
    enum demo_state state;
    if (demo_end_stale_sessions(src, &err) != 0 || demo_check(src, &o.params, &state, &err) != 0)
        goto fail;
    if (state == DEMO_DIFFERENT) {
        if (!o.quiet)
            printf("almanac demo: existing demo data was made with other parameters; regenerating\n");
        PQfinish(src);
        src = NULL;
        if (recreate_database(srv, SOURCE_DB, &err) != 0 ||
            recreate_database(srv, WAREHOUSE_DB, &err) != 0)
            goto fail;
        src = db_connect(ci, "almanac demo", &err);
        if (!src)
            goto fail;
        state = DEMO_EMPTY;
    }
    if (state == DEMO_EMPTY) {
        if (!o.quiet) {
            printf("almanac demo: generating demo data (scale %s, seed %lld, as of %s)...\n",
                   o.params.scale, o.params.seed, o.params.as_of);
            fflush(stdout);
        }
        double g0 = clock_seconds();
        if (demo_generate(src, &o.params, &err) != 0)
            goto fail;
        if (!o.quiet)
            printf("almanac demo: generated in %.1f s\n", clock_seconds() - g0);
    } else if (!o.quiet) {
        printf("almanac demo: reusing demo data (scale %s, seed %lld, as of %s)\n",
               o.params.scale, o.params.seed, o.params.as_of);
    }

    char truth[PATH_MAX];
    snprintf(truth, sizeof truth, "%s/truth.json", o.dir);
    long long rows = 0;
    if (demo_write_truth(src, truth, &rows, &err) != 0)
        goto fail;
    PQfinish(src);
    src = NULL;

    /* The pipeline: the scheduled jobs; benchmarks want only the data and
     * load it themselves. */
    char src_ci[PATH_MAX + 128], wh_ci[PATH_MAX + 128];
    char outdir[PATH_MAX];
    snprintf(outdir, sizeof outdir, "%s/out", o.dir);
    if (fsutil_mkdirs(outdir, 0755) != 0) {
        error_set(&err, ALMANAC_EX_CANTCREAT, "cannot create %s: %s", outdir, strerror(errno));
        goto fail;
    }
    if (!o.data_only &&
        demo_jobs(&o, pgserver_conninfo(srv, SOURCE_DB, src_ci, sizeof src_ci),
                  pgserver_conninfo(srv, WAREHOUSE_DB, wh_ci, sizeof wh_ci), outdir, &err) != 0)
        goto fail;

    char nrows[40];
    group_digits(rows, nrows, sizeof nrows);
    printf("almanac demo: done in %.1f s\n", clock_seconds() - t0);
    printf("  source rows      %s (per table in the truth file)\n", nrows);
    printf("  planted truth    %s\n", truth);
    if (o.data_only) {
        printf("  warehouse        not loaded (--data-only): almanac etl loads it\n");
    } else {
        printf("  warehouse        loaded by almanac etl (schemas dw, etl; docs/warehouse.md)\n");
        printf("  KPIs             kpi.results, kpi.partner_segments, kpi.alerts (docs/kpis.md)\n");
        printf("  reports          %s/<period>/  with a manifest per job (docs/jobs.md)\n", outdir);
    }
    if (o.keep_running) {
        printf("  source db        psql \"%s\"\n",
               pgserver_conninfo(srv, SOURCE_DB, ci, sizeof ci));
        printf("  warehouse db     psql \"%s\"\n",
               pgserver_conninfo(srv, WAREHOUSE_DB, ci, sizeof ci));
        printf("  the server keeps running: stop it with  almanac server stop --dir %s\n", o.dir);
    } else if (pgserver_stop(srv, &err) != 0) {
        goto fail;
    }
    pgserver_free(srv);
    return 0;

fail:
    rc = cli_report(&err);
    PQfinish(src);
    if (!o.keep_running) {
        struct almanac_error stop_err;
        error_clear(&stop_err);
        if (pgserver_stop(srv, &stop_err) != 0)
            cli_report(&stop_err);
    }
    pgserver_free(srv);
    return rc;
}

int cmd_server(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = default_dir();
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'h':
            return cli_print_help(cli_find("server"));
        case ':':
            return cli_usage_error("server ", "option %s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("server ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("server ", "say one of start, stop, status, remove");
    const char *action = argv[optind];

    struct almanac_error err;
    error_clear(&err);
    struct pgserver_config cfg = {.dir = dir};
    struct pgserver *srv = NULL;
    int rc = 0;
    if (strcmp(action, "start") && strcmp(action, "stop") && strcmp(action, "status") &&
        strcmp(action, "remove"))
        return cli_usage_error("server ", "unknown action \"%s\"; say start, stop, status or remove",
                               action);
    srv = pgserver_new(&cfg, &err);
    if (!srv)
        return cli_report(&err);
    char ci[PATH_MAX + 128];
    if (strcmp(action, "start") == 0) {
        if (pgserver_start(srv, &err) != 0 || pgserver_ensure_database(srv, SOURCE_DB, &err) != 0 ||
            pgserver_ensure_database(srv, WAREHOUSE_DB, &err) != 0)
            goto fail;
        printf("source:    %s\n", pgserver_conninfo(srv, SOURCE_DB, ci, sizeof ci));
        printf("warehouse: %s\n", pgserver_conninfo(srv, WAREHOUSE_DB, ci, sizeof ci));
    } else if (strcmp(action, "stop") == 0) {
        if (pgserver_stop(srv, &err) != 0)
            goto fail;
    } else if (strcmp(action, "remove") == 0) {
        if (pgserver_remove(srv, &err) != 0)
            goto fail;
    } else {
        pgserver_conninfo(srv, "postgres", ci, sizeof ci);
        int up = PQping(ci) == PQPING_OK;
        printf("private PostgreSQL in %s: %s\n", pgserver_socket_dir(srv),
               up ? "running" : "not running");
        rc = up ? 0 : ALMANAC_EX_UNAVAILABLE;
    }
    pgserver_free(srv);
    return rc;
fail:
    rc = cli_report(&err);
    pgserver_free(srv);
    return rc;
}
