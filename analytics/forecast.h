/* forecast.h: short-horizon forecasts of a monthly series.
 *
 * Holt-Winters with additive trend and multiplicative seasonality, period 12,
 * in statsmodels' convention (ExponentialSmoothing(y, trend="add",
 * seasonal="mul", seasonal_periods=12)), with two years or more of history;
 * seasonal naive with drift below that, or when Holt-Winters finds no usable
 * fit. Pure computation: nothing is allocated, printed or read. Methods,
 * intervals and tolerances are in docs/seasonality.md.
 */
#ifndef ALMANAC_ANALYTICS_FORECAST_H
#define ALMANAC_ANALYTICS_FORECAST_H

#include <stddef.h>

#include "core/error.h"

#define FORECAST_PERIOD 12
/* Intervals are exact for horizons up to one season (docs/seasonality.md). */
#define FORECAST_MAX_HORIZON 12
#define FORECAST_HW_MIN_HISTORY 24
#define FORECAST_MIN_HISTORY 12
/* Parameters a Holt-Winters fit estimates (alpha, beta, gamma, level, trend,
 * 11 free seasonal factors); statsmodels counts the same 16. The residual
 * variance is SSE / (n - FORECAST_HW_PARAMS). */
#define FORECAST_HW_PARAMS 16

/* Smoothing parameters and initial states, as statsmodels names them:
 *   fitted[t]  = (l[t] + b[t]) * s[t]
 *   l[t+1]     = alpha * y[t] / s[t] + (1 - alpha) * (l[t] + b[t])
 *   b[t+1]     = beta * (l[t+1] - l[t]) + (1 - beta) * b[t]
 *   s[t+12]    = gamma * y[t] / (l[t] + b[t]) + (1 - gamma) * s[t]
 * with l[0] = level0, b[0] = trend0, s[i] = season0[i] for i < 12. */
struct forecast_hw_model {
    double alpha, beta, gamma;
    double level0, trend0;
    double season0[FORECAST_PERIOD]; /* by position in the series, not calendar month */
};

/* A Holt-Winters run over n observations and the states it ends in. */
struct forecast_hw_fit {
    struct forecast_hw_model model;
    size_t n;
    double sse;                     /* sum of squared one-step errors */
    double level, trend;            /* l[n], b[n] */
    double season[FORECAST_PERIOD]; /* season[j] multiplies the forecast of y[n + j] */
};

/* Heuristic initial states, as statsmodels' initialization_method="heuristic"
 * computes them (Hyndman et al. 2008, section 2.6): seasonal factors from a
 * 2x12 moving average over the first min(5, n / 12) years, level and trend
 * from a straight line through its first 10 values. Sets level0, trend0 and
 * season0 of model; leaves alpha, beta and gamma alone. Needs n >= 24 and a
 * positive moving average. Returns 0, or -1 with err filled. */
int forecast_hw_initial(const double *y, size_t n, struct forecast_hw_model *model,
                        struct almanac_error *err);

/* Runs the recursions with fixed parameters and initial states, exactly as
 * statsmodels runs them. fitted, when not NULL, receives the n one-step
 * fitted values. Fails (-1, err filled) when a value is negative or
 * non-finite, or when the model breaks down: a seasonal factor or level +
 * trend of zero (the next step would divide by it) or a non-finite state.
 * Negative states are computed through, as statsmodels does; the optimiser
 * never accepts them. */
int forecast_hw_filter(const double *y, size_t n, const struct forecast_hw_model *model,
                       double *fitted, struct forecast_hw_fit *fit, struct almanac_error *err);

/* Estimates alpha, beta, gamma and the initial states by minimising the SSE
 * (statsmodels' default, initialization_method="estimated"), with
 * beta <= alpha and gamma <= 1 - alpha as statsmodels constrains them, and
 * seasonal factors averaging 1. Deterministic: a grid over the smoothing
 * parameters from the heuristic states, then Nelder-Mead with restarts.
 * Needs n >= 24. Returns 0, or -1 with err filled when no admissible fit
 * exists (e.g. all zeros). */
int forecast_hw_optimize(const double *y, size_t n, struct forecast_hw_fit *fit,
                         struct almanac_error *err);

/* Point forecasts for horizons 1..horizon into point[0..horizon-1]:
 * (level + h * trend) * season[(h - 1) % 12]. */
void forecast_hw_predict(const struct forecast_hw_fit *fit, size_t horizon, double *point);

/* Standard deviation of the h-step forecast error, h = 1..horizon, horizon <=
 * FORECAST_MAX_HORIZON, under the ETS(A,A,M) state-space model whose point
 * forecasts these recursions are. Needs fit->n > FORECAST_HW_PARAMS.
 * Returns 0, or -1 with err filled. */
int forecast_hw_sd(const struct forecast_hw_fit *fit, size_t horizon, double *sd,
                   struct almanac_error *err);

enum forecast_method {
    FORECAST_HOLT_WINTERS,
    FORECAST_SEASONAL_NAIVE /* value 12 months earlier + mean year-on-year change */
};

/* Flags in forecast_result.flags. */
#define FORECAST_SHORT_HISTORY 0x01 /* fewer than 24 months: seasonal naive by design */
#define FORECAST_HW_FAILED 0x02     /* 24+ months but no admissible Holt-Winters fit */
#define FORECAST_NO_DRIFT 0x04      /* exactly 12 months: no year-on-year change known */
#define FORECAST_NO_INTERVAL 0x08   /* under 14 months: lower = upper = point */
#define FORECAST_CLIPPED 0x10       /* a point or lower bound was below 0 and set to 0 */

/* Every number for h <= horizon is finite. */
struct forecast_result {
    enum forecast_method method;
    unsigned flags;
    size_t horizon;
    double coverage; /* e.g. 0.8 for an 80 % interval */
    double point[FORECAST_MAX_HORIZON];
    double lower[FORECAST_MAX_HORIZON];
    double upper[FORECAST_MAX_HORIZON];
    double sd[FORECAST_MAX_HORIZON]; /* forecast error standard deviation */
    double drift;                    /* seasonal naive: mean year-on-year change */
    struct forecast_hw_fit hw;       /* Holt-Winters only: the fitted model */
};

/* Seasonal naive with drift: point[h] = y[n - 12 + h - 1] + drift, drift the
 * mean of y[t] - y[t - 12]; the interval from the spread of those seasonal
 * differences around the drift. Needs n >= 12; values finite and >= 0.
 * horizon 1..FORECAST_MAX_HORIZON, coverage in (0, 1).
 * Returns 0, or -1 with err filled. */
int forecast_seasonal_naive(const double *y, size_t n, size_t horizon, double coverage,
                            struct forecast_result *out, struct almanac_error *err);

/* The forecast a report shows: Holt-Winters (optimised) with n >= 24, else,
 * or when Holt-Winters fails, seasonal naive (see the flags). Same arguments
 * and conditions as forecast_seasonal_naive. */
int forecast_series(const double *y, size_t n, size_t horizon, double coverage,
                    struct forecast_result *out, struct almanac_error *err);

/* "Holt-Winters", "seasonal naive". */
const char *forecast_method_name(enum forecast_method method);

#endif
