/* alerts.c: evaluation of the alert rules and their upsert into kpi.alerts. */
#include "kpi/alerts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/db.h"
#include "core/sqlfile.h"

#define MAX_RULE_KEYS 3

/* A rule: its SQL file is schemas/alerts/<code>.sql, taking the window as
 * $1 and $2 and then the configuration keys alerts.<code>.<key> in order.
 * A state rule judges a condition at the window end; its open alerts that
 * the run does not find again are resolved. */
struct rule {
    const char *code;
    bool state;
    const char *keys[MAX_RULE_KEYS];
};

static const struct rule rules[] = {
    {"pulse_red", true, {NULL}},
    {"error_rate_spike", false, {"rate_pct", "min_requests", "bucket_minutes"}},
    {"db_connection_failure", false, {NULL}},
    {"api_outage", false, {"consecutive_checks"}},
    {"partner_low_credit", true, {"remaining_pct"}},
    {"partner_application", true, {"max_age_minutes"}},
    {"high_value_transaction", false, {"amount_usd"}},
    {"failed_login_burst", false, {"count", "window_minutes"}},
    {"bulk_deletion_or_export", false, {"count", "window_minutes"}},
    {"unauthorized_api", false, {"count", "window_minutes"}},
    {"perk_low_supply", true, {"remaining_pct"}},
    {"perk_selling_out", true, {"days", "claims_window_days"}},
    {"rsnc_balance_low", true, {"days", "distribution_window_days"}},
};

#define NRULES (sizeof rules / sizeof rules[0])

static const char *const severity_names[] = {"critical", "warning", "info"};

int alerts_severity_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, severity_names[i]) == 0)
            return i;
    return -1;
}

static const char *builtin_sql(const char *name, struct almanac_error *err)
{
    const struct sqlfile *f = sqlfile_find(name);
    if (!f)
        error_set(err, ALMANAC_EX_SOFTWARE, "SQL file schemas/%s is not built in", name);
    return f ? f->text : NULL;
}

/* Grows an alert array by one zeroed element; NULL when out of memory. */
static struct alert *push_alert(struct alert **arr, size_t *n)
{
    struct alert *a = realloc(*arr, (*n + 1) * sizeof **arr);
    if (!a)
        return NULL;
    *arr = a;
    memset(&a[*n], 0, sizeof a[*n]);
    return &a[(*n)++];
}

static void free_alerts(struct alert *arr, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(arr[i].subject);
        free(arr[i].dedup_key);
        free(arr[i].evidence);
    }
    free(arr);
}

void alerts_result_free(struct alerts_result *out)
{
    if (!out)
        return;
    free_alerts(out->alerts, out->nalerts);
    free_alerts(out->resolved, out->nresolved);
    memset(out, 0, sizeof *out);
}

static void copy_field(char *dst, size_t size, const PGresult *res, int row, int col)
{
    snprintf(dst, size, "%s", PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col));
}

/* Appends the rows of an upsert/resolve/list result (the column order of
 * schemas/alerts/queries/upsert.sql's RETURNING) to arr. */
static int collect(const PGresult *res, struct alert **arr, size_t *n, struct almanac_error *err)
{
    for (int i = 0; i < PQntuples(res); i++) {
        struct alert *a = push_alert(arr, n);
        if (!a)
            return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory collecting alerts");
        a->alert_id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        a->is_new = strcmp(PQgetvalue(res, i, 1), "t") == 0;
        copy_field(a->code, sizeof a->code, res, i, 2);
        copy_field(a->severity, sizeof a->severity, res, i, 3);
        int level = alerts_severity_parse(a->severity);
        a->level = level < 0 ? ALERT_INFO : (enum alert_severity)level;
        copy_field(a->subject_kind, sizeof a->subject_kind, res, i, 4);
        a->subject = strdup(PQgetvalue(res, i, 5));
        a->dedup_key = strdup(PQgetvalue(res, i, 6));
        copy_field(a->started_at, sizeof a->started_at, res, i, 7);
        copy_field(a->ended_at, sizeof a->ended_at, res, i, 8);
        copy_field(a->first_fired_at, sizeof a->first_fired_at, res, i, 9);
        copy_field(a->status, sizeof a->status, res, i, 10);
        a->evidence = strdup(PQgetvalue(res, i, 11));
        a->occurrences = atoi(PQgetvalue(res, i, 12));
        if (!a->subject || !a->dedup_key || !a->evidence)
            return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory collecting alerts");
    }
    return 0;
}

int alerts_window_resolve(PGconn *wh, const char *time_zone, const char *day, const char *from,
                          const char *to, struct alerts_window *out, struct almanac_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->time_zone, sizeof out->time_zone, "%s", time_zone);
    /* The server knows the zones; a bad one is the configuration's fault. */
    const char *tzp[1] = {time_zone};
    PGresult *res = PQexecParams(wh, "SELECT set_config('TimeZone', $1, false)", 1, NULL, tzp, NULL,
                                 NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(err, wh, res, "setting the business time zone");
        PQclear(res);
        if (PQstatus(wh) == CONNECTION_OK) {
            err->code = ALMANAC_EX_CONFIG;
            error_prefix(err, "time_zone '%s': ", time_zone);
        }
        return -1;
    }
    PQclear(res);
    const char *sql = builtin_sql("alerts/queries/window.sql", err);
    if (!sql)
        return -1;
    const char *params[4] = {time_zone, day, from, to};
    res = db_query(wh, sql, 4, params, err);
    if (!res) {
        if (PQstatus(wh) == CONNECTION_OK) {
            err->code = ALMANAC_EX_USAGE; /* the server could not read a date or time given */
            error_prefix(err, "bad window: ");
        }
        return -1;
    }
    copy_field(out->start, sizeof out->start, res, 0, 0);
    copy_field(out->end, sizeof out->end, res, 0, 1);
    copy_field(out->day, sizeof out->day, res, 0, 2);
    PQclear(res);
    /* Both are UTC ISO 8601 of the same shape, so text order is time order
     * except for fractional seconds; compare as the server would. */
    const char *cmp[2] = {out->start, out->end};
    res = db_query(wh, "SELECT $1::timestamptz < $2::timestamptz", 2, cmp, err);
    if (!res)
        return -1;
    bool ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!ok)
        return error_set(err, ALMANAC_EX_USAGE, "empty window: the start (%s) is not before the end (%s)",
                         out->start, out->end);
    return 0;
}

/* Runs one rule and upserts its findings. */
static int run_rule(PGconn *wh, const struct almanac_config *cfg, const struct rule *r,
                    const struct alerts_window *w, const char *run_id, struct alerts_result *out,
                    long long *written, struct almanac_error *err)
{
    char file[96];
    snprintf(file, sizeof file, "alerts/%s.sql", r->code);
    const char *sql = builtin_sql(file, err);
    const char *upsert = builtin_sql("alerts/queries/upsert.sql", err);
    if (!sql || !upsert)
        return -1;
    char values[MAX_RULE_KEYS][32];
    const char *params[2 + MAX_RULE_KEYS] = {w->start, w->end};
    int n = 2;
    for (int k = 0; k < MAX_RULE_KEYS && r->keys[k]; k++) {
        double v = config_param_get(cfg, "alerts", r->code, r->keys[k]);
        if (isnan(v))
            return error_set(err, ALMANAC_EX_SOFTWARE, "no configuration key alerts.%s.%s", r->code,
                             r->keys[k]);
        snprintf(values[k], sizeof values[k], "%.15g", v);
        params[n++] = values[k];
    }
    PGresult *found = db_query(wh, sql, n, params, err);
    if (!found) {
        error_prefix(err, "alert rule %s (schemas/%s): ", r->code, file);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < PQntuples(found) && rc == 0; i++) {
        /* code, severity, subject_kind, subject, dedup_key, started_at,
         * ended_at, evidence: the rule's columns, in order. */
        const char *up[11];
        for (int c = 0; c < 8; c++)
            up[c] = PQgetisnull(found, i, c) ? NULL : PQgetvalue(found, i, c);
        up[8] = run_id;
        up[9] = w->end;
        up[10] = r->state ? "true" : "false";
        if (!up[0] || !up[1] || !up[2] || !up[3] || !up[4] || !up[5] || !up[7]) {
            rc = error_set(err, ALMANAC_EX_SOFTWARE, "alert rule %s returned a row with a NULL column",
                           r->code);
            break;
        }
        PGresult *res = db_query(wh, upsert, 11, up, err);
        if (!res) {
            error_prefix(err, "recording a %s alert: ", r->code);
            rc = -1;
            break;
        }
        rc = collect(res, &out->alerts, &out->nalerts, err);
        PQclear(res);
        (*written)++;
    }
    PQclear(found);
    return rc;
}

static int resolve_cleared(PGconn *wh, const struct alerts_window *w, const char *run_id,
                           struct alerts_result *out, long long *written, struct almanac_error *err)
{
    const char *sql = builtin_sql("alerts/queries/resolve.sql", err);
    if (!sql)
        return -1;
    char codes[512] = "{";
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].state)
            snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "%s%s",
                     strlen(codes) > 1 ? "," : "", rules[i].code);
    snprintf(codes + strlen(codes), sizeof codes - strlen(codes), "}");
    const char *params[3] = {run_id, w->end, codes};
    PGresult *res = db_query(wh, sql, 3, params, err);
    if (!res) {
        error_prefix(err, "resolving cleared alerts: ");
        return -1;
    }
    int rc = collect(res, &out->resolved, &out->nresolved, err);
    *written += PQntuples(res);
    PQclear(res);
    return rc;
}

static void record_failure(PGconn *wh, const struct alerts_window *w, const struct almanac_error *err)
{
    /* Best effort, after the rollback: the run's own row went with it. */
    const struct sqlfile *f = sqlfile_find("alerts/queries/run_failed.sql");
    if (!f || PQstatus(wh) != CONNECTION_OK)
        return;
    const char *params[4] = {w->start, w->end, w->time_zone, err->message};
    PQclear(PQexecParams(wh, f->text, 4, NULL, params, NULL, NULL, 0));
}

int alerts_evaluate(PGconn *wh, const struct almanac_config *cfg, const struct alerts_window *w,
                    struct alerts_result *out, struct almanac_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = clock_seconds();
    const char *start_sql = builtin_sql("alerts/queries/run_start.sql", err);
    const char *finish_sql = builtin_sql("alerts/queries/run_finish.sql", err);
    if (!start_sql || !finish_sql)
        return -1;
    /* Evidence holds timestamps as JSON text, written in the session's zone:
     * UTC, so that the same finding always reads the same. The rules read
     * little data, but the planner's estimates for their recursive
     * look-backs are large enough to trigger JIT compilation, which costs
     * more than a second per rule and saves nothing. */
    if (db_exec(wh, "BEGIN; SET LOCAL TimeZone = 'UTC'; SET LOCAL jit = off", "starting the alerts transaction",
                err))
        return -1;
    char run_id[32] = "";
    long long written = 0;
    const char *params[3] = {w->start, w->end, w->time_zone};
    PGresult *res = db_query(wh, start_sql, 3, params, err);
    if (!res)
        goto fail;
    snprintf(run_id, sizeof run_id, "%s", PQgetvalue(res, 0, 0));
    out->run_id = strtoll(run_id, NULL, 10);
    PQclear(res);
    for (size_t i = 0; i < NRULES; i++)
        if (run_rule(wh, cfg, &rules[i], w, run_id, out, &written, err))
            goto fail;
    if (resolve_cleared(wh, w, run_id, out, &written, err))
        goto fail;
    char nwritten[32];
    snprintf(nwritten, sizeof nwritten, "%lld", written);
    const char *fin[2] = {run_id, nwritten};
    if (db_command(wh, finish_sql, 2, fin, err) || db_exec(wh, "COMMIT", "committing the alerts", err))
        goto fail;
    for (size_t i = 0; i < out->nalerts; i++)
        out->counts[out->alerts[i].level]++;
    out->seconds = clock_seconds() - t0;
    return 0;
fail:
    if (PQstatus(wh) == CONNECTION_OK) {
        PQclear(PQexec(wh, "ROLLBACK"));
        record_failure(wh, w, err);
    }
    out->run_id = 0;
    return -1;
}

int alerts_list_open(PGconn *wh, struct alerts_result *out, struct almanac_error *err)
{
    memset(out, 0, sizeof *out);
    const char *sql = builtin_sql("alerts/queries/list_open.sql", err);
    if (!sql)
        return -1;
    if (db_exec(wh, "SET TimeZone = 'UTC'", "setting the session time zone", err))
        return -1;
    PGresult *res = db_query(wh, sql, 0, NULL, err);
    if (!res)
        return -1;
    int rc = collect(res, &out->alerts, &out->nalerts, err);
    PQclear(res);
    for (size_t i = 0; i < out->nalerts; i++)
        out->counts[out->alerts[i].level]++;
    return rc;
}
