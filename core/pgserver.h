/* pgserver.h: a private PostgreSQL server in a directory of ours.
 *
 * The demo and the tests need a database without asking the user for one.
 * pgserver runs the installed PostgreSQL binaries (initdb, pg_ctl) on a data
 * directory below `dir`, listening only on a Unix socket in that directory
 * (no TCP), so it cannot collide with another server on the machine.
 * PostgreSQL refuses to run as root: when we are root, the server's files
 * belong to an unprivileged account (default "postgres") and its processes
 * run as that account.
 *
 * Layout of `dir`:  pg/          owned by the server account, mode 0700
 *                   pg/data/     the cluster
 *                   pg/server.log
 *                   pg/tools.log output of initdb and pg_ctl
 */
#ifndef ALMANAC_CORE_PGSERVER_H
#define ALMANAC_CORE_PGSERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

struct pgserver_config {
    const char *dir;    /* created if missing; required */
    const char *bindir; /* NULL: $ALMANAC_PG_BINDIR, `pg_config --bindir`, /usr/lib/postgresql/N/bin */
    const char *run_as; /* account when we are root; NULL: $ALMANAC_PG_USER or "postgres" */
};

struct pgserver;

/* Prepares a handle; touches nothing on disk. NULL with err filled on
 * failure (no binaries: 69; unknown account or unusable dir: 78). */
struct pgserver *pgserver_new(const struct pgserver_config *cfg, struct almanac_error *err);

/* Creates the cluster if needed (an interrupted initdb is redone), clears a
 * stale postmaster.pid left by a killed server, and starts the server, or
 * reuses it when it is already running on this directory. */
int pgserver_start(struct pgserver *srv, struct almanac_error *err);

/* True when pgserver_start found the server already running. */
bool pgserver_was_running(const struct pgserver *srv);

/* Stops the server (fast shutdown); no-op when it is not running. */
int pgserver_stop(struct pgserver *srv, struct almanac_error *err);

/* Stops the server at once if running and deletes `dir/pg` (the cluster). */
int pgserver_remove(struct pgserver *srv, struct almanac_error *err);

/* Creates database `name` unless it exists. The server must be running. */
int pgserver_ensure_database(struct pgserver *srv, const char *name, struct almanac_error *err);

/* Writes the libpq connection string for database `dbname` into buf. */
const char *pgserver_conninfo(const struct pgserver *srv, const char *dbname, char *buf,
                              size_t size);

/* The socket directory and port, for messages ("psql -h DIR -p PORT"). */
const char *pgserver_socket_dir(const struct pgserver *srv);
int pgserver_port(const struct pgserver *srv);

/* Frees the handle; the server keeps running. NULL is a no-op. */
void pgserver_free(struct pgserver *srv);

#endif
