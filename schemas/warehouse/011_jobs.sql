-- Scheduled job runs (`almanac run`): what ran, for which period, and how
-- it ended. `almanac status` reads it; --catch-up starts after the last
-- success of a job.
CREATE SCHEMA ops;
COMMENT ON SCHEMA ops IS 'Operations: scheduled job runs.';

CREATE TABLE ops.job_runs (
    job_run_id    bigserial PRIMARY KEY,
    job           text NOT NULL,
    grain         text NOT NULL,
    period        text NOT NULL,        -- 2026-10, 2026Q3, 2026-W43, 2026-10-14
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at   timestamptz,
    status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'success', 'failed')),
    exit_code     integer,
    error         text,
    manifest      text,                 -- path of the run's manifest
    data_through  timestamptz           -- the ETL watermark the run's reports rest on
);
CREATE INDEX job_runs_job_idx ON ops.job_runs (job, status, period_start);
COMMENT ON TABLE ops.job_runs IS 'One row per job and period run by almanac run.';

GRANT USAGE ON SCHEMA ops TO almanac_reader;
GRANT SELECT ON ops.job_runs TO almanac_reader;
