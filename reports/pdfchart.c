/* pdfchart.c: line and bar charts drawn with libharu's path operators. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/pdf.h"
#include "reports/pdf_internal.h"
#include "reports/pdftext.h"

#define GRID 0xE2E2E2u
#define AXIS 0x888888u

struct frame {
    double px, py, pw, ph; /* plot area: lower left and size */
    double lo, hi, step;
    int decimals;
};

static void value_label(const struct pdf_doc *d, double v, int decimals, char *out, size_t size)
{
    pdftext_number(v, decimals, d->group_sep, d->decimal_sep, out, size);
}

static double ypos(const struct frame *f, double v)
{
    return f->py + (v - f->lo) / (f->hi - f->lo) * f->ph;
}

/* Title, unit, legend, value axis with gridlines; fills the plot frame. */
static void frame_draw(struct pdf_doc *d, double x, double top, double w, double h, const struct pdf_chart *c,
                       bool bars, struct frame *f)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int s = 0; s < c->nseries; s++)
        for (int i = 0; i < c->n; i++) {
            double v = c->series[s].values[i];
            if (isfinite(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
    if (!isfinite(lo)) {
        lo = 0;
        hi = 1;
    }
    if (bars || c->zero_based) {
        lo = fmin(lo, 0);
        hi = fmax(hi, 0);
    }
    if (!isnan(c->reference)) {
        lo = fmin(lo, c->reference);
        hi = fmax(hi, c->reference);
    }
    double first, last, step;
    pdftext_nice_ticks(lo, hi, 5, &first, &last, &step);
    f->lo = first;
    f->hi = last;
    f->step = step;
    f->decimals = pdftext_step_decimals(step);

    double y = top - PDF_H2 + 1;
    /* Legend on the title line, right-aligned. */
    const char *names[8];
    uint32_t colours[8];
    int nl = 0;
    for (int s = 0; s < c->nseries && nl < 8; s++)
        if (c->series[s].name) {
            names[nl] = c->series[s].name;
            colours[nl++] = c->series[s].colour;
        }
    if (nl) {
        double lw = 0;
        for (int i = 0; i < nl; i++)
            lw += 10 + pdf_text_width(d, PDF_TINY, names[i]) + 8;
        pdf_legend(d, x + w - lw, y, names, colours, nl);
        pdf_text_fit(d, x, y, 9.5, PDF_TEXT, PDF_LEFT, w - lw - 8, c->title);
    } else
        pdf_text_fit(d, x, y, 9.5, PDF_TEXT, PDF_LEFT, w, c->title);
    y -= 11;
    if (c->unit && *c->unit)
        pdf_text(d, x, y, PDF_TINY, PDF_MUTED, PDF_LEFT, c->unit);

    char buf[48];
    double label_w = 0;
    for (double v = first; v <= last + step / 2; v += step) {
        value_label(d, v, f->decimals, buf, sizeof buf);
        label_w = fmax(label_w, pdf_text_width(d, PDF_TINY, buf));
    }
    f->px = x + label_w + 5;
    f->pw = x + w - f->px - 2;
    f->py = top - h + 16;
    f->ph = y - 6 - f->py;
    for (double v = first; v <= last + step / 2; v += step) {
        double gy = ypos(f, v);
        pdf_line(d, f->px, gy, f->px + f->pw, gy, 0.4, fabs(v) < step / 2 ? AXIS : GRID);
        value_label(d, v, f->decimals, buf, sizeof buf);
        pdf_text(d, f->px - 3, gy - 2.3, PDF_TINY, PDF_MUTED, PDF_RIGHT, buf);
    }
    if (!isnan(c->reference)) {
        double ry = ypos(f, c->reference);
        static const HPDF_UINT16 dash[] = {3, 2};
        HPDF_Page_SetDash(d->page, dash, 2, 0);
        pdf_line(d, f->px, ry, f->px + f->pw, ry, 0.6, AXIS);
        HPDF_Page_SetDash(d->page, NULL, 0, 0);
    }
    pdf_line(d, f->px, f->py, f->px, f->py + f->ph, 0.5, AXIS);
}

/* Category labels under the plot, every k-th so that they do not collide. */
static void x_labels(struct pdf_doc *d, const struct frame *f, const struct pdf_chart *c, bool centred)
{
    if (!c->xlabels || c->n == 0)
        return;
    double widest = 0;
    for (int i = 0; i < c->n; i++)
        widest = fmax(widest, pdf_text_width(d, PDF_TINY, c->xlabels[i]));
    double slot = c->n > 1 ? f->pw / (centred ? c->n : c->n - 1) : f->pw;
    int every = c->label_every > 0 ? c->label_every : (int)ceil((widest + 4) / slot);
    if (every < 1)
        every = 1;
    for (int i = 0; i < c->n; i++) {
        double cx = centred ? f->px + (i + 0.5) * f->pw / c->n
                            : (c->n > 1 ? f->px + i * f->pw / (c->n - 1) : f->px + f->pw / 2);
        if (i % every == 0) {
            pdf_line(d, cx, f->py, cx, f->py - 2, 0.4, AXIS);
            /* A category label longer than its slot is cut, not overlapped. */
            pdf_text_fit(d, cx, f->py - 9, PDF_TINY, PDF_MUTED, PDF_CENTER, centred ? slot * every - 4 : 1e9,
                         c->xlabels[i]);
        }
    }
}

void pdf_line_chart(struct pdf_doc *d, double x, double top, double w, double h, const struct pdf_chart *c)
{
    struct frame f;
    frame_draw(d, x, top, w, h, c, false, &f);
    pdf_line(d, f.px, f.py, f.px + f.pw, f.py, 0.5, AXIS);
    x_labels(d, &f, c, false);
    for (int s = 0; s < c->nseries; s++) {
        const struct pdf_series *se = &c->series[s];
        pdf_set_stroke(d, se->colour);
        HPDF_Page_SetLineWidth(d->page, 1.4f);
        HPDF_Page_SetLineJoin(d->page, HPDF_ROUND_JOIN);
        bool open = false;
        for (int i = 0; i < c->n; i++) {
            double v = se->values[i];
            double cx = c->n > 1 ? f.px + i * f.pw / (c->n - 1) : f.px + f.pw / 2;
            if (!isfinite(v)) {
                if (open)
                    HPDF_Page_Stroke(d->page);
                open = false;
                continue;
            }
            if (!open)
                HPDF_Page_MoveTo(d->page, (HPDF_REAL)cx, (HPDF_REAL)ypos(&f, v));
            else
                HPDF_Page_LineTo(d->page, (HPDF_REAL)cx, (HPDF_REAL)ypos(&f, v));
            open = true;
        }
        if (open)
            HPDF_Page_Stroke(d->page);
        HPDF_Page_SetLineJoin(d->page, HPDF_MITER_JOIN);
        if (c->n <= 36)
            for (int i = 0; i < c->n; i++)
                if (isfinite(se->values[i]))
                    pdf_dot(d, c->n > 1 ? f.px + i * f.pw / (c->n - 1) : f.px + f.pw / 2,
                            ypos(&f, se->values[i]), 1.5, se->colour);
    }
}

void pdf_bar_chart(struct pdf_doc *d, double x, double top, double w, double h, const struct pdf_chart *c)
{
    struct frame f;
    frame_draw(d, x, top, w, h, c, true, &f);
    x_labels(d, &f, c, true);
    if (c->n == 0 || c->nseries == 0)
        return;
    double slot = f.pw / c->n, group = slot * 0.7, bw = group / c->nseries;
    double zero = ypos(&f, 0);
    for (int i = 0; i < c->n; i++)
        for (int s = 0; s < c->nseries; s++) {
            double v = c->series[s].values[i];
            if (!isfinite(v))
                continue;
            double bx = f.px + i * slot + (slot - group) / 2 + s * bw;
            double by = ypos(&f, v);
            pdf_rect(d, bx, fmin(zero, by), bw * 0.92, fabs(by - zero), c->series[s].colour, PDF_NONE);
        }
    pdf_line(d, f.px, zero, f.px + f.pw, zero, 0.6, AXIS);
}

double pdf_legend(struct pdf_doc *d, double x, double y, const char *const *names, const uint32_t *colours,
                  int n)
{
    double x0 = x;
    for (int i = 0; i < n; i++) {
        pdf_dot(d, x + 3, y + 2.5, 3, colours[i]);
        x += 10;
        pdf_text(d, x, y, PDF_TINY, PDF_TEXT, PDF_LEFT, names[i]);
        x += pdf_text_width(d, PDF_TINY, names[i]) + 8;
    }
    return x - x0;
}
