/* kpisheet.c: KPI rows typed by their unit. */
#include "reports/kpisheet.h"

#include <string.h>

enum xlsx_type kpisheet_type(const char *unit, const char *value)
{
    if (!unit)
        return XLSX_NUMBER;
    if (!strcmp(unit, "usd"))
        return XLSX_MONEY;
    if (!strcmp(unit, "pct"))
        return XLSX_PCT;
    if (!strcmp(unit, "seconds"))
        return XLSX_NUMBER;
    /* counts, credits, points, ranks, hours, days: whole unless a mean */
    return value && strchr(value, '.') ? XLSX_NUMBER : XLSX_INT;
}

/* A change keeps its value's unit, but a change of a percentage is in
 * percentage points, not a percentage of a percentage. */
static enum xlsx_type change_type(const char *unit, const char *value)
{
    if (unit && !strcmp(unit, "pct"))
        return XLSX_PP;
    return kpisheet_type(unit, value);
}

static enum xlsx_style band_style(const char *band)
{
    if (!band)
        return XLSX_PLAIN;
    return !strcmp(band, "good") ? XLSX_GOOD : !strcmp(band, "watch") ? XLSX_WATCH : XLSX_BAD;
}

int kpisheet_row(struct xlsx_sheet *s, const char *const v[8], const char *unit, const char *band,
                 struct almanac_error *err)
{
    enum xlsx_style b = band_style(band);
    const enum xlsx_type types[8] = {XLSX_TEXT, kpisheet_type(unit, v[1]), kpisheet_type(unit, v[2]),
                                     change_type(unit, v[3]), XLSX_PCT, XLSX_TEXT, XLSX_TEXT, XLSX_TEXT};
    const enum xlsx_style styles[8] = {XLSX_PLAIN, b, XLSX_PLAIN, XLSX_PLAIN, XLSX_PLAIN, XLSX_PLAIN, b, XLSX_PLAIN};
    return xlsx_sheet_row_ex(s, v, types, styles, err);
}

struct xlsx_sheet *kpisheet_add(struct xlsx_book *b, const char *name, struct almanac_error *err)
{
    static const struct xlsx_column cols[] = {
        {"Metric", XLSX_TEXT},  {"Breakdown", XLSX_TEXT}, {"Value", XLSX_NUMBER}, {"Previous", XLSX_NUMBER},
        {"Change", XLSX_NUMBER}, {"Change %", XLSX_PCT},  {"Unit", XLSX_TEXT},
    };
    return xlsx_sheet_add(b, name, cols, (int)(sizeof(cols) / sizeof(cols[0])), 0, err);
}

int kpisheet_breakdown_row(struct xlsx_sheet *s, const char *const v[7], struct almanac_error *err)
{
    const char *unit = v[6];
    const enum xlsx_type types[7] = {XLSX_TEXT, XLSX_TEXT, kpisheet_type(unit, v[2]), kpisheet_type(unit, v[3]),
                                     change_type(unit, v[4]), XLSX_PCT, XLSX_TEXT};
    return xlsx_sheet_row_ex(s, v, types, NULL, err);
}
