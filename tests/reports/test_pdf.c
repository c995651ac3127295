/* test_pdf.c: the pure helpers under the PDF reports: nice ticks, number
 * formats per locale, wrapping, UTF-8 and the replacement of characters
 * the font lacks (read from DejaVu Sans's own cmap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "reports/i18n.h"
#include "reports/pdf.h"
#include "reports/pdftext.h"

static void ticks(double lo, double hi, int target, double first, double last, double step, int n)
{
    double f, l, s;
    int k = pdftext_nice_ticks(lo, hi, target, &f, &l, &s);
    assert_float_equal(s, step, 1e-12);
    assert_float_equal(f, first, 1e-9);
    assert_float_equal(l, last, 1e-9);
    assert_int_equal(k, n);
}

static void test_nice_ticks(void **state)
{
    (void)state;
    ticks(0, 1596.47, 5, 0, 2000, 500, 5);     /* 1-2-5: 319 -> 500 */
    ticks(0, 26754.94, 5, 0, 30000, 10000, 4); /* 5351 -> 10000 */
    ticks(0, 40, 5, 0, 40, 10, 5);             /* exact top: no extra tick */
    ticks(0.45, 2.38, 5, 0, 2.5, 0.5, 6);      /* seasonal indices */
    ticks(-3.2, 7.9, 5, -5, 10, 5, 4);         /* negative values: 2.2 a step rounds up to 5 */
    ticks(12, 12, 5, 10.5, 13.5, 0.5, 7);      /* degenerate: padded by 10 % around the value */
    ticks(0, 0, 5, 0, 1, 0.2, 6);              /* all zero */
    assert_int_equal(pdftext_step_decimals(500), 0);
    assert_int_equal(pdftext_step_decimals(0.5), 1);
    assert_int_equal(pdftext_step_decimals(0.25), 2);
    assert_int_equal(pdftext_step_decimals(0.05), 2);
}

static void test_numbers(void **state)
{
    (void)state;
    char b[64];
    pdftext_number(1234567.891, 2, ',', '.', b, sizeof b);
    assert_string_equal(b, "1,234,567.89");
    pdftext_number(1234567.891, 2, '.', ',', b, sizeof b);
    assert_string_equal(b, "1.234.567,89");
    pdftext_number(-0.04, 1, ',', '.', b, sizeof b);
    assert_string_equal(b, "0.0");
    pdftext_number(-1000, 0, ',', '.', b, sizeof b);
    assert_string_equal(b, "-1,000");
    pdftext_number(999, 0, ',', '.', b, sizeof b);
    assert_string_equal(b, "999");
    /* Exact decimal rounding, half away from zero (93.65 is 93.6499... as
     * a double). */
    pdftext_decimal("93.65", 1, ',', '.', b, sizeof b);
    assert_string_equal(b, "93.7");
    pdftext_decimal("-93.65", 1, ',', '.', b, sizeof b);
    assert_string_equal(b, "-93.7");
    pdftext_decimal("999999.995", 2, '.', ',', b, sizeof b);
    assert_string_equal(b, "1.000.000,00");
    pdftext_decimal("-0.04", 1, ',', '.', b, sizeof b);
    assert_string_equal(b, "0.0");
    pdftext_decimal("12", 2, ',', '.', b, sizeof b);
    assert_string_equal(b, "12.00");
    pdftext_decimal("0.5", 0, ',', '.', b, sizeof b);
    assert_string_equal(b, "1");

    i18n_value(I18N_EN, "26754.94", "usd", b, sizeof b);
    assert_string_equal(b, "26,754.94 USD");
    i18n_value(I18N_ES, "26754.94", "usd", b, sizeof b);
    assert_string_equal(b, "26.754,94 USD");
    i18n_value(I18N_EN, "50.4873", "pct", b, sizeof b);
    assert_string_equal(b, "50.5 %");
    i18n_value(I18N_ES, "50.4873", "pct", b, sizeof b);
    assert_string_equal(b, "50,5 %");
    i18n_value(I18N_EN, "18156", "credits", b, sizeof b);
    assert_string_equal(b, "18,156");
    i18n_value(I18N_EN, "5.63", "count", b, sizeof b);
    assert_string_equal(b, "5.6");
    i18n_value(I18N_ES, NULL, "pct", b, sizeof b);
    assert_string_equal(b, "n/d");
    i18n_value(I18N_ES, "1", "status", b, sizeof b);
    assert_string_equal(b, "ámbar");
    i18n_change(I18N_EN, "2.1", "4.3", "pct", b, sizeof b);
    assert_string_equal(b, "+2.1 pp");
    i18n_change(I18N_ES, "-300", "-10.34", "credits", b, sizeof b);
    assert_string_equal(b, "-10,3 %");
    i18n_change(I18N_EN, "0", "-0.01", "count", b, sizeof b);
    assert_string_equal(b, "0.0 %");
    i18n_change(I18N_EN, NULL, NULL, "usd", b, sizeof b);
    assert_string_equal(b, "n/a");
    assert_string_equal(i18n_kpi(I18N_ES, "credits_in_channels"), "Créditos en Canales");
    assert_string_equal(i18n_kpi(I18N_ES, "partners_active"), "Partners Activos");
    assert_string_equal(i18n_kpi(I18N_ES, "consumption_ratio_pct"), "Ratio de Consumo");
    assert_string_equal(i18n_label(I18N_EN, "no.such.key"), "no.such.key");
}

/* Width in characters (code points), for wrapping tests. */
static double chars(const char *s, size_t len, void *arg)
{
    (void)arg;
    double n = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += pdftext_utf8_next(s + i, &cp);
        n++;
    }
    return n;
}

struct lines {
    char text[8][64];
    int n;
};

static void collect(const char *s, size_t len, void *arg)
{
    struct lines *l = arg;
    if (l->n < 8)
        snprintf(l->text[l->n++], sizeof l->text[0], "%.*s", (int)len, s);
}

static void test_wrap(void **state)
{
    (void)state;
    struct lines l = {0};
    int n = pdftext_wrap("Ratio de Consumo 92 % above 90 %", 12, chars, NULL, collect, &l);
    assert_int_equal(n, 3);
    assert_string_equal(l.text[0], "Ratio de");
    assert_string_equal(l.text[1], "Consumo 92 %");
    assert_string_equal(l.text[2], "above 90 %");
    memset(&l, 0, sizeof l);
    /* A word longer than the line is cut between characters, not bytes. */
    n = pdftext_wrap("Θεσσαλονίκη", 4, chars, NULL, collect, &l);
    assert_int_equal(n, 3);
    assert_string_equal(l.text[0], "Θεσσ");
    assert_string_equal(l.text[1], "αλον");
    assert_string_equal(l.text[2], "ίκη");
    memset(&l, 0, sizeof l);
    n = pdftext_wrap("one\ntwo  three", 20, chars, NULL, collect, &l);
    assert_int_equal(n, 2);
    assert_string_equal(l.text[1], "two  three");
}

static void test_utf8(void **state)
{
    (void)state;
    unsigned cp;
    assert_int_equal(pdftext_utf8_next("\xC5\x81", &cp), 2); /* Ł */
    assert_int_equal(cp, 0x141);
    assert_int_equal(pdftext_utf8_next("\xF0\x9F\x98\x80", &cp), 4); /* emoji: outside the BMP */
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(pdftext_utf8_next("\xC0\xAF", &cp), 1); /* overlong */
    assert_int_equal(cp, PDFTEXT_REPLACEMENT);
    assert_int_equal(pdftext_utf8_next("\xED\xA0\x80", &cp), 1); /* surrogate */
    assert_int_equal(cp, PDFTEXT_REPLACEMENT);
    assert_int_equal(pdftext_utf8_next("\xE2\x82", &cp), 1); /* truncated */
    assert_int_equal(cp, PDFTEXT_REPLACEMENT);
}

static void test_glyph_replacement(void **state)
{
    (void)state;
    static struct pdftext_glyphs g;
    struct almanac_error err;
    error_clear(&err);
    assert_int_equal(pdftext_glyphs_load(&g, PDF_DEFAULT_FONT, &err), 0);
    assert_true(pdftext_glyphs_has(&g, 'A'));
    assert_true(pdftext_glyphs_has(&g, 0x141));  /* Ł */
    assert_true(pdftext_glyphs_has(&g, 0x398));  /* Θ */
    assert_true(pdftext_glyphs_has(&g, 0xFFFD)); /* the replacement itself */
    assert_false(pdftext_glyphs_has(&g, 0x6771)); /* 東: DejaVu Sans has no CJK */
    struct strbuf out = STRBUF_INIT;
    int n = pdftext_clean(&g, "Créditos en Canales, Zürich, Łódź, Θεσσαλονίκη", &out);
    assert_int_equal(n, 0);
    assert_string_equal(strbuf_str(&out), "Créditos en Canales, Zürich, Łódź, Θεσσαλονίκη");
    strbuf_reset(&out);
    n = pdftext_clean(&g, "東京 Ramen \xF0\x9F\x98\x80 \xFF!\tx", &out);
    assert_int_equal(n, 4); /* two CJK, one emoji, one bad byte; the tab becomes a space */
    assert_string_equal(strbuf_str(&out), "\xEF\xBF\xBD\xEF\xBF\xBD Ramen \xEF\xBF\xBD \xEF\xBF\xBD! x");
    strbuf_free(&out);
    assert_int_equal(pdftext_glyphs_load(&g, "/nonexistent.ttf", &err), -1);
    assert_int_equal(err.code, ALMANAC_EX_CONFIG);
}

/* A table of 120 rows spans pages; footers are drawn on each. */
static void test_table_pages(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    struct pdf_options o = {.paper = PDF_A4, .title = "t", .group_sep = ',', .decimal_sep = '.'};
    struct pdf_doc *d = pdf_new(&o, &err);
    assert_non_null(d);
    struct pdf_column cols[2] = {{"Name", 0.6, PDF_LEFT}, {"Value", 0.4, PDF_RIGHT}};
    pdf_table_begin(d, cols, 2, PDF_SMALL);
    for (int i = 0; i < 120; i++) {
        char v[16];
        snprintf(v, sizeof v, "%d", i);
        const char *row[2] = {"Łódź Coffee 東", v};
        pdf_table_row(d, row);
    }
    pdf_table_end(d);
    assert_true(pdf_page_count(d) >= 2);
    assert_int_equal(pdf_replaced(d), 120);
    pdf_finish(d, "footer", "page", "of");
    char path[] = "/tmp/almanac-test-pdf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(pdf_save(d, path, &err), 0);
    pdf_free(d);
    FILE *f = fopen(path, "rb");
    char head[8] = {0};
    assert_int_equal(fread(head, 1, 5, f), 5);
    fclose(f);
    assert_string_equal(head, "%PDF-");
    unlink(path);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nice_ticks),       cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_wrap),             cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_glyph_replacement), cmocka_unit_test(test_table_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
