/* job.c: parsing and validating job files with jansson. */
#include "runner/job.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static int bad(struct almanac_error *err, const struct job *job, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int bad(struct almanac_error *err, const struct job *job, const char *path, const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return error_set(err, ALMANAC_EX_CONFIG, "%s: %s: %s", job->path, path, what);
}

static int one_of(const char *s, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (!strcmp(s, *allowed))
            return 1;
    return 0;
}

static int get_string(json_t *obj, const char *key, const char *path, char *out, size_t size,
                      const char *const *allowed, const char *expected, const struct job *job,
                      struct almanac_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return bad(err, job, path, "missing; expected %s", expected);
    if (!json_is_string(v))
        return bad(err, job, path, "expected %s, found %s", expected, type_name(v));
    const char *s = json_string_value(v);
    if (strlen(s) >= size || (allowed && !one_of(s, allowed)))
        return bad(err, job, path, "expected %s, found \"%s\"", expected, s);
    snprintf(out, size, "%s", s);
    return 0;
}

static int parse_step(json_t *v, int i, struct job_step *st, const struct job *job, struct almanac_error *err)
{
    static const char *const steps[] = {"etl", "kpi", "alerts", "seasonality", "report", NULL};
    static const char *const kinds[] = {"exports", "accounting", "loyalty", "review", "partner", "weekly", NULL};
    static const char *const grains[] = {"day", "week", "month", "quarter", NULL};
    char path[64];
    snprintf(path, sizeof(path), "steps[%d]", i);
    if (!json_is_object(v))
        return bad(err, job, path, "expected an object such as {\"step\": \"kpi\"}, found %s", type_name(v));
    const char *key;
    json_t *x;
    json_object_foreach(v, key, x) {
        if (strcmp(key, "step") && strcmp(key, "kind") && strcmp(key, "grain") && strcmp(key, "args")) {
            char kpath[96];
            snprintf(kpath, sizeof(kpath), "%s.%s", path, key);
            return bad(err, job, kpath, "unknown key; expected step, kind, grain or args");
        }
    }
    char p[96];
    snprintf(p, sizeof(p), "%s.step", path);
    if (get_string(v, "step", p, st->step, sizeof(st->step), steps,
                   "one of etl, kpi, alerts, seasonality, report", job, err))
        return -1;
    snprintf(p, sizeof(p), "%s.kind", path);
    if (!strcmp(st->step, "report")) {
        if (get_string(v, "kind", p, st->kind, sizeof(st->kind), kinds,
                       "a report kind: exports, accounting, loyalty, review, partner or weekly", job, err))
            return -1;
    } else if (json_object_get(v, "kind"))
        return bad(err, job, p, "only a report step has a kind");
    snprintf(p, sizeof(p), "%s.grain", path);
    if (json_object_get(v, "grain") &&
        get_string(v, "grain", p, st->grain, sizeof(st->grain), grains, "day, week, month or quarter", job, err))
        return -1;
    json_t *args = json_object_get(v, "args");
    if (args) {
        snprintf(p, sizeof(p), "%s.args", path);
        if (!json_is_array(args) || json_array_size(args) > JOB_MAX_ARGS)
            return bad(err, job, p, "expected an array of at most %d option strings, found %s", JOB_MAX_ARGS,
                       type_name(args));
        size_t k;
        json_array_foreach(args, k, x) {
            snprintf(p, sizeof(p), "%s.args[%zu]", path, k);
            if (!json_is_string(x) || strlen(json_string_value(x)) >= sizeof(st->args[0]))
                return bad(err, job, p, "expected a short option string such as \"--bom\", found %s",
                           type_name(x));
            /* Period and connections belong to the run, not the file:
             * a job file cannot point a step at another database. */
            const char *s = json_string_value(x);
            if (!strncmp(s, "--period", 8) || !strncmp(s, "--warehouse", 11) || !strncmp(s, "--source", 8) ||
                !strncmp(s, "--out", 5) || !strncmp(s, "--config", 8))
                return bad(err, job, p, "\"%s\" is set by `almanac run`, not by the job file", s);
            snprintf(st->args[k], sizeof(st->args[k]), "%s", s);
        }
        st->nargs = (int)json_array_size(args);
    }
    return 0;
}

static int parse_root(json_t *root, struct job *job, struct almanac_error *err);

int job_load(const char *path, struct job *job, struct almanac_error *err)
{
    memset(job, 0, sizeof(*job));
    snprintf(job->path, sizeof(job->path), "%s", path);
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        error_set(err, ALMANAC_EX_CONFIG, "cannot read job file %s: %s", path, jerr.text);
        if (jerr.line > 0)
            error_detail(err, "at line %d, column %d", jerr.line, jerr.column);
        return -1;
    }
    return parse_root(root, job, err);
}

int job_parse(const char *text, const char *name, struct job *job, struct almanac_error *err)
{
    memset(job, 0, sizeof(*job));
    snprintf(job->path, sizeof(job->path), "%s", name);
    json_error_t jerr;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        error_set(err, ALMANAC_EX_CONFIG, "cannot read job file %s: %s", name, jerr.text);
        if (jerr.line > 0)
            error_detail(err, "at line %d, column %d", jerr.line, jerr.column);
        return -1;
    }
    return parse_root(root, job, err);
}

/* Takes the reference to root. */
static int parse_root(json_t *root, struct job *job, struct almanac_error *err)
{
    static const char *const grains[] = {"day", "week", "month", "quarter", NULL};
    int rc = -1;
    if (!json_is_object(root)) {
        bad(err, job, "(top level)", "expected an object, found %s", type_name(root));
        goto done;
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (strcmp(key, "job") && strcmp(key, "grain") && strcmp(key, "description") && strcmp(key, "steps")) {
            bad(err, job, key, "unknown key; expected job, grain, description or steps");
            goto done;
        }
    }
    if (get_string(root, "job", "job", job->name, sizeof(job->name), NULL, "the job's name", job, err) ||
        get_string(root, "grain", "grain", job->grain, sizeof(job->grain), grains,
                   "day, week, month or quarter", job, err))
        goto done;
    if (json_object_get(root, "description") &&
        get_string(root, "description", "description", job->description, sizeof(job->description), NULL,
                   "a sentence", job, err))
        goto done;
    json_t *steps = json_object_get(root, "steps");
    if (!steps || !json_is_array(steps) || json_array_size(steps) == 0 ||
        json_array_size(steps) > JOB_MAX_STEPS) {
        bad(err, job, "steps", "expected an array of 1 to %d steps, found %s", JOB_MAX_STEPS,
            steps ? type_name(steps) : "nothing");
        goto done;
    }
    size_t i;
    json_array_foreach(steps, i, v) {
        if (parse_step(v, (int)i, &job->steps[i], job, err))
            goto done;
    }
    job->nsteps = (int)json_array_size(steps);
    rc = 0;
done:
    json_decref(root);
    return rc;
}
