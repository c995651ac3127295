-- KPI results: every number a report shows, per period and scope.
--
-- Reports read these tables and never recompute. `almanac kpi` replaces one
-- period (grain + start) in one transaction. Definitions: docs/kpis.md.

CREATE SCHEMA kpi;
COMMENT ON SCHEMA kpi IS 'KPI results, partner segments and alerts computed from dw; what reports read.';

CREATE TABLE kpi.runs (
    run_id        bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('kpi', 'alerts')),
    grain         text,
    period_start  date,
    period_end    date,
    time_zone     text NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at   timestamptz,
    status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'success', 'failed')),
    rows_written  bigint,
    error         text,
    etl_run_id    bigint  -- the latest successful ETL run when the KPIs were computed
);
COMMENT ON TABLE kpi.runs IS 'One row per `almanac kpi` or `almanac alerts` computation.';

CREATE TABLE kpi.results (
    code          text NOT NULL,
    grain         text NOT NULL CHECK (grain IN ('day', 'week', 'month', 'quarter', '7d', '30d', '90d')),
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    scope         text NOT NULL,     -- platform | partner:<id> | brand:<id> | event_type:<type>
    breakdown     text NOT NULL DEFAULT '',  -- '' headline, else key:value[/key:value...]
    value         numeric,           -- NULL: undefined (zero denominator, no data)
    prev_value    numeric,
    delta         numeric,
    delta_pct     numeric,
    unit          text NOT NULL,
    band          text CHECK (band IN ('good', 'watch', 'needs_improvement')),
    flag          text,
    time_zone     text NOT NULL,
    run_id        bigint NOT NULL REFERENCES kpi.runs (run_id),
    PRIMARY KEY (grain, period_start, code, scope, breakdown),
    CHECK (period_end > period_start)
);
COMMENT ON TABLE kpi.results IS 'One row per metric code, period (grain, start), scope and breakdown; see docs/kpis.md.';
CREATE INDEX results_code_idx ON kpi.results (code, grain, period_start);
CREATE INDEX results_scope_idx ON kpi.results (scope, grain, period_start) WHERE scope <> 'platform';

CREATE TABLE kpi.partner_segments (
    month_start       date NOT NULL,
    partner_id        bigint NOT NULL,
    segment           text NOT NULL CHECK (segment IN ('power', 'active', 'occasional', 'dormant')),
    action            text NOT NULL,
    events_90d        bigint NOT NULL,
    events_per_month  numeric NOT NULL,
    credits_bought    bigint NOT NULL,
    credits_used      bigint NOT NULL,
    usage_pct         numeric,           -- NULL when nothing was bought
    prev_segment      text,              -- last month's segment; NULL: not segmented then
    time_zone         text NOT NULL,
    run_id            bigint NOT NULL REFERENCES kpi.runs (run_id),
    PRIMARY KEY (month_start, partner_id)
);
COMMENT ON TABLE kpi.partner_segments IS 'Monthly segment of every partner active at month end (KPIS.md rule), with its recommended action.';

GRANT USAGE ON SCHEMA kpi TO almanac_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO almanac_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA kpi GRANT SELECT ON TABLES TO almanac_reader;

-- avg_generations_per_event counts the generations of the events held in a
-- period, whenever they were made: a lookup by event.
CREATE INDEX fact_generation_event_idx ON dw.fact_generation (event_id) WHERE event_id IS NOT NULL;

-- The funnel reads the steps of the sessions started in a period.
CREATE INDEX fact_session_step_session_idx ON dw.fact_session_step (session_id);
