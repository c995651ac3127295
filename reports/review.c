/* review.c: the quarterly review, section by section. */
#include "reports/review.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "reports/pdf.h"

#define MAX_INSIGHTS 16
#define TOP_PARTNERS 10
#define TOP_STYLES 10
#define TOP_PERKS 5
#define BRANDS_CHARTED 8
/* A partner whose credits used fell by this much on the previous quarter
 * is "at risk" for falling usage. */
#define FALLING_USAGE_PCT -30.0
/* A style under this share of the quarter's generations is a retire
 * candidate, as is one unused for 90 days. */
#define RETIRE_SHARE_PCT 1.0

static const uint32_t palette[] = {0x1F77B4u, 0xFF7F0Eu, 0x2CA02Cu, 0x9467BDu, 0x8C564Bu, 0x17BECFu};
static const char *const event_types[] = {"wedding", "corporate", "holiday", "other"};

static const char *const scorecard_codes[] = {
    "system_pulse",           "uptime_pct",           "error_rate_pct",          "avg_response_s",
    "partners_active",        "partners_total",       "partner_growth_mom_pct",  "partner_churn_mom_pct",
    "active_partner_ratio_pct", "events_total",       "generations_total",       "avg_generations_per_event",
    "credits_bought",         "credits_used",         "credits_in_channels",     "credits_in_circulation",
    "consumption_ratio_pct",  "revenue_usd",          "revenue_growth_mom_pct",  "mrr_usd",
    "mrr_growth_mom_pct",     "b2c_users_total",      "b2c_active_30d",          "b2c_activation_pct",
    "b2c_revenue_month_usd",  "avg_credits_per_user", "style_deletion_rate_pct", "capital_efficiency_pct",
};
#define NSCORE (int)(sizeof scorecard_codes / sizeof scorecard_codes[0])

struct review {
    PGconn *wh;
    const struct report_options *o;
    enum i18n_locale loc;
    struct pdf_doc *d;
    struct almanac_error *err;
    char start[11], end[11], year_ago[11], last_month[11], first_month[11];
    PGresult *score;
    long long run_id;
    struct strbuf insights[MAX_INSIGHTS];
    int ninsights;
};

static const char *L(const struct review *r, const char *key)
{
    return i18n_label(r->loc, key);
}

static void insight(struct review *r, const char *text)
{
    if (r->ninsights < MAX_INSIGHTS)
        strbuf_puts(&r->insights[r->ninsights++], text);
}

/* The scorecard row of a code, or -1. */
static int score_row(const struct review *r, const char *code)
{
    for (int i = 0; i < PQntuples(r->score); i++)
        if (!strcmp(PQgetvalue(r->score, i, 0), code))
            return i;
    return -1;
}

static void score_value(const struct review *r, const char *code, char *out, size_t size)
{
    int i = score_row(r, code);
    const char *unit = i >= 0 ? reportdb_get(r->score, i, 5) : NULL;
    i18n_value(r->loc, i >= 0 ? reportdb_get(r->score, i, 1) : NULL, unit ? unit : "count", out, size);
}

static PGresult *query(struct review *r, const char *name, int n, const char *const *params)
{
    return reportdb_query(r->wh, name, n, params, r->err);
}

/* "Oct 24" for the month starting at iso. */
static void month_label(const struct review *r, const char *iso, char *out, size_t size)
{
    snprintf(out, size, "%s %.2s", i18n_month(r->loc, atoi(iso + 5), 0), iso + 2);
}

/* Cover ------------------------------------------------------------------ */

static int cover(struct review *r)
{
    struct pdf_doc *d = r->d;
    double x = pdf_left(d), w = pdf_width(d);
    char line[512], a[32], b[32];
    double y = pdf_cursor(d) - 70;
    pdf_text(d, x, y, PDF_TITLE, 0x1A3A5Cu, PDF_LEFT, L(r, "review.title"));
    y -= 30;
    i18n_date(r->loc, r->start, a, sizeof a);
    char last[11];
    period_date_format(r->o->period.end - 1, last);
    i18n_date(r->loc, last, b, sizeof b);
    snprintf(line, sizeof line, "%s \xC2\xB7 %s \xE2\x80\x93 %s", r->o->period.label, a, b);
    pdf_text(d, x, y, PDF_H1, PDF_TEXT, PDF_LEFT, line);
    y -= 36;

    char fresh[256];
    if (report_freshness(r->wh, r->o, fresh, sizeof fresh, r->err))
        return -1;
    const char *tz = PQntuples(r->score) ? reportdb_get(r->score, 0, 12) : NULL;
    char asof[160];
    snprintf(asof, sizeof asof, "%s (%s %s) \xC2\xB7 %s %lld", b, L(r, "time_zone"),
             tz ? tz : r->o->cfg->time_zone, L(r, "kpi_run"), r->run_id);
    const char *keys[3] = {"as_of", "freshness", "data_through"};
    const char *vals[3] = {asof, fresh, r->o->data_through};
    for (int i = 0; i < 3; i++) {
        if (!vals[i])
            continue;
        pdf_text(d, x, y, PDF_BODY, PDF_MUTED, PDF_LEFT, L(r, keys[i]));
        pdf_text_fit(d, x + 110, y, PDF_BODY, PDF_TEXT, PDF_LEFT, w - 110, vals[i]);
        y -= 15;
    }
    int pi = score_row(r, "system_pulse");
    const char *band = pi >= 0 ? reportdb_get(r->score, pi, 6) : NULL;
    char pulse[48];
    score_value(r, "system_pulse", pulse, sizeof pulse);
    pdf_text(d, x, y, PDF_BODY, PDF_MUTED, PDF_LEFT, L(r, "pulse"));
    if (band)
        pdf_dot(d, x + 114, y + 3, 4, report_band_colour(band));
    pdf_text(d, x + 110 + (band ? 12 : 0), y, PDF_BODY, PDF_TEXT, PDF_LEFT, pulse);
    y -= 40;

    /* The four cards of the platform's own dashboard (seed 000). */
    static const char *const cards[4] = {"partners_active", "events_total", "credits_in_channels",
                                         "consumption_ratio_pct"};
    double cw = (w - 3 * 10) / 4, ch = 70;
    for (int i = 0; i < 4; i++) {
        double cx = x + i * (cw + 10);
        int k = score_row(r, cards[i]);
        const char *cb = k >= 0 ? reportdb_get(r->score, k, 6) : NULL;
        pdf_rect(d, cx, y - ch, cw, ch, 0xF3F6FAu, 0xD5DCE5u);
        if (cb)
            pdf_rect(d, cx, y - ch, 3, ch, report_band_colour(cb), PDF_NONE);
        pdf_text_fit(d, cx + 10, y - 16, PDF_SMALL, PDF_MUTED, PDF_LEFT, cw - 16, i18n_kpi(r->loc, cards[i]));
        char v[48], c[32];
        score_value(r, cards[i], v, sizeof v);
        pdf_text_fit(d, cx + 10, y - 40, 15, PDF_TEXT, PDF_LEFT, cw - 16, v);
        if (k >= 0 && reportdb_get(r->score, k, 5)) {
            i18n_change(r->loc, reportdb_get(r->score, k, 3), reportdb_get(r->score, k, 4),
                        reportdb_get(r->score, k, 5), c, sizeof c);
            snprintf(line, sizeof line, "%s %s", L(r, "col.qoq"), c);
            pdf_text_fit(d, cx + 10, y - 58, PDF_TINY, PDF_MUTED, PDF_LEFT, cw - 16, line);
        }
    }
    y -= ch + 40;
    pdf_text(d, x, y, PDF_H2, 0x1A3A5Cu, PDF_LEFT, L(r, "contents"));
    y -= 16;
    static const char *const sections[] = {"sec.scorecard", "sec.trends",   "sec.seasonality",
                                           "sec.forecast",  "sec.segments", "sec.styles",
                                           "sec.alerts",    "sec.loyalty",  "sec.insights"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        snprintf(line, sizeof line, "%zu  %s", i + 1, L(r, sections[i]));
        pdf_text(d, x + 6, y, PDF_BODY, PDF_TEXT, PDF_LEFT, line);
        y -= 13;
    }
    pdf_page_break(d);
    return 0;
}

/* Scorecard -------------------------------------------------------------- */

static void scorecard(struct review *r)
{
    pdf_heading(r->d, PDF_H1, L(r, "sec.scorecard"), 60);
    report_scorecard(r->d, r->o, r->score, true, "col.prev_q", "col.qoq");
    report_band_legend(r->d, r->o);
    pdf_paragraph(r->d, PDF_TINY, PDF_MUTED, L(r, "scorecard.note"));

    /* Rules over the stored bands and flags, each citing its number. */
    char v[48], s[512];
    int k = score_row(r, "consumption_ratio_pct");
    const char *flag = k >= 0 ? reportdb_get(r->score, k, 7) : NULL;
    if (flag && (!strcmp(flag, "upsell") || !strcmp(flag, "training_issue"))) {
        score_value(r, "consumption_ratio_pct", v, sizeof v);
        snprintf(s, sizeof s, "%s %s \xE2\x80\x94 %s", i18n_kpi(r->loc, "consumption_ratio_pct"), v,
                 L(r, !strcmp(flag, "upsell") ? "ins.upsell" : "ins.training"));
        insight(r, s);
    }
    k = score_row(r, "revenue_usd");
    if (k >= 0 && reportdb_get(r->score, k, 4)) {
        char c[32];
        score_value(r, "revenue_usd", v, sizeof v);
        i18n_change(r->loc, NULL, reportdb_get(r->score, k, 4), "usd", c, sizeof c);
        snprintf(s, sizeof s, "%s %s, %s %s", i18n_kpi(r->loc, "revenue_usd"), v, c, L(r, "ins.qoq"));
        insight(r, s);
    }
    for (int i = 0; i < PQntuples(r->score); i++) {
        const char *band = reportdb_get(r->score, i, 6), *code = reportdb_get(r->score, i, 0);
        if (!band || strcmp(band, "needs_improvement"))
            continue;
        char thr[64];
        report_thresholds(r->o, code, thr, sizeof thr);
        score_value(r, code, v, sizeof v);
        snprintf(s, sizeof s, "%s %s \xE2\x80\x94 %s (%s)", i18n_kpi(r->loc, code), v, L(r, "ins.needs"), thr);
        insight(r, s);
    }
}

/* Trends ----------------------------------------------------------------- */

struct trend {
    const char *code, *breakdown;
    double v[REVIEW_TREND_MONTHS];
};

static int month_index(const struct review *r, const char *iso)
{
    int y0 = atoi(r->first_month), m0 = atoi(r->first_month + 5);
    return (atoi(iso) - y0) * 12 + atoi(iso + 5) - m0;
}

static int trends(struct review *r)
{
    struct trend t[] = {{"revenue_usd", "", {0}},         {"mrr_usd", "", {0}},
                        {"partners_active", "", {0}},     {"generations_total", "channel:partner", {0}},
                        {"generations_total", "channel:b2c", {0}}};
    int nt = (int)(sizeof t / sizeof t[0]);
    for (int i = 0; i < nt; i++)
        for (int m = 0; m < REVIEW_TREND_MONTHS; m++)
            t[i].v[m] = NAN;
    const char *p[3] = {r->first_month, r->last_month,
                        "{revenue_usd,mrr_usd,partners_active,generations_total}"};
    PGresult *res = query(r, "reports/review/series.sql", 3, p);
    if (!res)
        return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        int m = month_index(r, PQgetvalue(res, i, 2));
        if (m < 0 || m >= REVIEW_TREND_MONTHS)
            continue;
        for (int k = 0; k < nt; k++)
            if (!strcmp(t[k].code, PQgetvalue(res, i, 0)) && !strcmp(t[k].breakdown, PQgetvalue(res, i, 1)))
                t[k].v[m] = report_num(res, i, 3);
    }
    PQclear(res);

    char labels[REVIEW_TREND_MONTHS][16];
    const char *xl[REVIEW_TREND_MONTHS];
    for (int m = 0; m < REVIEW_TREND_MONTHS; m++) {
        char iso[11];
        int y = atoi(r->first_month), mo = atoi(r->first_month + 5) - 1 + m;
        snprintf(iso, sizeof iso, "%04d-%02d-01", y + mo / 12, mo % 12 + 1);
        month_label(r, iso, labels[m], sizeof labels[m]);
        xl[m] = labels[m];
    }
    struct pdf_doc *d = r->d;
    pdf_heading(d, PDF_H1, L(r, "sec.trends"), 170);
    double x = pdf_left(d), w = (pdf_width(d) - 18) / 2, h = 165;
    struct pdf_series s_rev = {NULL, t[0].v, palette[0]}, s_mrr = {NULL, t[1].v, palette[1]};
    struct pdf_series s_par = {NULL, t[2].v, palette[2]};
    struct pdf_series s_gen[2] = {{L(r, "channel.partner"), t[3].v, palette[3]},
                                  {L(r, "channel.b2c"), t[4].v, palette[4]}};
    struct pdf_chart charts[4] = {
        {L(r, "trend.revenue"), L(r, "unit.usd"), xl, REVIEW_TREND_MONTHS, &s_rev, 1, 0, true, NAN},
        {L(r, "trend.mrr"), L(r, "unit.usd"), xl, REVIEW_TREND_MONTHS, &s_mrr, 1, 0, true, NAN},
        {L(r, "trend.partners"), L(r, "unit.partners"), xl, REVIEW_TREND_MONTHS, &s_par, 1, 0, true, NAN},
        {L(r, "trend.generations"), L(r, "unit.count"), xl, REVIEW_TREND_MONTHS, s_gen, 2, 0, true, NAN},
    };
    for (int row = 0; row < 2; row++) {
        double top = pdf_reserve(d, h + 10);
        pdf_line_chart(d, x, top, w, h, &charts[row * 2]);
        pdf_line_chart(d, x + w + 18, top, w, h, &charts[row * 2 + 1]);
        pdf_set_cursor(d, top - h - 14);
    }

    /* Events by type: the quarter beside the same quarter a year earlier. */
    const char *q[2] = {r->start, r->year_ago};
    res = query(r, "reports/review/events_by_type.sql", 2, q);
    if (!res)
        return -1;
    double now[4], ago[4];
    const char *tl[4];
    for (int i = 0; i < 4; i++) {
        now[i] = ago[i] = NAN;
        char key[32];
        snprintf(key, sizeof key, "type.%s", event_types[i]);
        tl[i] = L(r, key);
    }
    for (int i = 0; i < PQntuples(res); i++)
        for (int k = 0; k < 4; k++)
            if (!strcmp(PQgetvalue(res, i, 0), event_types[k]))
                (PQgetvalue(res, i, 1)[0] == 't' ? now : ago)[k] = report_num(res, i, 2);
    PQclear(res);
    char ya[32];
    char ylabel[16];
    snprintf(ylabel, sizeof ylabel, "%.4sQ%s", r->year_ago, r->o->period.label + 5);
    snprintf(ya, sizeof ya, "%s", ylabel);
    struct pdf_series bars[2] = {{ya, ago, 0xA6BDD7u}, {r->o->period.label, now, palette[0]}};
    struct pdf_chart bc = {L(r, "trend.events_by_type"), L(r, "unit.events"), tl, 4, bars, 2, 1, true, NAN};
    double top = pdf_reserve(d, h + 10);
    pdf_bar_chart(d, x, top, w, h, &bc);
    pdf_set_cursor(d, top - h - 10);
    pdf_paragraph(d, PDF_TINY, PDF_MUTED, L(r, "trend.missing"));
    return 0;
}

/* Seasonality and forecast ------------------------------------------------ */

static int seasonality(struct review *r)
{
    struct pdf_doc *d = r->d;
    PGresult *res = query(r, "reports/review/seasonality.sql", 0, NULL);
    if (!res)
        return -1;
    pdf_heading(d, PDF_H1, L(r, "sec.seasonality"), 120);
    int n = PQntuples(res) / 12;
    if (n == 0) {
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "season.none"));
        PQclear(res);
        return 0;
    }
    struct pdf_column cols[15];
    cols[0] = (struct pdf_column){L(r, "col.type"), 0.13, PDF_LEFT};
    for (int m = 0; m < 12; m++)
        cols[1 + m] = (struct pdf_column){i18n_month(r->loc, m + 1, 0), 0.06, PDF_RIGHT};
    cols[13] = (struct pdf_column){L(r, "col.quality"), 0.15, PDF_LEFT};
    pdf_table_begin(d, cols, 14, PDF_SMALL);
    double idx[4][12];
    struct pdf_series series[4];
    int ns = 0;
    for (int t = 0; t < n; t++) {
        int b = t * 12;
        char type_key[40], qkey[40], cells[12][16], quality[64];
        snprintf(type_key, sizeof type_key, "type.%s", PQgetvalue(res, b, 0));
        snprintf(qkey, sizeof qkey, "quality.%s", PQgetvalue(res, b, 5));
        snprintf(quality, sizeof quality, "%s (%s)", L(r, qkey), PQgetvalue(res, b, 6));
        struct pdf_cell c[14];
        c[0] = (struct pdf_cell){L(r, type_key), PDF_NONE, PDF_NONE, PDF_NONE};
        for (int m = 0; m < 12; m++) {
            const char *klass = PQgetvalue(res, b + m, 4);
            double v = report_num(res, b + m, 2);
            i18n_number(r->loc, v, 2, cells[m], sizeof cells[m]);
            if (ns < 4 && t < 4)
                idx[ns][m] = v;
            c[1 + m] = (struct pdf_cell){cells[m],
                                         !strcmp(klass, "peak") ? 0xC8E6C9u
                                         : !strcmp(klass, "low") ? 0xFFCDD2u
                                                                 : PDF_NONE,
                                         PDF_NONE, PDF_NONE};
        }
        c[13] = (struct pdf_cell){quality, PDF_NONE, PDF_NONE,
                                  strcmp(PQgetvalue(res, b, 5), "full") ? PDF_BAD : PDF_NONE};
        pdf_table_row_cells(d, c);
        if (ns < 4 && t < 4) {
            series[ns] = (struct pdf_series){c[0].text, idx[ns], palette[ns]};
            ns++;
        }
    }
    pdf_table_end(d);
    const char *names[2] = {L(r, "season.legend.peak"), L(r, "season.legend.low")};
    const uint32_t colours[2] = {0x66BB6Au, 0xEF5350u};
    double y = pdf_reserve(d, 14) - 9;
    pdf_legend(d, pdf_left(d), y, names, colours, 2);
    pdf_set_cursor(d, y - 6);
    pdf_paragraph(d, PDF_TINY, PDF_MUTED, L(r, "season.note"));
    const char *ml[12];
    for (int m = 0; m < 12; m++)
        ml[m] = i18n_month(r->loc, m + 1, 0);
    struct pdf_chart c = {L(r, "sec.seasonality"), L(r, "unit.index"), ml, 12, series, ns, 1, false, 1.0};
    double h = 170, top = pdf_reserve(d, h + 8);
    pdf_line_chart(d, pdf_left(d), top, pdf_width(d), h, &c);
    pdf_set_cursor(d, top - h - 8);
    PQclear(res);
    return 0;
}

static int forecast(struct review *r)
{
    struct pdf_doc *d = r->d;
    PGresult *res = query(r, "reports/review/forecast.sql", 0, NULL);
    if (!res)
        return -1;
    pdf_heading(d, PDF_H1, L(r, "sec.forecast"), 60);
    if (PQntuples(res) == 0) {
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "forecast.none"));
        PQclear(res);
        return 0;
    }
    struct pdf_column cols[] = {
        {L(r, "col.series"), 0.26, PDF_LEFT},   {L(r, "col.month"), 0.12, PDF_LEFT},
        {L(r, "col.forecast"), 0.15, PDF_RIGHT}, {L(r, "col.lower"), 0.15, PDF_RIGHT},
        {L(r, "col.upper"), 0.15, PDF_RIGHT},    {L(r, "col.method"), 0.17, PDF_LEFT},
    };
    pdf_table_begin(d, cols, 6, PDF_SMALL);
    double events_next = 0;
    int events_months = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *series = PQgetvalue(res, i, 0), *scope = PQgetvalue(res, i, 1);
        bool money = !strcmp(series, "revenue");
        char name[96], key[40], month[32], pt[32], lo[32], hi[32], mkey[40];
        snprintf(key, sizeof key, "series.%s", series);
        if (strcmp(scope, "platform")) {
            char tk[40];
            snprintf(tk, sizeof tk, "type.%s", strchr(scope, ':') + 1);
            snprintf(name, sizeof name, "%s: %s", L(r, key), L(r, tk));
        } else
            snprintf(name, sizeof name, "%s", L(r, key));
        month_label(r, PQgetvalue(res, i, 2), month, sizeof month);
        i18n_number(r->loc, report_num(res, i, 3), money ? 2 : 0, pt, sizeof pt);
        i18n_number(r->loc, report_num(res, i, 4), money ? 2 : 0, lo, sizeof lo);
        i18n_number(r->loc, report_num(res, i, 5), money ? 2 : 0, hi, sizeof hi);
        snprintf(mkey, sizeof mkey, "method.%s", PQgetvalue(res, i, 6));
        const char *row[6] = {name, month, pt, lo, hi, L(r, mkey)};
        pdf_table_row(d, row);
        if (!strcmp(series, "events") && !strcmp(scope, "platform")) {
            events_next += report_num(res, i, 3);
            events_months++;
        }
    }
    pdf_table_end(d);
    pdf_paragraph(d, PDF_TINY, PDF_MUTED, L(r, "forecast.note"));
    if (events_months) {
        char v[32], cur[48], s[256];
        i18n_number(r->loc, events_next, 0, v, sizeof v);
        score_value(r, "events_total", cur, sizeof cur);
        snprintf(s, sizeof s, "%s: %s (%s: %s)", L(r, "ins.forecast"), v, r->o->period.label, cur);
        insight(r, s);
    }
    PQclear(res);
    return 0;
}

/* Segments and partners ----------------------------------------------------- */

static const char *const segs[4] = {"power", "active", "occasional", "dormant"};

static int segments(struct review *r)
{
    struct pdf_doc *d = r->d;
    const char *p[1] = {r->last_month};
    PGresult *res = query(r, "reports/review/segments.sql", 1, p);
    if (!res)
        return -1;
    pdf_heading(d, PDF_H1, L(r, "sec.segments"), 90);
    char title[128];
    snprintf(title, sizeof title, "%s %s %.4s", L(r, "seg.month"), i18n_month(r->loc, atoi(r->last_month + 5), 1),
             r->last_month);
    pdf_heading(d, PDF_H2, title, 60);
    if (PQntuples(res) == 0) {
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "seg.none"));
        PQclear(res);
        return 0;
    }
    double count[4] = {0}, share[4] = {NAN, NAN, NAN, NAN}, move[5][4] = {{0}};
    for (int i = 0; i < PQntuples(res); i++) {
        const char *code = PQgetvalue(res, i, 0), *bd = PQgetvalue(res, i, 1);
        double v = report_num(res, i, 2);
        for (int s = 0; s < 4; s++) {
            char key[48];
            snprintf(key, sizeof key, "segment:%s", segs[s]);
            if (!strcmp(bd, key) && !strcmp(code, "partners_in_segment"))
                count[s] = v;
            if (!strcmp(bd, key) && !strcmp(code, "segment_share_pct"))
                share[s] = v;
        }
        if (!strcmp(code, "segment_movement")) {
            char from[32], to[32];
            if (sscanf(bd, "from:%31[^/]/to:%31s", from, to) != 2)
                continue;
            int f = -1, t = -1;
            for (int s = 0; s < 4; s++) {
                if (!strcmp(from, segs[s]))
                    f = s;
                if (!strcmp(to, segs[s]))
                    t = s;
            }
            if (!strcmp(from, "new"))
                f = 4;
            if (f >= 0 && t >= 0)
                move[f][t] = v;
        }
    }
    PQclear(res);
    struct pdf_column cols[] = {{L(r, "col.segment"), 0.25, PDF_LEFT},
                                {L(r, "col.partners"), 0.2, PDF_RIGHT},
                                {L(r, "col.share"), 0.2, PDF_RIGHT},
                                {L(r, "col.action"), 0.35, PDF_LEFT}};
    pdf_table_begin(d, cols, 4, PDF_SMALL);
    for (int s = 0; s < 4; s++) {
        char k1[32], k2[32], c[32], sh[32];
        snprintf(k1, sizeof k1, "seg.%s", segs[s]);
        snprintf(k2, sizeof k2, "action.%s", segs[s]);
        i18n_number(r->loc, count[s], 0, c, sizeof c);
        i18n_value(r->loc, isnan(share[s]) ? NULL : "0", "pct", sh, sizeof sh);
        if (!isnan(share[s])) {
            i18n_number(r->loc, share[s], 1, sh, sizeof sh);
            strcat(sh, " %");
        }
        const char *row[4] = {L(r, k1), c, sh, L(r, k2)};
        pdf_table_row(d, row);
    }
    pdf_table_end(d);
    if (count[3] > 0) {
        char c[32], s[256];
        i18n_number(r->loc, count[3], 0, c, sizeof c);
        snprintf(s, sizeof s, "%s: %s \xE2\x80\x94 %s", L(r, "ins.dormant"), c, L(r, "action.dormant"));
        insight(r, s);
    }

    pdf_heading(d, PDF_H2, L(r, "seg.movement"), 80);
    struct pdf_column mc[5] = {{L(r, "seg.from_to"), 0.2, PDF_LEFT}};
    char keys[5][32];
    for (int s = 0; s < 4; s++) {
        snprintf(keys[s], sizeof keys[s], "seg.%s", segs[s]);
        mc[1 + s] = (struct pdf_column){L(r, keys[s]), 0.2, PDF_RIGHT};
    }
    pdf_table_begin(d, mc, 5, PDF_SMALL);
    for (int f = 0; f < 5; f++) {
        char cells[4][16];
        struct pdf_cell c[5];
        c[0] = (struct pdf_cell){f < 4 ? L(r, keys[f]) : L(r, "seg.new"), PDF_NONE, PDF_NONE, PDF_NONE};
        for (int t = 0; t < 4; t++) {
            i18n_number(r->loc, move[f][t], 0, cells[t], sizeof cells[t]);
            c[1 + t] = (struct pdf_cell){cells[t], f == t ? 0xEEF2F7u : PDF_NONE, PDF_NONE,
                                         move[f][t] == 0 ? PDF_RULE : PDF_NONE};
        }
        pdf_table_row_cells(d, c);
    }
    pdf_table_end(d);
    return 0;
}

static void seg_label(const struct review *r, const char *seg, char *out, size_t size)
{
    char key[32];
    snprintf(key, sizeof key, "seg.%s", seg ? seg : "");
    snprintf(out, size, "%s", seg ? L(r, key) : "");
}

static int partners(struct review *r)
{
    struct pdf_doc *d = r->d;
    const char *p[2] = {r->start, r->last_month};
    PGresult *res = query(r, "reports/review/partners.sql", 2, p);
    if (!res)
        return -1;
    pdf_heading(d, PDF_H2, L(r, "sec.top_partners"), 60);
    struct pdf_column cols[] = {
        {L(r, "col.partner"), 0.27, PDF_LEFT},     {L(r, "col.revenue"), 0.15, PDF_RIGHT},
        {L(r, "col.events"), 0.1, PDF_RIGHT},      {L(r, "col.generations"), 0.13, PDF_RIGHT},
        {L(r, "col.credits_used"), 0.12, PDF_RIGHT}, {L(r, "col.consumption"), 0.11, PDF_RIGHT},
        {L(r, "col.segment"), 0.12, PDF_LEFT},
    };
    int n = PQntuples(res);
    if (n == 0)
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "partners.none"));
    else {
        pdf_table_begin(d, cols, 7, PDF_SMALL);
        for (int i = 0; i < n && i < TOP_PARTNERS; i++) {
            char rev[32], ev[32], gen[32], used[32], ratio[32], seg[32];
            i18n_value(r->loc, reportdb_get(res, i, 2), "usd", rev, sizeof rev);
            i18n_value(r->loc, reportdb_get(res, i, 3), "count", ev, sizeof ev);
            i18n_value(r->loc, reportdb_get(res, i, 4), "count", gen, sizeof gen);
            i18n_value(r->loc, reportdb_get(res, i, 5), "credits", used, sizeof used);
            i18n_value(r->loc, reportdb_get(res, i, 6), "pct", ratio, sizeof ratio);
            seg_label(r, reportdb_get(res, i, 10), seg, sizeof seg);
            const char *row[7] = {reportdb_get(res, i, 1) ? reportdb_get(res, i, 1) : reportdb_get(res, i, 0),
                                  rev, ev, gen, used, ratio, seg};
            pdf_table_row(d, row);
        }
        pdf_table_end(d);
    }

    /* At risk: dormant, low on credit (consumption flag "upsell": over 90 %
     * of what was bought is used), or using much less than last quarter. */
    pdf_heading(d, PDF_H2, L(r, "sec.at_risk"), 60);
    struct pdf_column rc[] = {{L(r, "col.partner"), 0.3, PDF_LEFT},
                              {L(r, "col.segment"), 0.13, PDF_LEFT},
                              {L(r, "col.reason"), 0.57, PDF_LEFT}};
    int shown = 0;
    for (int i = 0; i < n; i++) {
        const char *seg = reportdb_get(res, i, 10), *flag = reportdb_get(res, i, 7);
        double fall = report_num(res, i, 8);
        struct strbuf why = STRBUF_INIT;
        if (seg && !strcmp(seg, "dormant"))
            strbuf_puts(&why, L(r, "risk.dormant"));
        if (flag && !strcmp(flag, "upsell")) {
            char v[32];
            i18n_value(r->loc, reportdb_get(res, i, 6), "pct", v, sizeof v);
            strbuf_printf(&why, "%s%s %s", why.len ? "; " : "", L(r, "risk.low_credit"), v);
        }
        if (!isnan(fall) && fall <= FALLING_USAGE_PCT) {
            char v[32];
            i18n_change(r->loc, NULL, reportdb_get(res, i, 8), "credits", v, sizeof v);
            strbuf_printf(&why, "%s%s %s", why.len ? "; " : "", L(r, "risk.falling"), v);
        }
        if (why.len) {
            if (!shown++)
                pdf_table_begin(d, rc, 3, PDF_SMALL);
            char sl[32];
            seg_label(r, seg, sl, sizeof sl);
            const char *row[3] = {reportdb_get(res, i, 1) ? reportdb_get(res, i, 1) : reportdb_get(res, i, 0), sl,
                                  strbuf_str(&why)};
            pdf_table_row(d, row);
        }
        strbuf_free(&why);
    }
    if (shown)
        pdf_table_end(d);
    else
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "risk.none"));
    PQclear(res);
    return 0;
}

/* Styles ------------------------------------------------------------------- */

static int styles(struct review *r)
{
    struct pdf_doc *d = r->d;
    const char *p[2] = {"quarter", r->start};
    PGresult *res = query(r, "reports/review/styles.sql", 2, p);
    if (!res)
        return -1;
    pdf_heading(d, PDF_H1, L(r, "sec.styles"), 80);
    pdf_heading(d, PDF_H2, L(r, "sec.top_styles"), 60);
    struct pdf_column cols[] = {{L(r, "col.rank"), 0.08, PDF_RIGHT},    {L(r, "col.style"), 0.36, PDF_LEFT},
                                {L(r, "col.category"), 0.2, PDF_LEFT}, {L(r, "col.generations"), 0.18, PDF_RIGHT},
                                {L(r, "col.share"), 0.18, PDF_RIGHT}};
    int n = PQntuples(res);
    pdf_table_begin(d, cols, 5, PDF_SMALL);
    for (int i = 0; i < n && i < TOP_STYLES; i++) {
        char rank[16], gen[32], share[32];
        i18n_value(r->loc, reportdb_get(res, i, 5), "rank", rank, sizeof rank);
        i18n_value(r->loc, reportdb_get(res, i, 3), "count", gen, sizeof gen);
        i18n_value(r->loc, reportdb_get(res, i, 4), "pct", share, sizeof share);
        const char *row[5] = {rank, reportdb_get(res, i, 1), reportdb_get(res, i, 2), gen, share};
        pdf_table_row(d, row);
    }
    pdf_table_end(d);

    /* Category shares as bars. */
    const char *q[1] = {r->start};
    PGresult *cat = query(r, "reports/review/categories.sql", 1, q);
    if (!cat) {
        PQclear(res);
        return -1;
    }
    int nc = PQntuples(cat) < 12 ? PQntuples(cat) : 12;
    const char *cl[12];
    double cv[12];
    for (int i = 0; i < nc; i++) {
        cl[i] = PQgetvalue(cat, i, 0);
        cv[i] = report_num(cat, i, 1);
    }
    struct pdf_series cs = {NULL, cv, palette[5]};
    struct pdf_chart cc = {L(r, "styles.categories"), L(r, "unit.pct"), cl, nc, &cs, 1, 1, true, NAN};
    double h = 140, top = pdf_reserve(d, h + 8);
    pdf_bar_chart(d, pdf_left(d), top, pdf_width(d) * 0.6, h, &cc);
    pdf_set_cursor(d, top - h - 10);
    PQclear(cat);

    pdf_heading(d, PDF_H2, L(r, "styles.retire"), 40);
    struct pdf_column rcols[] = {{L(r, "col.style"), 0.4, PDF_LEFT},
                                 {L(r, "col.category"), 0.2, PDF_LEFT},
                                 {L(r, "col.share"), 0.2, PDF_RIGHT},
                                 {L(r, "col.days_unused"), 0.2, PDF_RIGHT}};
    int shown = 0;
    for (int i = 0; i < n; i++) {
        double share = report_num(res, i, 4);
        bool unused = reportdb_get(res, i, 6)[0] == 't' && !reportdb_get(res, i, 7);
        if (!unused && !(share < RETIRE_SHARE_PCT))
            continue;
        if (!shown++)
            pdf_table_begin(d, rcols, 4, PDF_SMALL);
        char sh[32], days[32];
        i18n_value(r->loc, reportdb_get(res, i, 4), "pct", sh, sizeof sh);
        if (unused)
            snprintf(days, sizeof days, "%s", L(r, "styles.unused"));
        else
            i18n_value(r->loc, reportdb_get(res, i, 7), "days", days, sizeof days);
        const char *row[4] = {reportdb_get(res, i, 1), reportdb_get(res, i, 2), sh, days};
        pdf_table_row(d, row);
    }
    if (shown)
        pdf_table_end(d);
    else
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "styles.none"));

    pdf_heading(d, PDF_H2, L(r, "styles.quality"), 40);
    char platform_rate[32];
    score_value(r, "style_deletion_rate_pct", platform_rate, sizeof platform_rate);
    struct pdf_column qcols[] = {{L(r, "col.style"), 0.4, PDF_LEFT},
                                 {L(r, "col.category"), 0.2, PDF_LEFT},
                                 {L(r, "col.deletion"), 0.2, PDF_RIGHT},
                                 {L(r, "col.platform_rate"), 0.2, PDF_RIGHT}};
    int quality = 0;
    for (int i = 0; i < n; i++) {
        const char *flag = reportdb_get(res, i, 9);
        if (!flag || strcmp(flag, "quality_issue"))
            continue;
        if (!quality++)
            pdf_table_begin(d, qcols, 4, PDF_SMALL);
        char rate[32];
        i18n_value(r->loc, reportdb_get(res, i, 8), "pct", rate, sizeof rate);
        const char *row[4] = {reportdb_get(res, i, 1), reportdb_get(res, i, 2), rate, platform_rate};
        pdf_table_row(d, row);
    }
    if (quality) {
        pdf_table_end(d);
        char c[16], s[256];
        snprintf(c, sizeof c, "%d", quality);
        snprintf(s, sizeof s, "%s: %s (%s %s)", L(r, "ins.quality"), c, L(r, "col.platform_rate"), platform_rate);
        insight(r, s);
    } else
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "styles.none"));
    PQclear(res);
    return 0;
}

/* Alerts ------------------------------------------------------------------- */

static int alerts(struct review *r)
{
    struct pdf_doc *d = r->d;
    const char *p[3] = {r->start, r->end, r->o->cfg->time_zone};
    PGresult *res = query(r, "reports/review/alert_counts.sql", 3, p);
    if (!res)
        return -1;
    pdf_heading(d, PDF_H1, L(r, "sec.alerts"), 60);
    if (PQntuples(res) == 0)
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "alerts.none"));
    else {
        struct pdf_column cols[] = {{L(r, "col.alert"), 0.46, PDF_LEFT},
                                    {L(r, "col.critical"), 0.18, PDF_RIGHT},
                                    {L(r, "col.warning"), 0.18, PDF_RIGHT},
                                    {L(r, "col.info"), 0.18, PDF_RIGHT}};
        pdf_table_begin(d, cols, 4, PDF_SMALL);
        for (int i = 0; i < PQntuples(res); i++) {
            const char *row[4] = {PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
                                  PQgetvalue(res, i, 3)};
            pdf_table_row(d, row);
        }
        pdf_table_end(d);
    }
    PQclear(res);

    res = query(r, "reports/review/outages.sql", 3, p);
    if (!res)
        return -1;
    pdf_heading(d, PDF_H2, L(r, "alerts.outages"), 40);
    double minutes = 0;
    if (PQntuples(res) == 0)
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "alerts.no_outage"));
    else {
        struct pdf_column cols[] = {{L(r, "col.component"), 0.22, PDF_LEFT},
                                    {L(r, "col.start"), 0.26, PDF_LEFT},
                                    {L(r, "col.end"), 0.26, PDF_LEFT},
                                    {L(r, "col.duration"), 0.26, PDF_RIGHT}};
        pdf_table_begin(d, cols, 4, PDF_SMALL);
        for (int i = 0; i < PQntuples(res); i++) {
            char dur[48], n[32];
            double m = report_num(res, i, 3);
            if (!isnan(m))
                minutes += m;
            i18n_number(r->loc, m, 1, n, sizeof n);
            snprintf(dur, sizeof dur, "%s %s", n, L(r, "min"));
            const char *end = reportdb_get(res, i, 2);
            const char *row[4] = {PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), end ? end : L(r, "alerts.ongoing"),
                                  dur};
            pdf_table_row(d, row);
        }
        pdf_table_end(d);
        char c[32], s[256];
        i18n_number(r->loc, minutes, 1, c, sizeof c);
        snprintf(s, sizeof s, "%s: %d, %s %s", L(r, "ins.outages"), PQntuples(res), c, L(r, "min"));
        insight(r, s);
    }
    PQclear(res);
    return 0;
}

/* Loyalty ------------------------------------------------------------------ */

static int loyalty(struct review *r)
{
    struct pdf_doc *d = r->d;
    pdf_heading(d, PDF_H1, L(r, "sec.loyalty"), 80);
    char line[256], v[48];
    static const char *const head[] = {"capital_efficiency_pct", "capital_invested_usd", "points_distributed",
                                       "points_redeemed", "revenue_generated_usd"};
    PGresult *lo = report_kpi_rows(r->wh, &r->o->period, "platform", head, 5, r->year_ago, r->err);
    if (!lo)
        return -1;
    report_scorecard(d, r->o, lo, true, "col.prev_q", "col.qoq");
    PQclear(lo);

    const char *p[1] = {r->start};
    PGresult *res = query(r, "reports/review/brands.sql", 1, p);
    if (!res)
        return -1;
    int nb = PQntuples(res) < BRANDS_CHARTED ? PQntuples(res) : BRANDS_CHARTED;
    const char *bl[BRANDS_CHARTED];
    double dist[BRANDS_CHARTED], red[BRANDS_CHARTED];
    for (int i = 0; i < nb; i++) {
        bl[i] = reportdb_get(res, i, 1) ? reportdb_get(res, i, 1) : reportdb_get(res, i, 0);
        dist[i] = report_num(res, i, 2);
        red[i] = report_num(res, i, 3);
    }
    struct pdf_series bs[2] = {{L(r, "loyalty.distributed"), dist, palette[0]},
                               {L(r, "loyalty.redeemed"), red, palette[1]}};
    struct pdf_chart bc = {L(r, "loyalty.dist_vs_red"), L(r, "unit.rsnc"), bl, nb, bs, 2, 1, true, NAN};
    double h = 160, top = pdf_reserve(d, h + 8);
    pdf_bar_chart(d, pdf_left(d), top, pdf_width(d), h, &bc);
    pdf_set_cursor(d, top - h - 10);
    int adjust = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *flag = reportdb_get(res, i, 6);
        if (flag && !strcmp(flag, "adjust_perks"))
            adjust++;
    }
    if (adjust) {
        snprintf(line, sizeof line, "%s: %d \xE2\x80\x94 %s", L(r, "ins.adjust_perks"), adjust, L(r, "ins.adjust_perks2"));
        insight(r, line);
    }
    PQclear(res);

    char top_n[8];
    snprintf(top_n, sizeof top_n, "%d", TOP_PERKS);
    const char *pp[2] = {r->start, top_n};
    res = query(r, "reports/review/perks.sql", 2, pp);
    if (!res)
        return -1;
    pdf_heading(d, PDF_H2, L(r, "loyalty.top_perks"), 40);
    struct pdf_column pc[] = {{L(r, "col.rank"), 0.08, PDF_RIGHT}, {L(r, "col.perk"), 0.36, PDF_LEFT},
                              {L(r, "col.brand"), 0.26, PDF_LEFT}, {L(r, "col.claims"), 0.15, PDF_RIGHT},
                              {L(r, "col.remaining"), 0.15, PDF_RIGHT}};
    if (PQntuples(res)) {
        pdf_table_begin(d, pc, 5, PDF_SMALL);
        for (int i = 0; i < PQntuples(res); i++) {
            char rank[16], claims[32], left[32];
            i18n_value(r->loc, reportdb_get(res, i, 5), "rank", rank, sizeof rank);
            i18n_value(r->loc, reportdb_get(res, i, 3), "count", claims, sizeof claims);
            i18n_value(r->loc, reportdb_get(res, i, 4), "count", left, sizeof left);
            const char *row[5] = {rank, reportdb_get(res, i, 1), reportdb_get(res, i, 2), claims, left};
            pdf_table_row(d, row);
        }
        pdf_table_end(d);
    } else
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "loyalty.none"));
    PQclear(res);

    const char *ap[3] = {r->start, r->end, r->o->cfg->time_zone};
    res = query(r, "reports/review/loyalty_alerts.sql", 3, ap);
    if (!res)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        pdf_heading(d, PDF_H2, L(r, pass ? "loyalty.low_rsnc" : "loyalty.sellout"), 40);
        struct pdf_column sc[] = {{L(r, pass ? "col.brand" : "col.perk"), 0.4, PDF_LEFT},
                                  {L(r, pass ? "col.balance" : "col.brand"), 0.3, pass ? PDF_RIGHT : PDF_LEFT},
                                  {L(r, pass ? "col.days_left" : "col.remaining"), 0.3, PDF_RIGHT}};
        int shown = 0;
        for (int i = 0; i < PQntuples(res); i++) {
            bool rsnc = !strcmp(PQgetvalue(res, i, 0), "rsnc_balance_low");
            if (rsnc != (pass == 1))
                continue;
            if (!shown++)
                pdf_table_begin(d, sc, 3, PDF_SMALL);
            char a[48], b[48];
            if (rsnc) {
                i18n_value(r->loc, reportdb_get(res, i, 4), "rsnc", a, sizeof a);
                i18n_value(r->loc, reportdb_get(res, i, 5), "days", b, sizeof b);
                const char *row[3] = {reportdb_get(res, i, 1), a, b};
                pdf_table_row(d, row);
            } else {
                i18n_value(r->loc, reportdb_get(res, i, 3), "count", a, sizeof a);
                const char *row[3] = {reportdb_get(res, i, 1), reportdb_get(res, i, 2), a};
                pdf_table_row(d, row);
            }
        }
        if (shown)
            pdf_table_end(d);
        else
            pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "loyalty.none"));
    }
    PQclear(res);
    (void)v;
    return 0;
}

static void insights(struct review *r)
{
    struct pdf_doc *d = r->d;
    pdf_heading(d, PDF_H1, L(r, "sec.insights"), 40);
    if (r->ninsights == 0)
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, L(r, "ins.none"));
    for (int i = 0; i < r->ninsights; i++) {
        char line[600];
        snprintf(line, sizeof line, "\xE2\x80\xA2 %s", strbuf_str(&r->insights[i]));
        pdf_paragraph(d, PDF_BODY, PDF_TEXT, line);
    }
}

static void shift_months(const char *iso, int months, char out[11])
{
    int y = atoi(iso), m = atoi(iso + 5) - 1 + months;
    int yy = y + (m >= 0 ? m / 12 : -((11 - m) / 12));
    int mm = ((m % 12) + 12) % 12;
    snprintf(out, 11, "%04d-%02d-01", yy, mm + 1);
}

int review_write(PGconn *wh, const struct report_options *o, const char *path, struct report_stats *st,
                 struct almanac_error *err)
{
    struct review r = {.wh = wh, .o = o, .loc = o->locale, .err = err};
    period_date_format(o->period.start, r.start);
    period_date_format(o->period.end, r.end);
    shift_months(r.start, -12, r.year_ago);
    shift_months(r.start, 2, r.last_month);
    shift_months(r.last_month, -(REVIEW_TREND_MONTHS - 1), r.first_month);
    int rc = -1;
    r.score = report_kpi_rows(wh, &o->period, "platform", scorecard_codes, NSCORE, r.year_ago, err);
    if (!r.score)
        return -1;
    for (int i = 0; i < PQntuples(r.score) && !r.run_id; i++)
        if (reportdb_get(r.score, i, 11))
            r.run_id = atoll(reportdb_get(r.score, i, 11));
    char title[96];
    snprintf(title, sizeof title, "almanac %s %s", "quarterly review", o->period.label);
    r.d = report_doc_new(o, title, err);
    if (!r.d)
        goto done;
    if (cover(&r))
        goto done;
    scorecard(&r);
    if (trends(&r) || seasonality(&r) || forecast(&r) || segments(&r) || partners(&r) || styles(&r) ||
        alerts(&r) || loyalty(&r))
        goto done;
    insights(&r);
    if (pdf_replaced(r.d)) {
        pdf_space(r.d, 4);
        pdf_paragraph(r.d, PDF_TINY, PDF_MUTED, L(&r, "replaced"));
    }
    report_finish(r.d, o, L(&r, "review.title"), r.run_id);
    rc = report_save(r.d, path, st, err);
done:
    pdf_free(r.d);
    PQclear(r.score);
    for (int i = 0; i < MAX_INSIGHTS; i++)
        strbuf_free(&r.insights[i]);
    return rc;
}
