/* reportdb.h: how report writers read the warehouse.
 *
 * A report is read in one REPEATABLE READ, READ ONLY transaction, so every
 * sheet sees the same warehouse state, in the business time zone (dates
 * cast to timestamptz are local midnight; timestamps come back as local
 * time). Queries are the embedded files under schemas/reports/; big ones
 * stream in libpq's single-row mode so memory does not grow with rows.
 */
#ifndef ALMANAC_REPORTS_REPORTDB_H
#define ALMANAC_REPORTS_REPORTDB_H

#include <libpq-fe.h>

#include "core/error.h"

/* Starts the read transaction in time zone `tz`. Returns 0, or -1 with err
 * (78 for an unknown time zone). */
int reportdb_begin(PGconn *conn, const char *tz, struct almanac_error *err);

/* Ends it (a rollback: nothing was written). */
void reportdb_end(PGconn *conn);

/* Runs the embedded file `name` (below schemas/) with text parameters and
 * returns the whole result (the caller PQclears it), or NULL with err. */
PGresult *reportdb_query(PGconn *conn, const char *name, int nparams, const char *const *params,
                         struct almanac_error *err);

/* Calls row(values, ncols, arg) for each row of `name`, one at a time;
 * values[i] is NULL for SQL NULL and valid only during the call. A non-zero
 * return from row stops the stream (the rest is drained) and is returned;
 * err is the callback's to fill then. */
int reportdb_stream(PGconn *conn, const char *name, int nparams, const char *const *params,
                    int (*row)(const char *const *values, int ncols, void *arg), void *arg,
                    struct almanac_error *err);

/* The value at (row, col) or NULL for SQL NULL. */
const char *reportdb_get(const PGresult *res, int row, int col);

#endif
