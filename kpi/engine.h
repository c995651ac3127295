/* engine.h: computes every KPI of one period from the warehouse and stores
 * it in kpi.results (and the month's partner segments), in one transaction.
 *
 * The metrics are the SQL files under schemas/kpi/metrics/, run in name
 * order for the requested period and, at the same time on a second
 * connection that shares the transaction's snapshot, for the previous one,
 * in the business time zone; docs/kpis.md defines each of them.
 */
#ifndef ALMANAC_KPI_ENGINE_H
#define ALMANAC_KPI_ENGINE_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "core/config.h"
#include "core/error.h"
#include "kpi/period.h"

#define KPI_MAX_STEPS 32

struct kpi_result {
    long long run_id;
    long long rows;     /* rows written to kpi.results */
    long long segments; /* rows written to kpi.partner_segments */
    bool has_previous;  /* the previous period had data to compare with */
    double seconds;
    struct {
        char name[64];
        double seconds;
    } steps[KPI_MAX_STEPS];
    int nsteps;
};

/* Computes and stores period p. The time zone and thresholds come from cfg.
 * The warehouse must be migrated (cli_connect_warehouse). Returns 0, or -1 with err set:
 * 78 for an unknown time zone, 69 for a lost connection, 70 otherwise. */
int kpi_compute(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p,
                struct kpi_result *r, struct almanac_error *err);

/* Whether the stored KPIs of p are current (same time zone and settings,
 * no data loaded since): *run_id is their run, or 0 when they must be
 * computed. */
int kpi_current(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p, long long *run_id,
                struct almanac_error *err);

#endif
