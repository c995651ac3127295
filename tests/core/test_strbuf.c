#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/strbuf.h"

static void empty_buffer_reads_as_empty_string(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_string_equal(strbuf_str(&sb), "");
    strbuf_free(&sb);
}

static void appends_grow_past_initial_capacity(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(strbuf_printf(&sb, "%d,", i % 10), 0);
    assert_int_equal(sb.len, 2000);
    assert_memory_equal(sb.data, "0,1,2,", 6);
    assert_int_equal(sb.data[sb.len], '\0');
    strbuf_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_int_equal(strbuf_puts(&sb, "abc"), 0);
    assert_string_equal(strbuf_str(&sb), "abc");
    strbuf_free(&sb);
}

static void binary_bytes_are_kept(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(strbuf_append(&sb, "a\0b", 3), 0);
    assert_int_equal(sb.len, 3);
    assert_memory_equal(sb.data, "a\0b", 3);
    strbuf_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_buffer_reads_as_empty_string),
        cmocka_unit_test(appends_grow_past_initial_capacity),
        cmocka_unit_test(binary_bytes_are_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
