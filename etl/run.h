/* run.h: one ETL run, source to warehouse, exactly once.
 *
 * Order of work (docs/etl.md explains why each step is safe):
 *   1. take the warehouse advisory lock (another run: exit 75)
 *   2. apply pending migrations; mark runs a kill left "running" abandoned
 *   3. log the run as running (its own small transaction)
 *   4. read the next watermark from the source, then open a REPEATABLE READ
 *      snapshot there
 *   5. in ONE warehouse transaction: stream every table into staging,
 *      validate references, quarantine rejects, transform into dimensions
 *      and facts, refresh snapshots, run the data tests, reconcile counts,
 *      record the run and move the watermark; commit
 * A run killed anywhere before the commit leaves the warehouse as it was.
 */
#ifndef ALMANAC_ETL_RUN_H
#define ALMANAC_ETL_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "etl/catalog.h"
#include "etl/extract.h"

struct etl_options {
    const char *source;    /* libpq connection string or URI */
    const char *warehouse;
    const char *timezone;  /* business time zone (IANA); NULL: UTC */
    int connect_attempts;  /* tries per connection when refused; >= 1 */
    /* Told about each table while it streams (done false, every ~65,000
     * rows) and when it is staged (done true, with its seconds); NULL for
     * silence. The library itself never prints. */
    void (*progress)(const struct table_spec *t, const struct extract_counts *c, bool done,
                     double seconds, void *arg);
    void *progress_arg;
};

struct etl_table_result {
    const char *name;
    struct extract_counts counts; /* after the SQL checks (orphans are rejected) */
    double seconds;
};

struct etl_result {
    long long run_id;
    char status[16];             /* success | failed */
    char watermark_before[40];
    char watermark_after[40];
    bool watermark_sees_all;     /* false: an hour's overlap was used */
    int migrations_applied;
    double seconds;
    size_t ntables;
    struct etl_table_result tables[32];
    size_t nsteps;
    struct etl_step_result {
        char name[64];   /* SQL file below schemas/etl/ */
        double seconds;
    } steps[32];
};

/* Runs the ETL. On failure err says what and `result` holds what was known
 * (run id, tables done). */
int etl_run(const struct etl_options *opt, struct etl_result *result, struct almanac_error *err);

#endif
