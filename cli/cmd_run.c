/* cmd_run.c: `almanac run JOB`: a job file's steps for one period, a range
 * of periods (backfill) or every period missed since the last success
 * (catch-up), with a manifest per period and a row in ops.job_runs.
 *
 * A step is the same almanac command an operator would type, run in this
 * process with the job's period, connections and output directory: the job
 * runner has no code path of its own for the work. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/db.h"
#include "core/fsutil.h"
#include "core/sha256.h"
#include "core/sqlfile.h"
#include "etl/migrate.h"
#include "kpi/period.h"
#include "runner/job.h"

#ifndef ALMANAC_JOBS_DIR
#define ALMANAC_JOBS_DIR "jobs"
#endif

#define MAX_PERIODS 400

struct run_args {
    const char *job, *period, *from, *to, *out, *config, *source, *warehouse, *jobs_dir;
    bool catch_up, allow_stale, verbose, summary, log_json;
};

/* Everything one run needs, passed down instead of globals. */
struct run_ctx {
    struct run_args a;
    struct almanac_config cfg;
    struct job job;
    PGconn *wh;
    const char *source, *warehouse;
    char config_path[PATH_MAX];
};

static void utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Logs go to stderr: text lines with --verbose (errors always), or one
 * JSON object per line with --log-format json. */
static void logf_(const struct run_ctx *c, const char *level, const char *period, const char *step,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void logf_(const struct run_ctx *c, const char *level, const char *period, const char *step,
                  const char *fmt, ...)
{
    bool error = !strcmp(level, "error");
    if (!c->a.log_json && !c->a.verbose && !error)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->a.log_json) {
        char ts[32];
        utc_now(ts, sizeof(ts));
        json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s}", "ts", ts, "level", level, "job",
                              c->job.name, "period", period, "step", step, "msg", msg);
        char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        fprintf(stderr, "%s\n", line ? line : "{}");
        free(line);
        json_decref(o);
    } else
        fprintf(stderr, "almanac run %s%s%s%s%s: %s\n", c->job.name, period ? " " : "", period ? period : "",
                step ? " " : "", step ? step : "", msg);
}

static int parse_args(int argc, char **argv, struct run_args *a)
{
    static const struct option longopts[] = {
        {"period", required_argument, NULL, 'p'},   {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},       {"catch-up", no_argument, NULL, 'C'},
        {"allow-stale", no_argument, NULL, 'S'},    {"out", required_argument, NULL, 'o'},
        {"config", required_argument, NULL, 'c'},   {"source", required_argument, NULL, 's'},
        {"warehouse", required_argument, NULL, 'w'}, {"jobs-dir", required_argument, NULL, 'J'},
        {"summary", no_argument, NULL, 'm'},        {"log-format", required_argument, NULL, 'L'},
        {"verbose", no_argument, NULL, 'v'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': a->period = optarg; break;
        case 'f': a->from = optarg; break;
        case 't': a->to = optarg; break;
        case 'C': a->catch_up = true; break;
        case 'S': a->allow_stale = true; break;
        case 'o': a->out = optarg; break;
        case 'c': a->config = optarg; break;
        case 's': a->source = optarg; break;
        case 'w': a->warehouse = optarg; break;
        case 'J': a->jobs_dir = optarg; break;
        case 'm': a->summary = true; break;
        case 'v': a->verbose = true; break;
        case 'L':
            if (strcmp(optarg, "json") && strcmp(optarg, "text"))
                return cli_usage_error("run ", "--log-format must be text or json, not \"%s\"", optarg);
            a->log_json = !strcmp(optarg, "json");
            break;
        case 'h': return cli_print_help(cli_find("run")) ? ALMANAC_EX_CANTCREAT : -1;
        case ':': return cli_usage_error("run ", "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error("run ", "unknown option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("run ", "which job? daily, weekly, monthly, quarterly or a job file");
    a->job = argv[optind++];
    if (optind < argc)
        return cli_usage_error("run ", "unexpected argument \"%s\"", argv[optind]);
    int modes = (a->period != NULL) + (a->from || a->to) + a->catch_up;
    if (modes > 1)
        return cli_usage_error("run ", "give one of --period, --from/--to or --catch-up");
    if (!a->from != !a->to)
        return cli_usage_error("run ", "--from and --to go together");
    return 0;
}

/* A job name is looked up in --jobs-dir, $ALMANAC_JOBS_DIR, ./jobs and the
 * installed jobs directory; anything with a slash or ".json" is a path. */
static int find_job(const struct run_args *a, char *path, size_t size, struct almanac_error *err)
{
    if (strchr(a->job, '/') || strstr(a->job, ".json")) {
        snprintf(path, size, "%s", a->job);
        return 0;
    }
    const char *dirs[] = {a->jobs_dir, getenv("ALMANAC_JOBS_DIR"), "jobs", ALMANAC_JOBS_DIR};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        snprintf(path, size, "%s/%s.json", dirs[i], a->job);
        if (access(path, R_OK) == 0)
            return 0;
    }
    /* The copy built into the program: a binary run outside the source
     * tree and before installation still has the four jobs. */
    char builtin[96];
    snprintf(builtin, sizeof(builtin), "../jobs/%s.json", a->job);
    if (sqlfile_find(builtin)) {
        snprintf(path, size, "(built-in) jobs/%s.json", a->job);
        return 0;
    }
    error_set(err, ALMANAC_EX_CONFIG, "no job file for \"%s\"", a->job);
    error_hint(err, "jobs are daily, weekly, monthly, quarterly (jobs/*.json); --jobs-dir or "
                    "ALMANAC_JOBS_DIR say where they are");
    return -1;
}

static int query_text(PGconn *wh, const char *name, int n, const char *const *params, char *out, size_t size,
                      struct almanac_error *err)
{
    PGresult *res = db_query(wh, sqlfile_text(name), n, params, err);
    if (!res)
        return -1;
    out[0] = '\0';
    if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
        snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

/* The periods to run, in order. */
static int plan(struct run_ctx *c, struct kpi_period *periods, int *n, struct almanac_error *err)
{
    const char *grain = c->job.grain;
    *n = 0;
    if (c->a.period || c->a.from) {
        struct kpi_period first, last;
        if (period_parse(c->a.period ? c->a.period : c->a.from, &first, err) ||
            period_parse(c->a.period ? c->a.period : c->a.to, &last, err))
            return -1;
        if (strcmp(first.grain, grain) || strcmp(last.grain, grain))
            return error_set(err, ALMANAC_EX_USAGE, "job %s runs %s periods; %s is a %s", c->job.name, grain,
                             strcmp(first.grain, grain) ? first.label : last.label,
                             strcmp(first.grain, grain) ? first.grain : last.grain);
        if (last.start < first.start)
            return error_set(err, ALMANAC_EX_USAGE, "--to %s is before --from %s", last.label, first.label);
        for (struct kpi_period p = first; p.start <= last.start; period_next(&p, &p)) {
            if (*n == MAX_PERIODS)
                return error_set(err, ALMANAC_EX_USAGE, "more than %d periods in one run", MAX_PERIODS);
            periods[(*n)++] = p;
        }
        return 0;
    }
    /* The last complete period: the one before the period holding today
     * (local date in the business time zone, from the server's clock). */
    char today[16];
    const char *tz[1] = {c->cfg.time_zone};
    long day;
    if (query_text(c->wh, "runner/today.sql", 1, tz, today, sizeof(today), err))
        return -1;
    if (period_date_parse(today, &day))
        return error_set(err, ALMANAC_EX_SOFTWARE, "the server's date \"%s\" did not parse", today);
    struct kpi_period current, last;
    if (period_containing(grain, day, &current, err))
        return -1;
    period_previous(&current, &last);
    struct kpi_period first = last;
    if (c->a.catch_up) {
        char since[16];
        const char *job[1] = {c->job.name};
        if (query_text(c->wh, "runner/last_success.sql", 1, job, since, sizeof(since), err))
            return -1;
        long done;
        if (since[0] && period_date_parse(since, &done) == 0) {
            struct kpi_period p;
            if (period_containing(grain, done, &p, err))
                return -1;
            period_next(&p, &first);
        }
        if (first.start > last.start)
            return 0; /* nothing missed */
    }
    for (struct kpi_period p = first; p.start <= last.start; period_next(&p, &p)) {
        if (*n == MAX_PERIODS)
            return error_set(err, ALMANAC_EX_USAGE, "more than %d periods to catch up", MAX_PERIODS);
        periods[(*n)++] = p;
    }
    return 0;
}

/* argv of one step, as an operator would type it. */
struct argv_buf {
    char *v[40];
    int n;
    char store[40][PATH_MAX];
};

static void push(struct argv_buf *b, const char *s)
{
    if (b->n < 39) {
        snprintf(b->store[b->n], sizeof(b->store[b->n]), "%s", s);
        b->v[b->n] = b->store[b->n];
        b->n++;
        b->v[b->n] = NULL;
    }
}

static void build_argv(const struct run_ctx *c, const struct job_step *st, const struct kpi_period *p,
                       const char *outdir, struct argv_buf *b)
{
    char start[11], end[11], buf[64];
    period_date_format(p->start, start);
    period_date_format(p->end, end);
    b->n = 0;
    if (!strcmp(st->step, "report")) {
        push(b, "report");
        push(b, st->kind);
    } else
        push(b, st->step);
    if (!strcmp(st->step, "etl")) {
        push(b, "--source");
        push(b, c->source);
    } else if (!strcmp(st->step, "kpi")) {
        push(b, "--period");
        if (st->grain[0] && strcmp(st->grain, p->grain)) {
            struct kpi_period q;
            struct almanac_error ignored;
            if (period_containing(st->grain, p->start, &q, &ignored) == 0)
                push(b, q.label);
            else
                push(b, p->label);
        } else
            push(b, p->label);
    } else if (!strcmp(st->step, "alerts")) {
        snprintf(buf, sizeof(buf), "%s 00:00", start);
        push(b, "--from");
        push(b, buf);
        snprintf(buf, sizeof(buf), "%s 00:00", end);
        push(b, "--to");
        push(b, buf);
    } else if (!strcmp(st->step, "seasonality")) {
        push(b, "--as-of");
        push(b, end);
    } else {
        push(b, "--period");
        push(b, p->label);
        push(b, "--out");
        if (!strcmp(st->kind, "exports")) {
            char dir[PATH_MAX];
            snprintf(dir, sizeof(dir), "%s/exports", outdir);
            push(b, dir);
        } else
            push(b, outdir);
    }
    push(b, "--warehouse");
    push(b, c->warehouse);
    if (c->config_path[0]) {
        push(b, "--config");
        push(b, c->config_path);
    }
    if (c->a.verbose && (!strcmp(st->step, "etl") || !strcmp(st->step, "kpi")))
        push(b, "--verbose");
    /* A re-run on unchanged data keeps the stored KPIs (and their run id,
     * printed on the reports): the same state gives the same files. */
    if (!strcmp(st->step, "kpi"))
        push(b, "--if-stale");
    /* A job is silent on success: what fired is in the manifest, the
     * summary and kpi.alerts. */
    if (!c->a.verbose && !strcmp(st->step, "alerts"))
        push(b, "--quiet");
    for (int i = 0; i < st->nargs; i++)
        push(b, st->args[i]);
}

static int run_step(const struct argv_buf *b)
{
    const struct cli_command *cmd = cli_find(b->v[0]);
    if (!cmd)
        return ALMANAC_EX_SOFTWARE;
    fflush(stdout);
    int rc = cmd->run(b->n, (char **)b->v);
    fflush(stdout);
    return rc;
}

/* Removes the temporary files a killed run left in the period's directory
 * (".NAME.tmp-PID-N", see reports/outfile.h): the job owns that directory,
 * and a re-run replaces what they were meant to become. */
static void remove_stale_temps(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        struct stat st;
        if (strcmp(name, ".") && strcmp(name, "..") && lstat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                remove_stale_temps(path);
            else if (name[0] == '.' && strstr(name, ".tmp-"))
                unlink(path);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

/* Every file under dir (not the manifests, not temporary files), sorted,
 * relative to base. */
static int list_files(const char *dir, const char *rel, json_t *files, struct almanac_error *err)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot list %s: %s", dir, strerror(errno));
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (rc == 0 && name[0] != '.' && strncmp(name, "manifest-", 9)) {
            char path[PATH_MAX], rpath[PATH_MAX];
            snprintf(path, sizeof(path), "%s/%s", dir, name);
            snprintf(rpath, sizeof(rpath), "%s%s%s", rel, rel[0] ? "/" : "", name);
            struct stat st;
            if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                rc = list_files(path, rpath, files, err);
            else if (S_ISREG(st.st_mode)) {
                char hex[65];
                long long bytes = 0;
                if (sha256_file(path, hex, &bytes))
                    rc = error_set(err, ALMANAC_EX_CANTCREAT, "cannot read %s: %s", path, strerror(errno));
                else
                    json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "path", rpath, "bytes",
                                                           (json_int_t)bytes, "sha256", hex));
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static json_t *json_text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* Manifest, written atomically next to the outputs it lists. */
static int write_manifest(const struct run_ctx *c, const struct kpi_period *p, const char *outdir,
                          json_t *steps, const char *started, int exit_code, const char *error,
                          const char *data_through, char *path, size_t size, struct almanac_error *err)
{
    char start[11], end[11], finished[32];
    period_date_format(p->start, start);
    period_date_format(p->end, end);
    utc_now(finished, sizeof(finished));
    json_t *files = json_array();
    if (list_files(outdir, "", files, err)) {
        json_decref(files);
        return -1;
    }
    json_t *alerts = json_object();
    const char *ap[3] = {start, end, c->cfg.time_zone};
    struct almanac_error ignored;
    PGresult *res = db_query(c->wh, sqlfile_text("runner/alert_counts.sql"), 3, ap, &ignored);
    if (res) {
        for (int i = 0; i < PQntuples(res); i++)
            json_object_set_new(alerts, PQgetvalue(res, i, 0), json_integer(atoll(PQgetvalue(res, i, 1))));
        PQclear(res);
    }
    json_t *doc = json_object();
    json_object_set_new(doc, "job", json_string(c->job.name));
    json_object_set_new(doc, "period", json_string(p->label));
    json_object_set_new(doc, "grain", json_string(p->grain));
    json_object_set_new(doc, "period_start", json_string(start));
    json_object_set_new(doc, "period_end", json_string(end));
    json_object_set_new(doc, "time_zone", json_string(c->cfg.time_zone));
    json_object_set_new(doc, "started", json_string(started));
    json_object_set_new(doc, "finished", json_string(finished));
    json_object_set_new(doc, "status", json_string(exit_code ? "failed" : "success"));
    json_object_set_new(doc, "exit_code", json_integer(exit_code));
    json_object_set_new(doc, "error", json_text_or_null(error));
    json_object_set_new(doc, "data_through", json_text_or_null(data_through));
    json_object_set_new(doc, "steps", json_incref(steps));
    json_object_set_new(doc, "files", files);
    json_object_set_new(doc, "alerts", alerts);
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(doc);
    snprintf(path, size, "%s/manifest-%s.json", outdir, c->job.name);
    size_t len = text ? strlen(text) : 0;
    char *with_newline = text ? realloc(text, len + 2) : NULL;
    if (with_newline) {
        text = with_newline;
        text[len] = '\n';
        text[len + 1] = '\0';
    }
    int rc = text ? fsutil_write_atomic(path, text, strlen(text)) : -1;
    free(text);
    if (rc)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

/* Refuses reports on data that ends before the period does. */
static int freshness(const struct run_ctx *c, const struct kpi_period *p, char *through, size_t size,
                     struct almanac_error *err)
{
    char end[11];
    period_date_format(p->end, end);
    const char *params[2] = {c->cfg.time_zone, end};
    PGresult *res = db_query(c->wh, sqlfile_text("runner/data_through.sql"), 2, params, err);
    if (!res)
        return -1;
    bool fresh = PQntuples(res) == 1 && PQgetvalue(res, 0, 2)[0] == 't';
    char local[40] = "no successful ETL run";
    through[0] = '\0';
    if (PQntuples(res) == 1) {
        snprintf(through, size, "%s", PQgetvalue(res, 0, 0));
        snprintf(local, sizeof(local), "%s", PQgetvalue(res, 0, 1));
    }
    PQclear(res);
    if (fresh)
        return 0;
    if (c->a.allow_stale) {
        /* The report writers print this on what they produce. */
        setenv("ALMANAC_DATA_THROUGH", local, 1);
        logf_(c, "warning", p->label, NULL, "data only through %s (%s): writing reports anyway (--allow-stale)",
              local, c->cfg.time_zone);
        return 0;
    }
    error_set(err, ALMANAC_EX_TEMPFAIL, "data for %s is stale: the warehouse holds data through %s (%s), "
                                        "the period ends %s",
              p->label, local, c->cfg.time_zone, end);
    error_hint(err, "run `almanac etl` (is the source reachable?), or pass --allow-stale to write the "
                    "reports stamped \"data through %s\"",
               local);
    return -1;
}

static int run_period(struct run_ctx *c, const struct kpi_period *p, struct almanac_error *err)
{
    char start[11], end[11], started[32], outdir[PATH_MAX], job_run[24] = "";
    period_date_format(p->start, start);
    period_date_format(p->end, end);
    utc_now(started, sizeof(started));
    snprintf(outdir, sizeof(outdir), "%s/%s", c->a.out ? c->a.out : c->cfg.output_dir, p->label);
    if (fsutil_mkdirs(outdir, 0755) != 0)
        return error_set(err, ALMANAC_EX_CANTCREAT, "cannot create %s: %s", outdir, strerror(errno));
    remove_stale_temps(outdir);
    const char *jp[5] = {c->job.name, c->job.grain, p->label, start, end};
    if (query_text(c->wh, "runner/start_job.sql", 5, jp, job_run, sizeof(job_run), err))
        return -1;
    logf_(c, "info", p->label, NULL, "started (%s to %s, %s)", start, end, c->cfg.time_zone);

    json_t *steps = json_array();
    int rc = 0;
    char through[64] = "";
    bool gated = false;
    for (int i = 0; i < c->job.nsteps && rc == 0; i++) {
        const struct job_step *st = &c->job.steps[i];
        char name[48];
        snprintf(name, sizeof(name), "%s%s%s", st->step, st->kind[0] ? " " : "", st->kind);
        if (!strcmp(st->step, "report") && !gated) {
            gated = true;
            if (freshness(c, p, through, sizeof(through), err)) {
                rc = err->code;
                json_array_append_new(steps, json_pack("{s:s, s:f, s:i, s:s}", "step", name, "seconds", 0.0,
                                                       "exit_code", rc, "error", err->message));
                break;
            }
        }
        struct argv_buf *b = calloc(1, sizeof(*b));
        if (!b) {
            rc = error_set(err, ALMANAC_EX_SOFTWARE, "out of memory") ? ALMANAC_EX_SOFTWARE : 0;
            break;
        }
        build_argv(c, st, p, outdir, b);
        double t0 = clock_seconds();
        int src = run_step(b);
        free(b);
        double secs = clock_seconds() - t0;
        json_t *o = json_pack("{s:s, s:f, s:i}", "step", name, "seconds", (double)(long long)(secs * 1000) / 1000,
                              "exit_code", src);
        if (src == 0 && (!strcmp(st->step, "etl") || !strcmp(st->step, "kpi"))) {
            struct almanac_error ignored;
            PGresult *res = db_query(c->wh, sqlfile_text("runner/step_rows.sql"), 0, NULL, &ignored);
            if (res && PQntuples(res) == 1) {
                if (!strcmp(st->step, "etl") && !PQgetisnull(res, 0, 0))
                    json_object_set_new(o, "rows", json_loads(PQgetvalue(res, 0, 0), 0, NULL));
                else if (!strcmp(st->step, "kpi") && !PQgetisnull(res, 0, 1))
                    json_object_set_new(o, "rows", json_integer(atoll(PQgetvalue(res, 0, 1))));
            }
            PQclear(res);
        }
        json_array_append_new(steps, o);
        logf_(c, src ? "error" : "info", p->label, name, "%s in %.1f s (exit %d)", src ? "failed" : "done", secs,
              src);
        if (src) {
            rc = src;
            error_set(err, src, "job %s, period %s: step \"%s\" failed with exit code %d", c->job.name, p->label,
                      name, src);
        }
    }
    if (!through[0]) {
        struct almanac_error ignored;
        const char *params[2] = {c->cfg.time_zone, end};
        PGresult *res = db_query(c->wh, sqlfile_text("runner/data_through.sql"), 2, params, &ignored);
        if (res && PQntuples(res) == 1)
            snprintf(through, sizeof(through), "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
    }
    char manifest[PATH_MAX] = "";
    struct almanac_error merr;
    error_clear(&merr);
    if (write_manifest(c, p, outdir, steps, started, rc, rc ? err->message : NULL, through, manifest,
                       sizeof(manifest), &merr) && rc == 0) {
        *err = merr;
        rc = merr.code;
    }
    json_decref(steps);
    char code[8];
    snprintf(code, sizeof(code), "%d", rc);
    const char *fp[6] = {job_run, rc ? "failed" : "success", code, rc ? err->message : NULL,
                         manifest[0] ? manifest : NULL, through[0] ? through : NULL};
    struct almanac_error ignored;
    db_command(c->wh, sqlfile_text("runner/finish_job.sql"), 6, fp, &ignored);
    logf_(c, rc ? "error" : "info", p->label, NULL, "%s; manifest %s", rc ? "failed" : "finished", manifest);
    return rc ? -1 : 0;
}

/* The daily summary for cron mail: plain text, the key numbers of the
 * period, what is new, what needs attention. */
static int print_summary(const struct run_ctx *c, const struct kpi_period *p, struct almanac_error *err)
{
    char start[11], end[11];
    period_date_format(p->start, start);
    period_date_format(p->end, end);
    const char *params[4] = {p->grain, start, end, c->cfg.time_zone};
    PGresult *res = db_query(c->wh, sqlfile_text("runner/summary.sql"), 4, params, err);
    if (!res)
        return -1;
    printf("almanac %s summary for %s (%s to %s, %s)\n", c->job.name, p->label, start, end, c->cfg.time_zone);
    const char *section = "";
    for (int i = 0; i < PQntuples(res); i++) {
        const char *sec = PQgetvalue(res, i, 0);
        if (strcmp(sec, section)) {
            section = sec;
            printf("\n%s\n", sec);
        }
        printf("  %-34s %s\n", PQgetvalue(res, i, 1), PQgetvalue(res, i, 2));
    }
    PQclear(res);
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct run_ctx *c = calloc(1, sizeof(*c));
    if (!c)
        return ALMANAC_EX_SOFTWARE;
    int rc = parse_args(argc, argv, &c->a);
    if (rc) {
        free(c);
        return rc < 0 ? 0 : rc;
    }
    struct almanac_error err;
    error_clear(&err);
    char job_path[PATH_MAX];
    struct kpi_period *periods = NULL;
    /* Options and files first, connections after. */
    if (c->a.period) {
        struct kpi_period p;
        if (period_parse(c->a.period, &p, &err))
            goto fail;
    }
    if (cli_load_config(c->a.config, &c->cfg, &err) || find_job(&c->a, job_path, sizeof(job_path), &err))
        goto fail;
    if (!strncmp(job_path, "(built-in) ", 11)) {
        char builtin[96];
        snprintf(builtin, sizeof(builtin), "../%s", job_path + 11);
        if (job_parse(sqlfile_text(builtin), job_path, &c->job, &err))
            goto fail;
    } else if (job_load(job_path, &c->job, &err))
        goto fail;
    const char *cp = cli_env_or(c->a.config, "ALMANAC_CONFIG");
    if (cp)
        snprintf(c->config_path, sizeof(c->config_path), "%s", cp);
    c->source = cli_env_or(c->a.source, "ALMANAC_SOURCE");
    c->warehouse = cli_env_or(c->a.warehouse, "ALMANAC_WAREHOUSE");
    if (!c->source && c->cfg.source[0])
        c->source = c->cfg.source;
    if (!c->warehouse && c->cfg.warehouse[0])
        c->warehouse = c->cfg.warehouse;
    bool needs_source = false;
    for (int i = 0; i < c->job.nsteps; i++)
        needs_source |= !strcmp(c->job.steps[i].step, "etl");
    if (!c->warehouse || (needs_source && !c->source)) {
        error_set(&err, ALMANAC_EX_CONFIG, "no %s database given", !c->warehouse ? "warehouse" : "source");
        error_hint(&err, "use --%s, %s or \"%s\" in the configuration", !c->warehouse ? "warehouse" : "source",
                   !c->warehouse ? "ALMANAC_WAREHOUSE" : "ALMANAC_SOURCE", !c->warehouse ? "warehouse" : "source");
        goto fail;
    }
    c->wh = db_connect(c->warehouse, "almanac run", &err);
    int applied;
    if (!c->wh || migrate_apply(c->wh, &applied, &err))
        goto fail;
    periods = calloc(MAX_PERIODS, sizeof(*periods));
    int n = 0;
    if (!periods || plan(c, periods, &n, &err))
        goto fail;
    if (n == 0)
        logf_(c, "info", NULL, NULL, "nothing to catch up: the last complete %s has run", c->job.grain);
    for (int i = 0; i < n; i++) {
        if (run_period(c, &periods[i], &err))
            goto fail;
        if (c->a.summary && print_summary(c, &periods[i], &err))
            goto fail;
    }
    free(periods);
    PQfinish(c->wh);
    free(c);
    return 0;
fail:
    free(periods);
    PQfinish(c->wh);
    rc = err.code ? err.code : ALMANAC_EX_SOFTWARE;
    /* A failed step has printed its own error already. */
    if (!strstr(err.message, "failed with exit code"))
        cli_report(&err);
    else
        fprintf(stderr, "almanac: error: %s\n", err.message);
    free(c);
    return rc;
}
