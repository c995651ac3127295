/* pdf.c: pages, text, tables and footers over libharu. Charts are in
 * pdfchart.c. */
#include "reports/pdf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "core/strbuf.h"
#include "reports/pdf_internal.h"
#include "reports/pdftext.h"

#define ROW_PAD 1.55 /* row height as a multiple of the text size */

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    struct pdf_doc *d = user_data;
    if (!d->hpdf_error) {
        d->hpdf_error = (unsigned long)error_no;
        d->hpdf_detail = (unsigned long)detail_no;
    }
}

static void add_page(struct pdf_doc *d)
{
    if (d->npages == d->cap) {
        int cap = d->cap ? d->cap * 2 : 16;
        HPDF_Page *p = realloc(d->pages, (size_t)cap * sizeof *p);
        if (!p) {
            d->oom = true;
            return;
        }
        d->pages = p;
        d->cap = cap;
    }
    HPDF_Page page = HPDF_AddPage(d->pdf);
    if (!page)
        return;
    HPDF_Page_SetSize(page, d->paper == PDF_LETTER ? HPDF_PAGE_SIZE_LETTER : HPDF_PAGE_SIZE_A4,
                      HPDF_PAGE_PORTRAIT);
    d->pages[d->npages++] = page;
    d->page = page;
    d->y = d->h - d->margin_top;
}

struct pdf_doc *pdf_new(const struct pdf_options *o, struct almanac_error *err)
{
    struct pdf_doc *d = calloc(1, sizeof *d);
    if (!d) {
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        return NULL;
    }
    const char *font = o->font_path ? o->font_path : PDF_DEFAULT_FONT;
    if (pdftext_glyphs_load(&d->glyphs, font, err)) {
        free(d);
        return NULL;
    }
    d->paper = o->paper;
    d->w = o->paper == PDF_LETTER ? 612 : 595.276;
    d->h = o->paper == PDF_LETTER ? 792 : 841.89;
    d->margin_side = 50;
    d->margin_top = 54;
    d->margin_bottom = 58;
    d->group_sep = o->group_sep;
    d->decimal_sep = o->decimal_sep ? o->decimal_sep : '.';
    d->pdf = HPDF_New(on_error, d);
    if (!d->pdf) {
        free(d);
        error_set(err, ALMANAC_EX_SOFTWARE, "libharu could not create a document");
        return NULL;
    }
    HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(d->pdf);
    HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
    const char *name = HPDF_LoadTTFontFromFile(d->pdf, font, HPDF_TRUE);
    d->font = name ? HPDF_GetFont(d->pdf, name, "UTF-8") : NULL;
    if (!d->font) {
        error_set(err, ALMANAC_EX_CONFIG, "libharu could not load the font %s (error 0x%04lX)", font,
                  d->hpdf_error);
        pdf_free(d);
        return NULL;
    }
    if (o->title)
        HPDF_SetInfoAttr(d->pdf, HPDF_INFO_TITLE, o->title);
    if (o->subject)
        HPDF_SetInfoAttr(d->pdf, HPDF_INFO_SUBJECT, o->subject);
    HPDF_SetInfoAttr(d->pdf, HPDF_INFO_CREATOR, "almanac");
    if (o->date[0]) {
        /* Dates from the period, never the clock: same data, same bytes. */
        HPDF_Date date = {o->date[0], o->date[1], o->date[2], 0, 0, 0, 'Z', 0, 0};
        HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(d->pdf, HPDF_INFO_MOD_DATE, date);
    }
    add_page(d);
    return d;
}

void pdf_free(struct pdf_doc *d)
{
    if (!d)
        return;
    if (d->pdf)
        HPDF_Free(d->pdf);
    strbuf_free(&d->scratch);
    free(d->pages);
    free(d);
}

int pdf_replaced(const struct pdf_doc *d)
{
    return d->replaced;
}

int pdf_page_count(const struct pdf_doc *d)
{
    return d->npages;
}

double pdf_left(const struct pdf_doc *d)
{
    return d->margin_side;
}

double pdf_width(const struct pdf_doc *d)
{
    return d->w - 2 * d->margin_side;
}

double pdf_cursor(const struct pdf_doc *d)
{
    return d->y;
}

void pdf_set_cursor(struct pdf_doc *d, double y)
{
    d->y = y;
}

void pdf_page_break(struct pdf_doc *d)
{
    add_page(d);
}

double pdf_reserve(struct pdf_doc *d, double height)
{
    if (d->y - height < d->margin_bottom && d->y < d->h - d->margin_top - 1)
        add_page(d);
    return d->y;
}

void pdf_space(struct pdf_doc *d, double points)
{
    d->y -= points;
}

const char *pdf_clean(struct pdf_doc *d, const char *text)
{
    strbuf_reset(&d->scratch);
    int n = pdftext_clean(&d->glyphs, text ? text : "", &d->scratch);
    if (n < 0) {
        d->oom = true;
        return "";
    }
    d->replaced += n;
    return strbuf_str(&d->scratch);
}

/* Width of clean UTF-8 bytes: libharu's advance widths per code point. */
static double clean_width(struct pdf_doc *d, double size, const char *s, size_t len)
{
    double units = 0;
    const char *end = s + len;
    while (s < end) {
        unsigned cp;
        s += pdftext_utf8_next(s, &cp);
        units += HPDF_Font_GetUnicodeWidth(d->font, (HPDF_UNICODE)cp);
    }
    return units * size / 1000.0;
}

double pdf_text_width(struct pdf_doc *d, double size, const char *text)
{
    const char *s = pdf_clean(d, text);
    return clean_width(d, size, s, strlen(s));
}

void pdf_set_fill(struct pdf_doc *d, uint32_t c)
{
    HPDF_Page_SetRGBFill(d->page, (float)((c >> 16) & 0xFF) / 255.0f, (float)((c >> 8) & 0xFF) / 255.0f,
                         (float)(c & 0xFF) / 255.0f);
}

void pdf_set_stroke(struct pdf_doc *d, uint32_t c)
{
    HPDF_Page_SetRGBStroke(d->page, (float)((c >> 16) & 0xFF) / 255.0f,
                           (float)((c >> 8) & 0xFF) / 255.0f, (float)(c & 0xFF) / 255.0f);
}

/* Draws text that is already clean. */
static void draw_clean(struct pdf_doc *d, double x, double y, double size, uint32_t colour,
                       enum pdf_align align, const char *s)
{
    if (!*s)
        return;
    if (align != PDF_LEFT) {
        double w = clean_width(d, size, s, strlen(s));
        x -= align == PDF_RIGHT ? w : w / 2;
    }
    HPDF_Page_BeginText(d->page);
    HPDF_Page_SetFontAndSize(d->page, d->font, (HPDF_REAL)size);
    pdf_set_fill(d, colour);
    HPDF_Page_TextOut(d->page, (HPDF_REAL)x, (HPDF_REAL)y, s);
    HPDF_Page_EndText(d->page);
}

void pdf_text(struct pdf_doc *d, double x, double y, double size, uint32_t colour, enum pdf_align align,
              const char *text)
{
    draw_clean(d, x, y, size, colour, align, pdf_clean(d, text));
}

void pdf_text_fit(struct pdf_doc *d, double x, double y, double size, uint32_t colour,
                  enum pdf_align align, double max_width, const char *text)
{
    const char *s = pdf_clean(d, text);
    size_t len = strlen(s);
    if (clean_width(d, size, s, len) <= max_width) {
        draw_clean(d, x, y, size, colour, align, s);
        return;
    }
    /* Cut at a character boundary so that the text plus "…" fits. */
    double ell = clean_width(d, size, "\xE2\x80\xA6", 3);
    size_t keep = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = pdftext_utf8_next(s + i, &cp);
        if (clean_width(d, size, s, i + n) + ell > max_width)
            break;
        i += n;
        keep = i;
    }
    char *cut = malloc(keep + 4);
    if (!cut) {
        d->oom = true;
        return;
    }
    memcpy(cut, s, keep);
    memcpy(cut + keep, "\xE2\x80\xA6", 4);
    draw_clean(d, x, y, size, colour, align, cut);
    free(cut);
}

void pdf_rect(struct pdf_doc *d, double x, double y, double w, double h, uint32_t fill, uint32_t stroke)
{
    if (fill == PDF_NONE && stroke == PDF_NONE)
        return;
    if (fill != PDF_NONE)
        pdf_set_fill(d, fill);
    if (stroke != PDF_NONE) {
        pdf_set_stroke(d, stroke);
        HPDF_Page_SetLineWidth(d->page, 0.5f);
    }
    HPDF_Page_Rectangle(d->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
    if (fill != PDF_NONE && stroke != PDF_NONE)
        HPDF_Page_FillStroke(d->page);
    else if (fill != PDF_NONE)
        HPDF_Page_Fill(d->page);
    else
        HPDF_Page_Stroke(d->page);
}

void pdf_line(struct pdf_doc *d, double x0, double y0, double x1, double y1, double width,
              uint32_t colour)
{
    pdf_set_stroke(d, colour);
    HPDF_Page_SetLineWidth(d->page, (HPDF_REAL)width);
    HPDF_Page_MoveTo(d->page, (HPDF_REAL)x0, (HPDF_REAL)y0);
    HPDF_Page_LineTo(d->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_Stroke(d->page);
}

void pdf_dot(struct pdf_doc *d, double x, double y, double r, uint32_t fill)
{
    pdf_set_fill(d, fill);
    HPDF_Page_Circle(d->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)r);
    HPDF_Page_Fill(d->page);
}

void pdf_heading(struct pdf_doc *d, enum pdf_size size, const char *text, double keep)
{
    double before = size >= PDF_H1 ? 10 : 6, after = size >= PDF_H1 ? 10 : 5;
    double need = before + size * 1.2 + after + keep;
    if (d->y < d->h - d->margin_top - 1)
        d->y -= before;
    pdf_reserve(d, need - before);
    d->y -= size;
    pdf_text(d, d->margin_side, d->y, size, size >= PDF_H1 ? 0x1A3A5Cu : PDF_TEXT, PDF_LEFT, text);
    d->y -= size * 0.35;
    if (size >= PDF_H1)
        pdf_line(d, d->margin_side, d->y, d->w - d->margin_side, d->y, 0.8, 0x1A3A5Cu);
    d->y -= after;
}

struct wrap_ctx {
    struct pdf_doc *d;
    double size;
    uint32_t colour;
};

static double wrap_width(const char *s, size_t len, void *arg)
{
    struct wrap_ctx *w = arg;
    return clean_width(w->d, w->size, s, len);
}

static void wrap_emit(const char *s, size_t len, void *arg)
{
    struct wrap_ctx *w = arg;
    struct pdf_doc *d = w->d;
    pdf_reserve(d, w->size * 1.4);
    d->y -= w->size * 1.4;
    char *line = malloc(len + 1);
    if (!line) {
        d->oom = true;
        return;
    }
    memcpy(line, s, len);
    line[len] = '\0';
    draw_clean(d, d->margin_side, d->y + w->size * 0.3, w->size, w->colour, PDF_LEFT, line);
    free(line);
}

void pdf_paragraph(struct pdf_doc *d, double size, uint32_t colour, const char *text)
{
    /* The scratch buffer is reused while drawing: wrap a private copy. */
    char *clean = strdup(pdf_clean(d, text));
    if (!clean) {
        d->oom = true;
        return;
    }
    struct wrap_ctx w = {d, size, colour};
    pdftext_wrap(clean, pdf_width(d), wrap_width, &w, wrap_emit, &w);
    free(clean);
    d->y -= size * 0.4;
}

/* Tables ----------------------------------------------------------------- */

static void table_header(struct pdf_doc *d)
{
    double size = d->table_size, rh = size * ROW_PAD + 2;
    double x = d->margin_side, w = pdf_width(d);
    d->y -= rh;
    pdf_rect(d, x, d->y, w, rh, 0xE3E8EFu, PDF_NONE);
    for (int i = 0; i < d->ncols; i++) {
        const struct pdf_column *c = &d->cols[i];
        double cw = c->width * w, pad = 3;
        double tx = c->align == PDF_RIGHT ? x + cw - pad : c->align == PDF_CENTER ? x + cw / 2 : x + pad;
        pdf_text_fit(d, tx, d->y + rh * 0.32, size, 0x1A3A5Cu, c->align, cw - 2 * pad, c->title);
        x += cw;
    }
    pdf_line(d, d->margin_side, d->y, d->margin_side + w, d->y, 0.6, 0x1A3A5Cu);
    d->table_rows = 0;
}

void pdf_table_begin(struct pdf_doc *d, const struct pdf_column *cols, int ncols, double size)
{
    d->cols = cols;
    d->ncols = ncols;
    d->table_size = size;
    pdf_reserve(d, (size * ROW_PAD) * 3 + 4);
    table_header(d);
}

void pdf_table_row_cells(struct pdf_doc *d, const struct pdf_cell *cells)
{
    double size = d->table_size, rh = size * ROW_PAD;
    if (d->y - rh < d->margin_bottom) {
        add_page(d);
        table_header(d);
    }
    d->y -= rh;
    double x = d->margin_side, w = pdf_width(d);
    if (d->table_rows % 2 == 1)
        pdf_rect(d, x, d->y, w, rh, 0xF5F7FAu, PDF_NONE);
    for (int i = 0; i < d->ncols; i++) {
        const struct pdf_column *c = &d->cols[i];
        const struct pdf_cell *cell = &cells[i];
        double cw = c->width * w, pad = 3;
        if (cell->fill != PDF_NONE)
            pdf_rect(d, x + 0.5, d->y + 0.5, cw - 1, rh - 1, cell->fill, PDF_NONE);
        double tx = x + pad, avail = cw - 2 * pad;
        if (cell->marker != PDF_NONE) {
            double r = size * 0.33;
            pdf_dot(d, x + pad + r, d->y + rh / 2, r, cell->marker);
            if (c->align == PDF_LEFT)
                tx += 2 * r + 3;
            avail -= 2 * r + 3;
        }
        if (c->align == PDF_RIGHT)
            tx = x + cw - pad;
        else if (c->align == PDF_CENTER)
            tx = x + cw / 2 + (cell->marker != PDF_NONE ? size * 0.4 : 0);
        pdf_text_fit(d, tx, d->y + rh * 0.3, size, cell->colour != PDF_NONE ? cell->colour : PDF_TEXT,
                     c->align, avail, cell->text ? cell->text : "");
        x += cw;
    }
    d->table_rows++;
}

void pdf_table_row(struct pdf_doc *d, const char *const *cells)
{
    struct pdf_cell row[PDF_MAX_COLUMNS];
    int n = d->ncols < PDF_MAX_COLUMNS ? d->ncols : PDF_MAX_COLUMNS;
    for (int i = 0; i < n; i++)
        row[i] = (struct pdf_cell){cells[i], PDF_NONE, PDF_NONE, PDF_NONE};
    pdf_table_row_cells(d, row);
}

void pdf_table_end(struct pdf_doc *d)
{
    pdf_line(d, d->margin_side, d->y, d->w - d->margin_side, d->y, 0.4, PDF_RULE);
    d->cols = NULL;
    d->ncols = 0;
    d->y -= 8;
}

/* Footers and saving ------------------------------------------------------ */

void pdf_finish(struct pdf_doc *d, const char *left, const char *page_word, const char *of_word)
{
    char right[96];
    for (int i = 0; i < d->npages; i++) {
        d->page = d->pages[i];
        double y = d->margin_bottom - 24;
        pdf_line(d, d->margin_side, y + 10, d->w - d->margin_side, y + 10, 0.4, PDF_RULE);
        snprintf(right, sizeof right, "%s %d %s %d", page_word, i + 1, of_word, d->npages);
        double rw = pdf_text_width(d, PDF_TINY, right);
        pdf_text_fit(d, d->margin_side, y, PDF_TINY, PDF_MUTED, PDF_LEFT, pdf_width(d) - rw - 12, left);
        pdf_text(d, d->w - d->margin_side, y, PDF_TINY, PDF_MUTED, PDF_RIGHT, right);
    }
}

int pdf_save(struct pdf_doc *d, const char *path, struct almanac_error *err)
{
    if (d->oom)
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory while laying out %s", path);
    if (d->hpdf_error)
        return error_set(err, ALMANAC_EX_SOFTWARE, "libharu error 0x%04lX (detail %lu) while drawing %s",
                         d->hpdf_error, d->hpdf_detail, path);
    if (HPDF_SaveToFile(d->pdf, path) != HPDF_OK) {
        error_set(err, ALMANAC_EX_CANTCREAT, "cannot write %s", path);
        error_detail(err, "libharu error 0x%04lX (detail %lu)", d->hpdf_error, d->hpdf_detail);
        return -1;
    }
    return 0;
}
