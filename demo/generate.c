#include "demo/generate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/db.h"
#include "core/fsutil.h"
#include "core/sqlfile.h"

static const char *query(const char *name)
{
    const struct sqlfile *f = sqlfile_find(name);
    return f ? f->text : NULL;
}

/* Numeric text compare: "1" and "1.00" are the same scale. */
static int same_scale(const char *a, const char *b)
{
    return strtod(a, NULL) == strtod(b, NULL);
}

int demo_check(PGconn *conn, const struct demo_params *p, enum demo_state *state,
               struct almanac_error *err)
{
    PGresult *res = db_query(conn, query("demo/queries/has_meta.sql"), 0, NULL, err);
    if (!res)
        return -1;
    int has = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!has) {
        *state = DEMO_EMPTY;
        return 0;
    }
    res = db_query(conn, query("demo/queries/state.sql"), 0, NULL, err);
    if (!res)
        return -1;
    *state = DEMO_DIFFERENT;
    if (PQntuples(res) == 1 && same_scale(PQgetvalue(res, 0, 0), p->scale) &&
        strtoll(PQgetvalue(res, 0, 1), NULL, 10) == p->seed &&
        strcmp(PQgetvalue(res, 0, 2), p->as_of) == 0)
        *state = DEMO_SAME;
    PQclear(res);
    return 0;
}

int demo_end_stale_sessions(PGconn *conn, struct almanac_error *err)
{
    return db_command(conn, query("demo/queries/terminate_stale.sql"), 0, NULL, err);
}

/* Runs schemas/demo/NNN_*.sql; the queries/ folder beside them is not part
 * of the generation. */
static int run_step(const struct sqlfile *f, void *arg)
{
    void **ctx = arg;
    const char *base = f->name + strlen("demo/");
    if (base[0] < '0' || base[0] > '9')
        return 0;
    return db_exec_file(ctx[0], f->name, ctx[1]);
}

int demo_generate(PGconn *conn, const struct demo_params *p, struct almanac_error *err)
{
    char seed[32];
    snprintf(seed, sizeof seed, "%lld", p->seed);
    const char *params[] = {p->scale, seed, p->as_of};

    if (db_exec(conn, "BEGIN", NULL, err) != 0)
        return -1;
    if (db_command(conn, query("demo/queries/set_params.sql"), 3, params, err) != 0)
        goto fail;
    if (db_exec_file(conn, "source/001_operational.sql", err) != 0)
        goto fail;
    void *ctx[] = {conn, err};
    if (sqlfile_each("demo/", run_step, ctx) != 0)
        goto fail;
    if (db_exec_file(conn, "source/002_keys_indexes.sql", err) != 0)
        goto fail;
    if (db_exec(conn, "COMMIT", NULL, err) != 0)
        goto fail;
    /* Fresh statistics, so the first extraction gets sensible plans. */
    return db_exec(conn, "ANALYZE", NULL, err);
fail:
    /* The server may already be gone; the rollback is best effort and the
     * first error is the one worth reporting. */
    PQclear(PQexec(conn, "ROLLBACK"));
    error_prefix(err, "generating demo data: ");
    return -1;
}

int demo_write_truth(PGconn *conn, const char *path, long long *total_rows,
                     struct almanac_error *err)
{
    PGresult *res = db_query(conn, query("demo/queries/truth.sql"), 0, NULL, err);
    if (!res)
        return -1;
    json_error_t jerr;
    json_t *doc = json_loads(PQgetvalue(res, 0, 0), 0, &jerr);
    PQclear(res);
    if (!doc)
        return error_set(err, ALMANAC_EX_SOFTWARE, "demo truth is not valid JSON: %s", jerr.text);
    long long total = 0;
    const char *key;
    json_t *val;
    json_object_foreach(json_object_get(doc, "row_counts"), key, val)
        total += json_integer_value(val);
    if (total_rows)
        *total_rows = total;
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (!text)
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory writing %s", path);
    size_t len = strlen(text);
    char *file = realloc(text, len + 2);
    if (!file) {
        free(text);
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory writing %s", path);
    }
    file[len++] = '\n';
    file[len] = '\0';
    int rc = 0;
    if (fsutil_write_atomic(path, file, len) != 0)
        rc = error_set(err, ALMANAC_EX_CANTCREAT, "cannot write %s: %s", path, strerror(errno));
    free(file);
    return rc;
}
