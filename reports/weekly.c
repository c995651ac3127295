/* weekly.c: the week-over-week review. */
#include "reports/weekly.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_PARTNERS 10

static const char *const codes[] = {
    "uptime_pct",        "error_rate_pct",       "partners_active",       "partners_approved",
    "events_total",      "generations_total",    "avg_generations_per_event", "credits_bought",
    "credits_used",      "consumption_ratio_pct", "revenue_usd",          "b2c_new_users",
    "b2c_active_30d",    "styles_inactive",
};

int weekly_write(PGconn *wh, const struct report_options *o, const char *path, struct report_stats *st,
                 struct almanac_error *err)
{
    enum i18n_locale loc = o->locale;
    char start[11], end[11], last[11];
    period_date_format(o->period.start, start);
    period_date_format(o->period.end, end);
    period_date_format(o->period.end - 1, last);
    PGresult *kpis = NULL, *par = NULL, *sty = NULL;
    struct pdf_doc *d = NULL;
    int rc = -1;
    const char *pp[3] = {start, end, o->cfg->time_zone};
    const char *sp[2] = {"week", start};
    if (!(kpis = report_kpi_rows(wh, &o->period, "platform", codes, (int)(sizeof codes / sizeof codes[0]), NULL,
                                 err)) ||
        !(par = reportdb_query(wh, "reports/weekly/partners.sql", 3, pp, err)) ||
        !(sty = reportdb_query(wh, "reports/review/styles.sql", 2, sp, err)))
        goto done;
    char title[96];
    snprintf(title, sizeof title, "almanac weekly review %s", o->period.label);
    if (!(d = report_doc_new(o, title, err)))
        goto done;
    long long run_id = 0;
    for (int i = 0; i < PQntuples(kpis) && !run_id; i++)
        if (reportdb_get(kpis, i, 11))
            run_id = atoll(reportdb_get(kpis, i, 11));

    double x = pdf_left(d), y = pdf_cursor(d) - 22;
    pdf_text(d, x, y, 20, 0x1A3A5Cu, PDF_LEFT, i18n_label(loc, "weekly.title"));
    y -= 18;
    char a[32], b[32], line[256];
    i18n_date(loc, start, a, sizeof a);
    i18n_date(loc, last, b, sizeof b);
    snprintf(line, sizeof line, "%s \xC2\xB7 %s \xE2\x80\x93 %s", o->period.label, a, b);
    pdf_text(d, x, y, PDF_BODY, PDF_TEXT, PDF_LEFT, line);
    if (o->data_through) {
        y -= 13;
        snprintf(line, sizeof line, "%s %s", i18n_label(loc, "data_through"), o->data_through);
        pdf_text(d, x, y, PDF_SMALL, PDF_MUTED, PDF_LEFT, line);
    }
    pdf_set_cursor(d, y - 6);
    pdf_heading(d, PDF_H1, i18n_label(loc, "sec.kpis_week"), 60);
    report_scorecard(d, o, kpis, false, "col.prev_w", "col.wow");
    report_band_legend(d, o);

    struct pdf_column cols[] = {{i18n_label(loc, "col.partner"), 0.4, PDF_LEFT},
                                {i18n_label(loc, "col.events"), 0.15, PDF_RIGHT},
                                {i18n_label(loc, "col.wow"), 0.15, PDF_RIGHT},
                                {i18n_label(loc, "col.generations"), 0.15, PDF_RIGHT},
                                {i18n_label(loc, "col.credits_used"), 0.15, PDF_RIGHT}};
    pdf_heading(d, PDF_H2, i18n_label(loc, "weekly.top"), 40);
    pdf_table_begin(d, cols, 5, PDF_SMALL);
    for (int i = 0, shown = 0; i < PQntuples(par) && shown < TOP_PARTNERS; i++) {
        if (report_num(par, i, 2) <= 0)
            break;
        char ev[32], ch[32], gen[32], used[32];
        i18n_value(loc, reportdb_get(par, i, 2), "count", ev, sizeof ev);
        i18n_change(loc, NULL, reportdb_get(par, i, 5), "count", ch, sizeof ch);
        i18n_value(loc, reportdb_get(par, i, 3), "count", gen, sizeof gen);
        i18n_value(loc, reportdb_get(par, i, 4), "credits", used, sizeof used);
        const char *row[5] = {reportdb_get(par, i, 1) ? reportdb_get(par, i, 1) : reportdb_get(par, i, 0), ev, ch, gen,
                              used};
        pdf_table_row(d, row);
        shown++;
    }
    pdf_table_end(d);

    pdf_heading(d, PDF_H2, i18n_label(loc, "weekly.inactive"), 40);
    int inactive = 0;
    for (int i = 0; i < PQntuples(par); i++) {
        if (report_num(par, i, 2) > 0 || PQgetvalue(par, i, 6)[0] != 't')
            continue;
        if (!inactive++)
            pdf_table_begin(d, cols, 5, PDF_SMALL);
        char ev[32], ch[32], gen[32], used[32];
        i18n_value(loc, reportdb_get(par, i, 2), "count", ev, sizeof ev);
        i18n_change(loc, NULL, reportdb_get(par, i, 5), "count", ch, sizeof ch);
        i18n_value(loc, reportdb_get(par, i, 3), "count", gen, sizeof gen);
        i18n_value(loc, reportdb_get(par, i, 4), "credits", used, sizeof used);
        const char *row[5] = {reportdb_get(par, i, 1) ? reportdb_get(par, i, 1) : reportdb_get(par, i, 0), ev, ch, gen,
                              used};
        pdf_table_row(d, row);
    }
    if (inactive)
        pdf_table_end(d);
    else
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, i18n_label(loc, "none"));

    pdf_heading(d, PDF_H2, i18n_label(loc, "weekly.retire"), 40);
    struct pdf_column sc[] = {{i18n_label(loc, "col.style"), 0.5, PDF_LEFT},
                              {i18n_label(loc, "col.category"), 0.25, PDF_LEFT},
                              {i18n_label(loc, "col.days_unused"), 0.25, PDF_RIGHT}};
    int retire = 0;
    for (int i = 0; i < PQntuples(sty); i++) {
        /* style_days_since_use is NULL when unused for 90 days. */
        if (reportdb_get(sty, i, 6)[0] != 't' || reportdb_get(sty, i, 7))
            continue;
        if (!retire++)
            pdf_table_begin(d, sc, 3, PDF_SMALL);
        const char *row[3] = {reportdb_get(sty, i, 1), reportdb_get(sty, i, 2), i18n_label(loc, "styles.unused")};
        pdf_table_row(d, row);
    }
    if (retire)
        pdf_table_end(d);
    else
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, i18n_label(loc, "none"));
    if (pdf_replaced(d))
        pdf_paragraph(d, PDF_TINY, PDF_MUTED, i18n_label(loc, "replaced"));
    report_finish(d, o, i18n_label(loc, "weekly.title"), run_id);
    rc = report_save(d, path, st, err);
done:
    pdf_free(d);
    PQclear(kpis);
    PQclear(par);
    PQclear(sty);
    return rc;
}
