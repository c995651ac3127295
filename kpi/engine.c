/* engine.c: one KPI computation: setup, two passes of the metric files,
 * store, all in one warehouse transaction. The previous period's pass runs
 * at the same time on a second connection that shares the transaction's
 * snapshot. */
#include "kpi/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/db.h"
#include "core/sqlfile.h"
#include "core/strbuf.h"

static void step_add(struct kpi_result *r, const char *name, double seconds)
{
    if (r->nsteps < KPI_MAX_STEPS) {
        snprintf(r->steps[r->nsteps].name, sizeof(r->steps[r->nsteps].name), "%s", name);
        r->steps[r->nsteps].seconds = seconds;
        r->nsteps++;
    }
}

static void step(struct kpi_result *r, const char *name, double t0)
{
    step_add(r, name, clock_seconds() - t0);
}

/* "prev 05_generations.sql" from the pass and the file's path. */
static void step_name(char *buf, size_t size, const char *which, const char *path)
{
    const char *base = strrchr(path, '/');
    snprintf(buf, size, "%s %s", which, base ? base + 1 : path);
}

static void num(char *buf, size_t size, double v)
{
    if (isnan(v))
        buf[0] = '\0';
    else
        snprintf(buf, size, "%.17g", v);
}

/* Thresholds, parameters and tiers go into temp tables through parameters
 * so that the metric SQL can join them. */
static int load_settings(PGconn *wh, const struct almanac_config *cfg, struct almanac_error *err)
{
    for (int i = 0; i < cfg->nbands; i++) {
        const struct config_band *b = config_band_find(cfg, cfg->bands[i].code);
        if (!b)
            continue;
        char v[5][32];
        num(v[0], sizeof(v[0]), b->good_min);
        num(v[1], sizeof(v[1]), b->good_max);
        num(v[2], sizeof(v[2]), b->good_below);
        num(v[3], sizeof(v[3]), b->bad_below);
        num(v[4], sizeof(v[4]), b->bad_above);
        const char *params[6] = {b->code};
        for (int k = 0; k < 5; k++)
            params[k + 1] = v[k][0] ? v[k] : NULL;
        if (db_command(wh, sqlfile_text("kpi/queries/band.sql"), 6, params, err))
            return -1;
    }
    for (int i = 0; i < cfg->nparams; i++) {
        const struct config_param *p = &cfg->params[i];
        char v[32];
        num(v, sizeof(v), p->value);
        const char *params[4] = {p->section, p->rule, p->key, v};
        if (db_command(wh, sqlfile_text("kpi/queries/param.sql"), 4, params, err))
            return -1;
    }
    for (int i = 0; i < cfg->ntiers; i++) {
        char lo[24], hi[24], label[48];
        snprintf(lo, sizeof(lo), "%lld", cfg->tiers[i]);
        snprintf(hi, sizeof(hi), "%lld", i + 1 < cfg->ntiers ? cfg->tiers[i + 1] : 0);
        config_tier_label(cfg, i, label, sizeof(label));
        const char *params[3] = {lo, i + 1 < cfg->ntiers ? hi : NULL, label};
        if (db_command(wh, sqlfile_text("kpi/queries/tier.sql"), 3, params, err))
            return -1;
    }
    return 0;
}

struct pass {
    PGconn *wh;
    struct kpi_result *r;
    struct almanac_error *err;
    const char *which;
};

static int run_metric(const struct sqlfile *f, void *arg)
{
    struct pass *ps = arg;
    double t0 = clock_seconds();
    if (db_exec(ps->wh, f->text, f->name, ps->err))
        return -1;
    char name[64];
    step_name(name, sizeof name, ps->which, f->name);
    step(ps->r, name, t0);
    return 0;
}

/* The session's time zone, work tables and settings, in its transaction. */
static int setup_session(PGconn *conn, const struct almanac_config *cfg, struct almanac_error *err)
{
    const char *tz[1] = {cfg->time_zone};
    if (db_command(conn, sqlfile_text("kpi/queries/set_time_zone.sql"), 1, tz, err) ||
        db_exec_file(conn, "kpi/queries/setup.sql", err) || load_settings(conn, cfg, err))
        return -1;
    return 0;
}

/* Fills kpi_p with period p (and the one before it, which growth rates
 * compare with) for the pass `which`. */
static int set_pass_period(PGconn *wh, const char *which, const struct kpi_period *p,
                           const struct kpi_period *requested, struct almanac_error *err)
{
    struct kpi_period prev;
    period_previous(p, &prev);
    char d[6][11];
    period_date_format(p->start, d[0]);
    period_date_format(p->end, d[1]);
    period_date_format(prev.start, d[2]);
    period_date_format(prev.end, d[3]);
    period_date_format(requested->start, d[4]);
    period_date_format(requested->end, d[5]);
    const char *params[8] = {which, p->grain, d[0], d[1], d[2], d[3], d[4], d[5]};
    if (db_command(wh, sqlfile_text("kpi/queries/clear_period.sql"), 0, NULL, err) ||
        db_command(wh, sqlfile_text("kpi/queries/set_period.sql"), 8, params, err))
        return -1;
    return 0;
}

/* Runs every metric file for period p, one after the other. */
static int run_pass(PGconn *wh, const char *which, const struct kpi_period *p,
                    const struct kpi_period *requested, struct kpi_result *r, struct almanac_error *err)
{
    if (set_pass_period(wh, which, p, requested, err))
        return -1;
    struct pass ps = {wh, r, err, which};
    return sqlfile_each("kpi/metrics/", run_metric, &ps);
}

#define SIDE_MAX_FILES 16

/* The previous period's pass on a second connection. It imports the KPI
 * transaction's snapshot, so both passes read the same warehouse state,
 * and runs on the server while this connection computes the requested
 * period: the passes are independent until the results are stored, and
 * one after the other they left one of the machine's two cores idle (at
 * scale 10 about 4 s each). Its metric files go to the server as one query
 * string, each followed by file_done.sql, whose answers time them. */
struct side_pass {
    PGconn *conn;
    struct strbuf sql;
    const char *files[SIDE_MAX_FILES];
    int nfiles;
    bool sent;
    struct almanac_error *err;
};

static int side_append(const struct sqlfile *f, void *arg)
{
    struct side_pass *s = arg;
    if (s->nfiles >= SIDE_MAX_FILES)
        return error_set(s->err, ALMANAC_EX_SOFTWARE, "more than %d metric files", SIDE_MAX_FILES);
    if (strbuf_puts(&s->sql, f->text) || strbuf_puts(&s->sql, "\n;\n") ||
        strbuf_puts(&s->sql, sqlfile_text("kpi/queries/file_done.sql")) || strbuf_puts(&s->sql, ";\n"))
        return error_set(s->err, ALMANAC_EX_SOFTWARE, "out of memory");
    s->files[s->nfiles++] = f->name;
    return 0;
}

/* Returns 0 once the pass is sent, -1 on failure, 1 when no second
 * connection could be opened (a role's or server's connection limit): the
 * KPI transaction is untouched and the caller runs the pass itself. */
static int side_start(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p,
                      const struct kpi_period *requested, struct side_pass *s, struct almanac_error *err)
{
    PGresult *res = db_query(wh, sqlfile_text("kpi/queries/export_snapshot.sql"), 0, NULL, err);
    if (!res)
        return -1;
    s->conn = db_connect_like(wh, "almanac kpi (previous period)", err);
    char *snapshot = NULL;
    if (s->conn)
        snapshot = PQescapeLiteral(s->conn, PQgetvalue(res, 0, 0), strlen(PQgetvalue(res, 0, 0)));
    PQclear(res);
    if (!s->conn)
        return 1;
    if (!snapshot)
        return db_error(err, s->conn, NULL, "quoting the KPI transaction's snapshot");
    /* SET TRANSACTION SNAPSHOT takes a literal, not a parameter. */
    struct strbuf begin = STRBUF_INIT;
    int oom = strbuf_printf(&begin, "BEGIN ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT %s",
                            snapshot);
    PQfreemem(snapshot);
    int rc = oom ? error_set(err, ALMANAC_EX_SOFTWARE, "out of memory")
                 : db_exec(s->conn, strbuf_str(&begin), "importing the KPI transaction's snapshot", err);
    strbuf_free(&begin);
    if (rc || setup_session(s->conn, cfg, err) || set_pass_period(s->conn, "prev", p, requested, err))
        return -1;
    s->err = err;
    if (sqlfile_each("kpi/metrics/", side_append, s))
        return -1;
    if (!PQsendQuery(s->conn, strbuf_str(&s->sql)))
        return db_error(err, s->conn, NULL, "sending the previous period's metrics");
    s->sent = true;
    return 0;
}

/* Waits for the previous period's pass and records its files' timings. */
static int side_finish(struct side_pass *s, struct kpi_result *r, struct almanac_error *err)
{
    int failed = 0, done = 0;
    double last = 0;
    PGresult *res;
    while ((res = PQgetResult(s->conn))) {
        ExecStatusType st = PQresultStatus(res);
        if (!failed && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            char what[96];
            snprintf(what, sizeof what, "%s (previous period)",
                     done < s->nfiles ? s->files[done] : "the metric files");
            failed = db_error(err, s->conn, res, what);
        } else if (!failed && st == PGRES_TUPLES_OK && PQnfields(res) == 1 &&
                   !strcmp(PQfname(res, 0), "kpi_file_done") && done < s->nfiles) {
            double t = strtod(PQgetvalue(res, 0, 0), NULL);
            char name[64];
            step_name(name, sizeof name, "prev", s->files[done++]);
            step_add(r, name, t - last);
            last = t;
        }
        PQclear(res);
    }
    s->sent = false;
    return failed;
}

/* Copies the rows one COPY ... TO STDOUT of `from` gives into `to`. */
static int copy_rows(PGconn *from, PGconn *to, const char *out_name, const char *in_name,
                     struct almanac_error *err)
{
    PGresult *res = PQexec(from, sqlfile_text(out_name));
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        db_error(err, from, res, out_name);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    res = PQexec(to, sqlfile_text(in_name));
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        db_error(err, to, res, in_name);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    char *buf;
    int n, failed = 0;
    while ((n = PQgetCopyData(from, &buf, 0)) > 0) {
        if (!failed && PQputCopyData(to, buf, n) != 1)
            failed = db_error(err, to, NULL, in_name);
        PQfreemem(buf);
    }
    if (n == -2 && !failed)
        failed = db_error(err, from, NULL, out_name);
    if (PQputCopyEnd(to, failed ? "copy from the second connection failed" : NULL) != 1 && !failed)
        failed = db_error(err, to, NULL, in_name);
    while ((res = PQgetResult(to))) {
        if (!failed && PQresultStatus(res) != PGRES_COMMAND_OK)
            failed = db_error(err, to, res, in_name);
        PQclear(res);
    }
    while ((res = PQgetResult(from))) {
        if (!failed && PQresultStatus(res) != PGRES_COMMAND_OK)
            failed = db_error(err, from, res, out_name);
        PQclear(res);
    }
    return failed;
}

/* Ends the second connection. Its transaction only ever wrote temporary
 * tables: closing the connection discards them. A pass still running (the
 * requested period failed) is cancelled first: the server would otherwise
 * finish it, holding its snapshot, before noticing the client had gone. */
static void side_close(struct side_pass *s)
{
    if (s->conn && s->sent) {
        PGcancel *cancel = PQgetCancel(s->conn);
        if (cancel) {
            char buf[256];
            PQcancel(cancel, buf, sizeof buf);
            PQfreeCancel(cancel);
        }
    }
    if (s->conn)
        PQfinish(s->conn);
    s->conn = NULL;
    strbuf_free(&s->sql);
}

static int scalar_true(PGconn *wh, const char *name, int n, const char *const *params, bool *out,
                       struct almanac_error *err)
{
    PGresult *res = db_query(wh, sqlfile_text(name), n, params, err);
    if (!res)
        return -1;
    *out = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return 0;
}

/* Stores the computed rows of period p (and its segments, for a month). */
static int store(PGconn *wh, const struct kpi_period *p, const char *run_id, struct kpi_result *r,
                 struct almanac_error *err)
{
    char start[11];
    period_date_format(p->start, start);
    double t0 = clock_seconds();
    const char *key[2] = {p->grain, start};
    if (db_command(wh, sqlfile_text("kpi/queries/delete_period.sql"), 2, key, err))
        return -1;
    const char *rid[1] = {run_id};
    PGresult *res = db_query(wh, sqlfile_text("kpi/queries/store_results.sql"), 1, rid, err);
    if (!res)
        return -1;
    r->rows = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    if (!strcmp(p->grain, "month")) {
        const char *m[1] = {start};
        if (db_command(wh, sqlfile_text("kpi/queries/delete_segments.sql"), 1, m, err))
            return -1;
        res = db_query(wh, sqlfile_text("kpi/queries/store_segments.sql"), 1, rid, err);
        if (!res)
            return -1;
        r->segments = strtoll(PQcmdTuples(res), NULL, 10);
        PQclear(res);
    }
    char rows[24];
    snprintf(rows, sizeof(rows), "%lld", r->rows);
    const char *fin[2] = {run_id, rows};
    if (db_command(wh, sqlfile_text("kpi/queries/finish_run.sql"), 2, fin, err))
        return -1;
    step(r, "store", t0);
    return 0;
}

static int compute(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p,
                   struct kpi_result *r, struct almanac_error *err)
{
    char start[11], end[11];
    period_date_format(p->start, start);
    period_date_format(p->end, end);
    double t0 = clock_seconds();
    if (setup_session(wh, cfg, err))
        return -1;
    char digest[65];
    config_digest(cfg, digest);
    const char *run_params[6] = {"kpi", p->grain, start, end, cfg->time_zone, digest};
    PGresult *res = db_query(wh, sqlfile_text("kpi/queries/start_run.sql"), 6, run_params, err);
    if (!res)
        return -1;
    char run_id[24];
    snprintf(run_id, sizeof(run_id), "%s", PQgetvalue(res, 0, 0));
    r->run_id = strtoll(run_id, NULL, 10);
    PQclear(res);
    step(r, "setup", t0);

    /* A previous period that ends before the platform's first data has
     * nothing to compare with: its values stay NULL rather than zeros that
     * never were. Otherwise it is computed beside the requested one, and
     * its metrics and segments join them before anything is stored. */
    struct kpi_period prev;
    period_previous(p, &prev);
    char prev_end[11];
    period_date_format(prev.end, prev_end);
    const char *pe[1] = {prev_end};
    if (scalar_true(wh, "kpi/queries/data_start.sql", 1, pe, &r->has_previous, err))
        return -1;
    struct side_pass side = {NULL, STRBUF_INIT, {NULL}, 0, false, NULL};
    int rc = -1, beside = 0;
    if (r->has_previous) {
        beside = side_start(wh, cfg, &prev, p, &side, err);
        if (beside < 0)
            goto out;
        /* No second connection: the previous period first, here, as the
         * requested one leaves kpi_p set for the segment movement. */
        if (beside > 0) {
            error_clear(err);
            if (run_pass(wh, "prev", &prev, p, r, err))
                goto out;
        }
    }
    if (run_pass(wh, "cur", p, p, r, err))
        goto out;
    if (r->has_previous && beside == 0) {
        t0 = clock_seconds();
        if (side_finish(&side, r, err) ||
            copy_rows(side.conn, wh, "kpi/queries/prev_raw_out.sql", "kpi/queries/prev_raw_in.sql", err) ||
            copy_rows(side.conn, wh, "kpi/queries/prev_seg_out.sql", "kpi/queries/prev_seg_in.sql", err))
            goto out;
        step(r, "previous period copied", t0);
    }
    side_close(&side);
    t0 = clock_seconds();
    if (db_exec_file(wh, "kpi/queries/segment_movement.sql", err))
        goto out;
    step(r, "segment movement", t0);
    rc = store(wh, p, run_id, r, err);
out:
    side_close(&side);
    return rc;
}

int kpi_compute(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p,
                struct kpi_result *r, struct almanac_error *err)
{
    memset(r, 0, sizeof(*r));
    double t0 = clock_seconds();
    bool known = false;
    const char *tz[1] = {cfg->time_zone};
    if (scalar_true(wh, "kpi/queries/check_time_zone.sql", 1, tz, &known, err))
        return -1;
    if (!known) {
        error_set(err, ALMANAC_EX_CONFIG, "%s: time_zone: unknown time zone \"%s\"",
                  cfg->path[0] ? cfg->path : "configuration", cfg->time_zone);
        error_hint(err, "use an IANA name such as UTC, Europe/Madrid or America/Mexico_City");
        return -1;
    }
    /* Repeatable read: every statement of both passes reads one snapshot,
     * which the second connection imports (export_snapshot.sql). */
    if (db_exec(wh, "BEGIN ISOLATION LEVEL REPEATABLE READ", "starting the KPI transaction", err))
        return -1;
    if (compute(wh, cfg, p, r, err) == 0 && db_exec(wh, "COMMIT", "committing the KPIs", err) == 0) {
        r->seconds = clock_seconds() - t0;
        return 0;
    }
    if (PQstatus(wh) == CONNECTION_OK) {
        PQclear(PQexec(wh, "ROLLBACK"));
        char start[11], end[11];
        period_date_format(p->start, start);
        period_date_format(p->end, end);
        const char *params[6] = {"kpi", p->grain, start, end, cfg->time_zone, err->message};
        struct almanac_error ignored;
        error_clear(&ignored);
        db_command(wh, sqlfile_text("kpi/queries/fail_run.sql"), 6, params, &ignored);
    } else if (err->code != ALMANAC_EX_UNAVAILABLE) {
        error_prefix(err, "connection to the warehouse lost: ");
        err->code = ALMANAC_EX_UNAVAILABLE;
    }
    return -1;
}

int kpi_current(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p, long long *run_id,
                struct almanac_error *err)
{
    *run_id = 0;
    char start[11], digest[65];
    period_date_format(p->start, start);
    config_digest(cfg, digest);
    const char *params[4] = {p->grain, start, cfg->time_zone, digest};
    PGresult *res = db_query(wh, sqlfile_text("kpi/queries/current.sql"), 4, params, err);
    if (!res)
        return -1;
    if (PQntuples(res) == 1)
        *run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return 0;
}
