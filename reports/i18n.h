/* i18n.h: the English and Spanish labels of the PDF reports, and numbers
 * formatted the way each locale writes them.
 *
 * Labels are looked up by a short key ("scorecard", "kpi.partners_active");
 * a key without a translation prints as the key itself, visibly, instead of
 * an empty string. Spanish KPI names follow the platform's own dashboard
 * (seed 000: "Partners Activos", "Créditos en Canales", "Ratio de Consumo").
 */
#ifndef ALMANAC_REPORTS_I18N_H
#define ALMANAC_REPORTS_I18N_H

#include <stddef.h>

#include "core/error.h"

enum i18n_locale { I18N_EN, I18N_ES };

/* "en" or "es" -> *loc. Returns 0, or -1 with err (exit 64). */
int i18n_parse(const char *name, enum i18n_locale *loc, struct almanac_error *err);

/* The label of key in loc (static storage). */
const char *i18n_label(enum i18n_locale loc, const char *key);

/* The name of a KPI code ("kpi.<code>"), or the code itself. */
const char *i18n_kpi(enum i18n_locale loc, const char *code);

/* Month names: 1-12, abbreviated ("Jan", "ene") or full. */
const char *i18n_month(enum i18n_locale loc, int month, int full);

/* Thousands separator and decimal mark: en ',' '.', es '.' ','. */
char i18n_group(enum i18n_locale loc);
char i18n_decimal(enum i18n_locale loc);

/* A number with grouping, in loc. */
void i18n_number(enum i18n_locale loc, double v, int decimals, char *out, size_t size);

/* A stored KPI value (numeric text, NULL = undefined) as a report prints
 * it, by unit (docs/reports-pdf.md "Numbers"):
 *   count    1,234 (whole) or 12.3      pct      92.3 %
 *   usd      1,234.56 USD               credits, rsnc, days, rank  1,234
 *   seconds  1.23 s                     status   green / amber / red
 *   hour     14:00                      date     2026-10-12
 * and "n/a" ("n/d") for NULL. */
void i18n_value(enum i18n_locale loc, const char *text, const char *unit, char *out, size_t size);

/* A change: "+1.5 pp" for pct units (delta), "+3.2 %" otherwise
 * (delta_pct); "n/a" when undefined; "" for status, date, rank, hour. */
void i18n_change(enum i18n_locale loc, const char *delta, const char *delta_pct, const char *unit,
                 char *out, size_t size);

/* A date "YYYY-MM-DD" as "1 Jul 2026" / "1 jul 2026". */
void i18n_date(enum i18n_locale loc, const char *iso, char *out, size_t size);

#endif
