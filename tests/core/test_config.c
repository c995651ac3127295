#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config.h"

static const char *write_file(const char *text)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/almanac-config-test-%d.json", (int)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void defaults_are_the_catalogue(void **state)
{
    (void)state;
    struct almanac_config cfg;
    config_defaults(&cfg);
    assert_string_equal(cfg.time_zone, "UTC");
    const struct config_band *b = config_band_find(&cfg, "consumption_ratio_pct");
    assert_non_null(b);
    assert_true(b->good_min == 60 && b->good_max == 80 && b->bad_below == 50 && b->bad_above == 95);
    b = config_band_find(&cfg, "error_rate_pct");
    assert_true(b->good_below == 1 && b->bad_above == 3 && isnan(b->good_min));
    assert_null(config_band_find(&cfg, "events_total"));
    assert_true(config_param_get(&cfg, "alerts", "failed_login_burst", "count") == 5);
    assert_true(config_param_get(&cfg, "alerts", "error_rate_spike", "min_requests") == 20);
    assert_true(isnan(config_param_get(&cfg, "alerts", "nope", "count")));
    char label[16];
    assert_string_equal(config_tier_label(&cfg, 0, label, sizeof(label)), "0");
    assert_string_equal(config_tier_label(&cfg, 1, label, sizeof(label)), "1-49");
    assert_string_equal(config_tier_label(&cfg, 3, label, sizeof(label)), "200+");
}

static void a_file_overrides_what_it_names(void **state)
{
    (void)state;
    struct almanac_config cfg;
    struct almanac_error err;
    error_clear(&err);
    config_defaults(&cfg);
    const char *path = write_file("{\"time_zone\": \"America/Mexico_City\", \"locale\": \"es\","
                                  " \"benchmarks\": {\"uptime_pct\": {\"good_min\": 99.9, \"bad_below\": 99.0},"
                                  "                  \"error_rate_pct\": null},"
                                  " \"alerts\": {\"failed_login_burst\": {\"count\": 8}},"
                                  " \"spending_tiers\": [0, 10, 100]}");
    assert_int_equal(config_load(&cfg, path, &err), 0);
    assert_string_equal(cfg.time_zone, "America/Mexico_City");
    assert_string_equal(cfg.locale, "es");
    assert_true(config_band_find(&cfg, "uptime_pct")->good_min == 99.9);
    assert_null(config_band_find(&cfg, "error_rate_pct"));
    assert_true(config_param_get(&cfg, "alerts", "failed_login_burst", "count") == 8);
    assert_true(config_param_get(&cfg, "alerts", "failed_login_burst", "window_minutes") == 15);
    assert_int_equal(cfg.ntiers, 3);
    char label[16];
    assert_string_equal(config_tier_label(&cfg, 1, label, sizeof(label)), "10-99");
    unlink(path);
}

/* Every mistake is exit 78 and names the key as written in the file. */
static void mistakes_name_the_key(void **state)
{
    (void)state;
    static const struct {
        const char *json, *key;
    } cases[] = {
        {"{\"time_zne\": \"UTC\"}", "time_zne"},
        {"{\"time_zone\": 3}", "time_zone"},
        {"{\"time_zone\": \"Europe/Ma drid\"}", "time_zone"},
        {"{\"locale\": \"fr\"}", "locale"},
        {"{\"paper\": \"a3\"}", "paper"},
        {"{\"benchmarks\": {\"uptime\": {\"good_min\": 1}}}", "benchmarks.uptime"},
        {"{\"benchmarks\": {\"uptime_pct\": {\"good_min\": \"99\"}}}", "benchmarks.uptime_pct.good_min"},
        {"{\"benchmarks\": {\"uptime_pct\": {\"good_mn\": 99}}}", "benchmarks.uptime_pct.good_mn"},
        {"{\"benchmarks\": {\"uptime_pct\": {\"bad_below\": 99}}}", "benchmarks.uptime_pct"},
        {"{\"benchmarks\": {\"uptime_pct\": {\"good_min\": 99, \"bad_below\": 99.5}}}", "benchmarks.uptime_pct"},
        {"{\"alerts\": {\"failed_login_burst\": {\"count\": -1}}}", "alerts.failed_login_burst.count"},
        {"{\"alerts\": {\"failed_login\": {\"count\": 3}}}", "alerts.failed_login"},
        {"{\"alerts\": {\"failed_login_burst\": {\"cnt\": 3}}}", "alerts.failed_login_burst.cnt"},
        {"{\"spending_tiers\": [1, 10]}", "spending_tiers[0]"},
        {"{\"spending_tiers\": [0, 10, 5]}", "spending_tiers[2]"},
        {"{\"seasonality\": {\"indices\": {\"low_index\": 1.0, \"peak_index\": 1.0}}}", "seasonality.indices"},
        {"[1, 2]", "(top level)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct almanac_config cfg;
        struct almanac_error err;
        error_clear(&err);
        config_defaults(&cfg);
        const char *path = write_file(cases[i].json);
        assert_int_equal(config_load(&cfg, path, &err), -1);
        assert_int_equal(err.code, ALMANAC_EX_CONFIG);
        char want[128];
        snprintf(want, sizeof(want), ": %s: ", cases[i].key);
        if (!strstr(err.message, want))
            fail_msg("case %zu: \"%s\" does not name %s", i, err.message, cases[i].key);
        unlink(path);
    }
    struct almanac_config cfg;
    struct almanac_error err;
    config_defaults(&cfg);
    const char *path = write_file("{\"time_zone\": \"UTC\" \"locale\": \"en\"}");
    assert_int_equal(config_load(&cfg, path, &err), -1);
    assert_int_equal(err.code, ALMANAC_EX_CONFIG);
    assert_non_null(strstr(err.detail, "line 1"));
    unlink(path);
    assert_int_equal(config_load(&cfg, "/nonexistent/almanac.json", &err), -1);
    assert_int_equal(err.code, ALMANAC_EX_CONFIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_catalogue),
        cmocka_unit_test(a_file_overrides_what_it_names),
        cmocka_unit_test(mistakes_name_the_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
