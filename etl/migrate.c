#include "etl/migrate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/db.h"
#include "core/sqlfile.h"

#define PREFIX "warehouse/"

struct walk {
    PGconn *wh;
    PGresult *applied; /* version, checksum */
    bool apply;
    int count;
    struct almanac_error *err;
};

static int find_applied(const PGresult *applied, const char *version)
{
    for (int i = 0; i < PQntuples(applied); i++)
        if (strcmp(PQgetvalue(applied, i, 0), version) == 0)
            return i;
    return -1;
}

static int visit(const struct sqlfile *f, void *arg)
{
    struct walk *w = arg;
    const char *version = f->name + strlen(PREFIX);
    int row = find_applied(w->applied, version);
    if (row >= 0) {
        const char *params[] = {f->text};
        PGresult *sum = db_query(w->wh, sqlfile_text("etl/queries/migration_checksum.sql"), 1, params, w->err);
        if (!sum)
            return -1;
        bool same = strcmp(PQgetvalue(sum, 0, 0), PQgetvalue(w->applied, row, 1)) == 0;
        PQclear(sum);
        if (!same) {
            error_set(w->err, ALMANAC_EX_SOFTWARE,
                      "warehouse migration %s was changed after it was applied", version);
            error_hint(w->err, "add a new numbered migration instead of editing an applied one");
            return -1;
        }
        return 0;
    }
    w->count++;
    if (!w->apply)
        return 0;
    if (db_exec_file(w->wh, f->name, w->err) != 0)
        return -1;
    const char *params[] = {version, f->text};
    return db_command(w->wh, sqlfile_text("etl/queries/record_migration.sql"), 2, params, w->err);
}

static int walk(PGconn *wh, bool apply, int *count, struct almanac_error *err)
{
    if (db_exec(wh, "BEGIN", NULL, err) != 0)
        return -1;
    struct walk w = {wh, NULL, apply, 0, err};
    if (db_command(wh, sqlfile_text("etl/queries/migration_lock.sql"), 0, NULL, err) != 0 ||
        db_exec_file(wh, "etl/bootstrap.sql", err) != 0)
        goto fail;
    w.applied = db_query(wh, sqlfile_text("etl/queries/applied_migrations.sql"), 0, NULL, err);
    if (!w.applied)
        goto fail;
    int rc = sqlfile_each(PREFIX, visit, &w);
    PQclear(w.applied);
    if (rc != 0)
        goto fail;
    if (db_exec(wh, apply ? "COMMIT" : "ROLLBACK", NULL, err) != 0)
        return -1;
    if (count)
        *count = w.count;
    return 0;
fail:
    PQclear(PQexec(wh, "ROLLBACK"));
    error_prefix(err, "warehouse migration: ");
    return -1;
}

int migrate_apply(PGconn *wh, int *applied, struct almanac_error *err)
{
    return walk(wh, true, applied, err);
}

int migrate_pending(PGconn *wh, int *pending, struct almanac_error *err)
{
    return walk(wh, false, pending, err);
}
