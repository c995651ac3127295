/* cli.h: the command-line layer shared by the subcommands.
 *
 * Only this layer prints to the terminal and chooses exit codes; the
 * modules below it report through struct almanac_error.
 */
#ifndef ALMANAC_CLI_CLI_H
#define ALMANAC_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "core/config.h"
#include "core/error.h"

struct cli_command {
    const char *name;
    const char *summary;  /* one line for `almanac --help` */
    const char *usage;    /* full text for `almanac NAME --help` */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

/* The table of subcommands, ending with a NULL name. */
extern const struct cli_command cli_commands[];

/* Prints err as "almanac: error: ..." plus detail and hint lines on stderr
 * and returns its exit code (70 when none was recorded). */
int cli_report(const struct almanac_error *err);

/* Prints a usage error for `command` and returns 64. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints a command's --help text on stdout; returns 0, or 73 when writing
 * to stdout failed. */
int cli_print_help(const struct cli_command *cmd);

/* Finds a command by name, or NULL. */
const struct cli_command *cli_find(const char *name);

/* Subcommand entry points. */
int cmd_demo(int argc, char **argv);
int cmd_server(int argc, char **argv);
int cmd_etl(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_kpi(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_config(int argc, char **argv);

/* `almanac report KIND`, one file per kind (cli/report_KIND.c); argv[0] is
 * the kind. */
int report_exports(int argc, char **argv);
int report_accounting(int argc, char **argv);
int report_loyalty(int argc, char **argv);
int report_review(int argc, char **argv);
int report_partner(int argc, char **argv);
int report_weekly(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_seasonality(int argc, char **argv);
int cmd_not_built(int argc, char **argv);

/* `value` if set, else the environment variable `env` if set and not empty. */
const char *cli_env_or(const char *value, const char *env);

/* Defaults, then the file at `path` or $ALMANAC_CONFIG when either is set.
 * Returns 0 or -1 with err (exit 78) naming the file and key. */
int cli_load_config(const char *path, struct almanac_config *cfg, struct almanac_error *err);

/* The warehouse connection string: the option, else $ALMANAC_WAREHOUSE,
 * else the configuration's "warehouse"; NULL with err set (78) if none. */
const char *cli_warehouse(const char *option, const struct almanac_config *cfg, struct almanac_error *err);

/* Writes one CSV field on stdout (RFC 4180 quoting, CRLF after the last
 * field of a row); for the --format csv of the commands. */
void cli_csv_field(const char *value, bool last);

/* Connects to the warehouse and applies its pending migrations, once per
 * command: the commands that compute or read KPIs, alerts, seasonality and
 * reports call it instead of db_connect. NULL with err set on failure. */
PGconn *cli_connect_warehouse(const char *conninfo, const char *appname, struct almanac_error *err);

struct kpi_period;
/* Computes the KPIs of p with the KPI engine when none are stored, so that a
 * report that reads them finds them; with no_compute, fails with exit 65
 * and the command to run instead. */
int cli_ensure_kpis(PGconn *wh, const struct almanac_config *cfg, const struct kpi_period *p, bool no_compute,
                    const char *kind, bool verbose, struct almanac_error *err);

struct etl_result;
struct table_spec;
struct extract_counts;
/* The ETL progress printer (stderr) for struct etl_options.progress; its
 * argument points to a struct cli_progress. */
struct cli_progress {
    bool tty; /* stderr is a terminal: update the line as rows arrive */
};
void cli_etl_progress(const struct table_spec *t, const struct extract_counts *c, bool done,
                      double seconds, void *arg);

/* Prints a one-line ETL run summary, and the tables with rejects. */
void cli_print_etl_summary(const struct etl_result *r);

/* Prints an ETL run summary as JSON on stdout (err NULL on success). */
int cli_print_etl_json(const struct etl_result *r, const struct almanac_error *err);

#endif
