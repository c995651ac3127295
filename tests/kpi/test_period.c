#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kpi/period.h"

/* Expected ranges were read off a calendar, not computed. */
static void check(const char *spec, const char *grain, const char *start, const char *end,
                  const char *prev_start, const char *prev_label)
{
    struct almanac_error err;
    error_clear(&err);
    struct kpi_period p, prev;
    assert_int_equal(period_parse(spec, &p, &err), 0);
    assert_string_equal(p.grain, grain);
    char d[11];
    period_date_format(p.start, d);
    assert_string_equal(d, start);
    period_date_format(p.end, d);
    assert_string_equal(d, end);
    period_previous(&p, &prev);
    period_date_format(prev.start, d);
    assert_string_equal(d, prev_start);
    assert_int_equal(prev.end, p.start);
    assert_string_equal(prev.label, prev_label);
}

static void months_quarters_weeks_days(void **state)
{
    (void)state;
    check("2026-10", "month", "2026-10-01", "2026-11-01", "2026-09-01", "2026-09");
    check("2026-01", "month", "2026-01-01", "2026-02-01", "2025-12-01", "2025-12");
    check("2024-02", "month", "2024-02-01", "2024-03-01", "2024-01-01", "2024-01");
    check("2026Q3", "quarter", "2026-07-01", "2026-10-01", "2026-04-01", "2026Q2");
    check("2026Q1", "quarter", "2026-01-01", "2026-04-01", "2025-10-01", "2025Q4");
    /* ISO weeks: 2026-W43 is Monday 19 October; 2026-W01 starts on Monday
     * 29 December 2025 (1 January 2026 is a Thursday); 2020 had 53 weeks. */
    check("2026-W43", "week", "2026-10-19", "2026-10-26", "2026-10-12", "2026-W42");
    check("2026-W01", "week", "2025-12-29", "2026-01-05", "2025-12-22", "2025-W52");
    check("2021-W01", "week", "2021-01-04", "2021-01-11", "2020-12-28", "2020-W53");
    check("2026-10-14", "day", "2026-10-14", "2026-10-15", "2026-10-13", "2026-10-13");
    check("2024-03-01", "day", "2024-03-01", "2024-03-02", "2024-02-29", "2024-02-29");
}

static void windows_end_on_the_as_of_day(void **state)
{
    (void)state;
    struct almanac_error err;
    struct kpi_period p, prev;
    char d[11];
    assert_int_equal(period_window("30d", "2026-10-31", &p, &err), 0);
    period_date_format(p.start, d);
    assert_string_equal(d, "2026-10-02");
    period_date_format(p.end, d);
    assert_string_equal(d, "2026-11-01");
    period_previous(&p, &prev);
    period_date_format(prev.start, d);
    assert_string_equal(d, "2026-09-02");
    assert_int_equal(period_window("7d", "2026-03-01", &p, &err), 0);
    period_date_format(p.start, d);
    assert_string_equal(d, "2026-02-23");
    assert_int_equal(period_window("90d", "2026-10-31", &p, &err), 0);
    assert_int_equal(p.end - p.start, 90);
}

static void bad_specs_are_usage_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {"2026-13", "2026-00", "2026Q5", "2026-W54", "2026-W00",
                                      "2026-02-29", "2026-10-32", "26-10", "2026/10", "", "2026-W5"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct almanac_error err;
        error_clear(&err);
        struct kpi_period p;
        assert_int_equal(period_parse(bad[i], &p, &err), -1);
        assert_int_equal(err.code, ALMANAC_EX_USAGE);
        assert_non_null(strstr(err.message, bad[i]));
    }
    struct almanac_error err;
    struct kpi_period p;
    assert_int_equal(period_window("14d", "2026-10-31", &p, &err), -1);
    assert_int_equal(period_window("7d", "2026-10-", &p, &err), -1);
    /* 2020 has a week 53, 2026 does not. */
    assert_int_equal(period_parse("2020-W53", &p, &err), 0);
}

static void containing_and_next(void **state)
{
    (void)state;
    struct almanac_error err;
    struct kpi_period p, n;
    char d[11];
    long day;
    assert_int_equal(period_date_parse("2026-01-01", &day), 0);
    /* 1 January 2026 is a Thursday: ISO week 2026-W01. 2027-01-01 is a
     * Friday: it belongs to 2026-W53. */
    assert_int_equal(period_containing("week", day, &p, &err), 0);
    assert_string_equal(p.label, "2026-W01");
    assert_int_equal(period_date_parse("2027-01-01", &day), 0);
    assert_int_equal(period_containing("week", day, &p, &err), 0);
    assert_string_equal(p.label, "2026-W53");
    period_next(&p, &n);
    assert_string_equal(n.label, "2027-W01");
    assert_int_equal(period_date_parse("2026-11-23", &day), 0);
    assert_int_equal(period_containing("quarter", day, &p, &err), 0);
    assert_string_equal(p.label, "2026Q4");
    period_next(&p, &n);
    assert_string_equal(n.label, "2027Q1");
    assert_int_equal(period_containing("month", day, &p, &err), 0);
    period_date_format(p.start, d);
    assert_string_equal(d, "2026-11-01");
    period_next(&p, &n);
    assert_string_equal(n.label, "2026-12");
    assert_int_equal(period_containing("day", day, &p, &err), 0);
    period_next(&p, &n);
    assert_string_equal(n.label, "2026-11-24");
    assert_int_equal(period_containing("year", day, &p, &err), -1);
    /* In place: the result may be the argument itself. */
    assert_int_equal(period_parse("2026-03", &p, &err), 0);
    period_previous(&p, &p);
    period_date_format(p.start, d);
    assert_string_equal(d, "2026-02-01");
    assert_int_equal(p.end - p.start, 28);
    assert_string_equal(p.label, "2026-02");
    period_next(&p, &p);
    assert_string_equal(p.label, "2026-03");
    assert_int_equal(p.end - p.start, 31);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(months_quarters_weeks_days),
        cmocka_unit_test(windows_end_on_the_as_of_day),
        cmocka_unit_test(bad_specs_are_usage_errors),
        cmocka_unit_test(containing_and_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
