/* engine.c: one KPI computation: setup, two passes of the metric files,
 * store, all in one warehouse transaction. */
#include "kpi/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/db.h"
#include "core/sqlfile.h"

static void step(struct kpi_result *r, const char *name, double t0)
{
    if (r->nsteps < KPI_MAX_STEPS) {
        snprintf(r->steps[r->nsteps].name, sizeof(r->steps[r->nsteps].name), "%s", name);
        r->steps[r->nsteps].seconds = clock_seconds() - t0;
        r->nsteps++;
    }
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
    const char *base = strrchr(f->name, '/');
    snprintf(name, sizeof(name), "%s %s", ps->which, base ? base + 1 : f->name);
    step(ps->r, name, t0);
    return 0;
}

/* Fills kpi_p with period p (and the one before it, which growth rates
 * compare with) and runs every metric file. */
static int run_pass(PGconn *wh, const char *which, const struct kpi_period *p,
                    const struct kpi_period *requested, struct kpi_result *r, struct almanac_error *err)
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
    struct pass ps = {wh, r, err, which};
    return sqlfile_each("kpi/metrics/", run_metric, &ps);
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

static int compute(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p,
                   struct kpi_result *r, struct almanac_error *err)
{
    char start[11], end[11];
    period_date_format(p->start, start);
    period_date_format(p->end, end);
    double t0 = clock_seconds();
    const char *tz[1] = {cfg->time_zone};
    if (db_command(wh, sqlfile_text("kpi/queries/set_time_zone.sql"), 1, tz, err) ||
        db_exec_file(wh, "kpi/queries/setup.sql", err) || load_settings(wh, cfg, err))
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

    /* The previous period first: the segment movement of the requested
     * month reads last month's segments. A previous period that ends before
     * the platform's first data has nothing to compare with: its values stay
     * NULL rather than zeros that never were. */
    struct kpi_period prev;
    period_previous(p, &prev);
    char prev_end[11];
    period_date_format(prev.end, prev_end);
    const char *pe[1] = {prev_end};
    if (scalar_true(wh, "kpi/queries/data_start.sql", 1, pe, &r->has_previous, err))
        return -1;
    if (r->has_previous && run_pass(wh, "prev", &prev, p, r, err))
        return -1;
    if (run_pass(wh, "cur", p, p, r, err))
        return -1;

    t0 = clock_seconds();
    const char *key[2] = {p->grain, start};
    if (db_command(wh, sqlfile_text("kpi/queries/delete_period.sql"), 2, key, err))
        return -1;
    const char *rid[1] = {run_id};
    res = db_query(wh, sqlfile_text("kpi/queries/store_results.sql"), 1, rid, err);
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
    if (db_exec(wh, "BEGIN", "starting the KPI transaction", err))
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
