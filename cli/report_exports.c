/* report_exports.c: `almanac report exports`: the CSV exports of a period. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/db.h"
#include "kpi/period.h"
#include "reports/exports.h"

static const char USAGE[] =
    "Usage: almanac report exports --period PERIOD [OPTIONS]\n"
    "\n"
    "Writes the CSV exports of a period from the warehouse, one file each:\n"
    "partners, transactions, events, generations, style_usage,\n"
    "loyalty_transactions, perk_claims, named NAME-PERIOD.csv. RFC 4180, UTF-8,\n"
    "header row, CRLF line ends; times in the business time zone. Text that a\n"
    "spreadsheet would run as a formula gets a leading ' (docs/exports.md).\n"
    "\n"
    "Options:\n"
    "  --period PERIOD     2026-10 (also 2026Q3, 2026-W43, 2026-10-14)\n"
    "  --from DAY --to DAY a range of local days instead, both included\n"
    "                      (YYYY-MM-DD); files are named NAME-FROM_TO.csv\n"
    "  --out DIR           directory for the files (default: output_dir of the\n"
    "                      configuration); created when missing\n"
    "  --only NAME[,NAME]  write only these exports\n"
    "  --delimiter D       ',' (default), ';' for spreadsheets whose decimal\n"
    "                      separator is a comma, or 'tab'; numbers keep '.'\n"
    "  --bom               start each file with a UTF-8 byte order mark (Excel)\n"
    "  --no-formula-guard  write formula-like text unchanged\n"
    "  --warehouse CONN    warehouse connection (or ALMANAC_WAREHOUSE, or the\n"
    "                      configuration's \"warehouse\")\n"
    "  --config FILE       configuration file (or ALMANAC_CONFIG)\n"
    "  -v, --verbose       list the files written (always on a terminal)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit codes: 0 written, 64 bad option, 69 warehouse unavailable, 73 cannot\n"
    "write the directory or a file (no file is left under a final name),\n"
    "78 configuration error.\n";

struct exports_args {
    const char *period, *from, *to, *out, *only, *warehouse, *config;
    bool verbose;
    struct csv_options csv;
};

#define USAGE_ERROR(...) cli_usage_error("report exports ", __VA_ARGS__)

static int parse_delimiter(const char *s, char *d)
{
    if (!strcmp(s, ",") || !strcmp(s, "comma"))
        *d = ',';
    else if (!strcmp(s, ";") || !strcmp(s, "semicolon"))
        *d = ';';
    else if (!strcmp(s, "\t") || !strcmp(s, "\\t") || !strcmp(s, "tab"))
        *d = '\t';
    else
        return -1;
    return 0;
}

static int parse_only(const char *list, unsigned *mask)
{
    char buf[256];
    if (strlen(list) >= sizeof(buf))
        return USAGE_ERROR("--only: list too long");
    snprintf(buf, sizeof(buf), "%s", list);
    *mask = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int i = exports_find(tok);
        if (i < 0)
            return USAGE_ERROR("--only: unknown export \"%s\" (partners, transactions, events, "
                               "generations, style_usage, loyalty_transactions, perk_claims)",
                               tok);
        *mask |= 1u << i;
    }
    if (!*mask)
        return USAGE_ERROR("--only needs at least one export name");
    return 0;
}

static int parse_args(int argc, char **argv, struct exports_args *a)
{
    static const struct option longopts[] = {
        {"period", required_argument, NULL, 'p'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"out", required_argument, NULL, 'o'},
        {"only", required_argument, NULL, 'O'},
        {"delimiter", required_argument, NULL, 'd'},
        {"bom", no_argument, NULL, 'B'},
        {"no-formula-guard", no_argument, NULL, 'G'},
        {"warehouse", required_argument, NULL, 'w'},
        {"config", required_argument, NULL, 'c'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    csv_options_default(&a->csv);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            a->period = optarg;
            break;
        case 'F':
            a->from = optarg;
            break;
        case 'T':
            a->to = optarg;
            break;
        case 'o':
            a->out = optarg;
            break;
        case 'O':
            a->only = optarg;
            break;
        case 'w':
            a->warehouse = optarg;
            break;
        case 'c':
            a->config = optarg;
            break;
        case 'B':
            a->csv.bom = true;
            break;
        case 'G':
            a->csv.formula_guard = false;
            break;
        case 'v':
            a->verbose = true;
            break;
        case 'd':
            if (parse_delimiter(optarg, &a->csv.delimiter))
                return USAGE_ERROR("--delimiter must be ',', ';' or tab, not \"%s\"", optarg);
            break;
        case 'h':
            fputs(USAGE, stdout);
            return fflush(stdout) || ferror(stdout) ? ALMANAC_EX_CANTCREAT : -1;
        case ':':
            return USAGE_ERROR("option %s needs a value", argv[optind - 1]);
        default:
            return USAGE_ERROR("unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return USAGE_ERROR("unexpected argument \"%s\"", argv[optind]);
    if (a->period && (a->from || a->to))
        return USAGE_ERROR("give --period or --from/--to, not both");
    if (!a->period && !(a->from && a->to))
        return USAGE_ERROR(a->from || a->to ? "--from and --to go together"
                                            : "which period? give --period, e.g. --period 2026-10");
    if (a->out && !a->out[0])
        return USAGE_ERROR("--out needs a directory");
    return 0;
}

/* The range as local days and the label that names the files. */
static int resolve_range(const struct exports_args *a, char from[11], char to[11], char *label,
                         size_t size, struct almanac_error *err)
{
    long start, end;
    if (a->period) {
        struct kpi_period p;
        if (period_parse(a->period, &p, err))
            return -1;
        start = p.start;
        end = p.end;
        snprintf(label, size, "%s", p.label);
    } else {
        long last;
        if (period_date_parse(a->from, &start) || period_date_parse(a->to, &last))
            return error_set(err, ALMANAC_EX_USAGE,
                             "--from and --to must be days as YYYY-MM-DD (\"%s\", \"%s\")", a->from,
                             a->to);
        if (last < start)
            return error_set(err, ALMANAC_EX_USAGE, "--to %s is before --from %s", a->to, a->from);
        end = last + 1;
        snprintf(label, size, "%s_%s", a->from, a->to);
    }
    period_date_format(start, from);
    period_date_format(end, to);
    return 0;
}

static void print_files(const struct exports_result *r)
{
    for (int i = 0; i < r->nfiles; i++) {
        const struct exports_file *f = &r->files[i];
        printf("  %-60s %10lld rows %12lld bytes %6.2f s\n", f->path, f->rows, f->bytes,
               f->seconds);
    }
}

int report_exports(int argc, char **argv)
{
    struct exports_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    unsigned only = 0;
    if (a.only && (rc = parse_only(a.only, &only)) != 0)
        return rc;
    struct almanac_error err;
    error_clear(&err);
    char from[11], to[11], label[32];
    if (resolve_range(&a, from, to, label, sizeof(label), &err))
        return cli_report(&err);

    struct almanac_config *cfg = malloc(sizeof *cfg);
    struct exports_result *res = malloc(sizeof *res);
    PGconn *wh = NULL;
    if (!cfg || !res) {
        error_set(&err, ALMANAC_EX_SOFTWARE, "out of memory");
        goto fail;
    }
    if (cli_load_config(a.config, cfg, &err))
        goto fail;
    const char *warehouse = cli_warehouse(a.warehouse, cfg, &err);
    if (!warehouse) {
        goto fail;
    }
    wh = db_connect(warehouse, "almanac report exports", &err);
    if (!wh)
        goto fail;
    struct exports_request req = {
        .dir = a.out ? a.out : cfg->output_dir,
        .label = label,
        .from_day = from,
        .to_day = to,
        .time_zone = cfg->time_zone,
        .only = only,
        .csv = a.csv,
    };
    if (exports_run(wh, &req, res, &err))
        goto fail;
    if (a.verbose || isatty(STDOUT_FILENO)) {
        printf("exports %s (%s to %s, time zone %s):\n", label, from, to, cfg->time_zone);
        print_files(res);
    }
    PQfinish(wh);
    free(res);
    free(cfg);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "almanac: error: writing output failed\n");
        return ALMANAC_EX_CANTCREAT;
    }
    return 0;
fail:
    PQfinish(wh);
    free(res);
    free(cfg);
    return cli_report(&err);
}
