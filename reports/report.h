/* report.h: what the PDF report writers (review.c, partner.c, weekly.c)
 * share: their options, the query helper, the scorecard table and the
 * cover lines.
 *
 * Every number a writer prints is read from the warehouse (kpi.results,
 * kpi.partner_segments, kpi.seasonal_index, kpi.forecast, kpi.alerts) by the
 * SQL files under schemas/reports/; a writer formats and selects, never
 * recomputes a KPI. Missing periods are the caller's business (the
 * command-line layer computes them with kpi_compute first).
 */
#ifndef ALMANAC_REPORTS_REPORT_H
#define ALMANAC_REPORTS_REPORT_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "core/config.h"
#include "core/error.h"
#include "kpi/period.h"
#include "reports/i18n.h"
#include "reports/pdf.h"
#include "reports/reportdb.h" /* reportdb_query, reportdb_get */

struct report_options {
    const struct almanac_config *cfg; /* time zone, bands, thresholds */
    struct kpi_period period;
    enum i18n_locale locale;
    enum pdf_paper paper;
    const char *font_path;    /* NULL: DejaVu Sans */
    const char *data_through; /* $ALMANAC_DATA_THROUGH, stamped when set; NULL: not */
};

struct report_stats {
    int pages;
    int replaced; /* characters the font could not draw, shown as U+FFFD */
    long long bytes; /* size of the committed file (filled by the caller) */
};

/* Runs the embedded SQL file `name` (below schemas/) with text parameters.
 * The result belongs to the caller (PQclear); NULL with err set. */
PGresult *report_query(PGconn *wh, const char *name, int nparams, const char *const *params,
                       struct almanac_error *err);

/* The stored value as a double; NAN for NULL. */
double report_num(const PGresult *res, int row, int col);

/* Reads headline rows of `scope` (schemas/reports/kpi_rows.sql) for the
 * codes given, in that order; year_ago_start "YYYY-MM-DD" or NULL. */
PGresult *report_kpi_rows(PGconn *wh, const struct kpi_period *p, const char *scope,
                          const char *const *codes, int ncodes, const char *year_ago_start,
                          struct almanac_error *err);

/* A new document for the options (paper, font, separators, info dates from
 * the period's last day: no clock in the file). */
struct pdf_doc *report_doc_new(const struct report_options *o, const char *title, struct almanac_error *err);

/* Draws a scorecard table from report_kpi_rows' result: KPI, value,
 * previous, change, [year ago, YoY,] band marker and the thresholds of the
 * configuration. prev_key / change_key name the comparison columns
 * ("col.prev_q", "col.qoq"). */
void report_scorecard(struct pdf_doc *d, const struct report_options *o, const PGresult *rows, bool yoy,
                      const char *prev_key, const char *change_key);

/* The legend of the band colours. */
void report_band_legend(struct pdf_doc *d, const struct report_options *o);

/* The colour of a band ("good", "watch", "needs_improvement"), PDF_NONE
 * for NULL. */
uint32_t report_band_colour(const char *band);

/* The configured thresholds of a metric as "≥ 99.5 / < 99", "" if none. */
void report_thresholds(const struct report_options *o, const char *code, char *out, size_t size);

/* The cover's freshness line: latest ETL run and how far its data reaches;
 * plus "Data through X" when o->data_through is set. */
int report_freshness(PGconn *wh, const struct report_options *o, char *out, size_t size,
                     struct almanac_error *err);

/* Draws footers on every page: "<title> <period> · KPI run N [· Data
 * through X]" and "page N of M". */
void report_finish(struct pdf_doc *d, const struct report_options *o, const char *title, long long run_id);

/* Saves, filling stats. */
int report_save(struct pdf_doc *d, const char *path, struct report_stats *st, struct almanac_error *err);

#endif
