#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "etl/copytext.h"

static void splits_fields_and_nulls(void **state)
{
    (void)state;
    struct row_fields r;
    const char *row = "17\t\\N\tZ\\\\u\\trich\t";
    assert_int_equal(copytext_split(row, strlen(row), &r), 4);
    assert_int_equal(r.f[0].len, 2);
    assert_true(r.f[1].null);
    assert_false(r.f[2].null);
    assert_int_equal(r.f[3].len, 0); /* empty string, not NULL */
    assert_false(r.f[3].null);
}

static void too_many_fields_is_an_error(void **state)
{
    (void)state;
    char row[200] = "";
    for (int i = 0; i < COPYTEXT_MAX_FIELDS + 1; i++)
        strcat(row, i ? "\tx" : "x");
    struct row_fields r;
    assert_int_equal(copytext_split(row, strlen(row), &r), -1);
}

static void unescape_handles_every_escape(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    const char *raw = "a\\tb\\nc\\\\d\\101\\x41\\r";
    assert_int_equal(copytext_unescape(raw, strlen(raw), &sb), 0);
    assert_string_equal(strbuf_str(&sb), "a\tb\nc\\dAA\r");
    strbuf_free(&sb);
}

static void escape_round_trips(void **state)
{
    (void)state;
    struct strbuf esc = STRBUF_INIT, back = STRBUF_INIT;
    const char *s = "tab\there\nnew \\ back \r cr, \"quote\" Łódź";
    assert_int_equal(copytext_escape(s, strlen(s), &esc), 0);
    assert_null(memchr(esc.data, '\t', esc.len));
    assert_null(memchr(esc.data, '\n', esc.len));
    assert_int_equal(copytext_unescape(esc.data, esc.len, &back), 0);
    assert_string_equal(strbuf_str(&back), s);
    strbuf_free(&esc);
    strbuf_free(&back);
}

static void utf8_validation(void **state)
{
    (void)state;
    assert_true(copytext_valid_utf8("Zürich Θεσσαλονίκη Łódź", strlen("Zürich Θεσσαλονίκη Łódź")));
    assert_true(copytext_valid_utf8("\xF0\x9F\x93\xB7", 4));   /* U+1F4F7 */
    assert_false(copytext_valid_utf8("caf\xE9", 4));          /* Latin-1 é */
    assert_false(copytext_valid_utf8("\xC0\xAF", 2));         /* overlong / */
    assert_false(copytext_valid_utf8("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(copytext_valid_utf8("\xE2\x82", 2));         /* truncated */
    assert_false(copytext_valid_utf8("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splits_fields_and_nulls),
        cmocka_unit_test(too_many_fields_is_an_error),
        cmocka_unit_test(unescape_handles_every_escape),
        cmocka_unit_test(escape_round_trips),
        cmocka_unit_test(utf8_validation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
