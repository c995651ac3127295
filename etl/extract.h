/* extract.h: streams one source table into its warehouse staging table.
 *
 * COPY TO STDOUT from the source (schemas/etl/extract/<table>.sql), each row
 * validated (etl/validate.h), COPY FROM STDIN into staging.<table>. A good
 * row's bytes are forwarded unchanged with three NULL bookkeeping columns;
 * a rejected row keeps only its key, plus reason code, reason text and the
 * raw row. Memory use does not grow with the number of rows.
 */
#ifndef ALMANAC_ETL_EXTRACT_H
#define ALMANAC_ETL_EXTRACT_H

#include <libpq-fe.h>

#include "core/error.h"
#include "etl/catalog.h"
#include "etl/validate.h"

struct extract_counts {
    long long read;     /* rows the source sent */
    long long loaded;   /* rows staged as good */
    long long rejected; /* rows staged as rejected */
};

/* Called now and then with the counts so far (progress display); may be NULL. */
typedef void (*extract_progress_fn)(const struct table_spec *t, const struct extract_counts *c,
                                    void *arg);

/* Streams table `t`. `src` must be inside the extraction transaction with
 * almanac.watermark set; `wh` inside the warehouse transaction. On failure
 * both COPYs are ended and err says which side failed. */
int extract_table(PGconn *src, PGconn *wh, const struct table_spec *t, struct validator *v,
                  struct extract_counts *counts, extract_progress_fn progress, void *arg,
                  struct almanac_error *err);

#endif
