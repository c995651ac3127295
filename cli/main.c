/* main.c: `almanac` command dispatch, global help and the exit-code rules. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/db.h"
#include "core/strbuf.h"
#include "etl/migrate.h"
#include "reports/csv.h"

#ifndef ALMANAC_VERSION
#define ALMANAC_VERSION "unknown"
#endif

static const char DEMO_USAGE[] =
    "Usage: almanac demo [OPTIONS]\n"
    "\n"
    "Runs the whole pipeline on demo data, on a private PostgreSQL server that\n"
    "almanac starts itself (no database needed). A second run reuses the data.\n"
    "\n"
    "Options:\n"
    "  --dir DIR         working directory (default ./almanac-demo, or $ALMANAC_DEMO_DIR)\n"
    "  --scale S         data scale: 0.01 tests, 1 default (~5 million rows), 10 benchmarks\n"
    "  --seed N          random seed of the generator (default 42)\n"
    "  --as-of DATE      YYYY-MM-DD; history is the 36 complete months before it\n"
    "                    (default: today)\n"
    "  --fresh           delete the server and data in DIR and start over\n"
    "  --keep-running    leave the server running afterwards (psql line is printed)\n"
    "  --data-only       generate the source data only; run no job (for benchmarks)\n"
    "  -q, --quiet       print only errors and the final summary\n"
    "  -h, --help        show this help\n"
    "\n"
    "Outputs: DIR/truth.json lists the patterns planted in the data; DIR/out/\n"
    "holds the reports. Exit codes: see `almanac --help`.\n";

static const char SERVER_USAGE[] =
    "Usage: almanac server start|stop|status|remove [--dir DIR]\n"
    "\n"
    "Manages the private PostgreSQL server that `almanac demo` uses.\n"
    "\n"
    "  start    initialise if needed and start it; prints connection strings\n"
    "  stop     stop it (the data stays)\n"
    "  status   say whether it runs; exit 0 if it does, 69 if not\n"
    "  remove   stop it and delete its data\n"
    "\n"
    "Options:\n"
    "  --dir DIR    working directory (default ./almanac-demo, or $ALMANAC_DEMO_DIR)\n"
    "  -h, --help   show this help\n";

static const char ETL_USAGE[] =
    "Usage: almanac etl [--source CONN] [--warehouse CONN] [--config FILE] [--json] [--verbose]\n"
    "\n"
    "Extracts every source table changed since the last run, validates each row,\n"
    "quarantines bad rows in etl.rejects with their reason, and loads dimensions\n"
    "and facts, all in one warehouse transaction with the new watermark: a run\n"
    "that is killed leaves the warehouse as it was. Applies pending migrations\n"
    "first. One run at a time per warehouse (a second exits 75).\n"
    "\n"
    "Options:\n"
    "  --source CONN     source database: libpq connection string or URI\n"
    "                    (default $ALMANAC_SOURCE)\n"
    "  --warehouse CONN  warehouse database (default $ALMANAC_WAREHOUSE)\n"
    "                    Parts a string leaves out come from the PG* variables\n"
    "                    and ~/.pgpass. Passwords are never printed.\n"
    "  --config FILE     JSON configuration (default $ALMANAC_CONFIG): business\n"
    "                    time zone of the snapshots; source and warehouse when\n"
    "                    neither option nor variable gives them\n"
    "  --json            print the run summary as JSON on stdout\n"
    "  --retries N       retries of a refused connection, with backoff (default 4)\n"
    "  -v, --verbose     progress and summary even when not on a terminal\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit codes: 0 ok, 65 data tests or reconciliation failed, 69 database\n"
    "unreachable or lost, 75 another run holds the lock, 78 no connection given.\n";

static const char MIGRATE_USAGE[] =
    "Usage: almanac migrate [--warehouse CONN] [--dry-run]\n"
    "\n"
    "Applies the pending numbered warehouse migrations (schemas/warehouse/) in\n"
    "one transaction and records them in etl.schema_migrations.\n"
    "\n"
    "Options:\n"
    "  --warehouse CONN  warehouse database (default $ALMANAC_WAREHOUSE)\n"
    "  --dry-run         only count the pending migrations\n"
    "  -h, --help        show this help\n";

static const char KPI_USAGE[] =
    "Usage: almanac kpi --period P [OPTIONS]\n"
    "       almanac kpi --window 7d|30d|90d [--as-of DATE] [OPTIONS]\n"
    "\n"
    "Computes every KPI of docs/kpis.md for one period from the warehouse and\n"
    "stores it in kpi.results (with the previous period's value, the change and\n"
    "the benchmark band) and, for a month, the partner segments. Recomputing a\n"
    "period replaces it in one transaction. Periods cut at local midnight in the\n"
    "configured business time zone.\n"
    "\n"
    "Periods:\n"
    "  --period 2026-10     a month        --period 2026Q3      a quarter\n"
    "  --period 2026-W43    an ISO week    --period 2026-10-14  a day\n"
    "  --window 30d         the 30 days ending on --as-of (default: yesterday)\n"
    "\n"
    "Options:\n"
    "  --warehouse CONN     warehouse database (default $ALMANAC_WAREHOUSE, then the\n"
    "                       configuration's \"warehouse\")\n"
    "  --config FILE        JSON configuration (default $ALMANAC_CONFIG; none: defaults)\n"
    "  --show               also print the period's headline KPIs as a table\n"
    "  --stored             print what is stored, do not compute (with --show/--format)\n"
    "  --if-stale           compute only if data were loaded or settings changed since\n"
    "                       the period was last computed (jobs use this)\n"
    "  --scope S            what --show/--format print: platform (default),\n"
    "                       partner:ID, brand:ID, event_type:T, or all\n"
    "  --breakdowns         include breakdown rows (per style, component, tier...)\n"
    "  --format table|csv|json  print the rows in this format (implies --show)\n"
    "  -v, --verbose        print per-step timings\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0 ok, 64 bad option or period, 65 nothing stored (--stored),\n"
    "69 warehouse unreachable, 78 bad configuration.\n";

static const char ALERTS_USAGE[] =
    "Usage: almanac alerts [--warehouse CONN] [--config FILE]\n"
    "                      [--day YYYY-MM-DD | --from TS --to TS]\n"
    "                      [--json] [--fail-on LEVEL] [--all-open]\n"
    "\n"
    "Evaluates every alert rule (docs/alerts.md) over a window, records the\n"
    "findings in kpi.alerts, deduplicated across runs (an outage over three days\n"
    "is one alert), resolves state alerts that no longer hold, and prints what\n"
    "fired in the window: one line per alert, nothing when none fired and\n"
    "stdout is not a terminal.\n"
    "\n"
    "Options:\n"
    "  --warehouse CONN  warehouse database (default $ALMANAC_WAREHOUSE, then the\n"
    "                    configuration's \"warehouse\")\n"
    "  --config FILE     configuration file (default $ALMANAC_CONFIG; none: defaults)\n"
    "  --day DATE        that day, midnight to midnight in the business time zone\n"
    "  --from TS --to TS the window [TS, TS); a time without an offset is local\n"
    "                    (default window: the last complete local day)\n"
    "  --json            print the window, alerts and counts as JSON\n"
    "  --fail-on LEVEL   exit 10 when an alert of LEVEL (critical, warning, info)\n"
    "                    or more severe fired in the window (default: exit 0)\n"
    "  --all-open        list every alert still open, not only the window's\n"
    "  -q, --quiet       print nothing (the alerts are stored; jobs use this)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit codes: 0 ok, 10 --fail-on matched, 64 bad option or window, 69\n"
    "database unreachable, 78 bad configuration or no warehouse given.\n";
static const char SEASONALITY_USAGE[] =
    "Usage: almanac seasonality [--series S] [--by B] [--as-of DATE] [OPTIONS]\n"
    "\n"
    "Reads monthly series from the warehouse (every month from a scope's first\n"
    "month with data to the last complete month before the as-of date, in the\n"
    "business time zone), computes the seasonal index of each calendar month and\n"
    "a forecast of the next quarter with an 80 % interval, and stores them in\n"
    "kpi.seasonal_series, kpi.seasonal_index and kpi.forecast, replacing the\n"
    "series computed, in one transaction. Methods: docs/seasonality.md.\n"
    "\n"
    "Series (scopes):\n"
    "  events        events held, by event_date (platform, event_type:T)\n"
    "  generations   generations made (platform, event_type:T)\n"
    "  revenue       revenue_usd: purchases, B2C purchases, subscriptions (platform)\n"
    "  claims        loyalty perk claims (platform, brand:ID)\n"
    "\n"
    "Options:\n"
    "  --warehouse CONN     warehouse database (default $ALMANAC_WAREHOUSE, then the\n"
    "                       configuration's \"warehouse\")\n"
    "  --config FILE        JSON configuration (default $ALMANAC_CONFIG; none: defaults);\n"
    "                       seasonality.indices.peak_index / low_index (1.10, 0.90)\n"
    "  --series S           events, generations, revenue, claims or all (default)\n"
    "  --by B               what --show prints: event_type, brand or platform scopes\n"
    "                       (default: all scopes)\n"
    "  --as-of DATE         YYYY-MM-DD; series end with the month before DATE's month\n"
    "                       (default: today in the business time zone)\n"
    "  --show               also print the indices, peak and low months, the quality\n"
    "                       of the estimate and the forecast (with generations: the\n"
    "                       peak usage hours stored by `almanac kpi`)\n"
    "  --stored             print what is stored, do not compute (with --show/--format)\n"
    "  --format table|csv|json  print in this format (implies --show)\n"
    "  -v, --verbose        print a summary of the computation\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0 ok, 64 bad option or value, 65 nothing stored (--stored),\n"
    "69 warehouse unreachable, 78 bad configuration.\n";

static const char RUN_USAGE[] =
    "Usage: almanac run JOB [--period P | --from P --to P | --catch-up] [OPTIONS]\n"
    "\n"
    "Runs the steps of a job file (jobs/JOB.json: daily, weekly, monthly,\n"
    "quarterly) for a period: the same etl, kpi, alerts, seasonality and report\n"
    "commands an operator would type. Outputs go to OUT/<period>/ with a\n"
    "manifest (manifest-JOB.json: steps, durations, rows, every file with its\n"
    "size and SHA-256, alert counts, data freshness); ops.job_runs records the\n"
    "run. Re-running a period replaces its outputs. Silent on success unless\n"
    "--verbose; errors on stderr.\n"
    "\n"
    "Periods (default: the last complete one in the business time zone):\n"
    "  --period P          one period of the job's grain (2026-10, 2026Q3, 2026-W43, 2026-10-14)\n"
    "  --from P --to P     every period from P to P, in order (backfill)\n"
    "  --catch-up          every period since the job's last success, up to the\n"
    "                      last complete one\n"
    "\n"
    "Options:\n"
    "  --source CONN       source database (default $ALMANAC_SOURCE, then the configuration)\n"
    "  --warehouse CONN    warehouse database (default $ALMANAC_WAREHOUSE, then the configuration)\n"
    "  --config FILE       JSON configuration (default $ALMANAC_CONFIG)\n"
    "  --out DIR           output directory (default: the configuration's output_dir)\n"
    "  --jobs-dir DIR      where job files are (default $ALMANAC_JOBS_DIR, ./jobs, the installed ones)\n"
    "  --allow-stale       write reports even when the data ends before the period does,\n"
    "                      stamped \"data through <date>\"\n"
    "  --summary           print the period's summary (key numbers, new partners, top\n"
    "                      events, alerts, pending applications) on stdout, for cron mail\n"
    "  --log-format F      text (default) or json: one JSON object per log line on stderr\n"
    "  -v, --verbose       log every step\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit codes: 0 ok; a failed step's own code (65 data, 69 database unreachable,\n"
    "73 cannot write, 75 lock held or data stale, 78 configuration); 64 bad option;\n"
    "78 invalid job file (the message names the file, JSON path, expected and found).\n";

static const char STATUS_USAGE[] =
    "Usage: almanac status [--warehouse CONN] [--config FILE] [--json]\n"
    "\n"
    "Per job (ops.job_runs): the last period run, its outcome and exit code, the\n"
    "last successful period; and the data freshness: the latest successful ETL\n"
    "run and the age of its watermark.\n";

static const char CONFIG_USAGE[] =
    "Usage: almanac config [--config FILE] [--print]\n"
    "\n"
    "Checks the configuration (--config FILE or $ALMANAC_CONFIG; exit 78 naming\n"
    "the key when it is wrong). --print shows the effective configuration as\n"
    "JSON, every default filled in, connection strings without passwords.\n"
    "Keys: docs/configuration.md.\n";

#define NOT_BUILT(name, text) \
    "Usage: almanac " name " ...\n\n" text "\n\nNot yet built in this version.\n"

const struct cli_command cli_commands[] = {
    {"demo", "run the whole pipeline on generated demo data (private server)", DEMO_USAGE,
     cmd_demo},
    {"server", "start, stop or inspect the private PostgreSQL server", SERVER_USAGE,
     cmd_server},
    {"migrate", "apply pending warehouse migrations", MIGRATE_USAGE, cmd_migrate},
    {"etl", "extract from the source database into the warehouse", ETL_USAGE, cmd_etl},
    {"kpi", "compute and show the KPIs of a period", KPI_USAGE, cmd_kpi},
    {"alerts", "evaluate the alert rules over a window and list what fired", ALERTS_USAGE, cmd_alerts},
    {"seasonality", "seasonal indices and next-quarter forecasts of the monthly series",
     SEASONALITY_USAGE, cmd_seasonality},
    {"report", "write reports: exports, accounting, loyalty, review, partner",
     "Usage: almanac report KIND [OPTIONS]   (almanac report --help lists the kinds)\n", cmd_report},
    {"run", "run a scheduled job for a period, a range, or every period missed", RUN_USAGE, cmd_run},
    {"status", "last run and last success per job, data freshness", STATUS_USAGE, cmd_status},
    {"config", "check the configuration; --print shows it, passwords masked", CONFIG_USAGE, cmd_config},
    {NULL, NULL, NULL, NULL},
};

static const char EXIT_CODES[] =
    "Exit codes:\n"
    "  0   success\n"
    "  10  alerts --fail-on: an alert at that severity or above fired\n"
    "  64  usage error (unknown command or option, bad value)\n"
    "  65  bad input data (failed validation or data tests)\n"
    "  69  a service is unavailable (database, PostgreSQL binaries)\n"
    "  70  internal error\n"
    "  73  cannot write an output file\n"
    "  75  temporary failure: another run holds the lock, or data is stale; retry later\n"
    "  78  configuration error\n";

static int print_main_help(FILE *out)
{
    fprintf(out,
            "Usage: almanac COMMAND [OPTIONS]\n"
            "       almanac COMMAND --help\n"
            "       almanac --version\n"
            "\n"
            "Batch ETL and reports for subscription and marketplace platforms:\n"
            "extracts events from an operational PostgreSQL database into a star-schema\n"
            "warehouse, computes KPIs, alerts, seasonality and forecasts, and writes\n"
            "XLSX, PDF and CSV reports.\n"
            "\n"
            "Commands:\n");
    for (const struct cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fprintf(out, "\n%s", EXIT_CODES);
    return 0;
}

const struct cli_command *cli_find(const char *name)
{
    for (const struct cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

const char *cli_env_or(const char *value, const char *env)
{
    if (value)
        return value;
    const char *e = getenv(env);
    return e && *e ? e : NULL;
}

int cli_load_config(const char *path, struct almanac_config *cfg, struct almanac_error *err)
{
    config_defaults(cfg);
    path = cli_env_or(path, "ALMANAC_CONFIG");
    return path ? config_load(cfg, path, err) : 0;
}

const char *cli_warehouse(const char *option, const struct almanac_config *cfg, struct almanac_error *err)
{
    const char *w = cli_env_or(option, "ALMANAC_WAREHOUSE");
    if (!w && cfg->warehouse[0])
        w = cfg->warehouse;
    if (!w) {
        error_set(err, ALMANAC_EX_CONFIG, "no warehouse database given");
        error_hint(err, "use --warehouse, ALMANAC_WAREHOUSE or \"warehouse\" in the configuration");
    }
    return w;
}

void cli_csv_field(const char *value, bool last)
{
    /* Machine-readable output: quoting as RFC 4180 wants, no formula guard
     * (a program reads this, and "-5" must stay -5). */
    struct csv_options opt;
    csv_options_default(&opt);
    opt.formula_guard = false;
    struct strbuf sb = STRBUF_INIT;
    if (csv_field(&sb, value, value ? strlen(value) : 0, CSV_TEXT, &opt) == 0)
        fputs(strbuf_str(&sb), stdout);
    strbuf_free(&sb);
    fputs(last ? "\r\n" : ",", stdout);
}

PGconn *cli_connect_warehouse(const char *conninfo, const char *appname, struct almanac_error *err)
{
    PGconn *wh = db_connect(conninfo, appname, err);
    if (wh && migrate_apply(wh, NULL, err)) {
        PQfinish(wh);
        return NULL;
    }
    return wh;
}

int cli_report(const struct almanac_error *err)
{
    fprintf(stderr, "almanac: error: %s\n", err->message[0] ? err->message : "unknown failure");
    if (err->detail[0]) {
        /* Indent continuation lines so a multi-line server log reads as one
         * block under its error. */
        fputs("  detail: ", stderr);
        for (const char *p = err->detail; *p; p++) {
            fputc(*p, stderr);
            if (*p == '\n' && p[1])
                fputs("    ", stderr);
        }
        fputc('\n', stderr);
    }
    if (err->hint[0])
        fprintf(stderr, "  hint: %s\n", err->hint);
    return err->code ? err->code : ALMANAC_EX_SOFTWARE;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "almanac: error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  hint: see `almanac %s--help`\n", command ? command : "");
    return ALMANAC_EX_USAGE;
}

/* Output that could not be written (a full disk, a closed pipe) must not
 * end in exit 0: the caller would believe it got the whole text. */
static int finish_stdout(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "almanac: error: writing output failed\n");
        return rc ? rc : ALMANAC_EX_CANTCREAT;
    }
    return rc;
}

int cli_print_help(const struct cli_command *cmd)
{
    fputs(cmd->usage, stdout);
    return 0;
}

int cmd_not_built(int argc, char **argv)
{
    const struct cli_command *cmd = cli_find(argv[0]);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return cli_print_help(cmd);
    fprintf(stderr, "almanac: error: `almanac %s` is not yet built in this version\n"
                    "  hint: `almanac --help` lists what is available\n",
            argv[0]);
    return ALMANAC_EX_USAGE;
}

/* Writes text for roff: a leading dot or quote would start a request, a
 * backslash an escape. */
static void roff_text(FILE *out, const char *s)
{
    bool line_start = true;
    for (; *s; s++) {
        if (line_start && (*s == '.' || *s == '\''))
            fputs("\\&", out);
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
        line_start = *s == '\n';
    }
}

/* The man page, almanac(1), made from the same texts as --help so that the
 * two never disagree; the build writes it with `almanac --man`. */
static int print_man(FILE *out)
{
    fprintf(out, ".TH ALMANAC 1 \"\" \"almanac %s\" \"User Commands\"\n", ALMANAC_VERSION);
    fputs(".SH NAME\nalmanac \\- batch ETL, KPIs and reports for subscription and marketplace platforms\n"
          ".SH SYNOPSIS\n.B almanac\n.I COMMAND\n[\n.I OPTIONS\n]\n.SH DESCRIPTION\n",
          out);
    roff_text(out, "Extracts events from an operational PostgreSQL database into a star-schema warehouse,\n"
                   "computes KPIs, alerts, seasonality and forecasts, and writes XLSX, PDF and CSV reports.\n"
                   "Every command prints its own help with --help.\n");
    fputs(".SH COMMANDS\n", out);
    for (const struct cli_command *c = cli_commands; c->name; c++) {
        fprintf(out, ".SS %s\n", c->name);
        roff_text(out, c->summary);
        fputs("\n.PP\n.nf\n", out);
        roff_text(out, c->usage);
        fputs(".fi\n", out);
    }
    fputs(".SH EXIT STATUS\n.nf\n", out);
    roff_text(out, EXIT_CODES);
    fputs(".fi\n.SH ENVIRONMENT\n.nf\n", out);
    roff_text(out, "ALMANAC_SOURCE      source database connection string\n"
                   "ALMANAC_WAREHOUSE   warehouse database connection string\n"
                   "ALMANAC_CONFIG      configuration file\n"
                   "ALMANAC_JOBS_DIR    directory of job files\n"
                   "PG*, ~/.pgpass      libpq defaults for what a connection string leaves out\n");
    fputs(".fi\n.SH SEE ALSO\n", out);
    roff_text(out, "The documentation in docs/: configuration.md, jobs.md, kpis.md, warehouse.md, exit-codes.md.\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_main_help(stderr);
        return ALMANAC_EX_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0 || strcmp(first, "help") == 0) {
        if (argc > 2 && strcmp(first, "help") == 0) {
            const struct cli_command *cmd = cli_find(argv[2]);
            if (!cmd)
                return cli_usage_error(NULL, "unknown command \"%s\"", argv[2]);
            return finish_stdout(cli_print_help(cmd));
        }
        return finish_stdout(print_main_help(stdout));
    }
    if (strcmp(first, "--man") == 0)
        return finish_stdout(print_man(stdout));
    if (strcmp(first, "--version") == 0 || strcmp(first, "-V") == 0) {
        printf("almanac %s\n", ALMANAC_VERSION);
        return finish_stdout(0);
    }
    if (first[0] == '-')
        return cli_usage_error(NULL, "unknown option \"%s\" before the command", first);
    const struct cli_command *cmd = cli_find(first);
    if (!cmd)
        return cli_usage_error(NULL, "unknown command \"%s\"", first);
    return finish_stdout(cmd->run(argc - 1, argv + 1));
}
