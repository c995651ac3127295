/* pdf.h: a small layout layer over libharu for the PDF reports.
 *
 * A document flows top to bottom: headings, paragraphs, tables and charts
 * are placed at a cursor and a new page starts when the next block does not
 * fit. Tables repeat their header on every page they reach. Footers
 * ("page N of M", the period, the run) are drawn when the document is
 * finished, because M is only known then. All text is UTF-8 in one embedded
 * TrueType font; a character the font cannot draw is replaced by a visible
 * U+FFFD (pdftext_clean), never dropped.
 *
 * Drawing calls do not return a status: the first libharu or memory error
 * is kept in the document (like ferror on a stream) and pdf_save reports it.
 * The output holds no clock: the info dictionary's dates are the ones given
 * in pdf_options (or none), so the same content gives the same bytes.
 */
#ifndef ALMANAC_REPORTS_PDF_H
#define ALMANAC_REPORTS_PDF_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

/* Default font: DejaVu Sans from fonts-dejavu-core. */
#define PDF_DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

/* Colours are 0xRRGGBB; PDF_NONE means "not drawn". */
#define PDF_NONE 0xFF000000u
#define PDF_BLACK 0x000000u
#define PDF_TEXT 0x222222u
#define PDF_MUTED 0x666666u
#define PDF_RULE 0xBBBBBBu
#define PDF_GOOD 0x2E7D32u
#define PDF_WATCH 0xE0A100u
#define PDF_BAD 0xC62828u

/* The type scale, in points. */
enum pdf_size {
    PDF_TITLE = 26,
    PDF_H1 = 15,
    PDF_H2 = 11,
    PDF_BODY = 9,
    PDF_SMALL = 8,
    PDF_TINY = 7,
};

enum pdf_paper { PDF_A4, PDF_LETTER };
enum pdf_align { PDF_LEFT, PDF_RIGHT, PDF_CENTER };

struct pdf_options {
    enum pdf_paper paper;
    const char *font_path; /* NULL: PDF_DEFAULT_FONT */
    const char *title;     /* info dictionary */
    const char *subject;
    int date[3];      /* year, month, day for CreationDate/ModDate; year 0: none */
    char group_sep;   /* thousands separator of axis labels */
    char decimal_sep; /* decimal mark of axis labels */
};

struct pdf_doc;

/* Creates a document with one empty page. Returns NULL with err set (78 for
 * an unusable font, 70 otherwise). */
struct pdf_doc *pdf_new(const struct pdf_options *o, struct almanac_error *err);

/* Frees d; NULL is a no-op. */
void pdf_free(struct pdf_doc *d);

/* Draws the footers on every page: `left` on the left, "<page> N <of> M"
 * on the right, e.g. pdf_finish(d, "Review 2026Q3 · run 12", "page", "of").
 * Call once, after the last block. */
void pdf_finish(struct pdf_doc *d, const char *left, const char *page_word, const char *of_word);

/* Writes the document to path. Returns 0, or -1 with err set (73 when the
 * file cannot be written, 70 for any earlier drawing error). */
int pdf_save(struct pdf_doc *d, const char *path, struct almanac_error *err);

/* Characters replaced so far because the font lacks them. */
int pdf_replaced(const struct pdf_doc *d);

int pdf_page_count(const struct pdf_doc *d);

/* Geometry of the text area, in points from the page's lower left. */
double pdf_left(const struct pdf_doc *d);
double pdf_width(const struct pdf_doc *d);
/* The cursor: the top of the next block. */
double pdf_cursor(const struct pdf_doc *d);
void pdf_set_cursor(struct pdf_doc *d, double y);

/* Starts a new page. */
void pdf_page_break(struct pdf_doc *d);

/* Makes sure `height` points are left above the bottom margin, starting a
 * new page when not; returns the cursor. */
double pdf_reserve(struct pdf_doc *d, double height);

/* Moves the cursor down. */
void pdf_space(struct pdf_doc *d, double points);

/* Width of UTF-8 text at a size, as it would be drawn (after replacement). */
double pdf_text_width(struct pdf_doc *d, double size, const char *text);

/* Draws text with its baseline at y; x is the left edge, the right edge or
 * the centre by align. */
void pdf_text(struct pdf_doc *d, double x, double y, double size, uint32_t colour, enum pdf_align align,
              const char *text);

/* Like pdf_text, cut with "…" to fit max_width. */
void pdf_text_fit(struct pdf_doc *d, double x, double y, double size, uint32_t colour,
                  enum pdf_align align, double max_width, const char *text);

/* A heading (PDF_H1 starts a section with a rule under it; PDF_H2 a
 * subsection); keeps `keep` more points on the same page. */
void pdf_heading(struct pdf_doc *d, enum pdf_size size, const char *text, double keep);

/* A wrapped paragraph across the text width (or `width` points from x;
 * width 0: the whole text width). */
void pdf_paragraph(struct pdf_doc *d, double size, uint32_t colour, const char *text);

/* Shapes. */
void pdf_rect(struct pdf_doc *d, double x, double y, double w, double h, uint32_t fill, uint32_t stroke);
void pdf_line(struct pdf_doc *d, double x0, double y0, double x1, double y1, double width,
              uint32_t colour);
void pdf_dot(struct pdf_doc *d, double x, double y, double r, uint32_t fill);

/* Tables. Column widths are fractions of the text width (they should add
 * up to 1). */
struct pdf_column {
    const char *title;
    double width;
    enum pdf_align align;
};

/* One cell: its text and optional colours (PDF_NONE for defaults):
 * `fill` the background, `marker` a coloured dot before the text,
 * `colour` the text. */
struct pdf_cell {
    const char *text;
    uint32_t fill;
    uint32_t marker;
    uint32_t colour;
};

/* Starts a table: draws the header now (on a new page when fewer than
 * header and two rows fit). The column array must live until pdf_table_end. */
void pdf_table_begin(struct pdf_doc *d, const struct pdf_column *cols, int ncols, double size);

/* One row of plain text cells (ncols of them; NULL prints as empty). A row
 * that does not fit starts a new page and repeats the header there. */
void pdf_table_row(struct pdf_doc *d, const char *const *cells);

/* One row of styled cells. */
void pdf_table_row_cells(struct pdf_doc *d, const struct pdf_cell *cells);

void pdf_table_end(struct pdf_doc *d);

/* Charts: vector drawings within a box whose top left is (x, top). */
struct pdf_series {
    const char *name;
    const double *values; /* n values; NAN is a gap */
    uint32_t colour;
};

struct pdf_chart {
    const char *title;
    const char *unit;           /* shown above the value axis, e.g. "USD" */
    const char *const *xlabels; /* n category labels */
    int n;
    const struct pdf_series *series;
    int nseries;
    int label_every;  /* print every k-th x label (0: chosen to fit) */
    bool zero_based;  /* the value axis starts at 0 (bars always do) */
    double reference; /* a horizontal reference line (e.g. index 1); NAN: none */
};

/* A line chart, one line per series, with nice ticks, gridlines, axis
 * labels and a legend. */
void pdf_line_chart(struct pdf_doc *d, double x, double top, double w, double h, const struct pdf_chart *c);

/* A bar chart: grouped bars, one per series in each category. */
void pdf_bar_chart(struct pdf_doc *d, double x, double top, double w, double h, const struct pdf_chart *c);

/* A legend row of coloured dots with names at (x, baseline y); returns the
 * width used. */
double pdf_legend(struct pdf_doc *d, double x, double y, const char *const *names, const uint32_t *colours,
                  int n);

#endif
