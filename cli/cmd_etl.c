/* cmd_etl.c: `almanac etl` and `almanac migrate`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/db.h"
#include "etl/migrate.h"
#include "etl/run.h"

int cli_print_etl_json(const struct etl_result *r, const struct almanac_error *err)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "status", json_string(r->status));
    json_object_set_new(doc, "run_id", r->run_id ? json_integer(r->run_id) : json_null());
    json_object_set_new(doc, "seconds", json_real((double)(long long)(r->seconds * 1000) / 1000.0));
    json_object_set_new(doc, "watermark_before", json_string(r->watermark_before));
    json_object_set_new(doc, "watermark_after", json_string(r->watermark_after));
    json_object_set_new(doc, "migrations_applied", json_integer(r->migrations_applied));
    json_t *tables = json_array();
    long long read = 0, loaded = 0, rejected = 0;
    for (size_t i = 0; i < r->ntables; i++) {
        const struct etl_table_result *t = &r->tables[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(t->name));
        json_object_set_new(o, "read", json_integer(t->counts.read));
        json_object_set_new(o, "loaded", json_integer(t->counts.loaded));
        json_object_set_new(o, "rejected", json_integer(t->counts.rejected));
        json_object_set_new(o, "seconds", json_real((double)(long long)(t->seconds * 1000) / 1000.0));
        json_array_append_new(tables, o);
        read += t->counts.read;
        loaded += t->counts.loaded;
        rejected += t->counts.rejected;
    }
    json_object_set_new(doc, "tables", tables);
    json_t *steps = json_array();
    for (size_t i = 0; i < r->nsteps; i++)
        json_array_append_new(steps, json_pack("{s:s, s:f}", "name", r->steps[i].name, "seconds",
                                               (double)(long long)(r->steps[i].seconds * 1000) / 1000.0));
    json_object_set_new(doc, "steps", steps);
    json_object_set_new(doc, "totals", json_pack("{sI sI sI}", "read", (json_int_t)read, "loaded",
                                                 (json_int_t)loaded, "rejected", (json_int_t)rejected));
    if (err && err->code) {
        json_object_set_new(doc, "error", json_string(err->message));
        json_object_set_new(doc, "exit_code", json_integer(err->code));
    }
    int rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    fputc('\n', stdout);
    json_decref(doc);
    return rc;
}

void cli_etl_progress(const struct table_spec *t, const struct extract_counts *c, bool done,
                      double seconds, void *arg)
{
    /* The updating line is for terminals only; elsewhere (--verbose into a
     * log) only each table's final line is written. */
    bool tty = ((const struct cli_progress *)arg)->tty;
    if (!done) {
        if (tty) {
            fprintf(stderr, "\r  %-24s %12lld rows\033[K", t->name, c->read);
            fflush(stderr);
        }
        return;
    }
    fprintf(stderr, "%s  %-24s %12lld rows  %6.1f s  %10.0f rows/s\n", tty ? "\r\033[K" : "",
            t->name, c->read, seconds, seconds > 0 ? (double)c->read / seconds : 0.0);
}

void cli_print_etl_summary(const struct etl_result *r)
{
    long long read = 0, loaded = 0, rejected = 0;
    for (size_t i = 0; i < r->ntables; i++) {
        read += r->tables[i].counts.read;
        loaded += r->tables[i].counts.loaded;
        rejected += r->tables[i].counts.rejected;
    }
    printf("etl run %lld: %s in %.1f s: read %lld, loaded %lld, rejected %lld (watermark %s -> %s)\n",
           r->run_id, r->status, r->seconds, read, loaded, rejected, r->watermark_before,
           r->watermark_after);
    for (size_t i = 0; i < r->ntables; i++)
        if (r->tables[i].counts.rejected)
            printf("  %-24s %lld rejected (see etl.rejects)\n", r->tables[i].name,
                   r->tables[i].counts.rejected);
}

int cmd_etl(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"source", required_argument, NULL, 's'},
        {"config", required_argument, NULL, 'c'},
        {"warehouse", required_argument, NULL, 'w'},
        {"json", no_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},
        {"retries", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *source = NULL, *warehouse = NULL, *config = NULL;
    int json = 0, verbose = 0, retries = 4;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 's': source = optarg; break;
        case 'w': warehouse = optarg; break;
        case 'c': config = optarg; break;
        case 'j': json = 1; break;
        case 'v': verbose = 1; break;
        case 'r':
            retries = (int)strtol(optarg, &end, 10);
            if (*end || end == optarg || retries < 0 || retries > 20)
                return cli_usage_error("etl ", "--retries must be 0..20, not \"%s\"", optarg);
            break;
        case 'h': return cli_print_help(cli_find("etl"));
        case ':': return cli_usage_error("etl ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("etl ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("etl ", "unexpected argument \"%s\"", argv[optind]);
    struct almanac_error err;
    error_clear(&err);
    struct almanac_config cfg;
    if (cli_load_config(config, &cfg, &err))
        return cli_report(&err);
    source = cli_env_or(source, "ALMANAC_SOURCE");
    warehouse = cli_env_or(warehouse, "ALMANAC_WAREHOUSE");
    if (!source && cfg.source[0])
        source = cfg.source;
    if (!warehouse && cfg.warehouse[0])
        warehouse = cfg.warehouse;
    if (!source || !warehouse) {
        error_set(&err, ALMANAC_EX_CONFIG, "no %s database given",
                  !source ? "source" : "warehouse");
        error_hint(&err, "use --%s or %s (a libpq connection string or URI; missing parts come "
                         "from the PG* variables and ~/.pgpass)",
                   !source ? "source" : "warehouse", !source ? "ALMANAC_SOURCE" : "ALMANAC_WAREHOUSE");
        return cli_report(&err);
    }
    struct cli_progress progress = {isatty(STDERR_FILENO)};
    struct etl_options opt = {
        .source = source,
        .warehouse = warehouse,
        .timezone = cfg.time_zone,
        .connect_attempts = retries + 1,
        .progress = !json && (verbose || isatty(STDERR_FILENO)) ? cli_etl_progress : NULL,
        .progress_arg = &progress,
    };
    struct etl_result *r = calloc(1, sizeof *r);
    if (!r)
        return ALMANAC_EX_SOFTWARE;
    int rc = etl_run(&opt, r, &err);
    if (json)
        cli_print_etl_json(r, rc ? &err : NULL);
    else if (rc == 0 && (verbose || isatty(STDOUT_FILENO)))
        cli_print_etl_summary(r);
    free(r);
    return rc ? cli_report(&err) : 0;
}

int cmd_migrate(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'w'},
        {"dry-run", no_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL;
    int dry = 0;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': warehouse = optarg; break;
        case 'n': dry = 1; break;
        case 'h': return cli_print_help(cli_find("migrate"));
        case ':': return cli_usage_error("migrate ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("migrate ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("migrate ", "unexpected argument \"%s\"", argv[optind]);
    warehouse = cli_env_or(warehouse, "ALMANAC_WAREHOUSE");
    struct almanac_error err;
    error_clear(&err);
    if (!warehouse) {
        error_set(&err, ALMANAC_EX_CONFIG, "no warehouse database given");
        error_hint(&err, "use --warehouse or ALMANAC_WAREHOUSE");
        return cli_report(&err);
    }
    PGconn *wh = db_connect(warehouse, "almanac migrate", &err);
    if (!wh)
        return cli_report(&err);
    int n = 0;
    int rc = dry ? migrate_pending(wh, &n, &err) : migrate_apply(wh, &n, &err);
    PQfinish(wh);
    if (rc)
        return cli_report(&err);
    printf(dry ? "%d migration(s) pending\n" : "%d migration(s) applied\n", n);
    return 0;
}
