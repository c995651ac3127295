/* seasonal.c: seasonal indices; see seasonal.h and docs/seasonality.md. */
#include "analytics/seasonal.h"

#include <math.h>
#include <string.h>

#define HALF (SEASONAL_PERIOD / 2)

/* Centred 2x12 moving average at t, defined for HALF <= t < n - HALF: the
 * weights are statsmodels' filter [0.5, 1 x 11, 0.5] / 12. */
static double moving_average(const double *x, size_t t)
{
    double sum = 0.5 * x[t - HALF] + 0.5 * x[t + HALF];
    for (size_t i = t - HALF + 1; i < t + HALF; i++)
        sum += x[i];
    return sum / SEASONAL_PERIOD;
}

static int calendar_month(int first_month, size_t t)
{
    return (int)(((size_t)(first_month - 1) + t) % SEASONAL_PERIOD);
}

static int check_input(const double *values, size_t n, int first_month,
                       const struct seasonal_options *opt, struct seasonal_result *out,
                       struct almanac_error *err)
{
    if (!values || !out)
        return error_set(err, ALMANAC_EX_SOFTWARE, "seasonal_decompose: NULL argument");
    if (n == 0)
        return error_set(err, ALMANAC_EX_DATAERR, "seasonal indices: the series is empty");
    if (first_month < 1 || first_month > 12)
        return error_set(err, ALMANAC_EX_SOFTWARE, "seasonal indices: first month %d is not 1..12",
                         first_month);
    if (!isfinite(opt->peak_threshold) || !isfinite(opt->low_threshold) ||
        !(opt->low_threshold < opt->peak_threshold))
        return error_set(err, ALMANAC_EX_USAGE,
                         "seasonal indices: thresholds low %g and peak %g: low must be below peak",
                         opt->low_threshold, opt->peak_threshold);
    for (size_t t = 0; t < n; t++) {
        if (!isfinite(values[t]) || values[t] < 0) {
            error_set(err, ALMANAC_EX_DATAERR, "seasonal indices: month %zu of the series is %g",
                      t + 1, values[t]);
            error_detail(err, "multiplicative seasonality needs finite values >= 0");
            return -1;
        }
    }
    return 0;
}

/* Ratio-to-moving-average indices by position in the series (statsmodels'
 * seasonal_mean over x / trend, then divided by the mean of the twelve).
 * A ratio where the trend is 0 is 0/0, which statsmodels' NaN-skipping mean
 * leaves out; so does this. Returns 0, or -1 when no ratio is non-zero. */
static int decompose_indices(const double *x, size_t n, double *by_pos, int *defined)
{
    double sum[SEASONAL_PERIOD] = {0};
    size_t count[SEASONAL_PERIOD] = {0};
    for (size_t t = HALF; t + HALF < n; t++) {
        double tr = moving_average(x, t);
        if (tr > 0) {
            sum[t % SEASONAL_PERIOD] += x[t] / tr;
            count[t % SEASONAL_PERIOD]++;
        }
    }
    double total = 0;
    size_t months = 0;
    for (int p = 0; p < SEASONAL_PERIOD; p++) {
        defined[p] = count[p] > 0;
        if (defined[p]) {
            by_pos[p] = sum[p] / (double)count[p];
            total += by_pos[p];
            months++;
        }
    }
    if (months == 0 || !(total > 0))
        return -1;
    double mean = total / (double)months;
    for (int p = 0; p < SEASONAL_PERIOD; p++)
        by_pos[p] = defined[p] ? by_pos[p] / mean : 1.0;
    return 0;
}

/* Month-of-year shares by calendar month: the month's mean over the mean of
 * the monthly means, so that the observed months average 1. Returns 0, or -1
 * when every value is zero. */
static int share_indices(const double *x, size_t n, int first_month, double *by_month, int *defined)
{
    double sum[SEASONAL_PERIOD] = {0};
    size_t count[SEASONAL_PERIOD] = {0};
    for (size_t t = 0; t < n; t++) {
        int c = calendar_month(first_month, t);
        sum[c] += x[t];
        count[c]++;
    }
    double total = 0;
    size_t months = 0;
    for (int c = 0; c < SEASONAL_PERIOD; c++) {
        defined[c] = count[c] > 0;
        if (defined[c]) {
            by_month[c] = sum[c] / (double)count[c];
            total += by_month[c];
            months++;
        }
    }
    if (!(total > 0))
        return -1;
    double mean = total / (double)months;
    for (int c = 0; c < SEASONAL_PERIOD; c++)
        by_month[c] = defined[c] ? by_month[c] / mean : 1.0;
    return 0;
}

static void fill_components(const double *x, size_t n, int first_month, int decomposed,
                            const double *index, double *trend, double *resid)
{
    for (size_t t = 0; t < n; t++) {
        double tr = NAN;
        if (decomposed && t >= HALF && t + HALF < n)
            tr = moving_average(x, t);
        if (trend)
            trend[t] = tr;
        if (resid) {
            double fit = index[calendar_month(first_month, t)] * tr;
            resid[t] = fit != 0 && isfinite(fit) ? x[t] / fit : NAN;
        }
    }
}

int seasonal_decompose(const double *values, size_t n, int first_month,
                       const struct seasonal_options *opt, struct seasonal_result *out,
                       double *trend, double *resid, struct almanac_error *err)
{
    struct seasonal_options defaults = SEASONAL_OPTIONS_DEFAULT;
    if (!opt)
        opt = &defaults;
    if (check_input(values, n, first_month, opt, out, err) != 0)
        return -1;

    memset(out, 0, sizeof *out);
    out->n = n;
    for (size_t t = 0; t < n; t++)
        if (values[t] == 0)
            out->has_zeros = 1;

    int signal;
    int decomposed = n >= SEASONAL_MIN_DECOMPOSE;
    if (decomposed) {
        double by_pos[SEASONAL_PERIOD];
        int defined[SEASONAL_PERIOD];
        signal = decompose_indices(values, n, by_pos, defined) == 0;
        for (int p = 0; p < SEASONAL_PERIOD; p++) {
            int c = calendar_month(first_month, (size_t)p);
            out->index[c] = by_pos[p];
            out->estimated[c] = defined[p];
        }
        out->method = SEASONAL_DECOMPOSITION;
        out->quality = n >= SEASONAL_MIN_FULL ? SEASONAL_FULL : SEASONAL_INDICATIVE;
    } else {
        signal = share_indices(values, n, first_month, out->index, out->estimated) == 0;
        out->method = SEASONAL_MONTH_SHARE;
        out->quality = SEASONAL_SHORT_HISTORY;
    }
    if (!signal) {
        /* No month differs from another in any measurable way: report the
         * neutral index rather than 0/0. */
        out->quality = SEASONAL_NO_SIGNAL;
        for (int c = 0; c < SEASONAL_PERIOD; c++) {
            out->index[c] = 1.0;
            out->estimated[c] = 0;
        }
    }
    for (int c = 0; c < SEASONAL_PERIOD; c++) {
        out->month_class[c] = SEASONAL_NORMAL;
        if (!out->estimated[c])
            continue;
        if (out->index[c] >= opt->peak_threshold)
            out->month_class[c] = SEASONAL_PEAK;
        else if (out->index[c] <= opt->low_threshold)
            out->month_class[c] = SEASONAL_LOW;
    }
    if (trend || resid)
        fill_components(values, n, first_month, decomposed, out->index, trend, resid);
    return 0;
}

const char *seasonal_quality_name(enum seasonal_quality quality)
{
    switch (quality) {
    case SEASONAL_FULL:
        return "full";
    case SEASONAL_INDICATIVE:
        return "indicative";
    case SEASONAL_SHORT_HISTORY:
        return "short history";
    case SEASONAL_NO_SIGNAL:
        return "no signal";
    }
    return "unknown";
}
