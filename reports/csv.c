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

static bool needs_quote(const char *v, size_t len, char delimiter)
{
    for (size_t i = 0; i < len; i++)
        if (v[i] == delimiter || v[i] == '"' || v[i] == '\n' || v[i] == '\r')
            return true;
    return false;
}

/* Writes a non-empty field to dst, which has room for 2 * len + 3 bytes
 * (quotes, apostrophe, every byte a doubled quote). Returns the length. */
static size_t put_field(char *dst, const char *v, size_t len, bool quote, bool guard)
{
    char *d = dst;
    if (quote)
        *d++ = '"';
    if (guard)
        *d++ = '\'';
    if (!quote) {
        memcpy(d, v, len);
        return (size_t)(d - dst) + len;
    }
    for (size_t i = 0; i < len; i++) {
        if (v[i] == '"')
            *d++ = '"';
        *d++ = v[i];
    }
    *d++ = '"';
    return (size_t)(d - dst);
}

int csv_field(struct strbuf *sb, const char *v, size_t len, enum csv_kind kind,
              const struct csv_options *opt)
{
    if (!v)
        return 0;
    if (len == 0)
        return strbuf_append(sb, "\"\"", 2);
    char small[256];
    char *tmp = 2 * len + 3 <= sizeof(small) ? small : malloc(2 * len + 3);
    if (!tmp)
        return -1;
    bool guard = opt->formula_guard && kind == CSV_TEXT && formula_start(v[0]);
    size_t n = put_field(tmp, v, len, needs_quote(v, len, opt->delimiter), guard);
    int rc = strbuf_append(sb, tmp, n);
    if (tmp != small)
        free(tmp);
    return rc;
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
        return error_set(err, ALMANAC_EX_SOFTWARE,
                         n <= 0 ? "the export query returns no columns" : "out of memory");
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

/* How the converter treats a byte of a raw COPY text row. */
enum {
    CLS_TAB = 1,       /* ends a field (a tab in the data arrives as \t) */
    CLS_BACKSLASH = 2, /* an escape: the field must be unescaped first */
    CLS_QUOTE = 4,     /* the field must be quoted */
};

/* The output line of one row; grows to the longest row and stays. */
struct line {
    char *p;
    size_t cap;
};

/* One COPY text row (its newline included) as one CSV line in `out`, in a
 * single pass over the bytes: the common field (no escape, nothing to
 * quote) is one memcpy. Returns the line's length, or -1 with err set. */
static long convert_row(const char *buf, size_t len, const enum csv_kind *kinds, int ncols,
                        const struct csv_options *opt, const unsigned char cls[256],
                        struct line *out, struct strbuf *scratch, struct almanac_error *err)
{
    if (len && buf[len - 1] == '\n')
        len--;
    /* Unescaping never lengthens a field, so this bounds the line. */
    size_t need = 2 * len + 4 * (size_t)ncols + 2;
    if (need > out->cap) {
        char *p = realloc(out->p, need);
        if (!p)
            return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        out->p = p;
        out->cap = need;
    }
    char *d = out->p;
    const char *p = buf, *end = buf + len;
    for (int col = 0;; col++) {
        const char *start = p;
        unsigned flags = 0;
        while (p < end && !(cls[(unsigned char)*p] & CLS_TAB))
            flags |= cls[(unsigned char)*p++];
        size_t n = (size_t)(p - start);
        bool last = p == end;
        if (col >= ncols || (last && col != ncols - 1))
            return error_set(err, ALMANAC_EX_SOFTWARE,
                             "the export query sent a row with another number of columns than %d",
                             ncols);
        if (col)
            *d++ = opt->delimiter;
        if (n == 0) {
            *d++ = '"'; /* an empty string, not NULL */
            *d++ = '"';
        } else if (!(n == 2 && start[0] == '\\' && start[1] == 'N')) {
            const char *v = start;
            size_t vn = n;
            bool quote = flags & CLS_QUOTE;
            if (flags & CLS_BACKSLASH) {
                strbuf_reset(scratch);
                if (copytext_unescape(start, n, scratch))
                    return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
                v = strbuf_str(scratch);
                vn = scratch->len;
                quote = needs_quote(v, vn, opt->delimiter);
            }
            bool guard = opt->formula_guard && kinds[col] == CSV_TEXT && vn && formula_start(v[0]);
            d += put_field(d, v, vn, quote, guard);
        }
        if (last)
            break;
        p++;
    }
    *d++ = '\r';
    *d++ = '\n';
    return (long)(d - out->p);
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
    struct strbuf sel = STRBUF_INIT, copy = STRBUF_INIT, header = STRBUF_INIT,
                  scratch = STRBUF_INIT;
    struct line line = {NULL, 0};
    unsigned char cls[256] = {0};
    cls['\t'] = CLS_TAB;
    cls['\\'] = CLS_BACKSLASH;
    cls['"'] = cls['\r'] = cls['\n'] = CLS_QUOTE;
    cls[(unsigned char)opt->delimiter] |= CLS_QUOTE;
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
            long n_out =
                convert_row(buf, (size_t)got, kinds, ncols, opt, cls, &line, &scratch, err);
            if (n_out < 0)
                failed = true;
            else if (fwrite(line.p, 1, (size_t)n_out, out) != (size_t)n_out) {
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
    free(line.p);
    strbuf_free(&scratch);
    return rc;
}
