/* test_csv.c: the CSV field writer against hand-written RFC 4180 output, and
 * csv_export_copy against a real PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/db.h"
#include "reports/csv.h"
#include "tests/support/testpg.h"

/* One field written with `opt`, as a NUL-terminated string (static). */
static const char *field(const char *v, enum csv_kind kind, const struct csv_options *opt)
{
    static struct strbuf sb = STRBUF_INIT;
    strbuf_reset(&sb);
    assert_int_equal(csv_field(&sb, v, v ? strlen(v) : 0, kind, opt), 0);
    return strbuf_str(&sb);
}

static struct csv_options defaults(void)
{
    struct csv_options o;
    csv_options_default(&o);
    return o;
}

static void plain_text_is_unquoted(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    assert_string_equal(field("abc", CSV_TEXT, &o), "abc");
    assert_string_equal(field("two words", CSV_TEXT, &o), "two words");
    assert_string_equal(field("a\tb", CSV_TEXT, &o), "a\tb"); /* tab inside: not special with ',' */
}

static void delimiters_quotes_and_line_breaks_are_quoted(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    assert_string_equal(field("Boda, Málaga", CSV_TEXT, &o), "\"Boda, Málaga\"");
    assert_string_equal(field("say \"hi\"", CSV_TEXT, &o), "\"say \"\"hi\"\"\"");
    assert_string_equal(field("\"", CSV_TEXT, &o), "\"\"\"\"");
    assert_string_equal(field("line 1\nline 2", CSV_TEXT, &o), "\"line 1\nline 2\"");
    assert_string_equal(field("cr\rhere", CSV_TEXT, &o), "\"cr\rhere\"");
    assert_string_equal(field("crlf\r\n", CSV_TEXT, &o), "\"crlf\r\n\"");
    /* Numbers are quoted too when they hold the delimiter (never ours). */
    assert_string_equal(field("1,5", CSV_PLAIN, &o), "\"1,5\"");
}

static void null_is_empty_and_empty_string_is_quoted(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    assert_string_equal(field(NULL, CSV_TEXT, &o), "");
    assert_string_equal(field(NULL, CSV_PLAIN, &o), "");
    assert_string_equal(field("", CSV_TEXT, &o), "\"\"");
}

static void formula_starts_are_guarded_in_text_only(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    assert_string_equal(field("=1+1", CSV_TEXT, &o), "'=1+1");
    assert_string_equal(field("+1 555 0100", CSV_TEXT, &o), "'+1 555 0100");
    assert_string_equal(field("-2 credits", CSV_TEXT, &o), "'-2 credits");
    assert_string_equal(field("@SUM(A1:A9)", CSV_TEXT, &o), "'@SUM(A1:A9)");
    assert_string_equal(field("\tcmd", CSV_TEXT, &o), "'\tcmd");
    assert_string_equal(field("\rcmd", CSV_TEXT, &o), "\"'\rcmd\"");
    assert_string_equal(field("\ncmd", CSV_TEXT, &o), "\"'\ncmd\"");
    /* Guard and quoting together: the apostrophe goes inside the quotes. */
    assert_string_equal(field("=HYPERLINK(\"http://x\",\"y\")", CSV_TEXT, &o),
                        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    /* Only the first character matters. */
    assert_string_equal(field("a=b", CSV_TEXT, &o), "a=b");
    assert_string_equal(field(" =b", CSV_TEXT, &o), " =b");
    /* Numbers, dates and times are never guarded. */
    assert_string_equal(field("-5", CSV_PLAIN, &o), "-5");
    assert_string_equal(field("-12.50", CSV_PLAIN, &o), "-12.50");
    assert_string_equal(field("+3", CSV_PLAIN, &o), "+3");
    /* Off on request. */
    o.formula_guard = false;
    assert_string_equal(field("=1+1", CSV_TEXT, &o), "=1+1");
    assert_string_equal(field("=\"x\"", CSV_TEXT, &o), "\"=\"\"x\"\"\"");
}

static void utf8_is_kept_byte_for_byte(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    const char *s = "Łódź — 株式会社 Ωmega \xF0\x9F\x98\x80 Ñandú";
    assert_string_equal(field(s, CSV_TEXT, &o), s);
    /* Bytes that are not UTF-8 are not ours to repair: copied as they are. */
    assert_string_equal(field("a\xFF"
                              "b",
                              CSV_TEXT, &o),
                        "a\xFF"
                        "b");
}

static void semicolon_and_tab_delimiters(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    o.delimiter = ';';
    assert_string_equal(field("a,b", CSV_TEXT, &o), "a,b");
    assert_string_equal(field("a;b", CSV_TEXT, &o), "\"a;b\"");
    assert_string_equal(field("12.50", CSV_PLAIN, &o), "12.50");
    o.delimiter = '\t';
    assert_string_equal(field("a,b", CSV_TEXT, &o), "a,b");
    assert_string_equal(field("a\tb", CSV_TEXT, &o), "\"a\tb\"");
}

/* ---- csv_export_copy against a private server ---- */

static struct testpg pg;
static PGconn *conn;

static int pg_setup(void **state)
{
    (void)state;
    char ci[512];
    if (testpg_start(&pg) != 0 || testpg_create_db(&pg, "t") != 0)
        return -1;
    struct almanac_error err;
    conn = db_connect(testpg_conninfo(&pg, "t", ci, sizeof ci), "test_csv", &err);
    return conn && db_exec(conn, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'", NULL, &err) ==
                       0
               ? 0
               : -1;
}

static int pg_teardown(void **state)
{
    (void)state;
    PQfinish(conn);
    testpg_stop(&pg);
    return 0;
}

/* Runs an export into memory; returns the bytes (caller frees) or NULL
 * with *err set. */
static char *export(const char *sql, const struct csv_options *o, long long *rows, size_t *len,
                    struct almanac_error *err)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    int rc = csv_export_copy(conn, sql, o, f, rows, err);
    fclose(f);
    if (len)
        *len = n;
    if (rc) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void copy_rows_become_csv(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    struct almanac_error err;
    long long rows = -1;
    /* Every escape COPY text uses (backslash, tab, newline, CR), NULL
     * against an empty string, formula text, negative numbers, dates. */
    char *out = export("SELECT 1 AS \"ID\", E'back\\\\slash\\ttab' AS \"Name, full\", "
                       "E'two\\nlines\\r' AS \"Note\", NULL::text AS \"Nothing\", '' AS \"Empty\", "
                       "'=cmd()' AS \"Formula\", -5 AS \"Neg\", -12.50::numeric AS \"Money\", "
                       "date '2026-10-01' AS \"Day\", timestamp '2026-10-01 13:04:05' AS \"At\", "
                       "'-' || 'x' AS \"Dash\";",
                       &o, &rows, NULL, &err);
    assert_non_null(out);
    assert_int_equal(rows, 1);
    assert_string_equal(out,
                        "ID,\"Name, full\",Note,Nothing,Empty,Formula,Neg,Money,Day,At,Dash\r\n"
                        "1,back\\slash\ttab,\"two\nlines\r\",,\"\",'=cmd(),-5,-12.50,2026-10-01,"
                        "2026-10-01 13:04:05,'-x\r\n");
    free(out);
}

static void bom_and_semicolon(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    o.bom = true;
    o.delimiter = ';';
    struct almanac_error err;
    long long rows;
    char *out = export("SELECT 'a;b' AS x, 'c,d' AS y, 1.5 AS z", &o, &rows, NULL, &err);
    assert_non_null(out);
    assert_string_equal(out, "\xEF\xBB\xBFx;y;z\r\n\"a;b\";c,d;1.5\r\n");
    free(out);
}

static void no_rows_is_a_header_only(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    struct almanac_error err;
    long long rows = -1;
    char *out = export("SELECT 1 AS a, 'x' AS b WHERE false", &o, &rows, NULL, &err);
    assert_non_null(out);
    assert_int_equal(rows, 0);
    assert_string_equal(out, "a,b\r\n");
    free(out);
}

static void many_rows_are_all_written(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    struct almanac_error err;
    long long rows = 0;
    size_t len = 0;
    char *out = export("SELECT i, 'row ' || i AS t FROM generate_series(1, 200000) i", &o, &rows,
                       &len, &err);
    assert_non_null(out);
    assert_int_equal(rows, 200000);
    assert_non_null(strstr(out, "\r\n200000,row 200000\r\n"));
    assert_int_equal(out[len - 1], '\n');
    free(out);
}

static void server_error_mid_stream_is_reported(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    struct almanac_error err;
    error_clear(&err);
    long long rows = -1;
    char *out = export("SELECT 1 / (5000 - i) AS x FROM generate_series(1, 10000) i", &o, &rows,
                       NULL, &err);
    assert_null(out);
    assert_non_null(strstr(err.detail, "division by zero"));
    /* The connection is usable afterwards. */
    assert_int_equal(db_exec(conn, "SELECT 1", NULL, &err), 0);
}

static void bad_query_is_reported(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    struct almanac_error err;
    error_clear(&err);
    long long rows;
    assert_null(export("SELECT nope FROM nowhere", &o, &rows, NULL, &err));
    assert_non_null(strstr(err.detail, "nowhere"));
}

static void write_failure_cancels_and_leaves_the_connection_usable(void **state)
{
    (void)state;
    struct csv_options o = defaults();
    struct almanac_error err;
    error_clear(&err);
    FILE *full = fopen("/dev/full", "w");
    assert_non_null(full);
    long long rows = -1;
    int rc = csv_export_copy(conn, "SELECT i, repeat('x', 100) FROM generate_series(1, 5000000) i",
                             &o, full, &rows, &err);
    fclose(full);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, ALMANAC_EX_CANTCREAT);
    assert_int_equal(PQtransactionStatus(conn), PQTRANS_IDLE);
    assert_int_equal(db_exec(conn, "SELECT 1", NULL, &err), 0);
}

int main(void)
{
    const struct CMUnitTest fields[] = {
        cmocka_unit_test(plain_text_is_unquoted),
        cmocka_unit_test(delimiters_quotes_and_line_breaks_are_quoted),
        cmocka_unit_test(null_is_empty_and_empty_string_is_quoted),
        cmocka_unit_test(formula_starts_are_guarded_in_text_only),
        cmocka_unit_test(utf8_is_kept_byte_for_byte),
        cmocka_unit_test(semicolon_and_tab_delimiters),
    };
    const struct CMUnitTest copy[] = {
        cmocka_unit_test(copy_rows_become_csv),
        cmocka_unit_test(bom_and_semicolon),
        cmocka_unit_test(no_rows_is_a_header_only),
        cmocka_unit_test(many_rows_are_all_written),
        cmocka_unit_test(server_error_mid_stream_is_reported),
        cmocka_unit_test(bad_query_is_reported),
        cmocka_unit_test(write_failure_cancels_and_leaves_the_connection_usable),
    };
    int failed = cmocka_run_group_tests_name("csv fields", fields, NULL, NULL);
    failed += cmocka_run_group_tests_name("csv_export_copy", copy, pg_setup, pg_teardown);
    return failed ? 1 : 0;
}
