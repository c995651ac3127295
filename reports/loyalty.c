/* loyalty.c: one brand's statement, read in one read-only transaction. */
#include "reports/loyalty.h"

#include <stdio.h>
#include <string.h>

#include "reports/kpisheet.h"
#include "reports/reportdb.h"
#include "reports/xlsx.h"

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct ctx {
    PGconn *wh;
    const struct loyalty_options *o;
    struct loyalty_result *r;
    struct xlsx_book *book;
    struct xlsx_sheet *sheet;
    long long *count;
    struct almanac_error *err;
    char start[11], end[11], scope[40], brand[24];
};

static int dashboard(struct ctx *c)
{
    struct almanac_error *err = c->err;
    struct xlsx_sheet *s = kpisheet_add(c->book, "Dashboard", err);
    if (!s)
        return -1;
    const char *p[4] = {"month", c->start, c->scope, "false"};
    PGresult *res = reportdb_query(c->wh, "kpi/queries/show.sql", 4, p, err);
    if (!res)
        return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        error_set(err, ALMANAC_EX_DATAERR, "no KPIs stored for brand %s in %s", c->brand, c->o->period.label);
        error_hint(err, "compute them first: almanac kpi --period %s", c->o->period.label);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        const char *v[8] = {reportdb_get(res, i, 0), reportdb_get(res, i, 3), reportdb_get(res, i, 4),
                            reportdb_get(res, i, 5), reportdb_get(res, i, 6), reportdb_get(res, i, 7),
                            reportdb_get(res, i, 8), reportdb_get(res, i, 9)};
        rc = kpisheet_row(s, v, v[5], v[6], err);
    }
    PQclear(res);
    return rc;
}

static int windows(struct ctx *c)
{
    static const struct xlsx_column cols[] = {
        {"Metric", XLSX_TEXT}, {"Last 7 days", XLSX_NUMBER}, {"Last 30 days", XLSX_NUMBER},
        {"Last 90 days", XLSX_NUMBER}, {"Unit", XLSX_TEXT},
    };
    struct xlsx_sheet *s = xlsx_sheet_add(c->book, "Last 7-30-90 days", cols, NCOLS(cols), 0, c->err);
    if (!s)
        return -1;
    const char *p[2] = {c->end, c->scope};
    PGresult *res = reportdb_query(c->wh, "reports/loyalty/windows.sql", 2, p, c->err);
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        const char *unit = reportdb_get(res, i, 1);
        const char *v[5] = {reportdb_get(res, i, 0), reportdb_get(res, i, 2), reportdb_get(res, i, 3),
                            reportdb_get(res, i, 4), unit};
        enum xlsx_type t = kpisheet_type(unit, v[1]);
        const enum xlsx_type types[5] = {XLSX_TEXT, t, t, t, XLSX_TEXT};
        const enum xlsx_style styles[5] = {XLSX_PLAIN, XLSX_PLAIN, XLSX_PLAIN, XLSX_PLAIN, XLSX_PLAIN};
        rc = xlsx_sheet_row_ex(s, v, types, styles, c->err);
    }
    PQclear(res);
    return rc;
}

static int perks(struct ctx *c)
{
    static const struct xlsx_column cols[] = {
        {"Perk ID", XLSX_ID},          {"Perk", XLSX_TEXT},          {"Price (RSNC)", XLSX_INT},
        {"Value (USD)", XLSX_MONEY},   {"Total supply", XLSX_INT},   {"Claims", XLSX_INT},
        {"Claims per day", XLSX_NUMBER}, {"Supply remaining", XLSX_INT}, {"Rank", XLSX_INT},
        {"Peak hour", XLSX_INT},       {"Peak week (Monday)", XLSX_DATE},
    };
    struct xlsx_sheet *s = xlsx_sheet_add(c->book, "Perks", cols, NCOLS(cols), 0, c->err);
    if (!s)
        return -1;
    const char *p[3] = {"month", c->start, c->scope};
    PGresult *res = reportdb_query(c->wh, "reports/loyalty/perks.sql", 3, p, c->err);
    if (!res)
        return -1;
    int rc = 0;
    for (int i = 0; i < PQntuples(res) && rc == 0; i++) {
        const char *v[11];
        for (int k = 0; k < 11; k++)
            v[k] = reportdb_get(res, i, k);
        rc = xlsx_sheet_row(s, v, c->err);
        c->r->perks++;
    }
    PQclear(res);
    return rc;
}

static int stream_row(const char *const *values, int ncols, void *arg)
{
    struct ctx *c = arg;
    (void)ncols;
    (*c->count)++;
    return xlsx_sheet_row(c->sheet, values, c->err);
}

static int lists(struct ctx *c)
{
    static const struct xlsx_column claims[] = {
        {"Claimed at", XLSX_DATETIME}, {"Perk ID", XLSX_ID},     {"Perk", XLSX_TEXT},
        {"User", XLSX_TEXT},           {"RSNC", XLSX_INT},       {"Value (USD)", XLSX_MONEY},
        {"Transaction hash", XLSX_TEXT},
    };
    static const struct xlsx_column tx[] = {
        {"Date", XLSX_DATETIME},     {"Transaction ID", XLSX_ID}, {"Type", XLSX_TEXT},
        {"User", XLSX_TEXT},         {"Perk ID", XLSX_ID},        {"Reward ID", XLSX_ID},
        {"USD", XLSX_MONEY},         {"RSNC", XLSX_INT},          {"Transaction hash", XLSX_TEXT},
    };
    const char *p[3] = {c->start, c->end, c->brand};
    c->sheet = xlsx_sheet_add(c->book, "Claims", claims, NCOLS(claims), 0, c->err);
    c->count = &c->r->claims;
    if (!c->sheet || reportdb_stream(c->wh, "reports/loyalty/claims.sql", 3, p, stream_row, c, c->err))
        return -1;
    c->sheet = xlsx_sheet_add(c->book, "Transactions", tx, NCOLS(tx), 0, c->err);
    c->count = &c->r->transactions;
    if (!c->sheet || reportdb_stream(c->wh, "reports/loyalty/transactions.sql", 3, p, stream_row, c, c->err))
        return -1;
    return 0;
}

int loyalty_write(PGconn *wh, const struct loyalty_options *o, struct loyalty_result *r,
                  struct almanac_error *err)
{
    memset(r, 0, sizeof(*r));
    struct ctx c = {.wh = wh, .o = o, .r = r, .err = err};
    period_date_format(o->period.start, c.start);
    period_date_format(o->period.end, c.end);
    snprintf(c.brand, sizeof(c.brand), "%lld", o->brand_id);
    snprintf(c.scope, sizeof(c.scope), "brand:%lld", o->brand_id);
    if (reportdb_begin(wh, o->cfg->time_zone, err))
        return -1;
    char title[160], subject[200];
    snprintf(title, sizeof(title), "Loyalty statement %s: %s", o->period.label, o->brand_name);
    snprintf(subject, sizeof(subject), "RSNC program of brand %lld, %s (time zone %s)", o->brand_id,
             o->period.label, o->cfg->time_zone);
    /* Created at the end of the period: the same warehouse state gives the
     * same bytes. */
    struct xlsx_props props = {.title = title, .subject = subject, .company = "almanac",
                               .currency = o->cfg->currency, .created = (time_t)o->period.end * 86400};
    c.book = xlsx_book_new(o->path, o->tmpdir, &props, err);
    int rc = c.book ? 0 : -1;
    if (!rc)
        rc = dashboard(&c);
    if (!rc)
        rc = windows(&c);
    if (!rc)
        rc = perks(&c);
    if (!rc)
        rc = lists(&c);
    reportdb_end(wh);
    if (rc) {
        xlsx_book_free(c.book);
        return -1;
    }
    return xlsx_book_close(c.book, err);
}
