/* seasonal.h: seasonal indices of a monthly series.
 *
 * With two years or more, classical multiplicative decomposition with period
 * 12, computed as statsmodels' seasonal_decompose(x, model="multiplicative",
 * period=12) computes it; with less, month-of-year shares. Pure computation:
 * nothing is allocated, printed or read. Methods, choices and tolerances are
 * in docs/seasonality.md.
 */
#ifndef ALMANAC_ANALYTICS_SEASONAL_H
#define ALMANAC_ANALYTICS_SEASONAL_H

#include <stddef.h>

#include "core/error.h"

#define SEASONAL_PERIOD 12
/* Below this many months there is no full 2x12 moving average to speak of:
 * month-of-year shares are reported instead. */
#define SEASONAL_MIN_DECOMPOSE 24
#define SEASONAL_MIN_FULL 36
#define SEASONAL_PEAK_DEFAULT 1.10
#define SEASONAL_LOW_DEFAULT 0.90

enum seasonal_quality {
    SEASONAL_FULL,          /* decomposition over 36 months or more */
    SEASONAL_INDICATIVE,    /* decomposition over 24 to 35 months */
    SEASONAL_SHORT_HISTORY, /* fewer than 24 months: month-of-year shares */
    SEASONAL_NO_SIGNAL      /* nothing to measure (e.g. all zeros): every index is 1 */
};

enum seasonal_method {
    SEASONAL_DECOMPOSITION, /* ratio to a centred 2x12 moving average */
    SEASONAL_MONTH_SHARE    /* mean of the month / mean of the monthly means */
};

enum seasonal_class {
    SEASONAL_NORMAL,
    SEASONAL_PEAK, /* index >= peak_threshold */
    SEASONAL_LOW   /* index <= low_threshold */
};

struct seasonal_options {
    double peak_threshold; /* a month at or above this index is a peak month */
    double low_threshold;  /* a month at or below this index is a low month */
};

#define SEASONAL_OPTIONS_DEFAULT                                                                   \
    ((struct seasonal_options){SEASONAL_PEAK_DEFAULT, SEASONAL_LOW_DEFAULT})

/* Everything here is finite whatever the input: reports read it as is. */
struct seasonal_result {
    enum seasonal_quality quality;
    enum seasonal_method method;
    size_t n; /* months in the series */
    /* Seasonal index by calendar month, [0] = January. The twelve average 1. */
    double index[SEASONAL_PERIOD];
    /* 1 when the month's index was measured; 0 when the month had no usable
     * observation (not in the series, or only where the trend is zero): its
     * index is then 1 and it is never a peak or low month. */
    int estimated[SEASONAL_PERIOD];
    enum seasonal_class month_class[SEASONAL_PERIOD];
    int has_zeros; /* the series holds zero months (allowed; see the docs) */
};

/* Seasonal indices of values[0..n-1], one value per consecutive month, the
 * first in calendar month first_month (1 = January). opt may be NULL for the
 * defaults (1.10 and 0.90). trend and resid, when not NULL, receive n values
 * each: the 2x12 moving average and values / (index * trend). NAN marks where
 * they are not defined: the first and last 6 months (as in statsmodels), every
 * month of a short history (no trend is estimated), and resid where trend *
 * index is 0. Values must be finite and >= 0; zeros are allowed.
 * Returns 0, or -1 with err filled (no data, a negative or non-finite value,
 * bad thresholds). */
int seasonal_decompose(const double *values, size_t n, int first_month,
                       const struct seasonal_options *opt, struct seasonal_result *out,
                       double *trend, double *resid, struct almanac_error *err);

/* "full", "indicative", "short history", "no signal". */
const char *seasonal_quality_name(enum seasonal_quality quality);

#endif
