-- Work tables of one `almanac kpi` transaction (dropped at commit).
--
-- kpi_p holds the period being computed: the metric files read their bounds
-- from it, so the same SQL serves every grain. The engine fills it twice,
-- first for the previous period ('prev'), then for the requested one
-- ('cur'), and each metric file appends its rows to kpi_raw.
CREATE TEMP TABLE kpi_p (
    which           text NOT NULL,   -- 'cur' or 'prev'
    grain           text NOT NULL,
    start_date      date NOT NULL,
    end_date        date NOT NULL,   -- exclusive
    prev_start_date date NOT NULL,
    prev_end_date   date NOT NULL,
    start_ts        timestamptz NOT NULL,
    end_ts          timestamptz NOT NULL,
    prev_start_ts   timestamptz NOT NULL,
    prev_end_ts     timestamptz NOT NULL,
    last_month_ts   timestamptz NOT NULL, -- start of the period's last calendar month (MRR)
    days            integer NOT NULL,
    -- The requested period's start and end, the same in both passes:
    -- lifetime totals are read once up to final_end_ts, split at cut_ts
    -- (the previous period's end), and each pass takes its side.
    cut_ts          timestamptz NOT NULL,
    final_end_ts    timestamptz NOT NULL
) ON COMMIT DROP;

CREATE TEMP TABLE kpi_raw (
    which      text NOT NULL,
    code       text NOT NULL,
    scope      text NOT NULL,
    breakdown  text NOT NULL DEFAULT '',
    value      numeric,
    unit       text NOT NULL,
    flag       text,
    PRIMARY KEY (which, code, scope, breakdown)
) ON COMMIT DROP;

CREATE TEMP TABLE kpi_bands (
    code        text PRIMARY KEY,
    good_min    numeric,
    good_max    numeric,
    good_below  numeric,
    bad_below   numeric,
    bad_above   numeric
) ON COMMIT DROP;

CREATE TEMP TABLE kpi_params (
    section text NOT NULL,
    rule    text NOT NULL,
    key     text NOT NULL,
    value   numeric NOT NULL,
    PRIMARY KEY (section, rule, key)
) ON COMMIT DROP;

CREATE TEMP TABLE kpi_tiers (
    lo     bigint NOT NULL,
    hi     bigint,          -- exclusive; NULL for the last tier
    label  text NOT NULL
) ON COMMIT DROP;

CREATE TEMP TABLE kpi_seg (
    which            text NOT NULL,
    partner_id       bigint NOT NULL,
    segment          text NOT NULL,
    events_90d       bigint NOT NULL,
    events_per_month numeric NOT NULL,
    credits_bought   bigint NOT NULL,
    credits_used     bigint NOT NULL,
    usage_pct        numeric,
    PRIMARY KEY (which, partner_id)
) ON COMMIT DROP;
