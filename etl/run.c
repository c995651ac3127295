#include "etl/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/db.h"
#include "core/sqlfile.h"
#include "etl/migrate.h"

struct step_ctx {
    PGconn *wh;
    struct almanac_error *err;
    struct strbuf *failures; /* data tests: what failed */
    struct etl_result *r;    /* step timings */
};

static void record_step(struct etl_result *r, const char *name, double seconds)
{
    if (r->nsteps >= sizeof r->steps / sizeof r->steps[0])
        return;
    struct etl_step_result *s = &r->steps[r->nsteps++];
    snprintf(s->name, sizeof s->name, "%s", name + (strncmp(name, "etl/", 4) == 0 ? 4 : 0));
    s->seconds = seconds;
}

static int run_sql_file(const struct sqlfile *f, void *arg)
{
    struct step_ctx *c = arg;
    double t = clock_seconds();
    int rc = db_exec_file(c->wh, f->name, c->err);
    record_step(c->r, f->name, clock_seconds() - t);
    return rc;
}

static int run_named(struct step_ctx *c, const char *name)
{
    const struct sqlfile *f = sqlfile_find(name);
    if (!f)
        return error_set(c->err, ALMANAC_EX_SOFTWARE, "SQL file schemas/%s is not built in", name);
    return run_sql_file(f, c);
}

/* A data test returns the rows that break it; any row fails the run. */
static int run_data_test(const struct sqlfile *f, void *arg)
{
    struct step_ctx *c = arg;
    double t = clock_seconds();
    PGresult *res = db_query(c->wh, f->text, 0, NULL, c->err);
    record_step(c->r, f->name, clock_seconds() - t);
    if (!res) {
        error_prefix(c->err, "data test schemas/%s: ", f->name);
        return -1;
    }
    int n = PQntuples(res);
    for (int i = 0; i < n && i < 5; i++)
        strbuf_printf(c->failures, "%s%s: %s", c->failures->len ? "; " : "", f->name + strlen("etl/tests/"),
                      PQgetvalue(res, i, 0));
    if (n > 5)
        strbuf_printf(c->failures, " (and %d more)", n - 5);
    PQclear(res);
    return 0;
}

/* The server acknowledged every row read into staging (extract.c checks
 * its COPY count). After the SQL checks some good rows became orphans, so
 * the final split comes from staging: rejected rows through the partial
 * indexes of etl.staging_rejects, loaded = staged - rejected. Every rejected
 * row must then be in etl.rejects (quarantine.sql); the data tests check the
 * facts. */
static int reconcile(PGconn *wh, struct etl_result *r, struct almanac_error *err)
{
    PGresult *res = db_query(wh, sqlfile_text("etl/queries/staged_rejects.sql"), 0, NULL, err);
    if (!res)
        return -1;
    for (size_t i = 0; i < r->ntables; i++) {
        struct etl_table_result *tr = &r->tables[i];
        int row = -1;
        for (int k = 0; k < PQntuples(res); k++)
            if (strcmp(PQgetvalue(res, k, 0), tr->name) == 0)
                row = k;
        if (row < 0) {
            PQclear(res);
            return error_set(err, ALMANAC_EX_SOFTWARE, "etl.staging_rejects lacks table %s",
                             tr->name);
        }
        tr->counts.rejected = strtoll(PQgetvalue(res, row, 1), NULL, 10);
        tr->counts.loaded = tr->counts.read - tr->counts.rejected;
        if (tr->counts.loaded < 0) {
            PQclear(res);
            return error_set(err, ALMANAC_EX_DATAERR,
                             "reconciliation failed for %s: read %lld but %lld rejected", tr->name,
                             tr->counts.read, tr->counts.rejected);
        }
    }
    PQclear(res);
    return 0;
}

static int lock_or_busy(PGconn *wh, struct almanac_error *err)
{
    PGresult *res = db_query(wh, sqlfile_text("etl/queries/try_lock.sql"), 0, NULL, err);
    if (!res)
        return -1;
    bool got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (got)
        return 0;
    error_set(err, ALMANAC_EX_TEMPFAIL, "another almanac etl run is in progress on this warehouse");
    struct almanac_error ignored;
    res = db_query(wh, sqlfile_text("etl/queries/running_since.sql"), 0, NULL, &ignored);
    if (res && PQntuples(res) == 1)
        error_set(err, ALMANAC_EX_TEMPFAIL,
                  "another almanac etl run (run %s, started %s) is in progress on this warehouse",
                  PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 0));
    PQclear(res);
    error_hint(err, "retry when it has finished");
    return -1;
}

/* Relays extract_table's running counts to the caller's progress hook. */
static void relay_progress(const struct table_spec *t, const struct extract_counts *c, void *arg)
{
    const struct etl_options *opt = arg;
    opt->progress(t, c, false, 0.0, opt->progress_arg);
}

int etl_run(const struct etl_options *opt, struct etl_result *r, struct almanac_error *err)
{
    memset(r, 0, sizeof *r);
    snprintf(r->status, sizeof r->status, "failed");
    double t0 = clock_seconds();
    PGconn *wh = NULL, *src = NULL;
    struct validator v;
    struct strbuf failures = STRBUF_INIT;
    bool in_load = false;
    int attempts = opt->connect_attempts > 0 ? opt->connect_attempts : 1;
    validator_init(&v, "9999-12-31 23:59:59");

    wh = db_connect_retry(opt->warehouse, "almanac etl", attempts, err);
    if (!wh) {
        error_prefix(err, "warehouse: ");
        goto fail;
    }
    if (lock_or_busy(wh, err) != 0)
        goto fail;
    if (migrate_apply(wh, &r->migrations_applied, err) != 0)
        goto fail;
    if (db_command(wh, sqlfile_text("etl/queries/abandon_runs.sql"), 0, NULL, err) != 0)
        goto fail;

    char desc[512];
    db_describe(opt->source, desc, sizeof desc);
    const char *start_params[] = {desc};
    PGresult *res = db_query(wh, sqlfile_text("etl/queries/start_run.sql"), 1, start_params, err);
    if (!res)
        goto fail;
    r->run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(r->watermark_before, sizeof r->watermark_before, "%s", PQgetvalue(res, 0, 1));
    PQclear(res);

    src = db_connect_retry(opt->source, "almanac etl", attempts, err);
    if (!src) {
        error_prefix(err, "source: ");
        goto fail;
    }
    if (db_exec(src, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; "
                     "SET extra_float_digits = 3",
                NULL, err) != 0)
        goto fail;
    res = db_query(src, sqlfile_text("etl/queries/source_horizon.sql"), 0, NULL, err);
    if (!res)
        goto fail;
    snprintf(r->watermark_after, sizeof r->watermark_after, "%s", PQgetvalue(res, 0, 0));
    snprintf(v.latest, sizeof v.latest, "%s", PQgetvalue(res, 0, 1));
    r->watermark_sees_all = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
    PQclear(res);

    if (db_exec(src, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", NULL, err) != 0)
        goto fail;
    const char *wm_params[] = {r->watermark_before};
    if (db_command(src, sqlfile_text("etl/queries/set_watermark.sql"), 1, wm_params, err) != 0)
        goto fail;

    if (db_exec(wh, "BEGIN", NULL, err) != 0)
        goto fail;
    in_load = true;
    char run_id[32];
    snprintf(run_id, sizeof run_id, "%lld", r->run_id);
    const char *run_params[] = {run_id, opt->timezone ? opt->timezone : "UTC"};
    if (db_command(wh, sqlfile_text("etl/queries/set_run_id.sql"), 2, run_params, err) != 0 ||
        db_exec_file(wh, "etl/begin.sql", err) != 0)
        goto fail;

    for (size_t i = 0; i < catalog_ntables && i < 32; i++) {
        const struct table_spec *t = &catalog_tables[i];
        struct etl_table_result *tr = &r->tables[r->ntables++];
        tr->name = t->name;
        double ts = clock_seconds();
        if (extract_table(src, wh, t, &v, &tr->counts,
                          opt->progress ? relay_progress : NULL, (void *)opt, err) != 0)
            goto fail;
        tr->seconds = clock_seconds() - ts;
        if (opt->progress)
            opt->progress(t, &tr->counts, true, tr->seconds, opt->progress_arg);
    }
    /* The snapshot is no longer needed; end it before the long SQL steps. */
    if (db_exec(src, "COMMIT", NULL, err) != 0)
        goto fail;

    struct step_ctx ctx = {wh, err, &failures, r};
    if (run_named(&ctx, "etl/validate_references.sql") != 0 ||
        run_named(&ctx, "etl/quarantine.sql") != 0 ||
        sqlfile_each("etl/transform/", run_sql_file, &ctx) != 0 ||
        run_named(&ctx, "etl/snapshots.sql") != 0 ||
        run_named(&ctx, "etl/analyze.sql") != 0)
        goto fail;

    long long tot_read = 0, tot_loaded = 0, tot_rejected = 0;
    if (reconcile(wh, r, err) != 0)
        goto fail;
    for (size_t i = 0; i < r->ntables; i++) {
        tot_read += r->tables[i].counts.read;
        tot_loaded += r->tables[i].counts.loaded;
        tot_rejected += r->tables[i].counts.rejected;
    }
    if (sqlfile_each("etl/tests/", run_data_test, &ctx) != 0)
        goto fail;
    if (failures.len) {
        error_set(err, ALMANAC_EX_DATAERR, "data tests failed after the load; nothing was committed");
        error_detail(err, "%s", strbuf_str(&failures));
        goto fail;
    }

    for (size_t i = 0; i < r->ntables; i++) {
        const struct etl_table_result *tr = &r->tables[i];
        char a[32], b[32], c[32], d[32];
        snprintf(a, sizeof a, "%lld", tr->counts.read);
        snprintf(b, sizeof b, "%lld", tr->counts.loaded);
        snprintf(c, sizeof c, "%lld", tr->counts.rejected);
        snprintf(d, sizeof d, "%.3f", tr->seconds);
        const char *p[] = {run_id, tr->name, a, b, c, d};
        if (db_command(wh, sqlfile_text("etl/queries/record_table.sql"), 6, p, err) != 0)
            goto fail;
    }
    char a[32], b[32], c[32];
    snprintf(a, sizeof a, "%lld", tot_read);
    snprintf(b, sizeof b, "%lld", tot_loaded);
    snprintf(c, sizeof c, "%lld", tot_rejected);
    const char *fin[] = {run_id, r->watermark_after, a, b, c, r->watermark_sees_all ? "t" : "f"};
    if (db_command(wh, sqlfile_text("etl/queries/finish_run.sql"), 6, fin, err) != 0)
        goto fail;
    if (db_exec(wh, "COMMIT", NULL, err) != 0)
        goto fail;
    in_load = false;
    snprintf(r->status, sizeof r->status, "success");
    r->seconds = clock_seconds() - t0;
    PQfinish(src);
    PQfinish(wh);
    validator_free(&v);
    strbuf_free(&failures);
    return 0;

fail:
    r->seconds = clock_seconds() - t0;
    if (wh && PQstatus(wh) == CONNECTION_OK) {
        if (in_load || PQtransactionStatus(wh) != PQTRANS_IDLE)
            PQclear(PQexec(wh, "ROLLBACK"));
        if (r->run_id) {
            char run[32];
            snprintf(run, sizeof run, "%lld", r->run_id);
            const char *p[] = {run, err->message};
            struct almanac_error ignored;
            error_clear(&ignored);
            /* Best effort: the run log says why; the exit code says it too. */
            db_command(wh, sqlfile_text("etl/queries/fail_run.sql"), 2, p, &ignored);
        }
    }
    PQfinish(src);
    PQfinish(wh);
    validator_free(&v);
    strbuf_free(&failures);
    return -1;
}
