#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/db.h"
#include "tests/support/testpg.h"

static struct testpg pg;

static int setup(void **state)
{
    (void)state;
    return testpg_start(&pg) == 0 && testpg_create_db(&pg, "t") == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    testpg_stop(&pg);
    return 0;
}

static void describe_never_shows_the_password(void **state)
{
    (void)state;
    char buf[256];
    db_describe("host=db.example port=5433 dbname=wh user=etl password=s3cr3t", buf, sizeof buf);
    assert_null(strstr(buf, "s3cr3t"));
    assert_non_null(strstr(buf, "host=db.example"));
    assert_non_null(strstr(buf, "dbname=wh"));
    db_describe("postgresql://etl:hunter2@db.example:5433/wh", buf, sizeof buf);
    assert_null(strstr(buf, "hunter2"));
    assert_non_null(strstr(buf, "user=etl"));
    db_describe("", buf, sizeof buf);
    assert_non_null(strstr(buf, "PG*"));
}

static void refused_connection_is_unavailable_and_masked(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    /* A socket directory where nothing listens. */
    PGconn *c = db_connect("host=/nonexistent port=1 dbname=x user=u password=topsecret", "t", &err);
    assert_null(c);
    assert_int_equal(err.code, ALMANAC_EX_UNAVAILABLE);
    assert_null(strstr(err.message, "topsecret"));
    assert_null(strstr(err.detail, "topsecret"));
    assert_non_null(strstr(err.message, "host=/nonexistent"));
}

/* A connection to the test server; the test fails here if there is none. */
static PGconn *connect_test(const char *appname, struct almanac_error *err)
{
    char ci[512];
    error_clear(err);
    PGconn *c = db_connect(testpg_conninfo(&pg, "t", ci, sizeof ci), appname, err);
    assert_non_null(c);
    return c;
}

static void failed_statement_carries_server_message(void **state)
{
    (void)state;
    struct almanac_error err;
    PGconn *c = connect_test("t", &err);
    assert_int_equal(db_exec(c, "SELECT * FROM no_such_table", NULL, &err), -1);
    assert_int_equal(err.code, ALMANAC_EX_SOFTWARE);
    assert_non_null(strstr(err.message, "SELECT * FROM no_such_table"));
    assert_non_null(strstr(err.detail, "does not exist"));
    PQfinish(c);
}

static void parameters_are_not_interpolated(void **state)
{
    (void)state;
    struct almanac_error err;
    PGconn *c = connect_test("t", &err);
    const char *params[] = {"x'); DROP TABLE y; --"};
    PGresult *r = db_query(c, "SELECT length($1)", 1, params, &err);
    assert_non_null(r);
    assert_string_equal(PQgetvalue(r, 0, 0), "21");
    PQclear(r);
    PQfinish(c);
}

static void unknown_sql_file_is_reported(void **state)
{
    (void)state;
    struct almanac_error err;
    PGconn *c = connect_test("t", &err);
    assert_int_equal(db_exec_file(c, "nope/missing.sql", &err), -1);
    assert_non_null(strstr(err.message, "schemas/nope/missing.sql"));
    PQfinish(c);
}

static void application_name_and_search_path_are_set(void **state)
{
    (void)state;
    struct almanac_error err;
    PGconn *c = connect_test("almanac test", &err);
    PGresult *r = db_query(c, "SELECT current_setting('application_name'), current_setting('search_path')",
                           0, NULL, &err);
    assert_non_null(r);
    assert_string_equal(PQgetvalue(r, 0, 0), "almanac test");
    assert_string_equal(PQgetvalue(r, 0, 1), "public,pg_catalog");
    PQclear(r);
    PQfinish(c);
}

static void second_connection_has_the_same_settings(void **state)
{
    (void)state;
    struct almanac_error err;
    PGconn *c = connect_test("almanac test", &err);
    PGconn *other = db_connect_like(c, "almanac beside", &err);
    assert_non_null(other);
    const char *sql = "SELECT current_setting('application_name'), current_setting('search_path'), "
                      "current_database(), current_user, pg_backend_pid()";
    PGresult *a = db_query(c, sql, 0, NULL, &err);
    PGresult *b = db_query(other, sql, 0, NULL, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(PQgetvalue(b, 0, 0), "almanac beside");
    for (int col = 1; col <= 3; col++)
        assert_string_equal(PQgetvalue(a, 0, col), PQgetvalue(b, 0, col));
    assert_string_not_equal(PQgetvalue(a, 0, 4), PQgetvalue(b, 0, 4));
    PQclear(a);
    PQclear(b);
    PQfinish(other);
    PQfinish(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(describe_never_shows_the_password),
        cmocka_unit_test(refused_connection_is_unavailable_and_masked),
        cmocka_unit_test(failed_statement_carries_server_message),
        cmocka_unit_test(parameters_are_not_interpolated),
        cmocka_unit_test(unknown_sql_file_is_reported),
        cmocka_unit_test(application_name_and_search_path_are_set),
        cmocka_unit_test(second_connection_has_the_same_settings),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
