#include "core/db.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/sqlfile.h"

/* Error code for a failed statement: a connection that went away is a
 * service problem (69), anything else an unexpected answer (70). */
static int failure_code(PGconn *conn)
{
    return (conn && PQstatus(conn) == CONNECTION_BAD) ? ALMANAC_EX_UNAVAILABLE
                                                      : ALMANAC_EX_SOFTWARE;
}

int db_error(struct almanac_error *err, PGconn *conn, const PGresult *res, const char *what)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
    const char *where = res ? PQresultErrorField(res, PG_DIAG_CONTEXT) : NULL;

    error_set(err, failure_code(conn), "%s failed", what);
    if (primary)
        error_detail(err, "server said: %s%s%s%s", primary, detail ? " (" : "",
                     detail ? detail : "", detail ? ")" : "");
    else if (conn)
        error_detail(err, "server said: %s", PQerrorMessage(conn));
    if (hint)
        error_hint(err, "%s", hint);
    else if (where)
        error_hint(err, "context: %s", where);
    return -1;
}

static char *first_line(const char *sql, char *buf, size_t size)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t')
        sql++;
    size_t n = strcspn(sql, "\n");
    if (n >= size)
        n = size - 1;
    memcpy(buf, sql, n);
    buf[n] = '\0';
    return buf;
}

/* Whether PQconnectdbParams gave an open connection; if not, fills err
 * (`what` names the attempt, without the password) and frees it. */
static bool connected(PGconn *conn, const char *what, struct almanac_error *err)
{
    if (!conn) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory connecting to PostgreSQL");
        return false;
    }
    if (PQstatus(conn) == CONNECTION_OK)
        return true;
    error_set(err, ALMANAC_EX_UNAVAILABLE, "%s", what);
    error_detail(err, "server said: %s", PQerrorMessage(conn));
    error_hint(err, "check that the server runs and the connection string is right");
    PQfinish(conn);
    return false;
}

PGconn *db_connect(const char *conninfo, const char *appname, struct almanac_error *err)
{
    /* expand_dbname lets `conninfo` be a full connection string or URI while
     * application_name and options still apply; a later key wins only when
     * the user did not set it, so the user's own options are respected. */
    const char *keys[] = {"application_name", "options", "dbname", NULL};
    const char *vals[] = {appname, "-c search_path=public,pg_catalog -c client_min_messages=warning", conninfo, NULL};
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    char desc[512], what[600];
    snprintf(what, sizeof what, "cannot connect to PostgreSQL (%s)", db_describe(conninfo, desc, sizeof desc));
    if (!connected(conn, what, err))
        return NULL;
    return conn;
}

PGconn *db_connect_retry(const char *conninfo, const char *appname, int attempts,
                         struct almanac_error *err)
{
    double wait = 0.5;
    for (int i = 1;; i++) {
        PGconn *conn = db_connect(conninfo, appname, err);
        if (conn || i >= attempts)
            return conn;
        /* Only an unreachable server is worth waiting for; a wrong password
         * or a missing database will not fix itself. */
        if (PQping(conninfo) != PQPING_NO_RESPONSE)
            return NULL;
        struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
        nanosleep(&ts, NULL);
        wait = wait * 2 > 8 ? 8 : wait * 2;
    }
}

PGconn *db_connect_like(PGconn *conn, const char *appname, struct almanac_error *err)
{
    PQconninfoOption *opts = PQconninfo(conn);
    if (!opts) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory reading a connection's parameters");
        return NULL;
    }
    size_t n = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        n++;
    const char **keys = calloc(n + 2, sizeof *keys);
    const char **vals = calloc(n + 2, sizeof *vals);
    PGconn *other = NULL;
    if (keys && vals) {
        size_t k = 0;
        for (PQconninfoOption *o = opts; o->keyword; o++) {
            if (!o->val || !*o->val || !strcmp(o->keyword, "application_name"))
                continue;
            keys[k] = o->keyword;
            vals[k++] = o->val;
        }
        keys[k] = "application_name";
        vals[k] = appname;
        other = PQconnectdbParams(keys, vals, 0);
    }
    free(keys);
    free(vals);
    PQconninfoFree(opts);
    char what[600];
    snprintf(what, sizeof what, "cannot open a second connection to PostgreSQL (dbname=%s)", PQdb(conn));
    if (!connected(other, what, err))
        return NULL;
    return other;
}

const char *db_describe(const char *conninfo, char *buf, size_t size)
{
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo ? conninfo : "", &errmsg);
    if (!opts) {
        PQfreemem(errmsg);
        snprintf(buf, size, "an unparsable connection string");
        return buf;
    }
    static const char *const shown[] = {"dbname", "host", "hostaddr", "port", "user", NULL};
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; shown[i]; i++) {
        for (PQconninfoOption *o = opts; o->keyword; o++) {
            if (strcmp(o->keyword, shown[i]) != 0 || !o->val || !*o->val)
                continue;
            int n = snprintf(buf + used, size - used, "%s%s=%s", used ? " " : "", o->keyword,
                             o->val);
            if (n < 0 || (size_t)n >= size - used)
                break;
            used += (size_t)n;
        }
    }
    if (!used)
        snprintf(buf, size, "the default connection (PG* environment)");
    PQconninfoFree(opts);
    return buf;
}

int db_exec(PGconn *conn, const char *sql, const char *what, struct almanac_error *err)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char line[120];
        char label[300];
        if (!what)
            snprintf(label, sizeof label, "SQL \"%s\"", first_line(sql, line, sizeof line));
        db_error(err, conn, res, what ? what : label);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    return 0;
}

int db_exec_file(PGconn *conn, const char *name, struct almanac_error *err)
{
    const struct sqlfile *f = sqlfile_find(name);
    if (!f)
        return error_set(err, ALMANAC_EX_SOFTWARE, "SQL file schemas/%s is not built in", name);
    char what[300];
    snprintf(what, sizeof what, "running schemas/%s", name);
    return db_exec(conn, f->text, what, err);
}

PGresult *db_query(PGconn *conn, const char *sql, int nparams, const char *const *params,
                   struct almanac_error *err)
{
    PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char line[120];
        char what[300];
        snprintf(what, sizeof what, "SQL \"%s\"", first_line(sql, line, sizeof line));
        db_error(err, conn, res, what);
        PQclear(res);
        return NULL;
    }
    return res;
}

int db_command(PGconn *conn, const char *sql, int nparams, const char *const *params,
               struct almanac_error *err)
{
    PGresult *res = db_query(conn, sql, nparams, params, err);
    if (!res)
        return -1;
    PQclear(res);
    return 0;
}

char *db_quote_ident(PGconn *conn, const char *ident)
{
    char *q = PQescapeIdentifier(conn, ident, strlen(ident));
    if (!q)
        return NULL;
    char *copy = strdup(q);
    PQfreemem(q);
    return copy;
}

const char *db_value(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}
