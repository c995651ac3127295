/* accounting.c: the monthly accounting workbook, one query per sheet. */
#include "reports/accounting.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "reports/kpisheet.h"
#include "reports/reportdb.h"
#include "reports/xlsx.h"

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Partner movement kinds the roll-forward ties to the Transactions sheet. */
enum { K_PURCHASE, K_CONSUMPTION, K_REFUND, K_ALLOCATION, K_COUNT };
static const char *const kind_names[K_COUNT] = {"purchase", "consumption", "refund", "allocation"};

struct ctx {
    PGconn *wh;
    const struct accounting_options *o;
    struct accounting_result *r;
    struct xlsx_book *book;
    struct almanac_error *err;
    char start[11], end[11], prev_label[16];
    struct xlsx_sheet *sheet;          /* the sheet a stream writes */
    long long tx_sum[K_COUNT];         /* partner credits on the Transactions sheet(s) */
};

time_t accounting_created(const struct kpi_period *p)
{
    return (time_t)p->end * 86400;
}

static const char *const *params2(const struct ctx *c, const char *v[2])
{
    v[0] = c->start;
    v[1] = c->end;
    return v;
}

/* Streams a query's rows into a table sheet. */
static int table_row(const char *const *values, int ncols, void *arg)
{
    struct ctx *c = arg;
    (void)ncols;
    return xlsx_sheet_row(c->sheet, values, c->err);
}

static int stream_table(struct ctx *c, const char *sheet, const struct xlsx_column *cols, int ncols,
                        const char *sql, int (*row)(const char *const *, int, void *))
{
    c->sheet = xlsx_sheet_add(c->book, sheet, cols, ncols, 0, c->err);
    if (!c->sheet)
        return -1;
    const char *v[2];
    return reportdb_stream(c->wh, sql, 2, params2(c, v), row ? row : table_row, c, c->err);
}

/* Summary ------------------------------------------------------------------- */

static int summary(struct ctx *c, const PGresult *ctxres)
{
    static const struct xlsx_column cols[] = {
        {"Metric", XLSX_TEXT}, {"Value", XLSX_NUMBER},      {"Previous month", XLSX_NUMBER},
        {"Change", XLSX_NUMBER}, {"Change %", XLSX_PCT}, {"Unit", XLSX_TEXT},
        {"Band", XLSX_TEXT},   {"Flag", XLSX_TEXT},
    };
    struct almanac_error *err = c->err;
    struct xlsx_sheet *s = xlsx_sheet_add(c->book, "Summary", cols, NCOLS(cols), 9, err);
    if (!s)
        return -1;
    char title[96];
    snprintf(title, sizeof(title), "Accounting workbook %s", c->o->period.label);
    const char *g[9];
    for (int i = 0; i < 9; i++)
        g[i] = reportdb_get(ctxres, 0, i);
    char runs[64];
    if (xlsx_cell_text(s, 0, 0, title, XLSX_TITLE, err) || xlsx_cell_text(s, 1, 0, "Period", XLSX_LABEL, err) ||
        xlsx_cell_value(s, 1, 1, c->start, XLSX_DATE, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 1, 2, "to (exclusive)", XLSX_PLAIN, err) ||
        xlsx_cell_value(s, 1, 3, c->end, XLSX_DATE, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 2, 0, "Business time zone", XLSX_LABEL, err) ||
        xlsx_cell_text(s, 2, 1, c->o->cfg->time_zone, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 3, 0, "KPI run", XLSX_LABEL, err) ||
        xlsx_cell_value(s, 3, 1, g[0], XLSX_ID, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 3, 2, "computed at", XLSX_PLAIN, err) ||
        xlsx_cell_value(s, 3, 3, g[2], XLSX_DATETIME, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 4, 0, "Data as of (ETL run)", XLSX_LABEL, err) ||
        xlsx_cell_value(s, 4, 1, g[3], XLSX_ID, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 4, 2, "finished at", XLSX_PLAIN, err) ||
        xlsx_cell_value(s, 4, 3, g[4], XLSX_DATETIME, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 4, 4, "source read up to", XLSX_PLAIN, err) ||
        xlsx_cell_value(s, 4, 5, g[5], XLSX_DATETIME, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 5, 0, "Latest ETL run with data", XLSX_LABEL, err) ||
        xlsx_cell_value(s, 5, 1, g[6], XLSX_ID, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 5, 2, "finished at", XLSX_PLAIN, err) ||
        xlsx_cell_value(s, 5, 3, g[7], XLSX_DATETIME, XLSX_PLAIN, err))
        return -1;
    snprintf(runs, sizeof(runs), "%s", g[3] && g[6] && atoll(g[6]) > atoll(g[3])
                                           ? "newer data was loaded after these KPIs: run almanac kpi again"
                                           : "the KPIs read the latest load");
    if (xlsx_cell_text(s, 5, 4, runs, XLSX_PLAIN, err) ||
        xlsx_cell_text(s, 7, 0, "Values are read from kpi.results; n/a is an empty cell.", XLSX_PLAIN, err))
        return -1;
    const char *p[4] = {"month", c->start, "platform", "false"};
    PGresult *res = reportdb_query(c->wh, "kpi/queries/show.sql", 4, p, err);
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        /* show.sql: code, scope, breakdown, value, prev, delta, delta_pct, unit, band, flag */
        const char *v[8] = {reportdb_get(res, i, 0), reportdb_get(res, i, 3), reportdb_get(res, i, 4),
                            reportdb_get(res, i, 5), reportdb_get(res, i, 6), reportdb_get(res, i, 7),
                            reportdb_get(res, i, 8), reportdb_get(res, i, 9)};
        rc = kpisheet_row(s, v, v[5], v[6], err);
    }
    PQclear(res);
    return rc;
}

/* Credits roll-forward ------------------------------------------------------ */

struct rollforward {
    struct xlsx_sheet *s;
    long first, last; /* 0-based rows of the partner lines; last < first: none */
    long long tot[7]; /* opening, bought, consumed, refunded, closing, allocated, unallocated */
    int nrows;
};

static int rollforward_rows(struct ctx *c, struct rollforward *rf)
{
    static const struct xlsx_column cols[] = {
        {"Partner ID", XLSX_ID},       {"Partner", XLSX_TEXT},         {"Opening balance", XLSX_INT},
        {"Bought", XLSX_INT},          {"Consumed", XLSX_INT},         {"Refunded", XLSX_INT},
        {"Closing balance", XLSX_INT}, {"Allocated to events", XLSX_INT}, {"Unallocated at end", XLSX_INT},
    };
    struct almanac_error *err = c->err;
    rf->s = xlsx_sheet_add(c->book, "Credits roll-forward", cols, NCOLS(cols), 3, err);
    if (!rf->s)
        return -1;
    const char *v[2];
    PGresult *res = reportdb_query(c->wh, "reports/accounting/rollforward.sql", 2, params2(c, v), err);
    if (!res)
        return -1;
    int n = PQntuples(res);
    snprintf(c->r->source, sizeof(c->r->source), "%s", n ? PQgetvalue(res, 0, 9) : "facts");
    char title[96], note[160];
    snprintf(title, sizeof(title), "Credits roll-forward %s (credits)", c->o->period.label);
    snprintf(note, sizeof(note),
             "Opening + bought - consumed - refunded = closing: credits partners hold. Read from %s.",
             !strcmp(c->r->source, "snapshot") ? "dw.snap_partner_credits_month"
                                               : "dw.fact_credit_movement in the business time zone");
    int rc = xlsx_cell_text(rf->s, 0, 0, title, XLSX_TITLE, err) ||
             xlsx_cell_text(rf->s, 1, 0, note, XLSX_PLAIN, err) || xlsx_sheet_header(rf->s, err);
    rf->first = xlsx_sheet_next_row(rf->s);
    for (int i = 0; i < n && rc == 0; i++) {
        const char *row[9];
        for (int k = 0; k < 9; k++)
            row[k] = reportdb_get(res, i, k);
        for (int k = 0; k < 7; k++)
            rf->tot[k] += row[k + 2] ? strtoll(row[k + 2], NULL, 10) : 0;
        rc = xlsx_sheet_row(rf->s, row, err);
    }
    rf->last = xlsx_sheet_next_row(rf->s) - 1;
    rf->nrows = n;
    c->r->partners = n;
    PQclear(res);
    return rc ? -1 : 0;
}

/* Appends one SUMIFS per Transactions sheet: the partner credits of `kind`. */
static int sumifs(char *buf, size_t size, const struct xlsx_sheet *tx, const char *kind)
{
    size_t n = 0;
    for (int p = 1; p <= xlsx_sheet_parts(tx); p++) {
        char name[48];
        xlsx_sheet_part_name(tx, p, name, sizeof(name));
        int w = snprintf(buf + n, size - n, "%sSUMIFS('%s'!$D:$D,'%s'!$C:$C,\"%s\",'%s'!$H:$H,\"<>\")",
                         p == 1 ? "=" : "+", name, name, kind, name);
        if (w < 0 || (size_t)w >= size - n)
            return -1;
        n += (size_t)w;
    }
    return 0;
}

static int rollforward_checks(struct ctx *c, struct rollforward *rf, const struct xlsx_sheet *tx)
{
    struct almanac_error *err = c->err;
    struct xlsx_sheet *s = rf->s;
    const char *v[2];
    PGresult *res = reportdb_query(c->wh, "reports/accounting/checks.sql", 1, params2(c, v), err);
    if (!res)
        return -1;
    long long prev_closing = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    bool have_kpi = !PQgetisnull(res, 0, 1);
    long long kpi_channels = have_kpi ? strtoll(PQgetvalue(res, 0, 1), NULL, 10) : 0;
    PQclear(res);

    long top = rf->first + 1, bottom = rf->last >= rf->first ? rf->last + 1 : rf->first + 1; /* 1-based */
    long trow = rf->last + 1; /* totals row, 0-based */
    char f[8192];
    if (xlsx_cell_text(s, trow, 1, "Total", XLSX_LABEL, err))
        return -1;
    for (int k = 0; k < 7; k++) {
        char col = (char)('C' + k);
        snprintf(f, sizeof(f), "=SUM(%c%ld:%c%ld)", col, top, col, bottom);
        if (xlsx_cell_formula(s, trow, 2 + k, f, (double)rf->tot[k], XLSX_INT, XLSX_LABEL, err))
            return -1;
    }
    long t = trow + 1; /* the totals row, 1-based, for formulas */
    long row = trow + 2;
    static const char *const head[] = {"Check", "Roll-forward", "Other source", "Difference", "Other source is"};
    for (int k = 0; k < 5; k++)
        if (xlsx_cell_text(s, row, 1 + k, head[k], XLSX_LABEL, err))
            return -1;
    struct check {
        char label[96];
        char mine[32];   /* formula over the totals row */
        double mine_v;
        char other[sizeof(f)];
        double other_v;
        bool other_formula;
        const char *source;
    } ck;
    for (int i = 0; i < 7; i++) {
        memset(&ck, 0, sizeof(ck));
        switch (i) {
        case 0:
            snprintf(ck.label, sizeof(ck.label), "Opening = closing at the end of %s", c->prev_label);
            snprintf(ck.mine, sizeof(ck.mine), "=C%ld", t);
            ck.mine_v = (double)rf->tot[0];
            ck.other_v = (double)prev_closing;
            ck.source = "dw.fact_credit_movement before the month";
            break;
        case 1:
        case 2:
        case 3:
        case 4: {
            static const int kinds[] = {K_PURCHASE, K_CONSUMPTION, K_REFUND, K_ALLOCATION};
            static const char totcol[] = {'D', 'E', 'F', 'H'};
            static const int totidx[] = {1, 2, 3, 5};
            int kd = kinds[i - 1];
            static const char *const labels[] = {
                "Bought = partner purchases on Transactions", "Consumed = partner consumption on Transactions",
                "Refunded = partner refunds on Transactions", "Allocated = partner allocations on Transactions"};
            snprintf(ck.label, sizeof(ck.label), "%s", labels[i - 1]);
            snprintf(ck.mine, sizeof(ck.mine), "=%c%ld", totcol[i - 1], t);
            ck.mine_v = (double)rf->tot[totidx[i - 1]];
            if (sumifs(ck.other, sizeof(ck.other), tx, kind_names[kd]))
                return error_set(err, ALMANAC_EX_SOFTWARE, "the Transactions check formula is too long");
            ck.other_formula = true;
            ck.other_v = (double)c->tx_sum[kd];
            ck.source = "the Transactions sheet (SUMIFS)";
            break;
        }
        case 5:
            snprintf(ck.label, sizeof(ck.label), "Closing = opening + bought - consumed - refunded");
            snprintf(ck.mine, sizeof(ck.mine), "=G%ld", t);
            ck.mine_v = (double)rf->tot[4];
            snprintf(ck.other, sizeof(ck.other), "=C%ld+D%ld-E%ld-F%ld", t, t, t, t);
            ck.other_formula = true;
            ck.other_v = (double)(rf->tot[0] + rf->tot[1] - rf->tot[2] - rf->tot[3]);
            ck.source = "the totals row";
            break;
        case 6:
            if (!have_kpi)
                continue;
            snprintf(ck.label, sizeof(ck.label), "Unallocated = KPI credits_in_channels");
            snprintf(ck.mine, sizeof(ck.mine), "=I%ld", t);
            ck.mine_v = (double)rf->tot[6];
            ck.other_v = (double)kpi_channels;
            ck.source = "kpi.results";
            break;
        }
        row++;
        double diff = ck.mine_v - ck.other_v;
        if (diff != 0)
            c->r->failed_checks++;
        char d[48];
        snprintf(d, sizeof(d), "=C%ld-D%ld", row + 1, row + 1);
        if (xlsx_cell_text(s, row, 1, ck.label, XLSX_PLAIN, err) ||
            xlsx_cell_formula(s, row, 2, ck.mine, ck.mine_v, XLSX_INT, XLSX_PLAIN, err) ||
            (ck.other_formula ? xlsx_cell_formula(s, row, 3, ck.other, ck.other_v, XLSX_INT, XLSX_PLAIN, err)
                              : xlsx_cell_number(s, row, 3, ck.other_v, XLSX_INT, XLSX_PLAIN, err)) ||
            xlsx_cell_formula(s, row, 4, d, diff, XLSX_INT, diff == 0 ? XLSX_GOOD : XLSX_BAD, err) ||
            xlsx_cell_text(s, row, 5, ck.source, XLSX_PLAIN, err))
            return -1;
    }
    return 0;
}

/* Transactions -------------------------------------------------------------- */

static int transaction_row(const char *const *values, int ncols, void *arg)
{
    struct ctx *c = arg;
    (void)ncols;
    if (values[7] && values[3])
        for (int k = 0; k < K_COUNT; k++)
            if (!strcmp(values[2], kind_names[k]))
                c->tx_sum[k] += strtoll(values[3], NULL, 10);
    c->r->transactions++;
    return xlsx_sheet_row(c->sheet, values, c->err);
}

static int transactions(struct ctx *c, struct xlsx_sheet **out)
{
    static const struct xlsx_column cols[] = {
        {"Date", XLSX_DATETIME},     {"Actor", XLSX_TEXT},       {"Action Type", XLSX_TEXT},
        {"Amount", XLSX_INT},        {"Description", XLSX_TEXT}, {"Amount (USD)", XLSX_MONEY},
        {"Transaction ID", XLSX_ID}, {"Partner ID", XLSX_ID},    {"Partner", XLSX_TEXT},
        {"B2C user ID", XLSX_ID},    {"Event ID", XLSX_ID},      {"Pack size", XLSX_INT},
        {"Promo code", XLSX_TEXT},
    };
    if (stream_table(c, "Transactions", cols, NCOLS(cols), "reports/accounting/transactions.sql", transaction_row))
        return -1;
    *out = c->sheet;
    c->r->transaction_sheets = xlsx_sheet_parts(c->sheet);
    return 0;
}

/* Other tables -------------------------------------------------------------- */

static int other_tables(struct ctx *c)
{
    static const struct xlsx_column partners[] = {
        {"ID", XLSX_ID},           {"Name", XLSX_TEXT},           {"Email", XLSX_TEXT},
        {"Credits Total", XLSX_INT}, {"Credits Used", XLSX_INT},  {"Event Count", XLSX_INT},
        {"Active Status", XLSX_TEXT}, {"Created Date", XLSX_DATE}, {"Contract value (USD)", XLSX_MONEY},
        {"Unallocated credits", XLSX_INT},
    };
    static const struct xlsx_column events[] = {
        {"Event ID", XLSX_ID},          {"Name", XLSX_TEXT},          {"Slug", XLSX_TEXT},
        {"Partner", XLSX_TEXT},         {"Client", XLSX_TEXT},        {"Credits Allocated", XLSX_INT},
        {"Credits Used", XLSX_INT},     {"Generations Count", XLSX_INT}, {"Created Date", XLSX_DATE},
        {"Event Date", XLSX_DATE},      {"Event Type", XLSX_TEXT},
    };
    static const struct xlsx_column styles[] = {
        {"Style ID", XLSX_ID},    {"Name", XLSX_TEXT},   {"Category", XLSX_TEXT},
        {"Usage Count", XLSX_INT}, {"Last Used", XLSX_DATETIME}, {"Share of generations", XLSX_PCT},
        {"Rank", XLSX_INT},       {"Active", XLSX_BOOL},
    };
    static const struct xlsx_column loyalty[] = {
        {"Brand ID", XLSX_ID},              {"Brand", XLSX_TEXT},
        {"Opening balance (RSNC)", XLSX_INT}, {"USD deposited", XLSX_MONEY},
        {"RSNC bought", XLSX_INT},          {"RSNC distributed", XLSX_INT},
        {"RSNC sold back", XLSX_INT},       {"USD sold back", XLSX_MONEY},
        {"Closing balance (RSNC)", XLSX_INT}, {"RSNC redeemed", XLSX_INT},
        {"Customers reached", XLSX_INT},    {"Revenue generated (USD)", XLSX_MONEY},
    };
    if (stream_table(c, "Partners", partners, NCOLS(partners), "reports/accounting/partners.sql", NULL) ||
        stream_table(c, "Events", events, NCOLS(events), "reports/accounting/events.sql", NULL) ||
        stream_table(c, "Style usage", styles, NCOLS(styles), "reports/accounting/styles.sql", NULL))
        return -1;
    struct xlsx_sheet *s = kpisheet_add(c->book, "B2C revenue", c->err);
    const char *v[2];
    PGresult *res = s ? reportdb_query(c->wh, "reports/accounting/b2c.sql", 1, params2(c, v), c->err) : NULL;
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        const char *row[7];
        for (int k = 0; k < 7; k++)
            row[k] = reportdb_get(res, i, k);
        rc = kpisheet_breakdown_row(s, row, c->err);
    }
    PQclear(res);
    if (rc)
        return -1;
    return stream_table(c, "Loyalty ledger", loyalty, NCOLS(loyalty), "reports/accounting/loyalty.sql", NULL);
}

/* Charts -------------------------------------------------------------------- */

static int charts(struct ctx *c)
{
    struct almanac_error *err = c->err;
    struct xlsx_sheet *s = xlsx_sheet_add_free(c->book, "Charts", err);
    if (!s)
        return -1;
    const char *v[2];
    PGresult *rev = reportdb_query(c->wh, "reports/accounting/revenue_months.sql", 1, params2(c, v), err);
    PGresult *seg = rev ? reportdb_query(c->wh, "reports/accounting/segments.sql", 1, params2(c, v), err) : NULL;
    int rc = -1;
    if (!seg)
        goto out;
    if (xlsx_cell_text(s, 0, 0, "Revenue by month (kpi.results revenue_usd)", XLSX_LABEL, err) ||
        xlsx_cell_text(s, 0, 3, "Partner credits consumed by segment (kpi.partner_segments)", XLSX_LABEL, err) ||
        xlsx_cell_text(s, 1, 0, "Month", XLSX_LABEL, err) || xlsx_cell_text(s, 1, 1, "Revenue (USD)", XLSX_LABEL, err) ||
        xlsx_cell_text(s, 1, 3, "Segment", XLSX_LABEL, err) || xlsx_cell_text(s, 1, 4, "Partners", XLSX_LABEL, err) ||
        xlsx_cell_text(s, 1, 5, "Credits consumed", XLSX_LABEL, err))
        goto out;
    int nrev = PQntuples(rev), nseg = PQntuples(seg);
    size_t m = 0;
    for (int i = 0; i < nrev || i < nseg; i++) {
        long row = 2 + i;
        if (i < nrev) {
            if (xlsx_cell_value(s, row, 0, reportdb_get(rev, i, 0), XLSX_DATE, XLSX_PLAIN, err) ||
                xlsx_cell_value(s, row, 1, reportdb_get(rev, i, 2), XLSX_MONEY, XLSX_PLAIN, err))
                goto out;
            if (strcmp(PQgetvalue(rev, i, 3), "t") && m + 9 < sizeof(c->r->missing_months))
                m += (size_t)snprintf(c->r->missing_months + m, sizeof(c->r->missing_months) - m, "%s%s",
                                      m ? " " : "", PQgetvalue(rev, i, 1));
        }
        if (i < nseg &&
            (xlsx_cell_text(s, row, 3, reportdb_get(seg, i, 0), XLSX_PLAIN, err) ||
             xlsx_cell_value(s, row, 4, reportdb_get(seg, i, 1), XLSX_INT, XLSX_PLAIN, err) ||
             xlsx_cell_value(s, row, 5, reportdb_get(seg, i, 2), XLSX_INT, XLSX_PLAIN, err)))
            goto out;
    }
    long note = 2 + (nrev > nseg ? nrev : nseg) + 1;
    char text[160];
    snprintf(text, sizeof(text), "Months without stored KPIs (empty above; run almanac kpi --period M): %s",
             c->r->missing_months[0] ? c->r->missing_months : "none");
    if (xlsx_cell_text(s, note, 0, text, XLSX_PLAIN, err))
        goto out;
    xlsx_sheet_min_width(s, 0, 10);

    lxw_workbook *wb = xlsx_book_workbook(c->book);
    lxw_worksheet *ws = xlsx_sheet_worksheet(s);
    lxw_chart *line = workbook_add_chart(wb, LXW_CHART_COLUMN);
    lxw_chart *bars = workbook_add_chart(wb, LXW_CHART_COLUMN);
    if (!line || !bars) {
        error_set(err, ALMANAC_EX_SOFTWARE, "cannot add a chart");
        goto out;
    }
    lxw_chart_series *s1 = chart_add_series(line, NULL, NULL);
    lxw_chart_series *s2 = chart_add_series(bars, NULL, NULL);
    if (!s1 || !s2) {
        error_set(err, ALMANAC_EX_SOFTWARE, "cannot add a chart series");
        goto out;
    }
    chart_series_set_categories(s1, "Charts", 2, 0, (lxw_row_t)(1 + nrev), 0);
    chart_series_set_values(s1, "Charts", 2, 1, (lxw_row_t)(1 + nrev), 1);
    chart_series_set_name(s1, "Revenue (USD)");
    chart_title_set_name(line, "Revenue by month (USD)");
    chart_axis_set_num_format(line->x_axis, "yyyy-mm");
    chart_legend_set_position(line, LXW_CHART_LEGEND_NONE);
    chart_series_set_categories(s2, "Charts", 2, 3, (lxw_row_t)(1 + nseg), 3);
    chart_series_set_values(s2, "Charts", 2, 5, (lxw_row_t)(1 + nseg), 5);
    chart_series_set_name(s2, "Credits consumed");
    chart_title_set_name(bars, "Partner credits consumed by segment");
    chart_legend_set_position(bars, LXW_CHART_LEGEND_NONE);
    lxw_error e = worksheet_insert_chart(ws, 1, 7, line);
    if (!e)
        e = worksheet_insert_chart(ws, 18, 7, bars);
    if (e) {
        error_set(err, ALMANAC_EX_SOFTWARE, "inserting a chart: %s", lxw_strerror(e));
        goto out;
    }
    rc = 0;
out:
    PQclear(rev);
    PQclear(seg);
    return rc;
}

/* The book ------------------------------------------------------------------ */

static int check_stored(struct ctx *c, const PGresult *res)
{
    const struct kpi_period *p = &c->o->period;
    if (PQntuples(res) == 0) {
        error_set(c->err, ALMANAC_EX_DATAERR, "no KPIs stored for %s", p->label);
        error_hint(c->err, "compute them first: almanac kpi --period %s", p->label);
        return -1;
    }
    const char *tz = PQgetvalue(res, 0, 1);
    if (strcmp(tz, c->o->cfg->time_zone)) {
        error_set(c->err, ALMANAC_EX_DATAERR, "the KPIs of %s were computed in time zone %s, not %s", p->label, tz,
                  c->o->cfg->time_zone);
        error_hint(c->err, "recompute them with this configuration: almanac kpi --period %s", p->label);
        return -1;
    }
    c->r->kpi_run_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    return 0;
}

int accounting_write(PGconn *wh, const struct accounting_options *o, struct accounting_result *r,
                     struct almanac_error *err)
{
    memset(r, 0, sizeof(*r));
    if (strcmp(o->period.grain, "month"))
        return error_set(err, ALMANAC_EX_USAGE, "the accounting workbook is monthly, not %s", o->period.label);
    struct ctx c = {.wh = wh, .o = o, .r = r, .err = err};
    period_date_format(o->period.start, c.start);
    period_date_format(o->period.end, c.end);
    struct kpi_period prev;
    period_previous(&o->period, &prev);
    snprintf(c.prev_label, sizeof(c.prev_label), "%s", prev.label);
    if (reportdb_begin(wh, o->cfg->time_zone, err))
        return -1;
    const char *p1[1] = {c.start};
    PGresult *ctxres = reportdb_query(wh, "reports/accounting/context.sql", 1, p1, err);
    if (!ctxres || check_stored(&c, ctxres)) {
        PQclear(ctxres);
        reportdb_end(wh);
        return -1;
    }
    char title[64], subject[160];
    snprintf(title, sizeof(title), "Accounting workbook %s", o->period.label);
    snprintf(subject, sizeof(subject), "KPIs, credits roll-forward and transactions of %s (time zone %s)",
             o->period.label, o->cfg->time_zone);
    struct xlsx_props props = {.title = title, .subject = subject, .company = "almanac",
                               .currency = o->cfg->currency, .created = accounting_created(&o->period)};
    c.book = xlsx_book_new(o->path, o->tmpdir, &props, err);
    if (!c.book) {
        PQclear(ctxres);
        reportdb_end(wh);
        return -1;
    }
    if (o->max_rows)
        xlsx_book_set_max_rows(c.book, o->max_rows);
    struct rollforward rf = {0};
    struct xlsx_sheet *tx = NULL;
    int rc = summary(&c, ctxres);
    PQclear(ctxres);
    /* The roll-forward's partner lines come first, its checks after the
     * Transactions sheet they add up: each sheet keeps its own row order. */
    if (!rc)
        rc = rollforward_rows(&c, &rf);
    if (!rc)
        rc = transactions(&c, &tx);
    if (!rc)
        rc = rollforward_checks(&c, &rf, tx);
    if (!rc)
        rc = other_tables(&c);
    if (!rc)
        rc = charts(&c);
    reportdb_end(wh);
    if (rc) {
        xlsx_book_free(c.book);
        return -1;
    }
    return xlsx_book_close(c.book, err);
}
