/* testpg.h: a throwaway private PostgreSQL server for one test program.
 *
 * Each server lives in its own /tmp/almanac-test-XXXXXX directory (any
 * account can reach /tmp, which matters when tests run as root and the
 * server as "postgres"). The directory records which build made it, so the
 * ctest cleanup fixture can remove what a crashed test left behind.
 */
#ifndef ALMANAC_TESTS_TESTPG_H
#define ALMANAC_TESTS_TESTPG_H

#include <limits.h>
#include <stddef.h>

#include "core/pgserver.h"

struct testpg {
    char dir[PATH_MAX];
    struct pgserver *srv;
};

/* Creates the directory and starts a server; 0 or -1 (message on stderr). */
int testpg_start(struct testpg *t);

/* Creates database `name`; 0 or -1. */
int testpg_create_db(struct testpg *t, const char *name);

/* Connection string for database `name`. */
const char *testpg_conninfo(const struct testpg *t, const char *name, char *buf, size_t size);

/* Stops the server and deletes the directory; safe to call twice. */
void testpg_stop(struct testpg *t);

/* Makes an empty directory /tmp/almanac-test-XXXXXX owned by this build;
 * 0 or -1. */
int testpg_mkdtemp(char *out, size_t size);

#endif
