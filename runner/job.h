/* job.h: a job file (jobs/NAME.json): the ordered steps one scheduled run
 * performs for one period.
 *
 *   {"job": "monthly", "grain": "month", "description": "...",
 *    "steps": [{"step": "etl"},
 *              {"step": "kpi"},
 *              {"step": "report", "kind": "accounting"},
 *              {"step": "report", "kind": "exports", "args": ["--bom"]}]}
 *
 * A step is one almanac command run for the job's period: etl, kpi, alerts,
 * seasonality, or report with its kind, plus optional extra arguments. The
 * format is described in docs/jobs.md.
 */
#ifndef ALMANAC_RUNNER_JOB_H
#define ALMANAC_RUNNER_JOB_H

#include "core/error.h"

#define JOB_MAX_STEPS 24
#define JOB_MAX_ARGS 8

struct job_step {
    char step[16];   /* etl | kpi | alerts | seasonality | report */
    char kind[16];   /* report kind, or "" */
    char grain[8];   /* kpi: the grain to compute ("" = the job's) */
    int nargs;
    char args[JOB_MAX_ARGS][64];
};

struct job {
    char name[32];
    char grain[8];   /* day | week | month | quarter */
    char description[256];
    int nsteps;
    struct job_step steps[JOB_MAX_STEPS];
    char path[1024];
};

/* Reads and validates a job file. Errors are exit 78 and name the file, the
 * JSON path ("steps[2].kind"), what was expected and what was found. */
int job_load(const char *path, struct job *job, struct almanac_error *err);

/* The same for a job file's text; `name` is what messages call it. */
int job_parse(const char *text, const char *name, struct job *job, struct almanac_error *err);

#endif
