#include "etl/extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/sqlfile.h"
#include "core/strbuf.h"
#include "etl/copytext.h"

/* Rows are batched into one PQputCopyData call per ~256 KB: one call per row
 * costs more than the validation itself. */
#define FLUSH_BYTES (256 * 1024)
#define PROGRESS_EVERY 65536

static int flush(PGconn *wh, struct strbuf *out, struct almanac_error *err)
{
    if (out->len == 0)
        return 0;
    if (PQputCopyData(wh, out->data, (int)out->len) != 1)
        return db_error(err, wh, NULL, "sending rows to the warehouse");
    strbuf_reset(out);
    return 0;
}

/* A rejected row: key (if it is a number), NULL typed columns, then
 * reason code, reason text and the raw row, escaped for COPY. */
static int append_reject(struct strbuf *out, const struct table_spec *t,
                         const struct row_fields *r, const char *raw, size_t len,
                         const char *code, const char *why)
{
    int rc = 0;
    /* Digits that fit a bigint: 18 always do, 19 only up to 2^63-1. */
    bool key_ok = r->n > 0 && r->f[0].len > 0 && !r->f[0].null &&
                  (r->f[0].len < 19 ||
                   (r->f[0].len == 19 && memcmp(r->f[0].p, "9223372036854775807", 19) <= 0));
    for (size_t i = 0; key_ok && i < r->f[0].len; i++)
        key_ok = r->f[0].p[i] >= '0' && r->f[0].p[i] <= '9';
    rc |= key_ok ? strbuf_append(out, r->f[0].p, r->f[0].len) : strbuf_puts(out, "\\N");
    for (size_t i = 1; i < t->ncols; i++)
        rc |= strbuf_puts(out, "\t\\N");
    rc |= strbuf_printf(out, "\t%s\t", code);
    rc |= copytext_escape(why, strlen(why), out);
    rc |= strbuf_puts(out, "\t");
    /* The raw row is kept as the source sent it (COPY text), so escape it
     * once more to store it as a single text value. */
    rc |= copytext_escape(raw, len, out);
    rc |= strbuf_puts(out, "\n");
    return rc ? -1 : 0;
}

int extract_table(PGconn *src, PGconn *wh, const struct table_spec *t, struct validator *v,
                  struct extract_counts *c, extract_progress_fn progress, void *arg,
                  struct almanac_error *err)
{
    char name[160], what[200], copy_in[200];
    snprintf(name, sizeof name, "etl/extract/%s.sql", t->name);
    const struct sqlfile *q = sqlfile_find(name);
    if (!q)
        return error_set(err, ALMANAC_EX_SOFTWARE, "SQL file schemas/%s is not built in", name);
    memset(c, 0, sizeof *c);

    /* FREEZE: staging was truncated earlier in this transaction, so the rows
     * can be written already frozen and later reads set no hint bits. */
    snprintf(copy_in, sizeof copy_in, "COPY staging.%s FROM STDIN WITH (FREEZE)", t->name);
    PGresult *res = PQexec(wh, copy_in);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        snprintf(what, sizeof what, "starting to load staging.%s", t->name);
        db_error(err, wh, res, what);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    res = PQexec(src, q->text);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        snprintf(what, sizeof what, "extracting %s from the source", t->name);
        db_error(err, src, res, what);
        PQclear(res);
        PQputCopyEnd(wh, "source extraction failed");
        PQclear(PQgetResult(wh));
        return -1;
    }
    PQclear(res);

    struct strbuf out = STRBUF_INIT;
    struct row_fields fields;
    char why[512];
    int rc = 0;
    bool src_done = false;
    for (;;) {
        char *buf = NULL;
        int len = PQgetCopyData(src, &buf, 0);
        if (len == -1) {
            src_done = true;
            break;
        }
        if (len < 0) {
            src_done = true;
            snprintf(what, sizeof what, "reading %s from the source", t->name);
            db_error(err, src, NULL, what);
            rc = -1;
            break;
        }
        size_t n = (size_t)len;
        if (n > 0 && buf[n - 1] == '\n')
            n--;
        c->read++;
        const char *code = validate_row(v, t, buf, n, &fields, why, sizeof why);
        int arc;
        if (!code) {
            c->loaded++;
            arc = strbuf_append(&out, buf, n) | strbuf_puts(&out, "\t\\N\t\\N\t\\N\n");
        } else {
            c->rejected++;
            arc = append_reject(&out, t, &fields, buf, n, code, why);
        }
        PQfreemem(buf);
        if (arc) {
            rc = error_set(err, ALMANAC_EX_SOFTWARE, "out of memory staging %s", t->name);
            break;
        }
        if (out.len >= FLUSH_BYTES && flush(wh, &out, err) != 0) {
            rc = -1;
            break;
        }
        if (progress && c->read % PROGRESS_EVERY == 0)
            progress(t, c, arg);
    }
    if (rc == 0 && flush(wh, &out, err) != 0)
        rc = -1;
    strbuf_free(&out);

    /* Collect the source's final result once its COPY has ended. When the
     * warehouse side failed the source COPY is still running; the caller
     * then abandons that connection (PQgetResult would only repeat
     * PGRES_COPY_OUT). */
    while (src_done && (res = PQgetResult(src)) != NULL) {
        if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
            snprintf(what, sizeof what, "extracting %s from the source", t->name);
            db_error(err, src, res, what);
            rc = -1;
        }
        PQclear(res);
    }
    if (PQputCopyEnd(wh, rc == 0 ? NULL : "extraction failed") != 1 && rc == 0) {
        snprintf(what, sizeof what, "finishing the load of staging.%s", t->name);
        rc = db_error(err, wh, NULL, what);
    }
    while ((res = PQgetResult(wh)) != NULL) {
        if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
            snprintf(what, sizeof what, "loading staging.%s", t->name);
            db_error(err, wh, res, what);
            rc = -1;
        } else if (rc == 0) {
            /* The server's own count ("COPY n") must match what was read:
             * the first link of the read = loaded + rejected chain. */
            long long staged = strtoll(PQcmdTuples(res), NULL, 10);
            if (staged != c->read) {
                error_set(err, ALMANAC_EX_DATAERR,
                          "staging.%s received %lld rows but %lld were read from the source",
                          t->name, staged, c->read);
                rc = -1;
            }
        }
        PQclear(res);
    }
    if (progress && rc == 0)
        progress(t, c, arg);
    return rc;
}
