/* fixture.h: reads the reference values tests/analytics/make_fixtures.py
 * wrote with statsmodels, and compares numbers against them.
 *
 * Include after <cmocka.h>. Header-only (static inline) so that each test
 * stays one source file in tests/CMakeLists.txt. */
#ifndef ALMANAC_TESTS_ANALYTICS_FIXTURE_H
#define ALMANAC_TESTS_ANALYTICS_FIXTURE_H

#include <jansson.h>
#include <math.h>
#include <stdio.h>

#define FIXTURE_DIR ALMANAC_SOURCE_DIR "/tests/analytics/fixtures"
#define FIXTURE_MAX 128

/* The parsed file; a missing or broken file fails the test, never skips it. */
static inline json_t *fixture_load(const char *name)
{
    char path[1024];
    json_error_t jerr;
    snprintf(path, sizeof path, "%s/%s.json", FIXTURE_DIR, name);
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root)
        fail_msg("%s: %s (line %d)", path, jerr.text, jerr.line);
    return root;
}

static inline json_t *fixture_get(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        fail_msg("fixture has no \"%s\"", key);
    return v;
}

static inline double fixture_number(json_t *obj, const char *key)
{
    json_t *v = fixture_get(obj, key);
    if (!json_is_number(v))
        fail_msg("fixture \"%s\" is not a number", key);
    return json_number_value(v);
}

/* Copies a JSON array of numbers (null = NAN) into out; returns its length. */
static inline size_t fixture_array(json_t *obj, const char *key, double *out, size_t max)
{
    json_t *arr = fixture_get(obj, key);
    if (!json_is_array(arr) || json_array_size(arr) > max)
        fail_msg("fixture \"%s\" is not an array of at most %zu", key, max);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        out[i] = json_is_null(v) ? NAN : json_number_value(v);
    }
    return json_array_size(arr);
}

/* Relative difference; the absolute one where the reference is exactly 0
 * (a zero month), where a relative measure says nothing. */
static inline double fixture_reldiff(double got, double want)
{
    double d = fabs(got - want);
    return want == 0 ? d : d / fabs(want);
}

/* Fails unless got is within rel of want; NAN must meet NAN. Returns the
 * relative difference so callers can report the largest. */
static inline double fixture_check(double got, double want, double rel, const char *what, size_t i)
{
    if (isnan(want)) {
        if (!isnan(got))
            fail_msg("%s[%zu]: got %.17g, statsmodels has no value (NaN)", what, i, got);
        return 0;
    }
    if (!isfinite(got))
        fail_msg("%s[%zu]: got %g, want %.17g", what, i, got, want);
    double r = fixture_reldiff(got, want);
    if (!(r <= rel))
        fail_msg("%s[%zu]: got %.17g, want %.17g (relative difference %.3g > %.3g)", what, i, got,
                 want, r, rel);
    return r;
}

#endif
