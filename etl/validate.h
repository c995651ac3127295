/* validate.h: checks one source row against the catalogue's rules.
 *
 * Reason codes (stable; reports and docs/source-schema.md use them):
 *   missing_required  a required field is NULL or empty
 *   unknown_enum      a value outside the documented list
 *   negative_amount   a negative credit, money or point amount
 *   bad_amount        zero where the value must be positive
 *   bad_type          wrong number of fields or a malformed value
 *   bad_json          a JSON payload that does not parse to an object
 *   bad_utf8          bytes that are not valid UTF-8
 *   bad_timestamp     a time in the future or before 2000
 *   orphan_reference  (set later, in SQL) a reference to a missing row
 */
#ifndef ALMANAC_ETL_VALIDATE_H
#define ALMANAC_ETL_VALIDATE_H

#include <stddef.h>

#include "core/strbuf.h"
#include "etl/catalog.h"
#include "etl/copytext.h"

struct validator {
    struct strbuf scratch; /* unescaped JSON payloads */
    char latest[20];       /* "YYYY-MM-DD HH:MM:SS": no valid time is later */
};

/* `latest` bounds timestamps from above (UTC text, e.g. the extraction
 * time plus a day of clock skew). */
void validator_init(struct validator *v, const char *latest);
void validator_free(struct validator *v);

/* Returns NULL when the row is valid, else its reason code, with a sentence
 * for people in `why`. `raw`/`len` is the whole row as COPY sent it. */
const char *validate_row(struct validator *v, const struct table_spec *t, const char *raw,
                         size_t len, struct row_fields *fields, char *why, size_t why_size);

#endif
