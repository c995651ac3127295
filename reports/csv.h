/* csv.h: RFC 4180 CSV fields, and a query streamed from PostgreSQL to CSV.
 *
 * A field is quoted only when it holds the delimiter, a double quote, CR or
 * LF; quotes inside are doubled; rows end with CRLF (RFC 4180). SQL NULL is
 * an empty field, an empty string is "" (the convention of PostgreSQL's
 * own CSV). Bytes are copied unchanged: UTF-8 in, UTF-8 out.
 *
 * Formula guard: a text field that starts with =, +, -, @, tab, CR or LF
 * gets a leading apostrophe, so a spreadsheet shows it as text instead of
 * running it. Only text is guarded: a number such as -5 stays -5.
 */
#ifndef ALMANAC_REPORTS_CSV_H
#define ALMANAC_REPORTS_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "core/error.h"
#include "core/strbuf.h"

struct csv_options {
    char delimiter;     /* ',', ';' or '\t' */
    bool bom;           /* start the file with the UTF-8 byte order mark (Excel) */
    bool formula_guard; /* prefix formula-like text with ' (the default) */
};

/* What a column holds: text is guarded, numbers, dates and times never are. */
enum csv_kind {
    CSV_TEXT,
    CSV_PLAIN,
};

/* The defaults: comma, no BOM, formula guard on. */
void csv_options_default(struct csv_options *opt);

/* Appends one field (without delimiter or line end) to sb. value NULL is
 * SQL NULL. Returns 0 or -1 when memory runs out. */
int csv_field(struct strbuf *sb, const char *value, size_t len, enum csv_kind kind,
              const struct csv_options *opt);

/* Writes the result of `select_sql` (one SELECT, no parameters, no trailing
 * semicolon) to `out` as CSV: the BOM when asked, a header row of the
 * column names, then one row per result row. The column types decide which
 * columns are text (guarded): character types and anything not known to be
 * a number, date, time or boolean. Rows are read with COPY TO STDOUT one at
 * a time, so memory stays flat whatever the row count. Fills *rows with the
 * data rows written. Returns 0, or -1 with err set: the server's error, or
 * exit 73 when writing `out` failed (the COPY is then cancelled). */
int csv_export_copy(PGconn *conn, const char *select_sql, const struct csv_options *opt, FILE *out,
                    long long *rows, struct almanac_error *err);

#endif
