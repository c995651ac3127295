#include "core/error.h"

#include <stdio.h>
#include <string.h>

void error_clear(struct almanac_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static void vformat(char *dst, size_t size, const char *fmt, va_list ap)
{
    int n = vsnprintf(dst, size, fmt, ap);
    /* Strip one trailing newline: libpq messages end with one and our
     * output adds its own. */
    if (n > 0) {
        size_t len = strlen(dst);
        while (len > 0 && (dst[len - 1] == '\n' || dst[len - 1] == ' '))
            dst[--len] = '\0';
    }
}

int error_set(struct almanac_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return -1;
    va_list ap;
    err->code = code;
    err->detail[0] = '\0';
    err->hint[0] = '\0';
    va_start(ap, fmt);
    vformat(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

void error_detail(struct almanac_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vformat(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}

void error_hint(struct almanac_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vformat(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
}

void error_prefix(struct almanac_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[256];
    char old[ALMANAC_ERROR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    snprintf(err->message, sizeof err->message, "%s%s", prefix, old);
}

const char *error_code_name(int code)
{
    switch (code) {
    case ALMANAC_EX_OK: return "ok";
    case ALMANAC_EX_ALERTS: return "alerts";
    case ALMANAC_EX_USAGE: return "usage";
    case ALMANAC_EX_DATAERR: return "data";
    case ALMANAC_EX_UNAVAILABLE: return "unavailable";
    case ALMANAC_EX_SOFTWARE: return "internal";
    case ALMANAC_EX_CANTCREAT: return "cannot-write";
    case ALMANAC_EX_TEMPFAIL: return "temporary";
    case ALMANAC_EX_CONFIG: return "config";
    default: return "unknown";
    }
}
