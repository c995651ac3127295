/* catalog.h: what the ETL knows about each source table.
 *
 * One entry per table of schemas/source/001_operational.sql, columns in the
 * same order as the extract query schemas/etl/extract/<table>.sql and the
 * staging table staging.<table>. The rules here are the contract of
 * docs/source-schema.md: which fields are required, which values an enum
 * takes, which amounts must not be negative, which text is JSON.
 */
#ifndef ALMANAC_ETL_CATALOG_H
#define ALMANAC_ETL_CATALOG_H

#include <stddef.h>

enum col_type {
    COL_BIGINT,  /* bigint; ids and credits */
    COL_INT,     /* integer */
    COL_MONEY,   /* numeric(14,2) */
    COL_TS,      /* timestamptz, extracted in UTC */
    COL_DATE,    /* date */
    COL_BOOL,    /* boolean */
    COL_TEXT,    /* free text, valid UTF-8 */
    COL_ENUM,    /* text from a closed list of values */
    COL_JSON     /* text that must hold a JSON object */
};

enum col_flag {
    COL_REQUIRED = 1 << 0, /* NULL (or empty text) is rejected */
    COL_NONNEG = 1 << 1,   /* a negative number is rejected */
    COL_POSITIVE = 1 << 2, /* zero or negative is rejected */
    COL_KEY = 1 << 3       /* the source key (always column 0) */
};

struct col_spec {
    const char *name;
    enum col_type type;
    unsigned flags;
    const char *const *values; /* COL_ENUM: NULL-terminated allowed values */
};

struct row_fields; /* etl/copytext.h */

struct table_spec {
    const char *name;            /* source and staging table name */
    const struct col_spec *cols;
    size_t ncols;
    /* Rules across columns (e.g. a purchase needs an amount); NULL if none.
     * Returns NULL when the row is fine, else a reason code and fills
     * `why` (at most `why_size` bytes) with the reason text. */
    const char *(*check_row)(const struct table_spec *t, const struct row_fields *row, char *why,
                             size_t why_size);
};

/* The source tables in load order: parents before children. */
extern const struct table_spec catalog_tables[];
extern const size_t catalog_ntables;

/* Finds a table by name, or NULL. */
const struct table_spec *catalog_find(const char *name);

/* Index of column `name` in t, or -1. */
int catalog_column(const struct table_spec *t, const char *name);

#endif
