#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/sqlfile.h"
#include "etl/catalog.h"
#include "etl/validate.h"

static struct validator v;

static int setup(void **state)
{
    (void)state;
    validator_init(&v, "2026-11-24 00:00:00");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    validator_free(&v);
    return 0;
}

/* Validates `row` for `table`; returns the reason code or "ok". */
static const char *check(const char *table, const char *row, char *why)
{
    struct row_fields r;
    const struct table_spec *t = catalog_find(table);
    assert_non_null(t);
    const char *code = validate_row(&v, t, row, strlen(row), &r, why, 300);
    return code ? code : "ok";
}

#define GEN_OK "1\t10\t\\N\t3\tcompleted\t1\t850\t2026-10-31 23:30:00+00\t\\N\t2026-11-01 00:00:00+00"

static void good_generation_passes(void **state)
{
    (void)state;
    char why[300];
    assert_string_equal(check("generations", GEN_OK, why), "ok");
}

static void each_reason_is_found(void **state)
{
    (void)state;
    char why[300];
    /* unknown enum */
    assert_string_equal(check("generations", "1\t10\t\\N\t3\tqueued\t1\t850\t2026-10-31 23:30:00+00\t\\N\t2026-11-01 00:00:00+00", why), "unknown_enum");
    assert_non_null(strstr(why, "\"queued\" is not one of completed, failed"));
    /* negative credits */
    assert_string_equal(check("generations", "1\t10\t\\N\t3\tcompleted\t-4\t850\t2026-10-31 23:30:00+00\t\\N\t2026-11-01 00:00:00+00", why), "negative_amount");
    /* required field missing */
    assert_string_equal(check("generations", "1\t10\t\\N\t\\N\tcompleted\t1\t850\t2026-10-31 23:30:00+00\t\\N\t2026-11-01 00:00:00+00", why), "missing_required");
    assert_non_null(strstr(why, "style_id"));
    /* neither event nor user */
    assert_string_equal(check("generations", "1\t\\N\t\\N\t3\tcompleted\t1\t850\t2026-10-31 23:30:00+00\t\\N\t2026-11-01 00:00:00+00", why), "missing_required");
    /* far future */
    assert_string_equal(check("generations", "1\t10\t\\N\t3\tcompleted\t1\t850\t2099-01-01 00:00:00+00\t\\N\t2026-11-01 00:00:00+00", why), "bad_timestamp");
    /* wrong field count */
    assert_string_equal(check("generations", "1\t10", why), "bad_type");
    /* invalid UTF-8 in a name */
    assert_string_equal(check("styles", "1\tcaf\xE9\tvintage\tt\t\\N\t2026-11-01 00:00:00+00", why), "bad_utf8");
    /* empty required text */
    assert_string_equal(check("styles", "1\t\tvintage\tt\t\\N\t2026-11-01 00:00:00+00", why), "missing_required");
    /* negative money */
    assert_string_equal(check("partners", "5\tAcme\ta@b.c\tapproved\t-10.00\t\\N\t\\N\t\\N\t2026-11-01 00:00:00+00", why), "negative_amount");
}

static void json_payloads_are_parsed(void **state)
{
    (void)state;
    char why[300];
    const char *good = "9\t2026-10-01 10:00:00+00\tann@x.io\tadmin\tlogin\t10.0.0.1\t{\"ua\": \"tab\\\\there\"}\t2026-10-01 10:00:00+00";
    assert_string_equal(check("activity_log", good, why), "ok");
    const char *broken = "9\t2026-10-01 10:00:00+00\tann@x.io\tadmin\tlogin\t10.0.0.1\t{\"ua\": \t2026-10-01 10:00:00+00";
    assert_string_equal(check("activity_log", broken, why), "bad_json");
    const char *array = "9\t2026-10-01 10:00:00+00\tann@x.io\tadmin\tlogin\t10.0.0.1\t[1,2]\t2026-10-01 10:00:00+00";
    assert_string_equal(check("activity_log", array, why), "bad_json");
}

static void kind_specific_rules(void **state)
{
    (void)state;
    char why[300];
    /* A purchase without money. */
    assert_string_equal(check("credit_transactions", "1\tpurchase\t4\t\\N\t\\N\t500\t\\N\t500\t\\N\ta@b\tpack\t2026-10-02 00:00:00+00\t2026-10-02 00:00:00+00", why), "missing_required");
    assert_non_null(strstr(why, "amount_usd"));
    assert_string_equal(check("credit_transactions", "1\tpurchase\t4\t\\N\t\\N\t500\t49.00\t500\t\\N\ta@b\t=HYPERLINK(\"x\")\t2026-10-02 00:00:00+00\t2026-10-02 00:00:00+00", why), "ok");
    /* A bad transaction hash. */
    assert_string_equal(check("loyalty_transactions", "1\t2\tdistribution\tu1\t\\N\t3\t\\N\t10\t0xZZ\t{}\t2026-10-02 00:00:00+00\t2026-10-02 00:00:00+00", why), "bad_type");
    /* HTTP status outside 100..599. */
    assert_string_equal(check("api_requests", "1\t2026-10-02 00:00:00+00\tGET\t/v1/x\t700\t12\tk\t10.0.0.1\t2026-10-02 00:00:00+00", why), "unknown_enum");
}

/* The extract query of every table lists exactly the catalogue's columns,
 * in order: a mismatch would load values into the wrong staging columns. */
static void extract_sql_matches_catalog(void **state)
{
    (void)state;
    for (size_t i = 0; i < catalog_ntables; i++) {
        const struct table_spec *t = &catalog_tables[i];
        char name[128];
        snprintf(name, sizeof name, "etl/extract/%s.sql", t->name);
        const struct sqlfile *f = sqlfile_find(name);
        if (!f)
            fail_msg("missing schemas/%s", name);
        const char *p = strstr(f->text, "SELECT");
        assert_non_null(p);
        p += 6;
        for (size_t c = 0; c < t->ncols; c++) {
            while (*p == ' ' || *p == '\n' || *p == ',')
                p++;
            size_t n = strlen(t->cols[c].name);
            if (strncmp(p, t->cols[c].name, n) != 0)
                fail_msg("%s: column %zu should be %s", name, c, t->cols[c].name);
            p += n;
        }
        while (*p == ' ' || *p == '\n')
            p++;
        if (strncmp(p, "FROM", 4) != 0)
            fail_msg("%s: more columns than the catalogue", name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_generation_passes),
        cmocka_unit_test(each_reason_is_found),
        cmocka_unit_test(json_payloads_are_parsed),
        cmocka_unit_test(kind_specific_rules),
        cmocka_unit_test(extract_sql_matches_catalog),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
