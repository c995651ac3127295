#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"

static void set_fills_code_and_message(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    assert_int_equal(error_set(&err, ALMANAC_EX_CONFIG, "bad key %s", "x.y"), -1);
    assert_int_equal(err.code, 78);
    assert_string_equal(err.message, "bad key x.y");
    assert_string_equal(err.detail, "");
}

static void trailing_newlines_are_trimmed(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    error_set(&err, ALMANAC_EX_UNAVAILABLE, "cannot connect");
    error_detail(&err, "server said: %s", "connection refused\n");
    assert_string_equal(err.detail, "server said: connection refused");
}

static void set_clears_old_detail_and_hint(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    error_set(&err, 70, "first");
    error_detail(&err, "d");
    error_hint(&err, "h");
    error_set(&err, 64, "second");
    assert_string_equal(err.detail, "");
    assert_string_equal(err.hint, "");
}

static void prefix_keeps_message(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    error_set(&err, 65, "row 7 is bad");
    error_prefix(&err, "loading %s: ", "events");
    assert_string_equal(err.message, "loading events: row 7 is bad");
}

static void long_messages_are_cut_not_overflowed(void **state)
{
    (void)state;
    struct almanac_error err;
    char big[4000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    error_clear(&err);
    error_set(&err, 70, "%s", big);
    error_prefix(&err, "%s", big);
    assert_int_equal(strlen(err.message), sizeof err.message - 1);
}

static void every_exit_code_has_a_name(void **state)
{
    (void)state;
    const int codes[] = {0, 64, 65, 69, 70, 73, 75, 78};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        assert_string_not_equal(error_code_name(codes[i]), "unknown");
    assert_string_equal(error_code_name(12), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_fills_code_and_message),
        cmocka_unit_test(trailing_newlines_are_trimmed),
        cmocka_unit_test(set_clears_old_detail_and_hint),
        cmocka_unit_test(prefix_keeps_message),
        cmocka_unit_test(long_messages_are_cut_not_overflowed),
        cmocka_unit_test(every_exit_code_has_a_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
