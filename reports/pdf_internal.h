/* pdf_internal.h: the document state shared by pdf.c and pdfchart.c; not
 * for report writers, which use pdf.h. */
#ifndef ALMANAC_REPORTS_PDF_INTERNAL_H
#define ALMANAC_REPORTS_PDF_INTERNAL_H

#include <stdbool.h>

#include <hpdf.h>

#include "core/strbuf.h"
#include "reports/pdf.h"
#include "reports/pdftext.h"

#define PDF_MAX_COLUMNS 16

struct pdf_doc {
    HPDF_Doc pdf;
    HPDF_Font font;
    struct pdftext_glyphs glyphs;
    enum pdf_paper paper;
    double w, h, margin_side, margin_top, margin_bottom;
    char group_sep, decimal_sep;
    /* Every page, kept so that footers can be drawn once the count is known. */
    HPDF_Page *pages;
    int npages, cap;
    HPDF_Page page;
    double y;
    /* The open table. */
    const struct pdf_column *cols;
    int ncols;
    double table_size;
    int table_rows;
    /* Sticky errors, reported by pdf_save. */
    unsigned long hpdf_error, hpdf_detail;
    bool oom;
    int replaced;
    struct strbuf scratch;
};

/* text with missing glyphs replaced; valid until the next call. */
const char *pdf_clean(struct pdf_doc *d, const char *text);
void pdf_set_fill(struct pdf_doc *d, uint32_t c);
void pdf_set_stroke(struct pdf_doc *d, uint32_t c);

#endif
