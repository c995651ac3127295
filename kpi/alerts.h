/* alerts.h: the alert rules of KPIS.md, evaluated over a window and kept in
 * kpi.alerts, deduplicated across runs.
 *
 * Each rule is one SELECT in schemas/alerts/<code>.sql returning candidate
 * alerts; alerts_evaluate runs them all in one warehouse transaction and
 * upserts the candidates by (code, dedup_key). Rules, keys and thresholds
 * are described in docs/alerts.md.
 */
#ifndef ALMANAC_KPI_ALERTS_H
#define ALMANAC_KPI_ALERTS_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#include "core/config.h"
#include "core/error.h"

/* Severities, most severe first. */
enum alert_severity { ALERT_CRITICAL = 0, ALERT_WARNING = 1, ALERT_INFO = 2 };

/* The window [start, end) of an evaluation, as ISO 8601 UTC text. */
struct alerts_window {
    char start[48];
    char end[48];
    char day[16];       /* the local day (YYYY-MM-DD) for a day window, else "" */
    char time_zone[64]; /* the business time zone the window was cut in */
};

/* One alert as kpi.alerts holds it after the run. Strings are owned by the
 * alerts_result they belong to. */
struct alert {
    long long alert_id;
    char code[40];
    char severity[12];
    enum alert_severity level;
    char subject_kind[16];
    char *subject;
    char *dedup_key;
    char started_at[48];
    char ended_at[48];       /* "" while the condition holds */
    char first_fired_at[48];
    char status[12];         /* open | resolved */
    char *evidence;          /* a JSON object, as text */
    int occurrences;
    bool is_new;             /* this run inserted it */
};

struct alerts_result {
    long long run_id;        /* kpi.runs row of the evaluation; 0 for a listing */
    struct alert *alerts;    /* found in the window (new or already known) */
    size_t nalerts;
    struct alert *resolved;  /* open state alerts this run found cleared */
    size_t nresolved;
    int counts[3];           /* alerts by enum alert_severity */
    double seconds;
};

/* Computes the window in the business time zone `time_zone`: the local day
 * `day` (YYYY-MM-DD), or [from, to) (timestamps; one without an offset is
 * local time), or with all three NULL the last complete local day. Sets the
 * session's TimeZone to time_zone. A zone the server does not know is a
 * configuration error (78). */
int alerts_window_resolve(PGconn *wh, const char *time_zone, const char *day, const char *from,
                          const char *to, struct alerts_window *out, struct almanac_error *err);

/* Runs every rule over the window in one transaction, records a kpi.runs
 * row (kind 'alerts'), upserts the findings into kpi.alerts and resolves
 * the open state alerts (low credit, low supply, selling out, RSNC low,
 * pulse red, pending application) that no longer hold at the window end.
 * Fills out (free it with alerts_result_free, also after a failure). */
int alerts_evaluate(PGconn *wh, const struct almanac_config *cfg, const struct alerts_window *w,
                    struct alerts_result *out, struct almanac_error *err);

/* Lists every open alert in kpi.alerts into out->alerts (no evaluation). */
int alerts_list_open(PGconn *wh, struct alerts_result *out, struct almanac_error *err);

/* Frees what out holds and zeroes it; NULL is allowed. */
void alerts_result_free(struct alerts_result *out);

/* Parses "critical", "warning" or "info"; returns -1 for anything else. */
int alerts_severity_parse(const char *name);

#endif
