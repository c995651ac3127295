#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analytics/seasonal.h"
#include "fixture.h"

/* Series of 24 months or more: statsmodels' seasonal_decompose computed the
 * references (tests/analytics/make_fixtures.py). */
static const char *const decomposed[] = {"wedding_48",     "corporate_36",  "holiday_24",
                                         "other_zeros_36", "dead_month_36", "wandering_60"};

static const double DECOMPOSE_REL = 1e-9;

static void assert_all_finite(const struct seasonal_result *r)
{
    double sum = 0;
    for (int c = 0; c < SEASONAL_PERIOD; c++) {
        assert_true(isfinite(r->index[c]));
        assert_true(r->index[c] >= 0);
        sum += r->index[c];
    }
    /* Normalised to mean 1 over the twelve calendar months. */
    assert_true(fabs(sum / SEASONAL_PERIOD - 1) < 1e-12);
}

static void indices_trend_and_residuals_match_statsmodels(void **state)
{
    (void)state;
    double worst_index = 0, worst_trend = 0, worst_resid = 0;
    for (size_t f = 0; f < sizeof decomposed / sizeof decomposed[0]; f++) {
        json_t *fx = fixture_load(decomposed[f]);
        json_t *ref = fixture_get(fx, "decompose");
        double y[FIXTURE_MAX], want_trend[FIXTURE_MAX], want_resid[FIXTURE_MAX];
        double want_index[SEASONAL_PERIOD], trend[FIXTURE_MAX], resid[FIXTURE_MAX];
        size_t n = fixture_array(fx, "values", y, FIXTURE_MAX);
        int first = (int)fixture_number(fx, "first_month");
        assert_int_equal(fixture_array(ref, "index_by_calendar_month", want_index, 12), 12);
        assert_int_equal(fixture_array(ref, "trend", want_trend, FIXTURE_MAX), n);
        assert_int_equal(fixture_array(ref, "resid", want_resid, FIXTURE_MAX), n);

        struct seasonal_result r;
        struct almanac_error err;
        error_clear(&err);
        assert_int_equal(seasonal_decompose(y, n, first, NULL, &r, trend, resid, &err), 0);
        assert_int_equal(r.method, SEASONAL_DECOMPOSITION);
        assert_int_equal(r.quality, n >= 36 ? SEASONAL_FULL : SEASONAL_INDICATIVE);
        assert_int_equal(r.n, n);
        assert_all_finite(&r);
        for (int c = 0; c < SEASONAL_PERIOD; c++) {
            worst_index = fmax(worst_index, fixture_check(r.index[c], want_index[c], DECOMPOSE_REL,
                                                          "index", (size_t)c));
            assert_true(r.estimated[c]);
        }
        for (size_t t = 0; t < n; t++) {
            worst_trend = fmax(worst_trend,
                               fixture_check(trend[t], want_trend[t], DECOMPOSE_REL, "trend", t));
            worst_resid = fmax(worst_resid,
                               fixture_check(resid[t], want_resid[t], DECOMPOSE_REL, "resid", t));
        }
        json_decref(fx);
    }
    print_message("largest relative differences: index %.2g, trend %.2g, resid %.2g\n", worst_index,
                  worst_trend, worst_resid);
}

static void load_values(const char *name, double *y, size_t *n, int *first)
{
    json_t *fx = fixture_load(name);
    *n = fixture_array(fx, "values", y, FIXTURE_MAX);
    *first = (int)fixture_number(fx, "first_month");
    json_decref(fx);
}

static void expect_classes(const struct seasonal_result *r, const int *peaks, const int *lows)
{
    for (int c = 0; c < SEASONAL_PERIOD; c++) {
        enum seasonal_class want = SEASONAL_NORMAL;
        for (const int *p = peaks; *p; p++)
            if (*p == c + 1)
                want = SEASONAL_PEAK;
        for (const int *p = lows; *p; p++)
            if (*p == c + 1)
                want = SEASONAL_LOW;
        if (r->month_class[c] != want)
            fail_msg("month %d (index %.3f): class %d, want %d", c + 1, r->index[c],
                     (int)r->month_class[c], (int)want);
    }
}

/* The patterns planted by make_fixtures.py after KPIS.md: weddings peak May to
 * October, corporate September to November and dip in July and August,
 * holidays spike December to February. */
static void planted_peaks_and_lows_are_found(void **state)
{
    (void)state;
    double y[FIXTURE_MAX];
    size_t n;
    int first;
    struct seasonal_result r;
    struct almanac_error err;

    load_values("wedding_48", y, &n, &first);
    assert_int_equal(seasonal_decompose(y, n, first, NULL, &r, NULL, NULL, &err), 0);
    expect_classes(&r, (const int[]){5, 6, 7, 8, 9, 10, 0}, (const int[]){1, 2, 3, 4, 11, 12, 0});

    load_values("corporate_36", y, &n, &first);
    assert_int_equal(seasonal_decompose(y, n, first, NULL, &r, NULL, NULL, &err), 0);
    expect_classes(&r, (const int[]){9, 10, 11, 0}, (const int[]){7, 8, 12, 0});

    load_values("holiday_24", y, &n, &first);
    assert_int_equal(seasonal_decompose(y, n, first, NULL, &r, NULL, NULL, &err), 0);
    expect_classes(&r, (const int[]){1, 2, 11, 12, 0}, (const int[]){4, 5, 6, 7, 8, 9, 10, 0});
}

static void thresholds_are_parameters(void **state)
{
    (void)state;
    double y[FIXTURE_MAX];
    size_t n;
    int first;
    struct seasonal_result r;
    struct almanac_error err;
    load_values("corporate_36", y, &n, &first);

    /* Only October (1.275) and November (1.271) clear 1.27; only August
     * (0.636) is under 0.65. */
    struct seasonal_options opt = {1.27, 0.65};
    assert_int_equal(seasonal_decompose(y, n, first, &opt, &r, NULL, NULL, &err), 0);
    expect_classes(&r, (const int[]){10, 11, 0}, (const int[]){8, 0});

    struct seasonal_options bad = {0.9, 1.1};
    error_clear(&err);
    assert_int_equal(seasonal_decompose(y, n, first, &bad, &r, NULL, NULL, &err), -1);
    assert_int_equal(err.code, ALMANAC_EX_USAGE);
    struct seasonal_options nan_peak = {NAN, 0.9};
    assert_int_equal(seasonal_decompose(y, n, first, &nan_peak, &r, NULL, NULL, &err), -1);
}

/* Below 24 months: month-of-year shares; pandas computed the reference. */
static void short_history_uses_month_shares(void **state)
{
    (void)state;
    json_t *fx = fixture_load("short_18");
    double y[FIXTURE_MAX], want[SEASONAL_PERIOD], trend[FIXTURE_MAX], resid[FIXTURE_MAX];
    size_t n = fixture_array(fx, "values", y, FIXTURE_MAX);
    int first = (int)fixture_number(fx, "first_month");
    fixture_array(fixture_get(fx, "month_share"), "index_by_calendar_month", want, 12);

    struct seasonal_result r;
    struct almanac_error err;
    assert_int_equal(seasonal_decompose(y, n, first, NULL, &r, trend, resid, &err), 0);
    assert_int_equal(r.quality, SEASONAL_SHORT_HISTORY);
    assert_int_equal(r.method, SEASONAL_MONTH_SHARE);
    assert_all_finite(&r);
    double worst = 0;
    for (int c = 0; c < SEASONAL_PERIOD; c++) {
        worst = fmax(worst, fixture_check(r.index[c], want[c], DECOMPOSE_REL, "share", (size_t)c));
        assert_true(r.estimated[c]);
    }
    print_message("month shares: largest relative difference %.2g\n", worst);
    /* No trend is estimated from less than two years. */
    for (size_t t = 0; t < n; t++) {
        assert_true(isnan(trend[t]));
        assert_true(isnan(resid[t]));
    }
    json_decref(fx);
}

/* Five months: the seven months never seen get index 1, are marked as not
 * estimated, and the five seen ones average 1 by themselves. */
static void months_never_seen_are_neutral(void **state)
{
    (void)state;
    const double y[] = {10, 20, 30, 20, 20}; /* November .. March */
    struct seasonal_result r;
    struct almanac_error err;
    assert_int_equal(seasonal_decompose(y, 5, 11, NULL, &r, NULL, NULL, &err), 0);
    assert_int_equal(r.quality, SEASONAL_SHORT_HISTORY);
    assert_all_finite(&r);
    assert_true(fabs(r.index[10] - 0.5) < 1e-15); /* November: 10 / 20 */
    assert_true(fabs(r.index[11] - 1.0) < 1e-15);
    assert_true(fabs(r.index[0] - 1.5) < 1e-15);
    for (int c = 3; c < 10; c++) { /* April .. October */
        assert_false(r.estimated[c]);
        assert_true(r.index[c] == 1.0);
        assert_int_equal(r.month_class[c], SEASONAL_NORMAL);
    }
    assert_int_equal(r.month_class[10], SEASONAL_LOW);
    assert_int_equal(r.month_class[0], SEASONAL_PEAK);

    /* Even a threshold their neutral 1 meets does not make them peaks. */
    struct seasonal_options opt = {1.0, 0.5};
    assert_int_equal(seasonal_decompose(y, 5, 11, &opt, &r, NULL, NULL, &err), 0);
    assert_int_equal(r.month_class[11], SEASONAL_PEAK); /* December: exactly 1 */
    for (int c = 3; c < 10; c++)
        assert_int_equal(r.month_class[c], SEASONAL_NORMAL);
}

/* The thresholds are inclusive: 11 / 10 and 9 / 10 are exactly 1.1 and 0.9
 * in floating point. */
static void thresholds_are_inclusive(void **state)
{
    (void)state;
    const double y[] = {11, 9, 10};
    struct seasonal_result r;
    struct almanac_error err;
    assert_int_equal(seasonal_decompose(y, 3, 1, NULL, &r, NULL, NULL, &err), 0);
    assert_true(r.index[0] == 1.1 && r.index[1] == 0.9);
    assert_int_equal(r.month_class[0], SEASONAL_PEAK);
    assert_int_equal(r.month_class[1], SEASONAL_LOW);
    assert_int_equal(r.month_class[2], SEASONAL_NORMAL);
}

static void all_zeros_have_no_signal(void **state)
{
    (void)state;
    const size_t lengths[] = {36, 24, 18};
    double y[36] = {0}, trend[36], resid[36];
    for (size_t i = 0; i < 3; i++) {
        size_t n = lengths[i];
        struct seasonal_result r;
        struct almanac_error err;
        assert_int_equal(seasonal_decompose(y, n, 1, NULL, &r, trend, resid, &err), 0);
        assert_int_equal(r.quality, SEASONAL_NO_SIGNAL);
        assert_true(r.has_zeros);
        assert_all_finite(&r);
        for (int c = 0; c < SEASONAL_PERIOD; c++) {
            assert_true(r.index[c] == 1.0);
            assert_false(r.estimated[c]);
            assert_int_equal(r.month_class[c], SEASONAL_NORMAL);
        }
        /* The trend of zeros is zero where it is defined; a residual is not. */
        for (size_t t = 0; t < n; t++) {
            if (n >= 24 && t >= 6 && t + 6 < n)
                assert_true(trend[t] == 0);
            else
                assert_true(isnan(trend[t]));
            assert_true(isnan(resid[t]));
        }
    }
}

/* A month that is zero every year has index 0 (a low month), and its
 * residual is 0/0: NaN there as in statsmodels, finite everywhere else. */
static void a_dead_month_is_low_not_nan(void **state)
{
    (void)state;
    double y[FIXTURE_MAX], resid[FIXTURE_MAX];
    size_t n;
    int first;
    load_values("dead_month_36", y, &n, &first);
    struct seasonal_result r;
    struct almanac_error err;
    assert_int_equal(seasonal_decompose(y, n, first, NULL, &r, NULL, resid, &err), 0);
    assert_int_equal(r.quality, SEASONAL_FULL);
    assert_true(r.has_zeros);
    assert_all_finite(&r);
    assert_true(r.index[1] == 0);
    assert_int_equal(r.month_class[1], SEASONAL_LOW);
    for (size_t t = 6; t + 6 < n; t++)
        assert_true(t % 12 == 1 ? isnan(resid[t]) : isfinite(resid[t]));
}

/* Where the 2x12 moving average is zero (13 months of zeros) the ratio is
 * 0/0 and is left out, as statsmodels' NaN-skipping mean leaves it out. */
static void zero_trend_windows_are_skipped(void **state)
{
    (void)state;
    struct seasonal_result r;
    struct almanac_error err;

    /* Active only in the first and last 3 months: the only defined ratios
     * (windows reaching those months) sit on zero months, so all are 0 and
     * there is nothing to normalise: no signal rather than 0/0. */
    double y[36] = {0};
    y[0] = y[1] = y[2] = 5;
    y[33] = y[34] = y[35] = 5;
    assert_int_equal(seasonal_decompose(y, 36, 1, NULL, &r, NULL, NULL, &err), 0);
    assert_int_equal(r.quality, SEASONAL_NO_SIGNAL);
    assert_all_finite(&r);

    /* 24 months, zero until month 15: the moving average is zero for months
     * 7..9 (zero-based 6..8), the only ratios July to September would get.
     * Those months are neutral and not estimated (statsmodels would give NaN
     * for every index); April to June carry the whole signal. */
    double z[24] = {0};
    for (size_t t = 15; t < 24; t++)
        z[t] = 10;
    assert_int_equal(seasonal_decompose(z, 24, 1, NULL, &r, NULL, NULL, &err), 0);
    assert_int_equal(r.quality, SEASONAL_INDICATIVE);
    assert_all_finite(&r);
    for (int c = 0; c < SEASONAL_PERIOD; c++) {
        int unseen = c >= 6 && c <= 8;
        assert_int_equal(r.estimated[c], !unseen);
        if (unseen)
            assert_true(r.index[c] == 1.0);
        else if (c >= 3 && c <= 5)
            assert_int_equal(r.month_class[c], SEASONAL_PEAK);
        else
            assert_true(r.index[c] == 0.0);
    }
}

static void history_length_sets_quality(void **state)
{
    (void)state;
    double y[FIXTURE_MAX];
    size_t n;
    int first;
    load_values("wedding_48", y, &n, &first);
    const struct {
        size_t n;
        enum seasonal_quality q;
    } cases[] = {{48, SEASONAL_FULL},          {36, SEASONAL_FULL},
                 {35, SEASONAL_INDICATIVE},    {24, SEASONAL_INDICATIVE},
                 {23, SEASONAL_SHORT_HISTORY}, {1, SEASONAL_SHORT_HISTORY}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct seasonal_result r;
        struct almanac_error err;
        assert_int_equal(seasonal_decompose(y, cases[i].n, first, NULL, &r, NULL, NULL, &err), 0);
        assert_int_equal(r.quality, cases[i].q);
        assert_all_finite(&r);
        assert_false(r.has_zeros);
    }
}

static void bad_input_is_an_error(void **state)
{
    (void)state;
    double y[24];
    for (int i = 0; i < 24; i++)
        y[i] = 10 + i % 12;
    struct seasonal_result r;
    struct almanac_error err;

    error_clear(&err);
    assert_int_equal(seasonal_decompose(y, 0, 1, NULL, &r, NULL, NULL, &err), -1);
    assert_int_equal(err.code, ALMANAC_EX_DATAERR);

    assert_int_equal(seasonal_decompose(y, 24, 0, NULL, &r, NULL, NULL, &err), -1);
    assert_int_equal(seasonal_decompose(y, 24, 13, NULL, &r, NULL, NULL, &err), -1);

    y[5] = -1;
    error_clear(&err);
    assert_int_equal(seasonal_decompose(y, 24, 1, NULL, &r, NULL, NULL, &err), -1);
    assert_int_equal(err.code, ALMANAC_EX_DATAERR);
    assert_non_null(strstr(err.message, "month 6"));

    y[5] = NAN;
    assert_int_equal(seasonal_decompose(y, 24, 1, NULL, &r, NULL, NULL, &err), -1);
    y[5] = INFINITY;
    assert_int_equal(seasonal_decompose(y, 24, 1, NULL, &r, NULL, NULL, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(indices_trend_and_residuals_match_statsmodels),
        cmocka_unit_test(planted_peaks_and_lows_are_found),
        cmocka_unit_test(thresholds_are_parameters),
        cmocka_unit_test(short_history_uses_month_shares),
        cmocka_unit_test(months_never_seen_are_neutral),
        cmocka_unit_test(thresholds_are_inclusive),
        cmocka_unit_test(all_zeros_have_no_signal),
        cmocka_unit_test(a_dead_month_is_low_not_nan),
        cmocka_unit_test(zero_trend_windows_are_skipped),
        cmocka_unit_test(history_length_sets_quality),
        cmocka_unit_test(bad_input_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
