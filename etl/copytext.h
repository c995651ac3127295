/* copytext.h: PostgreSQL COPY text format, one row at a time.
 *
 * The extractor forwards a good row's bytes unchanged from the source's
 * COPY TO to the warehouse's COPY FROM (same columns, same types), so the
 * only work per row is to split it into fields for validation. Fields are
 * views into the row buffer; nothing is copied unless a field must be
 * unescaped (JSON payloads).
 */
#ifndef ALMANAC_ETL_COPYTEXT_H
#define ALMANAC_ETL_COPYTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

#define COPYTEXT_MAX_FIELDS 32

struct field {
    const char *p; /* raw (still escaped) bytes; not NUL-terminated */
    size_t len;
    bool null;     /* the field was \N */
};

struct row_fields {
    struct field f[COPYTEXT_MAX_FIELDS];
    size_t n;
};

/* Splits one row (without its trailing newline) into fields. Returns the
 * number of fields, or -1 if there are more than COPYTEXT_MAX_FIELDS. */
int copytext_split(const char *row, size_t len, struct row_fields *out);

/* Appends the unescaped value of a raw field to sb. Returns 0 or -1 (out of
 * memory). */
int copytext_unescape(const char *p, size_t len, struct strbuf *sb);

/* Appends `s` escaped for COPY text input (backslash, tab, newline, CR). */
int copytext_escape(const char *s, size_t len, struct strbuf *sb);

/* True when the bytes are valid UTF-8 (no overlongs, no surrogates). */
bool copytext_valid_utf8(const char *p, size_t len);

#endif
