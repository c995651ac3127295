/* exports.h: the CSV exports of a period (issue #6; docs/exports.md).
 *
 * One file per export, `<name>-<label>.csv` in one directory, each the
 * result of the query schemas/reports/exports/<name>.sql streamed through
 * csv_export_copy. All exports of a run read one snapshot of the warehouse
 * (a repeatable-read, read-only transaction), and the files appear
 * together: each is written under a temporary name and all are renamed
 * only when every one is complete, so a failed run leaves no file, old or
 * partial, under a final name it did not finish.
 */
#ifndef ALMANAC_REPORTS_EXPORTS_H
#define ALMANAC_REPORTS_EXPORTS_H

#include <limits.h>

#include <libpq-fe.h>

#include "core/error.h"
#include "reports/csv.h"

#define EXPORTS_COUNT 7

/* The name of export i (0 <= i < EXPORTS_COUNT), in the order they are
 * written: partners, transactions, events, generations, style_usage,
 * loyalty_transactions, perk_claims. */
const char *exports_name(int i);

/* The index of the export called `name`, or -1. */
int exports_find(const char *name);

struct exports_request {
    const char *dir;       /* created with its parents when missing */
    const char *label;     /* names the files: "2026-10" -> partners-2026-10.csv */
    const char *from_day;  /* first local day of the range, YYYY-MM-DD */
    const char *to_day;    /* local day after the range, YYYY-MM-DD */
    const char *time_zone; /* business time zone (IANA name) */
    unsigned only;         /* bit i set: write export i; 0 writes all */
    struct csv_options csv;
};

struct exports_file {
    const char *name; /* static */
    char path[PATH_MAX];
    long long rows;  /* data rows, header not counted */
    long long bytes; /* file size */
    double seconds;  /* query and writing */
};

struct exports_result {
    struct exports_file files[EXPORTS_COUNT];
    int nfiles;
};

/* Writes the requested exports. Returns 0 with *res filled, or -1 with err
 * set: exit 73 when the directory or a file cannot be written, 78 for an
 * unknown time zone, the server's error otherwise. The connection is left
 * outside any transaction. */
int exports_run(PGconn *wh, const struct exports_request *req, struct exports_result *res,
                struct almanac_error *err);

#endif
