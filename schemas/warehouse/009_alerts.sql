-- Alerts: one row per condition, deduplicated across runs.
--
-- `almanac alerts` evaluates every rule of KPIS.md ("Alerts") over a window
-- and upserts what it finds here by (code, dedup_key), so an outage that
-- spans three daily runs is one row that the three runs update. The rules
-- and their keys are described in docs/alerts.md; their SQL is in
-- schemas/alerts/.

CREATE TABLE kpi.alerts (
    alert_id        bigserial PRIMARY KEY,
    code            text NOT NULL,       -- the rule, e.g. api_outage
    severity        text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
    subject_kind    text NOT NULL CHECK (subject_kind IN ('partner', 'brand', 'perk', 'account', 'ip',
                                                          'api_key', 'component', 'actor',
                                                          'application', 'transaction')),
    subject         text NOT NULL,       -- an id or a name, as subject_kind says
    dedup_key       text NOT NULL,       -- what makes two runs' findings the same alert
    started_at      timestamptz NOT NULL,  -- when the condition began (see docs/alerts.md per rule)
    ended_at        timestamptz,         -- when it ended; NULL while it holds
    evidence        jsonb NOT NULL,      -- the numbers, as of evaluated_to
    first_fired_at  timestamptz NOT NULL,  -- evaluation time of the first run that saw it; never changes
    first_run_id    bigint NOT NULL REFERENCES kpi.runs (run_id),
    last_seen_at    timestamptz NOT NULL,  -- evaluation time of the latest run that saw it
    last_run_id     bigint NOT NULL REFERENCES kpi.runs (run_id),
    evaluated_to    timestamptz NOT NULL,  -- end of the latest window whose view the row holds
    occurrences     integer NOT NULL DEFAULT 1,  -- a state that cleared and came back reopens the row
    status          text NOT NULL CHECK (status IN ('open', 'resolved')),
    UNIQUE (code, dedup_key),
    CHECK (ended_at IS NULL OR ended_at >= started_at),
    CHECK ((status = 'open') = (ended_at IS NULL))
);
COMMENT ON TABLE kpi.alerts IS 'One row per alert (code, dedup_key): subject, evidence, first fired and last seen; see docs/alerts.md.';

-- Open alerts for the resolution pass and for `almanac alerts --all-open`.
CREATE INDEX alerts_open_idx ON kpi.alerts (code) WHERE status = 'open';
-- Alerts by time, for reports of a period.
CREATE INDEX alerts_started_idx ON kpi.alerts (started_at);

GRANT SELECT ON kpi.alerts TO almanac_reader;
