/* error.h: one error struct for the whole program, and the exit-code table.
 *
 * Library code fills a caller-supplied `struct almanac_error` and returns a
 * status; only the command-line layer prints it and chooses the exit code.
 */
#ifndef ALMANAC_CORE_ERROR_H
#define ALMANAC_CORE_ERROR_H

#include <stdarg.h>

/* Exit codes, after sysexits.h. Documented in docs/exit-codes.md; keep both
 * in step. */
enum almanac_exit {
    ALMANAC_EX_OK = 0,           /* success */
    ALMANAC_EX_ALERTS = 10,      /* `alerts --fail-on LEVEL`: an alert at LEVEL or above fired */
    ALMANAC_EX_USAGE = 64,       /* bad command line: unknown option, bad value */
    ALMANAC_EX_DATAERR = 65,     /* input data failed validation or data tests */
    ALMANAC_EX_UNAVAILABLE = 69, /* a service (database, server binaries) is unavailable */
    ALMANAC_EX_SOFTWARE = 70,    /* internal error: a bug, or an unexpected server answer */
    ALMANAC_EX_CANTCREAT = 73,   /* cannot write an output file or directory */
    ALMANAC_EX_TEMPFAIL = 75,    /* temporary: another run holds the lock, data stale; retry later */
    ALMANAC_EX_CONFIG = 78       /* configuration error: bad config file, key or environment */
};

#define ALMANAC_ERROR_MSG 512
#define ALMANAC_ERROR_DETAIL 1024
#define ALMANAC_ERROR_HINT 512

/* What failed, in words for the person reading stderr. `code` is the exit
 * code the command-line layer should use; 0 means no error was recorded. */
struct almanac_error {
    int code;
    char message[ALMANAC_ERROR_MSG];
    char detail[ALMANAC_ERROR_DETAIL];
    char hint[ALMANAC_ERROR_HINT];
};

/* Clears err (NULL is allowed). */
void error_clear(struct almanac_error *err);

/* Records an error with exit code `code`; replaces any earlier message and
 * clears detail and hint. Returns -1 so callers can `return error_set(...)`. */
int error_set(struct almanac_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds a detail line (e.g. the server's message, the failed SQL file). */
void error_detail(struct almanac_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Adds a hint line (what the user can do about it). */
void error_hint(struct almanac_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefixes the message with context ("loading partners: "). */
void error_prefix(struct almanac_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Name of an exit code ("usage", "config", ...), for logs and docs. */
const char *error_code_name(int code);

#endif
