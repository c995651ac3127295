#include "tests/support/testpg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fsutil.h"

int testpg_mkdtemp(char *out, size_t size)
{
    snprintf(out, size, "/tmp/almanac-test-XXXXXX");
    if (!mkdtemp(out)) {
        perror("mkdtemp");
        return -1;
    }
    /* mkdtemp makes it 0700; the server account must be able to enter it. */
    if (chmod(out, 0755) != 0) {
        perror("chmod");
        return -1;
    }
    char owner[PATH_MAX];
    snprintf(owner, sizeof owner, "%s/owner", out);
    FILE *f = fopen(owner, "w");
    if (!f)
        return -1;
    fprintf(f, "%s\n", ALMANAC_TEST_OWNER);
    return fclose(f) == 0 ? 0 : -1;
}

int testpg_start(struct testpg *t)
{
    memset(t, 0, sizeof *t);
    if (testpg_mkdtemp(t->dir, sizeof t->dir) != 0)
        return -1;
    struct almanac_error err;
    error_clear(&err);
    struct pgserver_config cfg = {.dir = t->dir};
    t->srv = pgserver_new(&cfg, &err);
    if (!t->srv || pgserver_start(t->srv, &err) != 0) {
        fprintf(stderr, "testpg: %s\n  %s\n", err.message, err.detail);
        testpg_stop(t);
        return -1;
    }
    return 0;
}

int testpg_create_db(struct testpg *t, const char *name)
{
    struct almanac_error err;
    error_clear(&err);
    if (pgserver_ensure_database(t->srv, name, &err) != 0) {
        fprintf(stderr, "testpg: %s\n  %s\n", err.message, err.detail);
        return -1;
    }
    return 0;
}

const char *testpg_conninfo(const struct testpg *t, const char *name, char *buf, size_t size)
{
    return pgserver_conninfo(t->srv, name, buf, size);
}

void testpg_stop(struct testpg *t)
{
    if (t->srv) {
        struct almanac_error err;
        error_clear(&err);
        if (pgserver_remove(t->srv, &err) != 0)
            fprintf(stderr, "testpg: %s\n", err.message);
        pgserver_free(t->srv);
        t->srv = NULL;
    }
    if (t->dir[0]) {
        fsutil_rmtree(t->dir);
        t->dir[0] = '\0';
    }
}
