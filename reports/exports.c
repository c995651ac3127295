/* exports.c: the seven CSV exports of a period, as one set of files. */
#include "reports/exports.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "core/db.h"
#include "core/fsutil.h"
#include "core/sqlfile.h"
#include "reports/outfile.h"

static const char *const names[EXPORTS_COUNT] = {
    "partners",    "transactions",         "events",      "generations",
    "style_usage", "loyalty_transactions", "perk_claims",
};

const char *exports_name(int i)
{
    return i >= 0 && i < EXPORTS_COUNT ? names[i] : NULL;
}

int exports_find(const char *name)
{
    for (int i = 0; i < EXPORTS_COUNT; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

/* The transaction every export reads: one snapshot, the business time
 * zone, the range. */
static int begin(PGconn *wh, const struct exports_request *req, struct almanac_error *err)
{
    const struct sqlfile *settings = sqlfile_find("reports/exports/settings.sql");
    if (!settings)
        return error_set(err, ALMANAC_EX_SOFTWARE, "reports/exports/settings.sql is not built in");
    if (db_exec(wh, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                "starting the export transaction", err))
        return -1;
    const char *params[3] = {req->time_zone, req->from_day, req->to_day};
    if (db_command(wh, settings->text, 3, params, err)) {
        /* The days were checked by the caller; what the server can refuse
         * is the time zone. */
        if (PQtransactionStatus(wh) == PQTRANS_INERROR && strstr(err->detail, "TimeZone")) {
            err->code = ALMANAC_EX_CONFIG;
            error_hint(err, "is time_zone \"%s\" a valid IANA name?", req->time_zone);
        }
        return -1;
    }
    return 0;
}

int exports_run(PGconn *wh, const struct exports_request *req, struct exports_result *res,
                struct almanac_error *err)
{
    struct outfile *files[EXPORTS_COUNT] = {0};
    memset(res, 0, sizeof(*res));
    if (fsutil_mkdirs(req->dir, 0755) != 0)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot create the directory %s: %s", req->dir,
                         strerror(errno));
    if (begin(wh, req, err))
        goto fail;
    for (int i = 0; i < EXPORTS_COUNT; i++) {
        if (req->only && !(req->only & (1u << i)))
            continue;
        struct exports_file *f = &res->files[res->nfiles];
        f->name = names[i];
        snprintf(f->path, sizeof(f->path), "%s/%s-%s.csv", req->dir, names[i], req->label);
        char sqlname[96];
        snprintf(sqlname, sizeof(sqlname), "reports/exports/%s.sql", names[i]);
        const struct sqlfile *q = sqlfile_find(sqlname);
        if (!q) {
            error_set(err, ALMANAC_EX_SOFTWARE, "%s is not built in", sqlname);
            goto fail;
        }
        double t0 = clock_seconds();
        struct outfile *of = outfile_open(f->path, true, err);
        if (!of)
            goto fail;
        files[res->nfiles++] = of;
        /* Whole blocks to the kernel: COPY rows are short. */
        setvbuf(outfile_stream(of), NULL, _IOFBF, 1 << 16);
        if (csv_export_copy(wh, q->text, &req->csv, outfile_stream(of), &f->rows, err)) {
            error_prefix(err, "%s: ", f->path);
            goto fail;
        }
        f->seconds = clock_seconds() - t0;
    }
    if (db_exec(wh, "COMMIT", "ending the export transaction", err))
        goto fail;
    /* A rename fails over a directory: find that before the first rename,
     * so the set does not appear in part. */
    for (int i = 0; i < res->nfiles; i++) {
        struct stat st;
        if (stat(res->files[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
            error_set(err, ALMANAC_EX_CANTCREAT, "cannot write %s: it is a directory",
                      res->files[i].path);
            goto fail;
        }
    }
    /* Every file is complete: only now do they take their final names. */
    for (int i = 0; i < res->nfiles; i++) {
        struct outfile *of = files[i];
        files[i] = NULL;
        if (outfile_commit(of, &res->files[i].bytes, err))
            goto fail;
    }
    return 0;
fail:
    for (int i = 0; i < EXPORTS_COUNT; i++)
        outfile_abort(files[i]);
    if (PQtransactionStatus(wh) != PQTRANS_IDLE && PQtransactionStatus(wh) != PQTRANS_UNKNOWN) {
        PGresult *r = PQexec(wh, "ROLLBACK");
        PQclear(r);
    }
    return -1;
}
