/* xlsx.h: the sheet writer every XLSX workbook uses, over libxlsxwriter.
 *
 * A book is written in libxlsxwriter's constant-memory mode: each sheet
 * streams its rows to a temporary file in order, so a sheet of a million
 * rows costs no more memory than one of ten. What this layer adds:
 *   - typed cells from PostgreSQL's text output (numbers, money, percent,
 *     dates in the business time zone as Excel serials, ids, text);
 *   - text made safe: never a formula (string cells in the Text "@"
 *     format, which also keeps an edited cell text), characters XML cannot
 *     carry dropped, text past Excel's 32,767 characters cut with a marker;
 *   - column widths fitted to the longest value seen, set when the sheet is
 *     finished (libxlsxwriter writes <cols> when the book is closed, so
 *     widths may be set after the rows);
 *   - a header row that is frozen, filtered and repeated on printed pages;
 *   - a sheet that reaches Excel's row limit continues on "Name (2)";
 *   - every libxlsxwriter return code checked: a refused cell is an error.
 * Docs: docs/reports.md.
 */
#ifndef ALMANAC_REPORTS_XLSX_H
#define ALMANAC_REPORTS_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/error.h"

/* Excel's limits. */
#define XLSX_MAX_ROWS 1048576     /* rows per sheet, header included */
#define XLSX_MAX_STRING 32767     /* characters per cell */
#define XLSX_MAX_COLS 32          /* columns of one of our tables */
#define XLSX_CUT_MARKER " [… cut at 32,767 characters]"

/* How a column's values are written. Values arrive as PostgreSQL text. */
enum xlsx_type {
    XLSX_TEXT,     /* string cell, Text format, formula guard */
    XLSX_INT,      /* whole number, "#,##0" */
    XLSX_ID,       /* an id: a number without separators when a double holds it exactly, else text */
    XLSX_NUMBER,   /* number, "#,##0.00" */
    XLSX_MONEY,    /* exact numeric as a number in the currency format */
    XLSX_PCT,      /* a value in percent units (65.3) shown as 65.3 % (stored 0.653) */
    XLSX_PP,       /* a change in percentage points, shown "+1.2 pp" */
    XLSX_DATE,     /* "YYYY-MM-DD" -> Excel date */
    XLSX_DATETIME, /* "YYYY-MM-DD HH:MM:SS[.ffffff]" local time -> Excel date and time */
    XLSX_BOOL,     /* "t"/"f" -> TRUE/FALSE */
};

struct xlsx_column {
    const char *header;
    enum xlsx_type type;
};

/* Cell styles for free-form cells (titles, labels, bands). */
enum xlsx_style {
    XLSX_PLAIN,
    XLSX_TITLE,
    XLSX_LABEL,  /* bold */
    XLSX_GOOD,   /* band colours: green, amber, red fill */
    XLSX_WATCH,
    XLSX_BAD,
    XLSX_STYLE_COUNT
};

struct xlsx_props {
    const char *title, *subject, *company, *currency; /* currency: ISO code beside money */
    time_t created; /* fixed creation time: same inputs, same bytes */
};

struct xlsx_book;
struct xlsx_sheet;

/* Opens a book that will be written to `path` (the caller's temporary
 * name) when closed; temporary files go to `tmpdir` (NULL: the system's).
 * Returns NULL with err set. */
struct xlsx_book *xlsx_book_new(const char *path, const char *tmpdir, const struct xlsx_props *props,
                                struct almanac_error *err);

/* Finishes every sheet (widths), writes the file and frees b, also on
 * failure. Returns 0 or -1 with err set (73: the file cannot be written). */
int xlsx_book_close(struct xlsx_book *b, struct almanac_error *err);

/* Frees b without writing a usable file; NULL is a no-op. */
void xlsx_book_free(struct xlsx_book *b);

/* Rows per sheet, header included, before a sheet continues on the next
 * one; default and maximum XLSX_MAX_ROWS. Tests use small limits. */
void xlsx_book_set_max_rows(struct xlsx_book *b, long rows);

/* The libxlsxwriter workbook, for charts. Owned by b. */
struct lxw_workbook *xlsx_book_workbook(struct xlsx_book *b);

/* Adds a table sheet named `name` whose first row is the header of `cols`
 * (frozen, filtered, repeated on printed pages). `first_row` > 0 leaves
 * rows above the table for xlsx_cell_* notes written before any table row.
 * The sheet is owned by b. Returns NULL with err set. */
struct xlsx_sheet *xlsx_sheet_add(struct xlsx_book *b, const char *name, const struct xlsx_column *cols,
                                  int ncols, int first_row, struct almanac_error *err);

/* Adds a free-form sheet (no table): cells go where xlsx_cell_* puts them,
 * row by row in increasing order. */
struct xlsx_sheet *xlsx_sheet_add_free(struct xlsx_book *b, const char *name, struct almanac_error *err);

/* Writes the header of a table sheet made with first_row > 0 once its
 * notes are written (done on the first row otherwise). */
int xlsx_sheet_header(struct xlsx_sheet *s, struct almanac_error *err);

/* Appends one table row: values[i] is column i's PostgreSQL text, NULL for
 * an empty cell. Continues on a new sheet at the row limit. */
int xlsx_sheet_row(struct xlsx_sheet *s, const char *const *values, struct almanac_error *err);

/* Like xlsx_sheet_row with a type and a style per cell for this row
 * (tables whose rows differ in unit); either array may be NULL. */
int xlsx_sheet_row_ex(struct xlsx_sheet *s, const char *const *values, const enum xlsx_type *types,
                      const enum xlsx_style *styles, struct almanac_error *err);

/* The row the next xlsx_sheet_row writes (0-based), on the current sheet. */
long xlsx_sheet_next_row(const struct xlsx_sheet *s);

/* The name of part `part` (1 = the first sheet, 2 = "Name (2)"...) into
 * buf, and how many sheets the table spans. */
void xlsx_sheet_part_name(const struct xlsx_sheet *s, int part, char *buf, size_t size);
int xlsx_sheet_parts(const struct xlsx_sheet *s);

/* Free-form cells at (row, col) of the current sheet; rows in increasing
 * order. They count towards the column widths. */
int xlsx_cell_text(struct xlsx_sheet *s, long row, int col, const char *text, enum xlsx_style style,
                   struct almanac_error *err);
int xlsx_cell_value(struct xlsx_sheet *s, long row, int col, const char *pgtext, enum xlsx_type type,
                    enum xlsx_style style, struct almanac_error *err);
int xlsx_cell_number(struct xlsx_sheet *s, long row, int col, double v, enum xlsx_type type,
                     enum xlsx_style style, struct almanac_error *err);
/* A formula the project writes itself, with its cached result. */
int xlsx_cell_formula(struct xlsx_sheet *s, long row, int col, const char *formula, double result,
                      enum xlsx_type type, enum xlsx_style style, struct almanac_error *err);

/* Sets a column's width to at least `chars` characters (free sheets). */
void xlsx_sheet_min_width(struct xlsx_sheet *s, int col, int chars);

/* The libxlsxwriter worksheet currently written, for charts. */
struct lxw_worksheet *xlsx_sheet_worksheet(struct xlsx_sheet *s);

/* Pure helpers, exposed for the tests. ---------------------------------- */

/* Excel serial (days since 1899-12-30, fraction = time of day) of a
 * PostgreSQL date or timestamp without time zone text. Returns 0 or -1
 * when the text is not one. Years before 1900 are refused (Excel cannot
 * show them). */
int xlsx_serial(const char *pgtext, double *serial);

/* True when a spreadsheet would take `text` for a formula if typed:
 * leading =, +, -, @, tab, CR or LF. */
bool xlsx_formula_like(const char *text);

/* Copies `text` to out (size bytes, NUL-terminated) dropping characters
 * XML 1.0 cannot carry (C0 controls but tab, LF, CR; U+FFFE, U+FFFF) and
 * cutting past XLSX_MAX_STRING characters with XLSX_CUT_MARKER. Returns the
 * length written; *changed tells whether anything was dropped or cut. out
 * needs strlen(text) + sizeof(XLSX_CUT_MARKER) bytes at most. */
size_t xlsx_clean_text(const char *text, char *out, size_t size, bool *changed);

#endif
