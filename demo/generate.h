/* generate.h: fills the operational (source) schema with demo data.
 *
 * The data are made by the set-based SQL in schemas/demo/NNN_*.sql, in one
 * transaction: a run killed half-way leaves nothing behind. The patterns
 * planted in the data (seasonality, outages, bursts...) are recorded in
 * table almanac_demo.truth and exported by demo_write_truth() so that tests
 * can check that the reports find them.
 */
#ifndef ALMANAC_DEMO_GENERATE_H
#define ALMANAC_DEMO_GENERATE_H

#include <libpq-fe.h>

#include "core/error.h"

struct demo_params {
    char scale[32]; /* decimal text, e.g. "0.01", "1", "10" */
    long long seed;
    char as_of[11]; /* YYYY-MM-DD */
};

enum demo_state {
    DEMO_EMPTY,     /* no demo data in the database */
    DEMO_SAME,      /* complete data made with the same parameters */
    DEMO_DIFFERENT  /* data made with other parameters: must start over */
};

/* Tells what the database holds. */
int demo_check(PGconn *conn, const struct demo_params *p, enum demo_state *state,
               struct almanac_error *err);

/* Ends other sessions named "almanac demo" on this database: what a killed
 * earlier demo left holding locks. For the private server only. */
int demo_end_stale_sessions(PGconn *conn, struct almanac_error *err);

/* Creates the source schema and generates the data in one transaction.
 * The database must be empty (DEMO_EMPTY). */
int demo_generate(PGconn *conn, const struct demo_params *p, struct almanac_error *err);

/* Writes the planted truth, parameters and row counts as JSON to `path`
 * (atomically). Sets *total_rows to the rows in all source tables. */
int demo_write_truth(PGconn *conn, const char *path, long long *total_rows,
                     struct almanac_error *err);

#endif
