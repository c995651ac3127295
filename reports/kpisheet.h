/* kpisheet.h: stored KPI rows (kpi.results) on a sheet, typed by unit.
 *
 * A value is written as the number it is, in the format of its unit: usd
 * as money, pct as a percentage (65.3 in the table is 65.3 %), changes of a
 * pct in percentage points, counts and credits as numbers. NULL (n/a) is
 * an empty cell. The band colours the value and the band cells.
 */
#ifndef ALMANAC_REPORTS_KPISHEET_H
#define ALMANAC_REPORTS_KPISHEET_H

#include "core/error.h"
#include "reports/xlsx.h"

/* The cell type of a value of `unit` (value: its text, for whole/decimal). */
enum xlsx_type kpisheet_type(const char *unit, const char *value);

/* One Summary row into a sheet whose columns are Metric, Value, Previous
 * month, Change, Change %, Unit, Band, Flag: v holds those 8 texts. */
int kpisheet_row(struct xlsx_sheet *s, const char *const v[8], const char *unit, const char *band,
                 struct almanac_error *err);

/* Adds a sheet with columns Metric, Breakdown, Value, Previous, Change,
 * Change %, Unit. */
struct xlsx_sheet *kpisheet_add(struct xlsx_book *b, const char *name, struct almanac_error *err);

/* One row of such a sheet: v = code, breakdown, value, prev_value, delta,
 * delta_pct, unit. */
int kpisheet_breakdown_row(struct xlsx_sheet *s, const char *const v[7], struct almanac_error *err);

#endif
