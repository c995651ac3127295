/* db.h: thin libpq wrappers that report failures through almanac_error.
 *
 * Every failure names what was being done (the SQL file, or the statement's
 * first line) and carries the server's message in the error's detail. A
 * connection string's password never appears in anything these functions
 * write: use db_describe() to name a connection.
 */
#ifndef ALMANAC_CORE_DB_H
#define ALMANAC_CORE_DB_H

#include <stddef.h>

#include <libpq-fe.h>

#include "core/error.h"

/* Opens a connection with application_name `appname` and a safe
 * search_path (public, pg_catalog). Returns NULL and fills err (exit code 69)
 * when the server cannot be reached or refuses the login. */
PGconn *db_connect(const char *conninfo, const char *appname, struct almanac_error *err);

/* Like db_connect, but a server that cannot be reached is tried again up
 * to `attempts` times in all, waiting 0.5 s, 1 s, 2 s, ... (at most 8 s)
 * between tries. A refused login is not retried. */
PGconn *db_connect_retry(const char *conninfo, const char *appname, int attempts,
                         struct almanac_error *err);

/* Opens another connection with the parameters `conn` was opened with
 * (its options and session settings too) and application_name `appname`,
 * for work that runs beside it. Returns NULL with err filled (exit code 69)
 * when that fails. */
PGconn *db_connect_like(PGconn *conn, const char *appname, struct almanac_error *err);
/* Writes a description of the connection string safe for logs into buf:
 * "dbname=x host=y port=z user=u", never the password. Returns buf. */
const char *db_describe(const char *conninfo, char *buf, size_t size);

/* Runs one or more statements without parameters (PQexec). `what` names the
 * work for the error message. Returns 0 or -1. */
int db_exec(PGconn *conn, const char *sql, const char *what, struct almanac_error *err);

/* Runs the embedded SQL file `name` (a path below schemas/). */
int db_exec_file(PGconn *conn, const char *name, struct almanac_error *err);

/* Runs one statement with text parameters (PQexecParams). Returns the result,
 * which the caller owns and must PQclear, or NULL with err filled. */
PGresult *db_query(PGconn *conn, const char *sql, int nparams, const char *const *params,
                   struct almanac_error *err);

/* Like db_query for a statement whose result is not needed. */
int db_command(PGconn *conn, const char *sql, int nparams, const char *const *params,
               struct almanac_error *err);

/* Fills err from a failed result or connection: message "what failed",
 * detail the server's primary message (and its DETAIL/HINT). Returns -1. */
int db_error(struct almanac_error *err, PGconn *conn, const PGresult *res, const char *what);

/* The text at (row, col) of a result, NULL for SQL NULL. */
const char *db_value(const PGresult *res, int row, int col);

/* Quotes an identifier for SQL; returns a malloc'd string or NULL. */
char *db_quote_ident(PGconn *conn, const char *ident);

#endif
