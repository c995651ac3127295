/* migrate.h: numbered warehouse migrations (schemas/warehouse/NNN_*.sql).
 *
 * Each file is applied once, in name order, and recorded with its checksum
 * in etl.schema_migrations. All pending files are applied in one
 * transaction: a failure leaves the warehouse as it was.
 */
#ifndef ALMANAC_ETL_MIGRATE_H
#define ALMANAC_ETL_MIGRATE_H

#include <libpq-fe.h>

#include "core/error.h"

/* Applies the pending migrations; *applied says how many (may be NULL).
 * A migration whose file changed after it was applied is an error (70):
 * the warehouse would not match the code. */
int migrate_apply(PGconn *wh, int *applied, struct almanac_error *err);

/* Counts pending migrations without applying them. */
int migrate_pending(PGconn *wh, int *pending, struct almanac_error *err);

#endif
