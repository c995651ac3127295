/* Pure helpers of reports/xlsx.c: Excel serials (expected values read off
 * Excel's own documentation: 1900-03-01 = 61, 2026-10-01 = 46296), the
 * formula guard, XML character removal and the 32,767-character cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reports/xlsx.h"

static void test_serial(void **state)
{
    (void)state;
    double s;
    assert_int_equal(xlsx_serial("1900-03-01", &s), 0);
    assert_true(s == 61.0);
    assert_int_equal(xlsx_serial("1970-01-01", &s), 0);
    assert_true(s == 25569.0);
    assert_int_equal(xlsx_serial("2026-10-01", &s), 0);
    assert_true(s == 46296.0);
    assert_int_equal(xlsx_serial("2026-10-01 12:00:00", &s), 0);
    assert_true(s == 46296.5);
    assert_int_equal(xlsx_serial("2026-10-01 06:00:00.5", &s), 0);
    assert_true(s > 46296.25 && s - 46296.25 - 0.5 / 86400 < 1e-9);
    assert_int_equal(xlsx_serial("2024-02-29", &s), 0);
    assert_int_equal(xlsx_serial("2026-02-29", &s), -1);   /* not a leap year */
    assert_int_equal(xlsx_serial("2026-13-01", &s), -1);
    assert_int_equal(xlsx_serial("1899-12-31", &s), -1);   /* before Excel's calendar */
    assert_int_equal(xlsx_serial("2026-10-01 12:00:00+02", &s), -1); /* an instant, not local time */
    assert_int_equal(xlsx_serial("infinity", &s), -1);
    assert_int_equal(xlsx_serial("", &s), -1);
    assert_int_equal(xlsx_serial(NULL, &s), -1);
}

static void test_formula_like(void **state)
{
    (void)state;
    const char *yes[] = {"=1+1", "+1 555", "-2 credits", "@SUM(A1)", "\tx", "\rx", "\nx"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        assert_true(xlsx_formula_like(yes[i]));
    assert_false(xlsx_formula_like("Boda \"La Perla\""));
    assert_false(xlsx_formula_like(" =1"));
    assert_false(xlsx_formula_like(""));
    assert_false(xlsx_formula_like(NULL));
}

static void test_clean(void **state)
{
    (void)state;
    char out[64];
    bool changed;
    xlsx_clean_text("plain, \"quoted\"\ttab\nline", out, sizeof(out), &changed);
    assert_string_equal(out, "plain, \"quoted\"\ttab\nline");
    assert_false(changed);
    xlsx_clean_text("a\x01" "b\x1f" "c\x0b" "d", out, sizeof(out), &changed);
    assert_string_equal(out, "abcd");
    assert_true(changed);
    /* U+FFFE and U+FFFF are not XML characters; U+FFFD and accents are. */
    xlsx_clean_text("x\xEF\xBF\xBEy\xEF\xBF\xBFz\xEF\xBF\xBD\xC3\xB1", out, sizeof(out), &changed);
    assert_string_equal(out, "xyz\xEF\xBF\xBD\xC3\xB1");
    assert_true(changed);
}

static size_t utf16_units(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n += *p >= 0xF0 ? 2 : 1;
    return n;
}

static void test_cut(void **state)
{
    (void)state;
    size_t len = 80000;
    char *in = malloc(len + 1), *out = malloc(len + 64);
    memset(in, 'a', len);
    in[len] = '\0';
    bool changed;
    xlsx_clean_text(in, out, len + 64, &changed);
    assert_true(changed);
    assert_int_equal(utf16_units(out), XLSX_MAX_STRING);
    assert_non_null(strstr(out, XLSX_CUT_MARKER));
    assert_int_equal(strlen(strstr(out, XLSX_CUT_MARKER)), strlen(XLSX_CUT_MARKER));
    /* Exactly the limit: kept whole. */
    in[XLSX_MAX_STRING] = '\0';
    xlsx_clean_text(in, out, len + 64, &changed);
    assert_false(changed);
    assert_int_equal(strlen(out), XLSX_MAX_STRING);
    /* Emoji count two units in Excel and are never split. */
    size_t n = 0;
    for (; n + 4 <= len; n += 4)
        memcpy(in + n, "\xF0\x9F\x98\x80", 4);
    in[n] = '\0';
    xlsx_clean_text(in, out, len + 64, &changed);
    assert_true(changed);
    assert_true(utf16_units(out) <= XLSX_MAX_STRING);
    const char *m = strstr(out, XLSX_CUT_MARKER);
    assert_non_null(m);
    assert_int_equal((size_t)(m - out) % 4, 0);
    free(in);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_serial),
        cmocka_unit_test(test_formula_like),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
