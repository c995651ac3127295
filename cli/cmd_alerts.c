/* cmd_alerts.c: `almanac alerts`: evaluate the alert rules over a window
 * and print what fired, for people (one line per alert) or for CI
 * schedulers (--json). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/db.h"
#include "kpi/alerts.h"

static json_t *json_text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *alert_json(const struct alert *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(a->code));
    json_object_set_new(o, "severity", json_string(a->severity));
    json_object_set_new(o, "subject_kind", json_string(a->subject_kind));
    json_object_set_new(o, "subject", json_string(a->subject));
    json_object_set_new(o, "dedup_key", json_string(a->dedup_key));
    json_object_set_new(o, "started_at", json_text_or_null(a->started_at));
    json_object_set_new(o, "ended_at", json_text_or_null(a->ended_at));
    json_object_set_new(o, "first_fired_at", json_text_or_null(a->first_fired_at));
    json_object_set_new(o, "status", json_string(a->status));
    json_object_set_new(o, "occurrences", json_integer(a->occurrences));
    json_error_t jerr;
    json_t *ev = json_loads(a->evidence, 0, &jerr);
    json_object_set_new(o, "evidence", ev ? ev : json_string(a->evidence));
    json_object_set_new(o, "new", json_boolean(a->is_new));
    json_object_set_new(o, "alert_id", json_integer(a->alert_id));
    return o;
}

static int print_json(const struct alerts_window *w, const struct alerts_result *r, bool all_open,
                      const struct alerts_result *open)
{
    json_t *doc = json_object();
    json_object_set_new(doc, "window",
                        json_pack("{s:s, s:s, s:o, s:s}", "start", w->start, "end", w->end, "day",
                                  json_text_or_null(w->day), "time_zone", w->time_zone));
    json_object_set_new(doc, "run_id", json_integer(r->run_id));
    json_t *alerts = json_array();
    for (size_t i = 0; i < r->nalerts; i++)
        json_array_append_new(alerts, alert_json(&r->alerts[i]));
    json_object_set_new(doc, "alerts", alerts);
    json_t *resolved = json_array();
    for (size_t i = 0; i < r->nresolved; i++)
        json_array_append_new(resolved, alert_json(&r->resolved[i]));
    json_object_set_new(doc, "resolved", resolved);
    json_object_set_new(doc, "counts", json_pack("{s:i, s:i, s:i}", "critical", r->counts[ALERT_CRITICAL],
                                                 "warning", r->counts[ALERT_WARNING], "info",
                                                 r->counts[ALERT_INFO]));
    if (all_open) {
        json_t *arr = json_array();
        for (size_t i = 0; i < open->nalerts; i++)
            json_array_append_new(arr, alert_json(&open->alerts[i]));
        json_object_set_new(doc, "open", arr);
        json_object_set_new(doc, "open_counts",
                            json_pack("{s:i, s:i, s:i}", "critical", open->counts[ALERT_CRITICAL], "warning",
                                      open->counts[ALERT_WARNING], "info", open->counts[ALERT_INFO]));
    }
    int rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(doc);
    return rc;
}

/* Prints text on one line: control characters (a newline in a partner's
 * name) as escapes, cut at `max` bytes. */
static void print_one_line(const char *s, size_t max)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n < max; p++, n++) {
        if (*p == '\n')
            fputs("\\n", stdout);
        else if (*p < 0x20 || *p == 0x7f)
            printf("\\x%02x", *p);
        else
            putchar(*p);
    }
    if (strlen(s) > max)
        fputs("...", stdout);
}

/* "k=v k=v" from the evidence's scalar values, for a one-line summary. */
static void print_evidence_summary(const char *evidence)
{
    json_error_t jerr;
    json_t *ev = json_loads(evidence, 0, &jerr);
    if (!json_is_object(ev)) {
        json_decref(ev);
        return;
    }
    const char *key;
    json_t *v;
    int shown = 0;
    json_object_foreach(ev, key, v) {
        if (shown >= 6)
            break;
        if (json_is_string(v)) {
            printf(" %s=", key);
            print_one_line(json_string_value(v), 40);
        } else if (json_is_integer(v))
            printf(" %s=%lld", key, (long long)json_integer_value(v));
        else if (json_is_real(v))
            printf(" %s=%g", key, json_real_value(v));
        else if (json_is_boolean(v))
            printf(" %s=%s", key, json_is_true(v) ? "true" : "false");
        else
            continue;
        shown++;
    }
    json_decref(ev);
}

static void print_lines(const struct alert *arr, size_t n, bool colour, const char *note)
{
    static const char *const colours[] = {"\033[1;31m", "\033[33m", "\033[36m"};
    for (size_t i = 0; i < n; i++) {
        const struct alert *a = &arr[i];
        printf("%s%-8s%s %-23s %s ", colour ? colours[a->level] : "", a->severity, colour ? "\033[0m" : "",
               a->code, a->subject_kind);
        print_one_line(a->subject, 60);
        printf("  since %s", a->started_at);
        if (a->ended_at[0])
            printf(" until %s", a->ended_at);
        print_evidence_summary(a->evidence);
        if (note)
            printf("  [%s]", note);
        else if (a->is_new)
            printf("  [new]");
        putchar('\n');
    }
}

static void print_human(const struct alerts_window *w, const struct alerts_result *r, bool all_open,
                        const struct alerts_result *open)
{
    /* Silent when nothing fired and nobody watches: cron mails any output. */
    bool tty = isatty(STDOUT_FILENO);
    const char *nc = getenv("NO_COLOR");
    bool colour = tty && !(nc && *nc);
    if (all_open) {
        print_lines(open->alerts, open->nalerts, colour, NULL);
    } else {
        print_lines(r->alerts, r->nalerts, colour, NULL);
        print_lines(r->resolved, r->nresolved, colour, "resolved");
    }
    const struct alerts_result *shown = all_open ? open : r;
    if (tty || shown->nalerts || (!all_open && r->nresolved))
        printf("%s %s to %s (%s): %d critical, %d warning, %d info%s\n",
               all_open ? "open alerts after" : "alerts", w->start, w->end, w->time_zone,
               shown->counts[ALERT_CRITICAL], shown->counts[ALERT_WARNING], shown->counts[ALERT_INFO],
               all_open ? "" : r->nresolved ? " (and some resolved)" : "");
}

int cmd_alerts(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"warehouse", required_argument, NULL, 'w'},
        {"config", required_argument, NULL, 'c'},
        {"day", required_argument, NULL, 'd'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {"fail-on", required_argument, NULL, 'F'},
        {"all-open", no_argument, NULL, 'a'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *warehouse = NULL, *config_path = NULL, *day = NULL, *from = NULL, *to = NULL;
    bool json = false, all_open = false, quiet = false;
    int fail_on = -1;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'w': warehouse = optarg; break;
        case 'c': config_path = optarg; break;
        case 'd': day = optarg; break;
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'j': json = true; break;
        case 'a': all_open = true; break;
        case 'q': quiet = true; break;
        case 'F':
            fail_on = alerts_severity_parse(optarg);
            if (fail_on < 0)
                return cli_usage_error("alerts ", "--fail-on must be critical, warning or info, not \"%s\"",
                                       optarg);
            break;
        case 'h': return cli_print_help(cli_find("alerts"));
        case ':': return cli_usage_error("alerts ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("alerts ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("alerts ", "unexpected argument \"%s\"", argv[optind]);
    if (day && (from || to))
        return cli_usage_error("alerts ", "--day and --from/--to cannot be combined");
    if (!from != !to)
        return cli_usage_error("alerts ", "--from and --to go together");
    if (day) {
        int y, m, d;
        char rest;
        if (sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 || strlen(day) != 10 || m < 1 || m > 12 ||
            d < 1 || d > 31)
            return cli_usage_error("alerts ", "--day must be a date YYYY-MM-DD, not \"%s\"", day);
    }

    struct almanac_error err;
    error_clear(&err);
    struct almanac_config *cfg = malloc(sizeof *cfg);
    if (!cfg)
        return ALMANAC_EX_SOFTWARE;
    if (cli_load_config(config_path, cfg, &err)) {
        free(cfg);
        return cli_report(&err);
    }
    warehouse = cli_warehouse(warehouse, cfg, &err);
    if (!warehouse) {
        free(cfg);
        return cli_report(&err);
    }

    int rc = 0;
    struct alerts_window w;
    struct alerts_result r = {0}, open = {0};
    PGconn *wh = cli_connect_warehouse(warehouse, "almanac alerts", &err);
    if (!wh) {
        free(cfg);
        return cli_report(&err);
    }
    if (alerts_window_resolve(wh, cfg->time_zone, day, from, to, &w, &err) ||
        alerts_evaluate(wh, cfg, &w, &r, &err) || (all_open && alerts_list_open(wh, &open, &err))) {
        rc = cli_report(&err);
        goto done;
    }
    if (json)
        print_json(&w, &r, all_open, &open);
    else if (!quiet)
        print_human(&w, &r, all_open, &open);
    if (fail_on >= 0) {
        const struct alerts_result *judged = all_open ? &open : &r;
        for (int level = 0; level <= fail_on; level++)
            if (judged->counts[level] > 0)
                rc = ALMANAC_EX_ALERTS;
    }
done:
    alerts_result_free(&r);
    alerts_result_free(&open);
    PQfinish(wh);
    free(cfg);
    return rc;
}
