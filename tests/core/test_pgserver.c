#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "core/fsutil.h"
#include "core/pgserver.h"
#include "tests/support/testpg.h"

static char dir[PATH_MAX];

static int setup(void **state)
{
    (void)state;
    return testpg_mkdtemp(dir, sizeof dir);
}

static int teardown(void **state)
{
    (void)state;
    struct almanac_error err;
    struct pgserver_config cfg = {.dir = dir};
    struct pgserver *srv = pgserver_new(&cfg, &err);
    if (srv) {
        pgserver_remove(srv, &err);
        pgserver_free(srv);
    }
    fsutil_rmtree(dir);
    return 0;
}

static struct pgserver *open_server(void)
{
    struct almanac_error err;
    error_clear(&err);
    struct pgserver_config cfg = {.dir = dir};
    struct pgserver *srv = pgserver_new(&cfg, &err);
    if (!srv)
        fail_msg("pgserver_new: %s", err.message);
    return srv;
}

static int answers(struct pgserver *srv)
{
    char ci[512];
    return PQping(pgserver_conninfo(srv, "postgres", ci, sizeof ci)) == PQPING_OK;
}

static pid_t postmaster_pid(void)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/pg/data/postmaster.pid", dir);
    FILE *f = fopen(path, "r");
    long pid = 0;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    return (pid_t)pid;
}

static void starts_then_reuses_running_server(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    struct pgserver *srv = open_server();
    assert_int_equal(pgserver_start(srv, &err), 0);
    assert_false(pgserver_was_running(srv));
    assert_true(answers(srv));
    pgserver_free(srv);

    srv = open_server();
    assert_int_equal(pgserver_start(srv, &err), 0);
    assert_true(pgserver_was_running(srv));
    pgserver_free(srv);
}

static void listens_on_socket_only(void **state)
{
    (void)state;
    struct pgserver *srv = open_server();
    char ci[512];
    PGconn *c = PQconnectdb(pgserver_conninfo(srv, "postgres", ci, sizeof ci));
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, "SELECT current_setting('listen_addresses'), "
                            "current_setting('unix_socket_directories')");
    assert_string_equal(PQgetvalue(r, 0, 0), "");
    assert_string_equal(PQgetvalue(r, 0, 1), pgserver_socket_dir(srv));
    PQclear(r);
    PQfinish(c);
    pgserver_free(srv);
}

static void ensure_database_is_idempotent(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    struct pgserver *srv = open_server();
    assert_int_equal(pgserver_ensure_database(srv, "almanac_x", &err), 0);
    assert_int_equal(pgserver_ensure_database(srv, "almanac_x", &err), 0);
    pgserver_free(srv);
}

static void survives_killed_server_with_stale_pid(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    pid_t pid = postmaster_pid();
    assert_true(pid > 0);
    assert_int_equal(kill(pid, SIGKILL), 0);
    for (int i = 0; i < 100 && kill(pid, 0) == 0; i++)
        usleep(50000);
    /* Make the stale PID point at a live process that is not PostgreSQL,
     * the case PostgreSQL itself refuses ("is another postmaster running?"). */
    pid_t sleeper = fork();
    if (sleeper == 0) {
        pause();
        _exit(0);
    }
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/pg/data/postmaster.pid", dir);
    FILE *f = fopen(path, "r+");
    assert_non_null(f);
    fprintf(f, "%-7ld", (long)sleeper);
    fclose(f);

    struct pgserver *srv = open_server();
    int rc = pgserver_start(srv, &err);
    kill(sleeper, SIGKILL);
    waitpid(sleeper, NULL, 0);
    if (rc != 0)
        fail_msg("restart after kill -9: %s / %s", err.message, err.detail);
    assert_false(pgserver_was_running(srv));
    assert_true(answers(srv));
    pgserver_free(srv);
}

static void stop_then_start_keeps_data(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    struct pgserver *srv = open_server();
    assert_int_equal(pgserver_stop(srv, &err), 0);
    assert_false(answers(srv));
    assert_int_equal(pgserver_stop(srv, &err), 0); /* not running: no-op */
    assert_int_equal(pgserver_start(srv, &err), 0);
    char ci[512];
    PGconn *c = PQconnectdb(pgserver_conninfo(srv, "almanac_x", ci, sizeof ci));
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PQfinish(c);
    pgserver_free(srv);
}

static void interrupted_initdb_is_redone(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    struct pgserver *srv = open_server();
    assert_int_equal(pgserver_remove(srv, &err), 0);
    assert_false(answers(srv));
    /* What a killed initdb leaves: a data directory and no marker. */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/pg/data/base", dir);
    assert_int_equal(fsutil_mkdirs(path, 0700), 0);
    assert_int_equal(pgserver_start(srv, &err), 0);
    assert_true(answers(srv));
    pgserver_free(srv);
}

static void unreachable_directory_is_a_clear_error(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    char closed[PATH_MAX];
    snprintf(closed, sizeof closed, "%s/closed", dir);
    assert_int_equal(mkdir(closed, 0700), 0);
    char inner[PATH_MAX];
    snprintf(inner, sizeof inner, "%s/demo", closed);
    struct almanac_error err;
    error_clear(&err);
    struct pgserver_config cfg = {.dir = inner};
    struct pgserver *srv = pgserver_new(&cfg, &err);
    assert_non_null(srv);
    assert_int_equal(pgserver_start(srv, &err), -1);
    assert_int_equal(err.code, ALMANAC_EX_CONFIG);
    assert_non_null(strstr(err.message, "cannot reach"));
    pgserver_free(srv);
    fsutil_rmtree(closed);
}

static void missing_binaries_are_unavailable(void **state)
{
    (void)state;
    struct almanac_error err;
    error_clear(&err);
    struct pgserver_config cfg = {.dir = dir, .bindir = "/nonexistent/bin"};
    assert_null(pgserver_new(&cfg, &err));
    assert_int_equal(err.code, ALMANAC_EX_CONFIG);
    assert_non_null(strstr(err.message, "/nonexistent/bin"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(starts_then_reuses_running_server),
        cmocka_unit_test(listens_on_socket_only),
        cmocka_unit_test(ensure_database_is_idempotent),
        cmocka_unit_test(survives_killed_server_with_stale_pid),
        cmocka_unit_test(stop_then_start_keeps_data),
        cmocka_unit_test(interrupted_initdb_is_redone),
        cmocka_unit_test(unreachable_directory_is_a_clear_error),
        cmocka_unit_test(missing_binaries_are_unavailable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
