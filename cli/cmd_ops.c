/* cmd_ops.c: `almanac status` (jobs and data freshness) and `almanac
 * config --print` (the effective configuration, passwords masked). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/db.h"
#include "core/sqlfile.h"

static json_t *jtext(const char *s)
{
    return s ? json_string(s) : json_null();
}

int cmd_status(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'w'}, {"config", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},            {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL, *config = NULL;
    bool json = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': warehouse = optarg; break;
        case 'c': config = optarg; break;
        case 'j': json = true; break;
        case 'h': return cli_print_help(cli_find("status"));
        case ':': return cli_usage_error("status ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("status ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("status ", "unexpected argument \"%s\"", argv[optind]);
    struct almanac_error err;
    error_clear(&err);
    struct almanac_config cfg;
    if (cli_load_config(config, &cfg, &err))
        return cli_report(&err);
    warehouse = cli_warehouse(warehouse, &cfg, &err);
    if (!warehouse) {
        return cli_report(&err);
    }
    PGconn *wh = db_connect(warehouse, "almanac status", &err);
    if (!wh)
        return cli_report(&err);
    PGresult *fresh = db_query(wh, sqlfile_text("runner/freshness.sql"), 0, NULL, &err);
    /* No ops schema yet simply means no job has run. */
    PGresult *jobs = fresh ? PQexec(wh, "SELECT to_regclass('ops.job_runs') IS NOT NULL") : NULL;
    bool have_jobs = jobs && PQresultStatus(jobs) == PGRES_TUPLES_OK && db_value(jobs, 0, 0)[0] == 't';
    PQclear(jobs);
    jobs = have_jobs ? db_query(wh, sqlfile_text("runner/status.sql"), 0, NULL, &err) : NULL;
    if (!fresh || (have_jobs && !jobs)) {
        PQclear(fresh);
        PQfinish(wh);
        return cli_report(&err);
    }
    char desc[256];
    db_describe(warehouse, desc, sizeof(desc));
    if (json) {
        json_t *doc = json_object(), *arr = json_array();
        json_object_set_new(doc, "warehouse", json_string(desc));
        json_t *f = json_object();
        if (PQntuples(fresh) == 1) {
            json_object_set_new(f, "etl_run_id", json_integer(atoll(db_value(fresh, 0, 0))));
            json_object_set_new(f, "finished_at", jtext(db_value(fresh, 0, 1)));
            json_object_set_new(f, "watermark", jtext(db_value(fresh, 0, 2)));
            json_object_set_new(f, "age_seconds", db_value(fresh, 0, 3) ? json_integer(atoll(db_value(fresh, 0, 3)))
                                                                    : json_null());
        }
        json_object_set_new(doc, "freshness", f);
        for (int i = 0; jobs && i < PQntuples(jobs); i++)
            json_array_append_new(
                arr, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "job", db_value(jobs, i, 0), "last_period",
                               jtext(db_value(jobs, i, 1)), "last_started", jtext(db_value(jobs, i, 2)), "last_status",
                               jtext(db_value(jobs, i, 3)), "last_exit_code",
                               db_value(jobs, i, 4) ? json_integer(atoi(db_value(jobs, i, 4))) : json_null(),
                               "last_success_period", jtext(db_value(jobs, i, 5)), "last_success_finished",
                               jtext(db_value(jobs, i, 6))));
        json_object_set_new(doc, "jobs", arr);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
        json_decref(doc);
    } else {
        printf("warehouse: %s\n", desc);
        if (PQntuples(fresh) == 1 && db_value(fresh, 0, 3)) {
            long long age = atoll(db_value(fresh, 0, 3));
            printf("data:      through %s (ETL run %s, %lld h %02lld min ago)\n", db_value(fresh, 0, 2),
                   db_value(fresh, 0, 0), age / 3600, (age % 3600) / 60);
        } else
            printf("data:      no successful ETL run yet\n");
        if (!jobs || PQntuples(jobs) == 0)
            printf("jobs:      none has run yet (almanac run daily|weekly|monthly|quarterly)\n");
        else {
            printf("\n%-10s %-12s %-8s %-5s %-22s %s\n", "job", "last period", "outcome", "exit", "started",
                   "last success");
            for (int i = 0; i < PQntuples(jobs); i++)
                printf("%-10s %-12s %-8s %-5s %-22.19s %s\n", db_value(jobs, i, 0), db_value(jobs, i, 1),
                       db_value(jobs, i, 3), db_value(jobs, i, 4) ? db_value(jobs, i, 4) : "", db_value(jobs, i, 2),
                       db_value(jobs, i, 5) ? db_value(jobs, i, 5) : "never");
        }
    }
    PQclear(fresh);
    PQclear(jobs);
    PQfinish(wh);
    return 0;
}

static json_t *jnum(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

int cmd_config(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"print", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *config = NULL;
    bool print = false;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'p': print = true; break;
        case 'h': return cli_print_help(cli_find("config"));
        case ':': return cli_usage_error("config ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("config ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("config ", "unexpected argument \"%s\"", argv[optind]);
    struct almanac_error err;
    error_clear(&err);
    struct almanac_config cfg;
    if (cli_load_config(config, &cfg, &err))
        return cli_report(&err);
    if (!print) {
        printf("configuration OK: %s\n", cfg.path[0] ? cfg.path : "(defaults only)");
        return 0;
    }
    /* Connection strings are shown the way logs show them: never the
     * password. The variables win over the file, as they do when running. */
    const char *src = cli_env_or(NULL, "ALMANAC_SOURCE"), *wh = cli_env_or(NULL, "ALMANAC_WAREHOUSE");
    char sdesc[256] = "", wdesc[256] = "";
    if (src || cfg.source[0])
        db_describe(src ? src : cfg.source, sdesc, sizeof(sdesc));
    if (wh || cfg.warehouse[0])
        db_describe(wh ? wh : cfg.warehouse, wdesc, sizeof(wdesc));
    json_t *doc = json_object();
    json_object_set_new(doc, "file", cfg.path[0] ? json_string(cfg.path) : json_null());
    json_object_set_new(doc, "time_zone", json_string(cfg.time_zone));
    json_object_set_new(doc, "locale", json_string(cfg.locale));
    json_object_set_new(doc, "currency", json_string(cfg.currency));
    json_object_set_new(doc, "output_dir", json_string(cfg.output_dir));
    json_object_set_new(doc, "paper", json_string(cfg.paper));
    json_object_set_new(doc, "font", json_string(cfg.font));
    json_object_set_new(doc, "source", sdesc[0] ? json_string(sdesc) : json_null());
    json_object_set_new(doc, "warehouse", wdesc[0] ? json_string(wdesc) : json_null());
    json_t *bench = json_object();
    for (int i = 0; i < cfg.nbands; i++) {
        const struct config_band *b = &cfg.bands[i];
        json_object_set_new(bench, b->code,
                            config_band_find(&cfg, b->code)
                                ? json_pack("{s:o, s:o, s:o, s:o, s:o}", "good_min", jnum(b->good_min), "good_max",
                                            jnum(b->good_max), "good_below", jnum(b->good_below), "bad_below",
                                            jnum(b->bad_below), "bad_above", jnum(b->bad_above))
                                : json_null());
    }
    json_object_set_new(doc, "benchmarks", bench);
    for (int i = 0; i < cfg.nparams; i++) {
        const struct config_param *p = &cfg.params[i];
        json_t *sec = json_object_get(doc, p->section);
        if (!sec) {
            sec = json_object();
            json_object_set_new(doc, p->section, sec);
        }
        json_t *rule = json_object_get(sec, p->rule);
        if (!rule) {
            rule = json_object();
            json_object_set_new(sec, p->rule, rule);
        }
        json_object_set_new(rule, p->key, json_real(p->value));
    }
    json_t *tiers = json_array();
    for (int i = 0; i < cfg.ntiers; i++)
        json_array_append_new(tiers, json_integer(cfg.tiers[i]));
    json_object_set_new(doc, "spending_tiers", tiers);
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    putchar('\n');
    json_decref(doc);
    return 0;
}
