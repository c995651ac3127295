/* partner.c: one partner's month. */
#include "reports/partner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_STYLES 5

static const char *const codes[] = {
    "events_total",    "events_cumulative",   "generations_total",     "avg_generations_per_event",
    "credits_bought",  "credits_used",        "credits_in_channels",   "consumption_ratio_pct",
    "revenue_usd",
};

int partner_list(PGconn *wh, const struct report_options *o, long long only, long long **ids, int *n,
                 struct almanac_error *err)
{
    char start[11], id[24];
    period_date_format(o->period.start, start);
    snprintf(id, sizeof id, "%lld", only);
    const char *p[2] = {start, only ? id : NULL};
    PGresult *res = reportdb_query(wh, "reports/partner/list.sql", 2, p, err);
    if (!res)
        return -1;
    *n = PQntuples(res);
    *ids = calloc((size_t)(*n ? *n : 1), sizeof **ids);
    if (!*ids) {
        PQclear(res);
        return error_set(err, ALMANAC_EX_SOFTWARE, "out of memory");
    }
    for (int i = 0; i < *n; i++)
        (*ids)[i] = atoll(PQgetvalue(res, i, 0));
    PQclear(res);
    return 0;
}

int partner_write(PGconn *wh, const struct report_options *o, long long id, const char *path,
                  struct report_stats *st, struct almanac_error *err)
{
    enum i18n_locale loc = o->locale;
    char start[11], end[11], idtext[24], scope[40], top[8];
    period_date_format(o->period.start, start);
    period_date_format(o->period.end, end);
    snprintf(idtext, sizeof idtext, "%lld", id);
    snprintf(scope, sizeof scope, "partner:%lld", id);
    snprintf(top, sizeof top, "%d", TOP_STYLES);
    PGresult *kpis = NULL, *seg = NULL, *sty = NULL, *ev = NULL, *name = NULL;
    struct pdf_doc *d = NULL;
    int rc = -1;
    const char *lp[2] = {start, idtext};
    const char *ep[3] = {start, end, idtext};
    const char *sp[5] = {start, end, o->cfg->time_zone, idtext, top};
    if (!(name = reportdb_query(wh, "reports/partner/list.sql", 2, lp, err)) ||
        !(kpis = report_kpi_rows(wh, &o->period, scope, codes, (int)(sizeof codes / sizeof codes[0]), NULL, err)) ||
        !(seg = reportdb_query(wh, "reports/partner/segment.sql", 2, lp, err)) ||
        !(sty = reportdb_query(wh, "reports/partner/styles.sql", 5, sp, err)) ||
        !(ev = reportdb_query(wh, "reports/partner/events.sql", 3, ep, err)))
        goto done;
    if (PQntuples(name) == 0) {
        error_set(err, ALMANAC_EX_DATAERR, "partner %lld has no KPIs stored for %s", id, o->period.label);
        error_hint(err, "is it an approved or deactivated partner? list them: almanac kpi --period %s --stored "
                        "--format csv",
                   o->period.label);
        goto done;
    }
    const char *pname = reportdb_get(name, 0, 1) ? reportdb_get(name, 0, 1) : idtext;
    char title[160];
    snprintf(title, sizeof title, "almanac partner review %lld %s", id, o->period.label);
    if (!(d = report_doc_new(o, title, err)))
        goto done;
    long long run_id = 0;
    for (int i = 0; i < PQntuples(kpis) && !run_id; i++)
        if (reportdb_get(kpis, i, 11))
            run_id = atoll(reportdb_get(kpis, i, 11));

    double x = pdf_left(d), y = pdf_cursor(d) - 20;
    pdf_text(d, x, y, PDF_SMALL, PDF_MUTED, PDF_LEFT, i18n_label(loc, "partner.title"));
    y -= 24;
    pdf_text_fit(d, x, y, 20, 0x1A3A5Cu, PDF_LEFT, pdf_width(d), pname);
    y -= 18;
    char line[256];
    snprintf(line, sizeof line, "%s %s \xC2\xB7 %s %.4s", i18n_label(loc, "partner.id"), idtext,
             i18n_month(loc, atoi(start + 5), 1), start);
    pdf_text(d, x, y, PDF_BODY, PDF_TEXT, PDF_LEFT, line);
    if (o->data_through) {
        y -= 13;
        snprintf(line, sizeof line, "%s %s", i18n_label(loc, "data_through"), o->data_through);
        pdf_text(d, x, y, PDF_SMALL, PDF_MUTED, PDF_LEFT, line);
    }
    pdf_set_cursor(d, y - 6);

    pdf_heading(d, PDF_H1, i18n_label(loc, "sec.kpis_month"), 60);
    report_scorecard(d, o, kpis, false, "col.prev_m", "col.mom");

    pdf_heading(d, PDF_H2, i18n_label(loc, "sec.segment"), 30);
    if (PQntuples(seg) == 0)
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, i18n_label(loc, "partner.no_segment"));
    else {
        char sk[32], ak[32], pk[32], usage[32], epm[32];
        snprintf(sk, sizeof sk, "seg.%s", PQgetvalue(seg, 0, 0));
        snprintf(ak, sizeof ak, "action.%s", PQgetvalue(seg, 0, 0));
        snprintf(pk, sizeof pk, "seg.%s", reportdb_get(seg, 0, 7) ? reportdb_get(seg, 0, 7) : "new");
        i18n_value(loc, reportdb_get(seg, 0, 6), "pct", usage, sizeof usage);
        i18n_value(loc, reportdb_get(seg, 0, 3), "count", epm, sizeof epm);
        snprintf(line, sizeof line, "%s (%s: %s) \xE2\x80\x94 %s: %s", i18n_label(loc, sk),
                 i18n_label(loc, "col.prev_m"), i18n_label(loc, pk), i18n_label(loc, "partner.segment_action"),
                 i18n_label(loc, ak));
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, line);
        snprintf(line, sizeof line, "%s/%s (90 d): %s \xC2\xB7 %s: %s", i18n_label(loc, "col.events"),
                 i18n_label(loc, "col.month"), epm, i18n_label(loc, "col.consumption"), usage);
        pdf_paragraph(d, PDF_SMALL, PDF_MUTED, line);
    }

    pdf_heading(d, PDF_H2, i18n_label(loc, "sec.top_styles"), 40);
    if (PQntuples(sty) == 0)
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, i18n_label(loc, "styles.none"));
    else {
        struct pdf_column cols[] = {{i18n_label(loc, "col.style"), 0.5, PDF_LEFT},
                                    {i18n_label(loc, "col.category"), 0.25, PDF_LEFT},
                                    {i18n_label(loc, "col.generations"), 0.25, PDF_RIGHT}};
        pdf_table_begin(d, cols, 3, PDF_SMALL);
        for (int i = 0; i < PQntuples(sty); i++) {
            char n[32];
            i18n_value(loc, reportdb_get(sty, i, 2), "count", n, sizeof n);
            const char *row[3] = {reportdb_get(sty, i, 0), reportdb_get(sty, i, 1), n};
            pdf_table_row(d, row);
        }
        pdf_table_end(d);
        pdf_paragraph(d, PDF_TINY, PDF_MUTED, i18n_label(loc, "partner.styles_note"));
    }

    pdf_heading(d, PDF_H2, i18n_label(loc, "partner.events_list"), 40);
    if (PQntuples(ev) == 0)
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, i18n_label(loc, "partner.no_events"));
    else {
        struct pdf_column cols[] = {{i18n_label(loc, "col.date"), 0.14, PDF_LEFT},
                                    {i18n_label(loc, "col.event"), 0.34, PDF_LEFT},
                                    {i18n_label(loc, "col.type"), 0.14, PDF_LEFT},
                                    {i18n_label(loc, "col.client"), 0.22, PDF_LEFT},
                                    {i18n_label(loc, "col.allocated"), 0.16, PDF_RIGHT}};
        pdf_table_begin(d, cols, 5, PDF_SMALL);
        for (int i = 0; i < PQntuples(ev); i++) {
            char tk[32], cr[32];
            snprintf(tk, sizeof tk, "type.%s", PQgetvalue(ev, i, 2));
            i18n_value(loc, reportdb_get(ev, i, 4), "credits", cr, sizeof cr);
            const char *row[5] = {PQgetvalue(ev, i, 0), reportdb_get(ev, i, 1), i18n_label(loc, tk),
                                  reportdb_get(ev, i, 3), cr};
            pdf_table_row(d, row);
        }
        pdf_table_end(d);
    }
    if (pdf_replaced(d))
        pdf_paragraph(d, PDF_TINY, PDF_MUTED, i18n_label(loc, "replaced"));
    snprintf(title, sizeof title, "%s %s", i18n_label(loc, "partner.title"), idtext);
    report_finish(d, o, title, run_id);
    rc = report_save(d, path, st, err);
done:
    pdf_free(d);
    PQclear(name);
    PQclear(kpis);
    PQclear(seg);
    PQclear(sty);
    PQclear(ev);
    return rc;
}
