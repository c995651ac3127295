/* csv.c: RFC 4180 fields; COPY text rows from PostgreSQL turned into CSV. */
#include "reports/csv.h"

#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "etl/copytext.h"

/* Type OIDs from PostgreSQL's pg_type.dat (stable across versions; the
 * server headers that define them are not part of libpq-dev). */
enum {
    OID_BOOL = 16,
    OID_INT8 = 20,
    OID_INT2 = 21,
    OID_INT4 = 23,
    OID_OID = 26,
    OID_FLOAT4 = 700,
    OID_FLOAT8 = 701,
    OID_DATE = 1082,
    OID_TIME = 1083,
    OID_TIMESTAMP = 1114,
    OID_TIMESTAMPTZ = 1184,
    OID_TIMETZ = 1266,
    OID_NUMERIC = 1700,
};

void csv_options_default(struct csv_options *opt)
{
    opt->delimiter = ',';
    opt->bom = false;
    opt->formula_guard = true;
}

/* What Excel, LibreOffice and Google Sheets start a formula with, plus the
 * characters they strip before looking (OWASP "CSV injection"). */
static bool formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\n';
}

int csv_field(struct strbuf *sb, const char *v, size_t len, enum csv_kind kind,
              const struct csv_options *opt)
{
    if (!v)
        return 0;
    if (len == 0)
        return strbuf_append(sb, "\"\"", 2);
    bool guard = opt->formula_guard && kind == CSV_TEXT && formula_start(v[0]);
    bool quote = false;
    for (size_t i = 0; i < len; i++) {
        char c = v[i];
        if (c == opt->delimiter || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote)
        return (guard && strbuf_append(sb, "'", 1)) || strbuf_append(sb, v, len) ? -1 : 0;
    if (strbuf_append(sb, guard ? "\"'" : "\"", guard ? 2 : 1))
        return -1;
    const char *p = v, *end = v + len;
    while (p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        /* Up to and including the quote, then the quote once more. */
        size_t run = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
        if (strbuf_append(sb, p, run) || (q && strbuf_append(sb, "\"", 1)))
            return -1;
        p += run;
    }
    return strbuf_append(sb, "\"", 1);
}

static enum csv_kind kind_of(Oid type)
{
    switch (type) {
    case OID_BOOL:
    case OID_INT8:
    case OID_INT2:
    case OID_INT4:
    case OID_OID:
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
    case OID_DATE:
    case OID_TIME:
    case OID_TIMESTAMP:
    case OID_TIMESTAMPTZ:
    case OID_TIMETZ:
        return CSV_PLAIN;
    default:
        /* Unknown types are guarded: a spurious apostrophe is a nuisance, a
         * formula that runs is not. */
        return CSV_TEXT;
    }
}

/* The statement's column names and kinds, without running it. */
static int describe(PGconn *conn, const char *select_sql, int *ncols, enum csv_kind **kinds,
                    struct strbuf *header, const struct csv_options *opt, struct almanac_error *err)
{
    PGresult *res = PQprepare(conn, "", select_sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        db_error(err, conn, res, "preparing the export query");
        PQclear(res);
        return -1;
    }
    PQclear(res);
    res = PQdescribePrepared(conn, "");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        db_error(err, conn, res, "describing the export query");
        PQclear(res);
        return -1;
    }
    int n = PQnfields(res);
    *kinds = n > 0 ? calloc((size_t)n, sizeof(**kinds)) : NULL;
    if (n <= 0 || !*kinds) {
        PQclear(res);
        return error_set(err, ALMANAC_EX_SOFTWARE, n <= 0 ? "the export query returns no columns"
                                                          : "out of memory");
    }
    *ncols = n;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        (*kinds)[i] = kind_of(PQftype(res, i));
        const char *name = PQfname(res, i);
        rc = (i && strbuf_append(header, &opt->delimiter, 1)) ||
             csv_field(header, name, strlen(name), CSV_TEXT, opt);
    }
    PQclear(res);
    if (rc || strbuf_append(header, "\r\n", 2))
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
    return 0;
}

/* One COPY text row (its newline included) as one CSV line in `line`.
 * Returns 0, or -1 with err set. */
static int convert_row(const char *buf, size_t len, const enum csv_kind *kinds, int ncols,
                       const struct csv_options *opt, struct strbuf *line, struct strbuf *scratch,
                       struct almanac_error *err)
{
    if (len && buf[len - 1] == '\n')
        len--;
    strbuf_reset(line);
    const char *p = buf, *end = buf + len;
    for (int col = 0;; col++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *stop = tab ? tab : end;
        size_t n = (size_t)(stop - p);
        if (col >= ncols || (!tab && col != ncols - 1))
            return error_set(err, ALMANAC_EX_SOFTWARE,
                             "the export query sent a row with another number of columns than %d", ncols);
        int rc = col && strbuf_append(line, &opt->delimiter, 1);
        if (n == 2 && p[0] == '\\' && p[1] == 'N')
            ; /* NULL: an empty field */
        else if (memchr(p, '\\', n)) {
            strbuf_reset(scratch);
            rc = rc || copytext_unescape(p, n, scratch) ||
                 csv_field(line, strbuf_str(scratch), scratch->len, kinds[col], opt);
        } else
            rc = rc || csv_field(line, p, n, kinds[col], opt);
        if (rc)
            return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        if (!tab)
            break;
        p = tab + 1;
    }
    if (strbuf_append(line, "\r\n", 2))
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
    return 0;
}

/* Asks the server to stop a COPY we no longer want; its rows still arrive
 * until the cancel lands and are dropped. */
static void cancel_copy(PGconn *conn)
{
    PGcancel *c = PQgetCancel(conn);
    if (c) {
        char buf[256];
        PQcancel(c, buf, sizeof(buf));
        PQfreeCancel(c);
    }
}

int csv_export_copy(PGconn *conn, const char *select_sql, const struct csv_options *opt, FILE *out,
                    long long *rows, struct almanac_error *err)
{
    struct strbuf sel = STRBUF_INIT, copy = STRBUF_INIT, header = STRBUF_INIT, line = STRBUF_INIT, scratch = STRBUF_INIT;
    enum csv_kind *kinds = NULL;
    int ncols = 0, rc = -1;
    long long n = 0;
    *rows = 0;

    /* A trailing semicolon or blank would end the COPY's parenthesis early. */
    size_t len = strlen(select_sql);
    while (len && strchr(" \t\r\n;", select_sql[len - 1]))
        len--;
    if (strbuf_append(&sel, select_sql, len) || strbuf_puts(&copy, "COPY (") ||
        strbuf_append(&copy, select_sql, len) || strbuf_puts(&copy, ") TO STDOUT")) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        goto done;
    }
    if (describe(conn, strbuf_str(&sel), &ncols, &kinds, &header, opt, err))
        goto done;
    if ((opt->bom && fwrite("\xEF\xBB\xBF", 1, 3, out) != 3) ||
        fwrite(header.data, 1, header.len, out) != header.len) {
        error_set(err, ALMANAC_EX_CANTCREAT, "writing the CSV file failed");
        goto done;
    }

    PGresult *res = PQexec(conn, strbuf_str(&copy));
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        db_error(err, conn, res, "starting the export COPY");
        PQclear(res);
        goto done;
    }
    PQclear(res);

    bool failed = false; /* our side failed: drop the rest of the rows */
    for (;;) {
        char *buf = NULL;
        int got = PQgetCopyData(conn, &buf, 0);
        if (got < 0) {
            if (got == -2 && !failed)
                db_error(err, conn, NULL, "reading the export COPY");
            if (got == -2)
                failed = true;
            break;
        }
        if (!failed) {
            if (convert_row(buf, (size_t)got, kinds, ncols, opt, &line, &scratch, err) != 0)
                failed = true;
            else if (fwrite(line.data, 1, line.len, out) != line.len) {
                error_set(err, ALMANAC_EX_CANTCREAT, "writing the CSV file failed");
                failed = true;
            } else
                n++;
            if (failed)
                cancel_copy(conn);
        }
        PQfreemem(buf);
    }
    /* The COPY's own verdict: a server error after the last row (or a
     * cancelled query) arrives here. */
    bool server_ok = true;
    while ((res = PQgetResult(conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && server_ok) {
            server_ok = false;
            if (!failed)
                db_error(err, conn, res, "the export COPY");
        }
        PQclear(res);
    }
    if (!failed && server_ok) {
        *rows = n;
        rc = 0;
    }
done:
    free(kinds);
    strbuf_free(&sel);
    strbuf_free(&copy);
    strbuf_free(&header);
    strbuf_free(&line);
    strbuf_free(&scratch);
    return rc;
}
