/* xlsx.c: typed, guarded, fitted sheets over libxlsxwriter (constant memory). */
#include "reports/xlsx.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#define XLSX_TYPE_COUNT (XLSX_BOOL + 1)
/* Column widths are fitted up to this many characters: a long description
 * should not make a column wider than the screen. */
#define WIDTH_CAP 60
/* The largest integer a double holds exactly (2^53): ids above it are text. */
#define EXACT_INT_MAX 9007199254740992LL

struct xlsx_sheet {
    struct xlsx_book *book;
    struct xlsx_sheet *next;
    char base[32];              /* the first part's name */
    lxw_worksheet **parts;      /* one per sheet the table spans */
    int nparts;
    bool table;
    bool header_done;
    struct xlsx_column cols[XLSX_MAX_COLS];
    int ncols;
    int first_row;              /* header row of the first part */
    long row;                   /* next row of the current part */
    long last_row;              /* last row written on the current part, -1 none */
    long table_last;            /* last table row of the current part (autofilter) */
    bool filtered;              /* the current part's autofilter is set */
    int width[XLSX_MAX_COLS];   /* longest value seen, characters */
};

struct xlsx_book {
    lxw_workbook *wb;
    lxw_format *fmt[XLSX_TYPE_COUNT][XLSX_STYLE_COUNT];
    lxw_format *header;
    lxw_format *id_text;
    char money[48];             /* the money number format, with the currency code */
    long max_rows;
    struct xlsx_sheet *sheets, *last;
    char *buf;                  /* cleaned text */
    size_t bufsize;
};

/* Pure helpers ------------------------------------------------------------- */

static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

static long days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's algorithm: days since 1970-01-01, proleptic Gregorian. */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int xlsx_serial(const char *t, double *serial)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, hh = 0, mm = 0, ss = 0;
    if (!t || digits(t, 4, &y) || t[4] != '-' || digits(t + 5, 2, &m) || t[7] != '-' ||
        digits(t + 8, 2, &d))
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
        (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
        return -1;
    const char *p = t + 10;
    double frac = 0;
    if (*p == ' ' || *p == 'T') {
        if (digits(p + 1, 2, &hh) || p[3] != ':' || digits(p + 4, 2, &mm) || p[6] != ':' ||
            digits(p + 7, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
            return -1;
        p += 9;
        if (*p == '.') {
            double scale = 0.1;
            for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
                frac += (*p - '0') * scale;
        }
    }
    if (*p)
        return -1; /* an offset or "BC": not a local timestamp */
    /* 25569 = serial of 1970-01-01. Serials below 61 (before 1900-03-01)
     * are off by one in Excel's 1900 calendar: refused. */
    double s = (double)(days_from_civil(y, m, d) + 25569);
    if (s < 61)
        return -1;
    *serial = s + (hh * 3600.0 + mm * 60.0 + ss + frac) / 86400.0;
    return 0;
}

bool xlsx_formula_like(const char *text)
{
    return text && *text && strchr("=+-@\t\r\n", *text) != NULL;
}

/* Bytes of the UTF-8 sequence starting with lead byte b. */
static int seqlen(unsigned char b)
{
    return b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
}

static bool xml_invalid(const unsigned char *p)
{
    if (*p < 0x20)
        return *p != '\t' && *p != '\n' && *p != '\r';
    return p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF);
}

/* Excel counts UTF-16 code units: a character beyond the BMP counts 2. */
static size_t units_of(unsigned char lead)
{
    return lead >= 0xF0 ? 2 : 1;
}

/* Bytes of the character at q, never past the terminating NUL. */
static int step(const unsigned char *q)
{
    int len = seqlen(*q);
    for (int k = 1; k < len; k++)
        if (!q[k])
            return k;
    return len;
}

size_t xlsx_clean_text(const char *text, char *out, size_t size, bool *changed)
{
    size_t total = 0, marker = 0;
    bool dropped = false;
    for (const unsigned char *q = (const unsigned char *)text; *q; q += step(q)) {
        if (xml_invalid(q))
            dropped = true;
        else
            total += units_of(*q);
    }
    for (const unsigned char *q = (const unsigned char *)XLSX_CUT_MARKER; *q; q += step(q))
        marker += units_of(*q);
    bool cut = total > XLSX_MAX_STRING;
    size_t limit = cut ? XLSX_MAX_STRING - marker : total, units = 0, n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p += step(p)) {
        if (xml_invalid(p))
            continue;
        size_t len = (size_t)step(p);
        if (units + units_of(*p) > limit || n + len >= size)
            break;
        memcpy(out + n, p, len);
        n += len;
        units += units_of(*p);
    }
    if (cut && n + sizeof(XLSX_CUT_MARKER) <= size) {
        memcpy(out + n, XLSX_CUT_MARKER, sizeof(XLSX_CUT_MARKER) - 1);
        n += sizeof(XLSX_CUT_MARKER) - 1;
    }
    if (size)
        out[n] = '\0';
    *changed = dropped || cut;
    return n;
}

/* Formats ------------------------------------------------------------------- */

static const char *num_format(const struct xlsx_book *b, enum xlsx_type t)
{
    switch (t) {
    case XLSX_TEXT: return "@";
    case XLSX_INT: return "#,##0";
    case XLSX_ID: return "0";
    case XLSX_NUMBER: return "#,##0.00";
    case XLSX_MONEY: return b->money;
    case XLSX_PCT: return "0.0%";
    case XLSX_PP: return "+0.0\" pp\";-0.0\" pp\";0.0\" pp\"";
    case XLSX_DATE: return "yyyy-mm-dd";
    case XLSX_DATETIME: return "yyyy-mm-dd hh:mm:ss";
    case XLSX_BOOL: return NULL;
    }
    return NULL;
}

/* The format of a cell; made on first use (libxlsxwriter owns it). NULL
 * only when memory runs out. */
static lxw_format *format_of(struct xlsx_book *b, enum xlsx_type t, enum xlsx_style st)
{
    lxw_format **f = &b->fmt[t][st];
    if (*f)
        return *f;
    lxw_format *x = workbook_add_format(b->wb);
    if (!x)
        return NULL;
    const char *nf = num_format(b, t);
    if (nf)
        format_set_num_format(x, nf);
    switch (st) {
    case XLSX_PLAIN: break;
    case XLSX_TITLE: format_set_bold(x); format_set_font_size(x, 14); break;
    case XLSX_LABEL: format_set_bold(x); break;
    case XLSX_GOOD: format_set_bg_color(x, 0xC6EFCE); format_set_font_color(x, 0x006100); break;
    case XLSX_WATCH: format_set_bg_color(x, 0xFFEB9C); format_set_font_color(x, 0x9C5700); break;
    case XLSX_BAD: format_set_bg_color(x, 0xFFC7CE); format_set_font_color(x, 0x9C0006); break;
    case XLSX_STYLE_COUNT: break;
    }
    *f = x;
    return x;
}

/* Book ---------------------------------------------------------------------- */

struct xlsx_book *xlsx_book_new(const char *path, const char *tmpdir, const struct xlsx_props *props,
                                struct almanac_error *err)
{
    struct xlsx_book *b = calloc(1, sizeof(*b));
    if (!b) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        return NULL;
    }
    b->max_rows = XLSX_MAX_ROWS;
    /* The currency code goes inside a quoted literal of the number format:
     * only letters are kept so a configured value cannot break it. */
    char cur[8] = "";
    size_t n = 0;
    for (const char *c = props && props->currency ? props->currency : ""; *c && n < sizeof(cur) - 1; c++)
        if (isalpha((unsigned char)*c))
            cur[n++] = *c;
    cur[n] = '\0';
    if (n)
        snprintf(b->money, sizeof(b->money), "#,##0.00 \"%s\";-#,##0.00 \"%s\"", cur, cur);
    else
        snprintf(b->money, sizeof(b->money), "#,##0.00");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir, .use_zip64 = LXW_TRUE};
    b->wb = workbook_new_opt(path, &opt);
    if (!b->wb) {
        error_set(err, ALMANAC_EX_CANTCREAT, "cannot start the workbook %s", path);
        free(b);
        return NULL;
    }
    b->header = workbook_add_format(b->wb);
    b->id_text = workbook_add_format(b->wb);
    if (!b->header || !b->id_text) {
        xlsx_book_free(b);
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        return NULL;
    }
    format_set_bold(b->header);
    format_set_bg_color(b->header, 0xD9E1F2);
    format_set_bottom(b->header, LXW_BORDER_THIN);
    format_set_text_wrap(b->header);
    format_set_num_format(b->id_text, "@");
    if (props) {
        lxw_doc_properties p = {
            .title = (char *)props->title,
            .subject = (char *)props->subject,
            .company = (char *)props->company,
            .author = "almanac",
            .created = props->created,
        };
        lxw_error e = workbook_set_properties(b->wb, &p);
        if (e) {
            error_set(err, ALMANAC_EX_SOFTWARE, "workbook properties: %s", lxw_strerror(e));
            xlsx_book_free(b);
            return NULL;
        }
    }
    return b;
}

void xlsx_book_set_max_rows(struct xlsx_book *b, long rows)
{
    b->max_rows = rows >= 3 && rows <= XLSX_MAX_ROWS ? rows : XLSX_MAX_ROWS;
}

lxw_workbook *xlsx_book_workbook(struct xlsx_book *b)
{
    return b->wb;
}

static void sheets_free(struct xlsx_book *b)
{
    for (struct xlsx_sheet *s = b->sheets, *n; s; s = n) {
        n = s->next;
        free(s->parts);
        free(s);
    }
    b->sheets = b->last = NULL;
}

void xlsx_book_free(struct xlsx_book *b)
{
    if (!b)
        return;
    if (b->wb)
        lxw_workbook_free(b->wb);
    sheets_free(b);
    free(b->buf);
    free(b);
}

static int lxw_fail(struct almanac_error *err, const struct xlsx_sheet *s, long row, int col, lxw_error e)
{
    char cell[16] = "";
    if (row >= 0)
        lxw_rowcol_to_cell(cell, (lxw_row_t)row, (lxw_col_t)col);
    int code = e == LXW_ERROR_MEMORY_MALLOC_FAILED ? ALMANAC_EX_SOFTWARE
               : e == LXW_ERROR_CREATING_TMPFILE   ? ALMANAC_EX_CANTCREAT
                                                   : ALMANAC_EX_SOFTWARE;
    return error_set(err, code, "sheet \"%s\"%s%s: libxlsxwriter refused: %s", s ? s->base : "?",
                     cell[0] ? " cell " : "", cell, lxw_strerror(e));
}

/* The autofilter covers the current part's table. Constant-memory mode
 * refuses a range that ends above the row being written, so it is set
 * when the table ends: at a continuation, before cells below the table,
 * or when the book closes. */
static int set_filter(struct xlsx_sheet *s, struct almanac_error *err)
{
    if (!s->table || !s->header_done || s->filtered)
        return 0;
    s->filtered = true;
    long top = s->nparts == 1 ? s->first_row : 0;
    long last = s->table_last > top ? s->table_last : top;
    lxw_error e = worksheet_autofilter(s->parts[s->nparts - 1], (lxw_row_t)top, 0, (lxw_row_t)last,
                                       (lxw_col_t)(s->ncols - 1));
    return e ? lxw_fail(err, s, last, 0, e) : 0;
}

/* Widths: libxlsxwriter writes them when the book closes, so they are set
 * once every row is known. */
static int sheet_finish(struct xlsx_sheet *s, struct almanac_error *err)
{
    if (set_filter(s, err))
        return -1;
    for (int p = 0; p < s->nparts; p++) {
        lxw_worksheet *ws = s->parts[p];
        for (int c = 0; c < XLSX_MAX_COLS; c++) {
            if (!s->width[c])
                continue;
            double w = (s->width[c] > WIDTH_CAP ? WIDTH_CAP : s->width[c]) + 2.0;
            lxw_error e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
            if (e)
                return lxw_fail(err, s, -1, c, e);
        }
    }
    return 0;
}

int xlsx_book_close(struct xlsx_book *b, struct almanac_error *err)
{
    int rc = 0;
    for (struct xlsx_sheet *s = b->sheets; s && rc == 0; s = s->next) {
        if (s->table && !s->header_done)
            rc = xlsx_sheet_header(s, err);
        if (rc == 0)
            rc = sheet_finish(s, err);
    }
    if (rc) {
        xlsx_book_free(b);
        return -1;
    }
    lxw_error e = workbook_close(b->wb);
    b->wb = NULL;
    xlsx_book_free(b);
    if (e) {
        int code = e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE ||
                           e == LXW_ERROR_READING_TMPFILE || e == LXW_ERROR_ZIP_FILE_OPERATION ||
                           e == LXW_ERROR_ZIP_CLOSE || e == LXW_ERROR_ZIP_FILE_ADD
                       ? ALMANAC_EX_CANTCREAT
                       : ALMANAC_EX_SOFTWARE;
        error_set(err, code, "writing the workbook failed: %s", lxw_strerror(e));
        if (errno)
            error_detail(err, "%s", strerror(errno));
        return -1;
    }
    return 0;
}

/* Sheets -------------------------------------------------------------------- */

static lxw_worksheet *add_part(struct xlsx_sheet *s, const char *name, struct almanac_error *err)
{
    lxw_error e = workbook_validate_sheet_name(s->book->wb, name);
    if (e) {
        error_set(err, ALMANAC_EX_SOFTWARE, "sheet name \"%s\": %s", name, lxw_strerror(e));
        return NULL;
    }
    lxw_worksheet **parts = realloc(s->parts, (size_t)(s->nparts + 1) * sizeof(*parts));
    if (!parts) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        return NULL;
    }
    s->parts = parts;
    lxw_worksheet *ws = workbook_add_worksheet(s->book->wb, name);
    if (!ws) {
        error_set(err, ALMANAC_EX_SOFTWARE, "cannot add the sheet \"%s\"", name);
        return NULL;
    }
    s->parts[s->nparts++] = ws;
    s->last_row = -1;
    s->table_last = 0;
    s->filtered = false;
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    return ws;
}

static struct xlsx_sheet *sheet_new(struct xlsx_book *b, const char *name, struct almanac_error *err)
{
    struct xlsx_sheet *s = calloc(1, sizeof(*s));
    if (!s) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        return NULL;
    }
    s->book = b;
    snprintf(s->base, sizeof(s->base), "%s", name);
    if (!add_part(s, name, err)) {
        free(s->parts);
        free(s);
        return NULL;
    }
    if (b->last)
        b->last->next = s;
    else
        b->sheets = s;
    b->last = s;
    return s;
}

struct xlsx_sheet *xlsx_sheet_add_free(struct xlsx_book *b, const char *name, struct almanac_error *err)
{
    return sheet_new(b, name, err);
}

struct xlsx_sheet *xlsx_sheet_add(struct xlsx_book *b, const char *name, const struct xlsx_column *cols,
                                  int ncols, int first_row, struct almanac_error *err)
{
    if (ncols < 1 || ncols > XLSX_MAX_COLS || first_row < 0 || first_row > 50) {
        error_set(err, ALMANAC_EX_SOFTWARE, "sheet \"%s\": bad table shape", name);
        return NULL;
    }
    struct xlsx_sheet *s = sheet_new(b, name, err);
    if (!s)
        return NULL;
    s->table = true;
    memcpy(s->cols, cols, (size_t)ncols * sizeof(*cols));
    s->ncols = ncols;
    s->first_row = first_row;
    s->row = first_row;
    return s;
}

static void seen(struct xlsx_sheet *s, int col, int chars)
{
    if (col >= 0 && col < XLSX_MAX_COLS && chars > s->width[col])
        s->width[col] = chars;
}

void xlsx_sheet_min_width(struct xlsx_sheet *s, int col, int chars)
{
    seen(s, col, chars);
}

static int write_header(struct xlsx_sheet *s, lxw_worksheet *ws, long row, struct almanac_error *err)
{
    for (int c = 0; c < s->ncols; c++) {
        lxw_error e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, s->cols[c].header, s->book->header);
        if (e)
            return lxw_fail(err, s, row, c, e);
        /* Room for the filter button beside the header text. */
        seen(s, c, (int)strlen(s->cols[c].header) + 3);
    }
    worksheet_freeze_panes(ws, (lxw_row_t)(row + 1), 0);
    lxw_error e = worksheet_repeat_rows(ws, (lxw_row_t)row, (lxw_row_t)row);
    if (e)
        return lxw_fail(err, s, row, 0, e);
    s->last_row = s->table_last = row;
    s->row = row + 1;
    return 0;
}

int xlsx_sheet_header(struct xlsx_sheet *s, struct almanac_error *err)
{
    if (s->header_done)
        return 0;
    s->header_done = true;
    return write_header(s, s->parts[s->nparts - 1], s->first_row, err);
}

long xlsx_sheet_next_row(const struct xlsx_sheet *s)
{
    return s->row;
}

void xlsx_sheet_part_name(const struct xlsx_sheet *s, int part, char *buf, size_t size)
{
    if (part <= 1)
        snprintf(buf, size, "%s", s->base);
    else
        snprintf(buf, size, "%s (%d)", s->base, part);
}

int xlsx_sheet_parts(const struct xlsx_sheet *s)
{
    return s->nparts;
}

lxw_worksheet *xlsx_sheet_worksheet(struct xlsx_sheet *s)
{
    return s->parts[s->nparts - 1];
}

/* Cells --------------------------------------------------------------------- */

static int put_text(struct xlsx_sheet *s, long row, int col, const char *text, lxw_format *f,
                    struct almanac_error *err)
{
    /* One pass decides whether the text can go as it is (the common case,
     * no copy) and counts characters for the width. */
    const unsigned char *p = (const unsigned char *)text;
    size_t len = 0;
    int chars = 0;
    bool suspect = false;
    for (; p[len]; len++) {
        unsigned char c = p[len];
        if ((c & 0xC0) != 0x80)
            chars++;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xEF)
            suspect = true;
    }
    if (suspect || len > XLSX_MAX_STRING) {
        size_t need = len + sizeof(XLSX_CUT_MARKER) + 1;
        if (need > s->book->bufsize) {
            char *nb = realloc(s->book->buf, need);
            if (!nb)
                return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
            s->book->buf = nb;
            s->book->bufsize = need;
        }
        bool changed;
        xlsx_clean_text(text, s->book->buf, s->book->bufsize, &changed);
        text = s->book->buf;
    }
    lxw_error e = worksheet_write_string(s->parts[s->nparts - 1], (lxw_row_t)row, (lxw_col_t)col, text, f);
    if (e)
        return lxw_fail(err, s, row, col, e);
    seen(s, col, chars > WIDTH_CAP ? WIDTH_CAP : chars);
    return 0;
}

/* Characters a number takes on screen in its format, roughly: enough to
 * fit a column without formatting every value (snprintf per cell would
 * cost more than writing it). */
static int number_width(double v, enum xlsx_type t, const struct xlsx_book *b)
{
    double a = fabs(v);
    int intd = a < 10 ? 1 : (int)log10(a) + 1;
    int w = intd + (intd - 1) / 3 + (v < 0);
    switch (t) {
    case XLSX_NUMBER: return w + 3;
    case XLSX_MONEY: return w + 3 + (int)strlen(b->money) / 8;
    case XLSX_PCT: return (int)(a * 100 < 10 ? 1 : log10(a * 100) + 1) + 4;
    case XLSX_PP: return w + 5;
    case XLSX_ID: return intd;
    default: return w;
    }
}

static int put_number(struct xlsx_sheet *s, long row, int col, double v, enum xlsx_type t, lxw_format *f,
                      struct almanac_error *err)
{
    if (!isfinite(v))
        return error_set(err, ALMANAC_EX_SOFTWARE, "sheet \"%s\" row %ld column %d: %g is not a number Excel holds",
                         s->base, row + 1, col + 1, v);
    lxw_error e = worksheet_write_number(s->parts[s->nparts - 1], (lxw_row_t)row, (lxw_col_t)col, v, f);
    if (e)
        return lxw_fail(err, s, row, col, e);
    if (t == XLSX_DATE)
        seen(s, col, 10);
    else if (t == XLSX_DATETIME)
        seen(s, col, 19);
    else
        seen(s, col, number_width(v, t, s->book));
    return 0;
}

static int bad_value(struct almanac_error *err, const struct xlsx_sheet *s, long row, int col, const char *v,
                     const char *what)
{
    error_set(err, ALMANAC_EX_SOFTWARE, "sheet \"%s\" row %ld column %d: \"%.40s\" is not %s", s->base, row + 1,
              col + 1, v, what);
    return -1;
}

static int put_value(struct xlsx_sheet *s, long row, int col, const char *v, enum xlsx_type t,
                     enum xlsx_style st, struct almanac_error *err)
{
    if (!v)
        return 0; /* NULL: an empty cell ("n/a" is the reader's to say) */
    struct xlsx_book *b = s->book;
    lxw_format *f = format_of(b, t, st);
    if (!f)
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
    char *end;
    switch (t) {
    case XLSX_TEXT: return put_text(s, row, col, v, f, err);
    case XLSX_ID: {
        errno = 0;
        long long id = strtoll(v, &end, 10);
        if (*v && !*end && !errno && id <= EXACT_INT_MAX && id >= -EXACT_INT_MAX)
            return put_number(s, row, col, (double)id, t, f, err);
        /* Too long for a double (or not a number at all): the exact digits
         * as text. */
        return put_text(s, row, col, v, b->id_text, err);
    }
    case XLSX_INT:
    case XLSX_NUMBER:
    case XLSX_MONEY:
    case XLSX_PCT:
    case XLSX_PP: {
        double d = strtod(v, &end);
        if (end == v || *end)
            return bad_value(err, s, row, col, v, "a number");
        return put_number(s, row, col, t == XLSX_PCT ? d / 100.0 : d, t, f, err);
    }
    case XLSX_DATE:
    case XLSX_DATETIME: {
        double serial;
        if (xlsx_serial(v, &serial))
            return bad_value(err, s, row, col, v, "a date Excel can show");
        return put_number(s, row, col, serial, t, f, err);
    }
    case XLSX_BOOL: {
        if (strcmp(v, "t") && strcmp(v, "f"))
            return bad_value(err, s, row, col, v, "a boolean");
        lxw_error e = worksheet_write_boolean(s->parts[s->nparts - 1], (lxw_row_t)row, (lxw_col_t)col,
                                              v[0] == 't', f);
        if (e)
            return lxw_fail(err, s, row, col, e);
        seen(s, col, 5);
        return 0;
    }
    }
    return 0;
}

/* Free-form cells go in increasing row order: constant-memory mode loses a
 * cell written to an earlier row, so say so before libxlsxwriter does. */
static int free_row(struct xlsx_sheet *s, long row, struct almanac_error *err)
{
    if (row < s->last_row)
        return error_set(err, ALMANAC_EX_SOFTWARE, "sheet \"%s\": row %ld written after row %ld", s->base,
                         row + 1, s->last_row + 1);
    if (s->table && s->header_done && row > s->table_last && set_filter(s, err))
        return -1;
    s->last_row = row;
    if (s->table && row >= s->row)
        s->row = row + 1;
    return 0;
}

int xlsx_sheet_row(struct xlsx_sheet *s, const char *const *values, struct almanac_error *err)
{
    return xlsx_sheet_row_ex(s, values, NULL, NULL, err);
}

int xlsx_sheet_row_ex(struct xlsx_sheet *s, const char *const *values, const enum xlsx_type *types,
                      const enum xlsx_style *styles, struct almanac_error *err)
{
    if (!s->header_done && xlsx_sheet_header(s, err))
        return -1;
    if (s->row >= s->book->max_rows) {
        char name[48];
        if (set_filter(s, err))
            return -1;
        xlsx_sheet_part_name(s, s->nparts + 1, name, sizeof(name));
        lxw_worksheet *ws = add_part(s, name, err);
        if (!ws || write_header(s, ws, 0, err))
            return -1;
    }
    long row = s->row;
    for (int c = 0; c < s->ncols; c++)
        if (put_value(s, row, c, values[c], types ? types[c] : s->cols[c].type, styles ? styles[c] : XLSX_PLAIN,
                      err))
            return -1;
    s->last_row = s->table_last = row;
    s->row = row + 1;
    return 0;
}

int xlsx_cell_text(struct xlsx_sheet *s, long row, int col, const char *text, enum xlsx_style style,
                   struct almanac_error *err)
{
    if (free_row(s, row, err))
        return -1;
    lxw_format *f = format_of(s->book, XLSX_TEXT, style);
    if (!f)
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
    return put_text(s, row, col, text ? text : "", f, err);
}

int xlsx_cell_value(struct xlsx_sheet *s, long row, int col, const char *pgtext, enum xlsx_type type,
                    enum xlsx_style style, struct almanac_error *err)
{
    if (free_row(s, row, err))
        return -1;
    return put_value(s, row, col, pgtext, type, style, err);
}

int xlsx_cell_number(struct xlsx_sheet *s, long row, int col, double v, enum xlsx_type type,
                     enum xlsx_style style, struct almanac_error *err)
{
    if (free_row(s, row, err))
        return -1;
    lxw_format *f = format_of(s->book, type, style);
    if (!f)
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
    return put_number(s, row, col, v, type, f, err);
}

int xlsx_cell_formula(struct xlsx_sheet *s, long row, int col, const char *formula, double result,
                      enum xlsx_type type, enum xlsx_style style, struct almanac_error *err)
{
    if (free_row(s, row, err))
        return -1;
    lxw_format *f = format_of(s->book, type, style);
    if (!f)
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
    lxw_error e = worksheet_write_formula_num(s->parts[s->nparts - 1], (lxw_row_t)row, (lxw_col_t)col, formula,
                                              f, result);
    if (e)
        return lxw_fail(err, s, row, col, e);
    seen(s, col, number_width(result, type, s->book));
    return 0;
}
