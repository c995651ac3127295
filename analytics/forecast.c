/* forecast.c: Holt-Winters and seasonal naive forecasts; see forecast.h and
 * docs/seasonality.md. */
#include "analytics/forecast.h"

#include <math.h>
#include <string.h>

#define M FORECAST_PERIOD
#define HALF (M / 2)

/* The optimiser's coordinates: three angles for the smoothing parameters,
 * level, trend and the first 11 seasonal factors (the 12th makes them
 * average 1). */
#define NM_DIM FORECAST_HW_PARAMS
#define NM_MAX_EVALS 20000
#define NM_MAX_RESTARTS 30
#define GRID_ALPHA 20
#define GRID_RATIO 11
#define GRID_STARTS 3
/* A heuristic seasonal factor of 0 (a month that is zero every year) is a
 * state the recursions cannot leave; the search starts just above it. */
#define SEASON_FLOOR 0.01

static int check_values(const double *y, size_t n, size_t min_n, const char *what,
                        struct almanac_error *err)
{
    if (!y)
        return error_set(err, ALMANAC_EX_SOFTWARE, "%s: NULL series", what);
    if (n < min_n)
        return error_set(err, ALMANAC_EX_DATAERR,
                         "%s needs at least %zu months, the series has %zu", what, min_n, n);
    for (size_t t = 0; t < n; t++) {
        if (!isfinite(y[t]) || y[t] < 0)
            return error_set(err, ALMANAC_EX_DATAERR, "%s: month %zu of the series is %g", what,
                             t + 1, y[t]);
    }
    return 0;
}

/* The recursions of forecast.h. Returns 0, or -1 with *where set to the
 * observation at which a state became unusable: zero or non-finite (a
 * division by zero next), or, when `admissible` is set, not positive. A
 * negative level + trend or seasonal factor is arithmetic statsmodels carries
 * on with, but for a series of counts or amounts it is no model at all. */
static int hw_run(const double *y, size_t n, const struct forecast_hw_model *m, int admissible,
                  double *fitted, struct forecast_hw_fit *fit, size_t *where)
{
    double s[M];
    memcpy(s, m->season0, sizeof s);
    double l = m->level0, b = m->trend0, sse = 0;
    for (size_t t = 0; t < n; t++) {
        double lb = l + b;
        double st = s[t % M];
        int usable = admissible ? lb > 0 && st > 0 : lb != 0 && st != 0;
        if (!usable || !isfinite(lb) || !isfinite(st)) {
            *where = t;
            return -1;
        }
        double f = lb * st;
        if (fitted)
            fitted[t] = f;
        double e = y[t] - f;
        sse += e * e;
        /* Operation order as in statsmodels' _predict, so that results agree
         * to the last few bits. */
        double level = m->alpha * y[t] / st + (1 - m->alpha) * lb;
        s[t % M] = m->gamma * y[t] / lb + (1 - m->gamma) * st;
        b = m->beta * (level - l) + (1 - m->beta) * b;
        l = level;
    }
    if (!isfinite(l) || !isfinite(b) || !isfinite(sse)) {
        *where = n;
        return -1;
    }
    fit->model = *m;
    fit->n = n;
    fit->sse = sse;
    fit->level = l;
    fit->trend = b;
    for (size_t j = 0; j < M; j++)
        fit->season[j] = s[(n + j) % M];
    return 0;
}

int forecast_hw_filter(const double *y, size_t n, const struct forecast_hw_model *model,
                       double *fitted, struct forecast_hw_fit *fit, struct almanac_error *err)
{
    if (!model || !fit)
        return error_set(err, ALMANAC_EX_SOFTWARE, "forecast_hw_filter: NULL argument");
    if (check_values(y, n, 1, "Holt-Winters", err) != 0)
        return -1;
    size_t where;
    if (hw_run(y, n, model, 0, fitted, fit, &where) != 0) {
        error_set(err, ALMANAC_EX_DATAERR, "Holt-Winters broke down at month %zu of %zu", where + 1,
                  n);
        error_detail(err, "a seasonal factor or level + trend reached zero or overflowed");
        return -1;
    }
    return 0;
}

/* 2x12 moving average at t (HALF <= t < n - HALF). */
static double moving_average(const double *x, size_t t)
{
    double sum = 0.5 * x[t - HALF] + 0.5 * x[t + HALF];
    for (size_t i = t - HALF + 1; i < t + HALF; i++)
        sum += x[i];
    return sum / M;
}

int forecast_hw_initial(const double *y, size_t n, struct forecast_hw_model *model,
                        struct almanac_error *err)
{
    if (!model)
        return error_set(err, ALMANAC_EX_SOFTWARE, "forecast_hw_initial: NULL argument");
    if (check_values(y, n, FORECAST_HW_MIN_HISTORY, "Holt-Winters", err) != 0)
        return -1;
    /* statsmodels: k = max(min(5, n // 12), ceil((10 + 2 * 6) / 12)) years. */
    size_t years = n / M > 5 ? 5 : n / M;
    size_t span = years * M;

    double sum[M] = {0};
    size_t count[M] = {0};
    double line[10];
    size_t nline = 0;
    for (size_t t = HALF; t + HALF < span; t++) {
        double tr = moving_average(y, t);
        if (!(tr > 0))
            return error_set(err, ALMANAC_EX_DATAERR,
                             "Holt-Winters initial states: the moving average is %g at month %zu",
                             tr, t + 1);
        sum[t % M] += y[t] / tr;
        count[t % M]++;
        if (nline < 10)
            line[nline++] = tr;
    }
    double mean = 0;
    for (size_t p = 0; p < M; p++) {
        model->season0[p] = sum[p] / (double)count[p];
        mean += model->season0[p];
    }
    mean /= M;
    for (size_t p = 0; p < M; p++)
        model->season0[p] /= mean;

    /* Least squares line through the first 10 moving-average values against
     * x = 1..10; the level is its value at x = 0. */
    double ybar = 0;
    for (size_t i = 0; i < 10; i++)
        ybar += line[i];
    ybar /= 10;
    double sxy = 0;
    for (size_t i = 0; i < 10; i++)
        sxy += ((double)i + 1 - 5.5) * (line[i] - ybar);
    model->trend0 = sxy / 82.5; /* sum of (x - 5.5)^2 over x = 1..10 */
    model->level0 = ybar - model->trend0 * 5.5;
    return 0;
}

struct hw_problem {
    const double *y;
    size_t n;
};

static double sin2(double u)
{
    double s = sin(u);
    return s * s;
}

/* The sin^2 maps keep every trial point inside the bounds without a flat
 * penalty region: alpha in [0, 1], beta in [0, alpha], gamma in [0, 1 - alpha]. */
static void decode(const double *x, struct forecast_hw_model *m)
{
    m->alpha = sin2(x[0]);
    m->beta = m->alpha * sin2(x[1]);
    m->gamma = (1 - m->alpha) * sin2(x[2]);
    m->level0 = x[3];
    m->trend0 = x[4];
    double last = M;
    for (size_t i = 0; i < M - 1; i++) {
        m->season0[i] = x[5 + i];
        last -= x[5 + i];
    }
    m->season0[M - 1] = last;
}

static double ratio_angle(double part, double whole)
{
    double r = whole > 0 ? part / whole : 0;
    r = r < 0 ? 0 : r > 1 ? 1 : r;
    return asin(sqrt(r));
}

static void encode(const struct forecast_hw_model *m, double *x)
{
    x[0] = ratio_angle(m->alpha, 1);
    x[1] = ratio_angle(m->beta, m->alpha);
    x[2] = ratio_angle(m->gamma, 1 - m->alpha);
    x[3] = m->level0;
    x[4] = m->trend0;
    for (size_t i = 0; i < M - 1; i++)
        x[5 + i] = m->season0[i];
}

static double objective(const struct hw_problem *pb, const double *x)
{
    struct forecast_hw_model m;
    struct forecast_hw_fit fit;
    size_t where;
    decode(x, &m);
    if (hw_run(pb->y, pb->n, &m, 1, NULL, &fit, &where) != 0)
        return INFINITY;
    return fit.sse;
}

/* Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) from
 * x with the given initial steps. Leaves the best point in x and returns its
 * SSE. Infeasible points score +inf and are simply never kept. */
static double nelder_mead(const struct hw_problem *pb, double *x, const double *step)
{
    enum { N = NM_DIM };
    double p[N + 1][N], f[N + 1];
    for (int i = 0; i <= N; i++) {
        memcpy(p[i], x, sizeof p[i]);
        if (i > 0)
            p[i][i - 1] += step[i - 1];
        f[i] = objective(pb, p[i]);
    }
    int evals = N + 1;
    while (evals < NM_MAX_EVALS) {
        int best = 0, worst = 0, second = 0;
        for (int i = 1; i <= N; i++) {
            if (f[i] < f[best])
                best = i;
            if (f[i] > f[worst])
                worst = i;
        }
        second = best;
        for (int i = 0; i <= N; i++)
            if (i != worst && f[i] > f[second])
                second = i;
        if (isfinite(f[worst]) && f[worst] - f[best] <= 1e-13 * fabs(f[best]))
            break;
        double size = 0;
        for (int i = 0; i <= N; i++)
            for (int j = 0; j < N; j++)
                size = fmax(size, fabs(p[i][j] - p[best][j]) / (fabs(p[best][j]) + 1e-8));
        if (size < 1e-13)
            break;

        double c[N] = {0}, r[N], e[N];
        for (int i = 0; i <= N; i++)
            if (i != worst)
                for (int j = 0; j < N; j++)
                    c[j] += p[i][j] / N;
        for (int j = 0; j < N; j++)
            r[j] = c[j] + (c[j] - p[worst][j]);
        double fr = objective(pb, r);
        evals++;
        if (fr < f[best]) {
            for (int j = 0; j < N; j++)
                e[j] = c[j] + 2 * (c[j] - p[worst][j]);
            double fe = objective(pb, e);
            evals++;
            if (fe < fr) {
                memcpy(p[worst], e, sizeof e);
                f[worst] = fe;
            } else {
                memcpy(p[worst], r, sizeof r);
                f[worst] = fr;
            }
            continue;
        }
        if (fr < f[second]) {
            memcpy(p[worst], r, sizeof r);
            f[worst] = fr;
            continue;
        }
        /* Contract towards the better of the worst point and its reflection. */
        int outside = fr < f[worst];
        for (int j = 0; j < N; j++)
            e[j] = outside ? c[j] + 0.5 * (r[j] - c[j]) : c[j] + 0.5 * (p[worst][j] - c[j]);
        double fc = objective(pb, e);
        evals++;
        if (fc < (outside ? fr : f[worst])) {
            memcpy(p[worst], e, sizeof e);
            f[worst] = fc;
            continue;
        }
        for (int i = 0; i <= N; i++) {
            if (i == best)
                continue;
            for (int j = 0; j < N; j++)
                p[i][j] = p[best][j] + 0.5 * (p[i][j] - p[best][j]);
            f[i] = objective(pb, p[i]);
            evals++;
        }
    }
    int best = 0;
    for (int i = 1; i <= N; i++)
        if (f[i] < f[best])
            best = i;
    memcpy(x, p[best], sizeof p[best]);
    return f[best];
}

/* Nelder-Mead restarted from its own result with a fresh simplex until a
 * restart no longer improves the SSE: a collapsed simplex is the method's
 * usual way of stopping short of a minimum. */
static double minimise(const struct hw_problem *pb, double *x, const double *step)
{
    double fx = objective(pb, x);
    for (int i = 0; i < NM_MAX_RESTARTS; i++) {
        double fnew = nelder_mead(pb, x, step);
        int done = !(fnew < fx - 1e-11 * fabs(fx));
        fx = fnew;
        if (done)
            break;
    }
    return fx;
}

int forecast_hw_optimize(const double *y, size_t n, struct forecast_hw_fit *fit,
                         struct almanac_error *err)
{
    if (!fit)
        return error_set(err, ALMANAC_EX_SOFTWARE, "forecast_hw_optimize: NULL argument");
    struct forecast_hw_model start;
    if (forecast_hw_initial(y, n, &start, err) != 0)
        return -1;
    double mean = 0;
    for (size_t p = 0; p < M; p++) {
        start.season0[p] = fmax(start.season0[p], SEASON_FLOOR);
        mean += start.season0[p] / M;
    }
    for (size_t p = 0; p < M; p++)
        start.season0[p] /= mean;
    start.level0 *= mean;
    start.trend0 *= mean;

    /* A coarse grid over the smoothing parameters with the heuristic states,
     * as statsmodels does before its local search; the best few grid points
     * each seed a local search, since the SSE surface has several minima. */
    struct hw_problem pb = {y, n};
    double seeds[GRID_STARTS][NM_DIM], seedf[GRID_STARTS];
    for (int i = 0; i < GRID_STARTS; i++)
        seedf[i] = INFINITY;
    for (int ia = 0; ia < GRID_ALPHA; ia++) {
        for (int ib = 0; ib < GRID_RATIO; ib++) {
            for (int ig = 0; ig < GRID_RATIO; ig++) {
                struct forecast_hw_model m = start;
                double x[NM_DIM];
                m.alpha = (ia + 0.5) / GRID_ALPHA;
                m.beta = m.alpha * ib / (GRID_RATIO - 1);
                m.gamma = (1 - m.alpha) * ig / (GRID_RATIO - 1);
                encode(&m, x);
                double fx = objective(&pb, x);
                int slot = GRID_STARTS;
                while (slot > 0 && fx < seedf[slot - 1])
                    slot--;
                if (slot == GRID_STARTS)
                    continue;
                memmove(seeds[slot + 1], seeds[slot],
                        sizeof seeds[0] * (size_t)(GRID_STARTS - 1 - slot));
                memmove(&seedf[slot + 1], &seedf[slot],
                        sizeof seedf[0] * (size_t)(GRID_STARTS - 1 - slot));
                memcpy(seeds[slot], x, sizeof x);
                seedf[slot] = fx;
            }
        }
    }

    /* Near-zero smoothing is the optimum of a series whose season and
     * trend are stable (statsmodels often lands there); the grid's cells
     * start too far from that corner for the simplex to reach it, so the
     * corner always seeds a search too, in place of the worst grid seed. */
    {
        struct forecast_hw_model m = start;
        m.alpha = 1e-3;
        m.beta = 0;
        m.gamma = 0;
        double x[NM_DIM];
        encode(&m, x);
        memcpy(seeds[GRID_STARTS - 1], x, sizeof x);
        seedf[GRID_STARTS - 1] = objective(&pb, x);
    }

    double scale = fabs(start.level0) > 0 ? fabs(start.level0) : 1;
    double step[NM_DIM] = {0.15, 0.15, 0.15, 0.05 * scale, 0.005 * scale};
    for (size_t i = 5; i < NM_DIM; i++)
        step[i] = 0.02;
    double best[NM_DIM], bestf = INFINITY;
    for (int i = 0; i < GRID_STARTS; i++) {
        if (!isfinite(seedf[i]))
            continue;
        double f = minimise(&pb, seeds[i], step);
        if (f < bestf) {
            bestf = f;
            memcpy(best, seeds[i], sizeof best);
        }
    }
    if (!isfinite(bestf))
        return error_set(err, ALMANAC_EX_DATAERR,
                         "Holt-Winters: no parameters give positive states for this series");

    struct forecast_hw_model m;
    size_t where;
    decode(best, &m);
    if (hw_run(y, n, &m, 1, NULL, fit, &where) != 0)
        return error_set(err, ALMANAC_EX_SOFTWARE, "Holt-Winters: the optimum is not admissible");
    return 0;
}

void forecast_hw_predict(const struct forecast_hw_fit *fit, size_t horizon, double *point)
{
    for (size_t h = 1; h <= horizon; h++)
        point[h - 1] = (fit->level + (double)h * fit->trend) * fit->season[(h - 1) % M];
}

/* ETS(A,A,M) (Hyndman et al. 2008), whose one-step forecasts and state
 * updates are exactly these recursions with beta_ets = alpha * beta: for
 * h <= 12 the seasonal factors of the horizon are known at the origin, so
 * the h-step error is linear in the innovations,
 *   y[n+h] - point[h] = e[n+h]
 *       + s[n+h] * sum_{j=1}^{h-1} alpha (1 + j beta) e[n+h-j] / s[n+h-j],
 * and its variance follows with var(e) = SSE / (n - 16). */
int forecast_hw_sd(const struct forecast_hw_fit *fit, size_t horizon, double *sd,
                   struct almanac_error *err)
{
    if (!fit || !sd)
        return error_set(err, ALMANAC_EX_SOFTWARE, "forecast_hw_sd: NULL argument");
    if (horizon < 1 || horizon > FORECAST_MAX_HORIZON)
        return error_set(err, ALMANAC_EX_USAGE, "forecast horizon %zu is not 1..%d", horizon,
                         FORECAST_MAX_HORIZON);
    if (fit->n <= FORECAST_HW_PARAMS)
        return error_set(err, ALMANAC_EX_DATAERR,
                         "Holt-Winters interval: %zu months leave no degrees of freedom", fit->n);
    double sigma2 = fit->sse / (double)(fit->n - FORECAST_HW_PARAMS);
    const struct forecast_hw_model *m = &fit->model;
    for (size_t h = 1; h <= horizon; h++) {
        double sum = 0;
        for (size_t j = 1; j < h; j++) {
            double c = m->alpha * (1 + (double)j * m->beta) / fit->season[h - j - 1];
            sum += c * c;
        }
        double sh = fit->season[h - 1];
        sd[h - 1] = sqrt(sigma2 * (1 + sh * sh * sum));
    }
    return 0;
}

/* Inverse of the standard normal distribution function: Acklam's rational
 * approximation (relative error 1.15e-9) and one Halley step on erfc, which
 * brings it to double precision. */
static double normal_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00,  2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                               3.754408661907416e+00};
    const double low = 0.02425;
    double x;
    if (p < low) {
        double q = sqrt(-2 * log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else if (p <= 1 - low) {
        double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    } else {
        double q = sqrt(-2 * log(1 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double e = 0.5 * erfc(-x / sqrt(2)) - p;
    double u = e * 2.5066282746310002 * exp(x * x / 2); /* sqrt(2 pi) */
    return x - u / (1 + x * u / 2);
}

static int check_request(size_t horizon, double coverage, struct forecast_result *out,
                         struct almanac_error *err)
{
    if (!out)
        return error_set(err, ALMANAC_EX_SOFTWARE, "forecast: NULL result");
    if (horizon < 1 || horizon > FORECAST_MAX_HORIZON)
        return error_set(err, ALMANAC_EX_USAGE, "forecast horizon %zu is not 1..%d", horizon,
                         FORECAST_MAX_HORIZON);
    if (!(coverage > 0 && coverage < 1))
        return error_set(err, ALMANAC_EX_USAGE, "forecast interval coverage %g is not in (0, 1)",
                         coverage);
    return 0;
}

/* Bounds from point and sd; counts and amounts cannot go below zero, so
 * neither does a forecast or its lower bound. */
static void finish_interval(struct forecast_result *out)
{
    double z = normal_quantile(0.5 + out->coverage / 2);
    for (size_t h = 0; h < out->horizon; h++) {
        if (out->point[h] < 0) {
            out->point[h] = 0;
            out->flags |= FORECAST_CLIPPED;
        }
        out->lower[h] = out->point[h] - z * out->sd[h];
        out->upper[h] = out->point[h] + z * out->sd[h];
        if (out->lower[h] < 0) {
            out->lower[h] = 0;
            out->flags |= FORECAST_CLIPPED;
        }
    }
}

static void snaive(const double *y, size_t n, struct forecast_result *out)
{
    size_t diffs = n - M;
    double drift = 0;
    for (size_t t = M; t < n; t++)
        drift += y[t] - y[t - M];
    if (diffs > 0)
        drift /= (double)diffs;
    double sd = 0;
    if (diffs >= 2) {
        double ss = 0;
        for (size_t t = M; t < n; t++) {
            double r = y[t] - y[t - M] - drift;
            ss += r * r;
        }
        /* The drift is estimated from the same differences: its own
         * variance, sigma^2 / diffs, adds to the innovation's. */
        sd = sqrt(ss / (double)(diffs - 1) * (1 + 1 / (double)diffs));
    } else {
        out->flags |= FORECAST_NO_INTERVAL;
    }
    if (diffs == 0)
        out->flags |= FORECAST_NO_DRIFT;
    out->method = FORECAST_SEASONAL_NAIVE;
    out->drift = drift;
    for (size_t h = 1; h <= out->horizon; h++) {
        out->point[h - 1] = y[n - M + h - 1] + drift;
        out->sd[h - 1] = sd;
    }
    finish_interval(out);
}

static void start_result(struct forecast_result *out, size_t horizon, double coverage)
{
    memset(out, 0, sizeof *out);
    out->horizon = horizon;
    out->coverage = coverage;
}

int forecast_seasonal_naive(const double *y, size_t n, size_t horizon, double coverage,
                            struct forecast_result *out, struct almanac_error *err)
{
    if (check_request(horizon, coverage, out, err) != 0 ||
        check_values(y, n, FORECAST_MIN_HISTORY, "a seasonal naive forecast", err) != 0)
        return -1;
    start_result(out, horizon, coverage);
    snaive(y, n, out);
    return 0;
}

int forecast_series(const double *y, size_t n, size_t horizon, double coverage,
                    struct forecast_result *out, struct almanac_error *err)
{
    if (check_request(horizon, coverage, out, err) != 0 ||
        check_values(y, n, FORECAST_MIN_HISTORY, "a forecast", err) != 0)
        return -1;
    start_result(out, horizon, coverage);
    if (n < FORECAST_HW_MIN_HISTORY) {
        out->flags |= FORECAST_SHORT_HISTORY;
        snaive(y, n, out);
        return 0;
    }
    /* The reason Holt-Winters failed is not an error of this call: the
     * fallback answers, and the flag says so. */
    struct almanac_error hw_err;
    error_clear(&hw_err);
    if (forecast_hw_optimize(y, n, &out->hw, &hw_err) != 0 ||
        forecast_hw_sd(&out->hw, horizon, out->sd, &hw_err) != 0) {
        memset(&out->hw, 0, sizeof out->hw);
        out->flags |= FORECAST_HW_FAILED;
        snaive(y, n, out);
        return 0;
    }
    out->method = FORECAST_HOLT_WINTERS;
    forecast_hw_predict(&out->hw, horizon, out->point);
    finish_interval(out);
    return 0;
}

const char *forecast_method_name(enum forecast_method method)
{
    switch (method) {
    case FORECAST_HOLT_WINTERS:
        return "Holt-Winters";
    case FORECAST_SEASONAL_NAIVE:
        return "seasonal naive";
    }
    return "unknown";
}
