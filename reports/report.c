/* report.c: the pieces the PDF report writers share. */
#include "reports/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/strbuf.h"

double report_num(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NAN : strtod(PQgetvalue(res, row, col), NULL);
}

PGresult *report_kpi_rows(PGconn *wh, const struct kpi_period *p, const char *scope,
                          const char *const *codes, int ncodes, const char *year_ago_start,
                          struct almanac_error *err)
{
    struct strbuf arr = STRBUF_INIT;
    strbuf_puts(&arr, "{");
    for (int i = 0; i < ncodes; i++)
        strbuf_printf(&arr, "%s%s", i ? "," : "", codes[i]);
    if (strbuf_puts(&arr, "}")) {
        strbuf_free(&arr);
        error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
        return NULL;
    }
    char start[11];
    period_date_format(p->start, start);
    const char *params[5] = {p->grain, start, scope, strbuf_str(&arr), year_ago_start};
    PGresult *res = reportdb_query(wh, "reports/kpi_rows.sql", 5, params, err);
    strbuf_free(&arr);
    return res;
}

struct pdf_doc *report_doc_new(const struct report_options *o, const char *title, struct almanac_error *err)
{
    char last[11];
    period_date_format(o->period.end - 1, last);
    struct pdf_options po = {
        .paper = o->paper,
        .font_path = o->font_path,
        .title = title,
        .subject = o->period.label,
        .date = {atoi(last), atoi(last + 5), atoi(last + 8)},
        .group_sep = i18n_group(o->locale),
        .decimal_sep = i18n_decimal(o->locale),
    };
    return pdf_new(&po, err);
}

uint32_t report_band_colour(const char *band)
{
    if (!band)
        return PDF_NONE;
    if (!strcmp(band, "good"))
        return PDF_GOOD;
    if (!strcmp(band, "watch"))
        return PDF_WATCH;
    return PDF_BAD;
}

static void num(const struct report_options *o, double v, char *out, size_t size)
{
    /* Thresholds are typed by people: print as few decimals as they need. */
    int dec = fabs(v - round(v)) < 1e-9 ? 0 : fabs(v * 10 - round(v * 10)) < 1e-9 ? 1 : 2;
    i18n_number(o->locale, v, dec, out, size);
}

void report_thresholds(const struct report_options *o, const char *code, char *out, size_t size)
{
    out[0] = '\0';
    if (!strcmp(code, "system_pulse")) {
        snprintf(out, size, "%s / %s", i18n_label(o->locale, "status.0"), i18n_label(o->locale, "status.2"));
        return;
    }
    const struct config_band *b = config_band_find(o->cfg, code);
    if (!b)
        return;
    char good[64] = "", bad[64] = "", x[32], y[32];
    if (!isnan(b->good_min) && !isnan(b->good_max)) {
        num(o, b->good_min, x, sizeof x);
        num(o, b->good_max, y, sizeof y);
        snprintf(good, sizeof good, "%s\xE2\x80\x93%s", x, y);
    } else if (!isnan(b->good_min)) {
        num(o, b->good_min, x, sizeof x);
        snprintf(good, sizeof good, "\xE2\x89\xA5 %s", x);
    } else if (!isnan(b->good_max)) {
        num(o, b->good_max, x, sizeof x);
        snprintf(good, sizeof good, "\xE2\x89\xA4 %s", x);
    } else if (!isnan(b->good_below)) {
        num(o, b->good_below, x, sizeof x);
        snprintf(good, sizeof good, "< %s", x);
    }
    if (!isnan(b->bad_below) && !isnan(b->bad_above)) {
        num(o, b->bad_below, x, sizeof x);
        num(o, b->bad_above, y, sizeof y);
        snprintf(bad, sizeof bad, "< %s, > %s", x, y);
    } else if (!isnan(b->bad_below)) {
        num(o, b->bad_below, x, sizeof x);
        snprintf(bad, sizeof bad, "< %s", x);
    } else if (!isnan(b->bad_above)) {
        num(o, b->bad_above, x, sizeof x);
        snprintf(bad, sizeof bad, "> %s", x);
    }
    snprintf(out, size, "%s / %s", good[0] ? good : "\xE2\x80\x93", bad[0] ? bad : "\xE2\x80\x93");
}

void report_scorecard(struct pdf_doc *d, const struct report_options *o, const PGresult *rows, bool yoy,
                      const char *prev_key, const char *change_key)
{
    enum i18n_locale loc = o->locale;
    /* The year-ago value itself is left out: the change says it, and the
     * table stays readable at the body size. */
    struct pdf_column with_yoy[] = {
        {i18n_label(loc, "col.kpi"), 0.20, PDF_LEFT},      {i18n_label(loc, "col.value"), 0.13, PDF_RIGHT},
        {i18n_label(loc, prev_key), 0.14, PDF_RIGHT},      {i18n_label(loc, change_key), 0.09, PDF_RIGHT},
        {i18n_label(loc, "col.yoy"), 0.09, PDF_RIGHT},     {i18n_label(loc, "col.band"), 0.19, PDF_LEFT},
        {i18n_label(loc, "col.thresholds"), 0.16, PDF_RIGHT},
    };
    struct pdf_column without[] = {
        {i18n_label(loc, "col.kpi"), 0.24, PDF_LEFT},   {i18n_label(loc, "col.value"), 0.15, PDF_RIGHT},
        {i18n_label(loc, prev_key), 0.14, PDF_RIGHT},   {i18n_label(loc, change_key), 0.1, PDF_RIGHT},
        {i18n_label(loc, "col.band"), 0.2, PDF_LEFT}, {i18n_label(loc, "col.thresholds"), 0.17, PDF_RIGHT},
    };
    pdf_table_begin(d, yoy ? with_yoy : without, yoy ? 7 : 6, 7.5);
    for (int i = 0; i < PQntuples(rows); i++) {
        const char *code = reportdb_get(rows, i, 0), *unit = reportdb_get(rows, i, 5);
        if (!unit)
            continue; /* a code the period does not have (e.g. MRR of a week) */
        const char *band = reportdb_get(rows, i, 6);
        char value[48], prev[48], change[32], ychange[32], thr[64];
        i18n_value(loc, reportdb_get(rows, i, 1), unit, value, sizeof value);
        i18n_value(loc, reportdb_get(rows, i, 2), unit, prev, sizeof prev);
        i18n_change(loc, reportdb_get(rows, i, 3), reportdb_get(rows, i, 4), unit, change, sizeof change);
        i18n_change(loc, reportdb_get(rows, i, 9), reportdb_get(rows, i, 10), unit, ychange, sizeof ychange);
        report_thresholds(o, code, thr, sizeof thr);
        char bandkey[40];
        snprintf(bandkey, sizeof bandkey, "band.%s", band ? band : "");
        struct pdf_cell c[8];
        int k = 0;
        c[k++] = (struct pdf_cell){i18n_kpi(loc, code), PDF_NONE, PDF_NONE, PDF_NONE};
        c[k++] = (struct pdf_cell){value, PDF_NONE, PDF_NONE, PDF_NONE};
        c[k++] = (struct pdf_cell){prev, PDF_NONE, PDF_NONE, PDF_MUTED};
        c[k++] = (struct pdf_cell){change, PDF_NONE, PDF_NONE, PDF_NONE};
        if (yoy)
            c[k++] = (struct pdf_cell){ychange, PDF_NONE, PDF_NONE, PDF_NONE};
        c[k++] = (struct pdf_cell){band ? i18n_label(loc, bandkey) : "", PDF_NONE, report_band_colour(band),
                                   PDF_NONE};
        c[k++] = (struct pdf_cell){thr, PDF_NONE, PDF_NONE, PDF_MUTED};
        pdf_table_row_cells(d, c);
    }
    pdf_table_end(d);
}

void report_band_legend(struct pdf_doc *d, const struct report_options *o)
{
    const char *names[3] = {i18n_label(o->locale, "band.good"), i18n_label(o->locale, "band.watch"),
                            i18n_label(o->locale, "band.needs_improvement")};
    const uint32_t colours[3] = {PDF_GOOD, PDF_WATCH, PDF_BAD};
    double y = pdf_reserve(d, 14) - 9;
    char label[64];
    snprintf(label, sizeof label, "%s:", i18n_label(o->locale, "band.legend"));
    pdf_text(d, pdf_left(d), y, PDF_TINY, PDF_MUTED, PDF_LEFT, label);
    pdf_legend(d, pdf_left(d) + pdf_text_width(d, PDF_TINY, label) + 6, y, names, colours, 3);
    pdf_set_cursor(d, y - 6);
}

int report_freshness(PGconn *wh, const struct report_options *o, char *out, size_t size,
                     struct almanac_error *err)
{
    const char *p[1] = {o->cfg->time_zone};
    PGresult *res = reportdb_query(wh, "reports/freshness.sql", 1, p, err);
    if (!res)
        return -1;
    enum i18n_locale loc = o->locale;
    if (PQntuples(res) == 0)
        snprintf(out, size, "%s", i18n_label(loc, "freshness.none"));
    else
        snprintf(out, size, "%s %s (%s, %s %s)", i18n_label(loc, "freshness.loaded"), PQgetvalue(res, 0, 1),
                 o->cfg->time_zone, i18n_label(loc, "freshness.etl"), PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

void report_finish(struct pdf_doc *d, const struct report_options *o, const char *title, long long run_id)
{
    enum i18n_locale loc = o->locale;
    char left[256];
    int n = snprintf(left, sizeof left, "almanac \xC2\xB7 %s %s \xC2\xB7 %s %lld", title, o->period.label,
                     i18n_label(loc, "kpi_run"), run_id);
    if (o->data_through && n > 0 && (size_t)n < sizeof left)
        snprintf(left + n, sizeof left - (size_t)n, " \xC2\xB7 %s %s", i18n_label(loc, "data_through"),
                 o->data_through);
    pdf_finish(d, left, i18n_label(loc, "page"), i18n_label(loc, "of"));
}

int report_save(struct pdf_doc *d, const char *path, struct report_stats *st, struct almanac_error *err)
{
    if (st) {
        st->pages = pdf_page_count(d);
        st->replaced = pdf_replaced(d);
    }
    return pdf_save(d, path, err);
}
