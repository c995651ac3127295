/* reportdb.c: one read-only transaction per report, streamed queries. */
#include "reports/reportdb.h"

#include <stdbool.h>
#include <string.h>

#include "core/db.h"
#include "core/sqlfile.h"

#define STREAM_MAX_COLS 64

static const char *sql_text(const char *name, struct almanac_error *err)
{
    const struct sqlfile *f = sqlfile_find(name);
    if (!f)
        error_set(err, ALMANAC_EX_SOFTWARE, "the program holds no SQL file %s", name);
    return f ? f->text : NULL;
}

int reportdb_begin(PGconn *conn, const char *tz, struct almanac_error *err)
{
    const char *params[1] = {tz};
    PGresult *res = reportdb_query(conn, "kpi/queries/check_time_zone.sql", 1, params, err);
    if (!res)
        return -1;
    bool known = PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), "t");
    PQclear(res);
    if (!known) {
        error_set(err, ALMANAC_EX_CONFIG, "unknown time zone \"%s\"", tz);
        error_hint(err, "time_zone in the configuration must be an IANA name such as Europe/Madrid");
        return -1;
    }
    if (db_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting the report's transaction",
                err))
        return -1;
    res = reportdb_query(conn, "reports/queries/session.sql", 1, params, err);
    if (!res) {
        reportdb_end(conn);
        return -1;
    }
    PQclear(res);
    return 0;
}

void reportdb_end(PGconn *conn)
{
    PGresult *res = PQexec(conn, "ROLLBACK");
    PQclear(res);
}

PGresult *reportdb_query(PGconn *conn, const char *name, int nparams, const char *const *params,
                         struct almanac_error *err)
{
    const char *sql = sql_text(name, err);
    if (!sql)
        return NULL;
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        db_error(err, conn, res, name);
        PQclear(res);
        return NULL;
    }
    return res;
}

int reportdb_stream(PGconn *conn, const char *name, int nparams, const char *const *params,
                    int (*row)(const char *const *values, int ncols, void *arg), void *arg,
                    struct almanac_error *err)
{
    const char *sql = sql_text(name, err);
    if (!sql)
        return -1;
    if (!PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0))
        return db_error(err, conn, NULL, name);
    if (!PQsetSingleRowMode(conn)) {
        error_set(err, ALMANAC_EX_SOFTWARE, "%s: single-row mode refused", name);
        PGresult *r;
        while ((r = PQgetResult(conn)) != NULL)
            PQclear(r);
        return -1;
    }
    int rc = 0;
    PGresult *res;
    const char *values[STREAM_MAX_COLS];
    while ((res = PQgetResult(conn)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE && rc == 0) {
            int n = PQnfields(res);
            if (n > STREAM_MAX_COLS) {
                rc = error_set(err, ALMANAC_EX_SOFTWARE, "%s: too many columns", name);
            } else {
                for (int c = 0; c < n; c++)
                    values[c] = PQgetisnull(res, 0, c) ? NULL : PQgetvalue(res, 0, c);
                rc = row(values, n, arg);
            }
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && rc == 0) {
            rc = db_error(err, conn, res, name);
        }
        PQclear(res);
    }
    return rc;
}

const char *reportdb_get(const PGresult *res, int row, int col)
{
    return db_value(res, row, col);
}
