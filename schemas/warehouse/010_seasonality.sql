-- Seasonality and forecasts: the monthly series, their seasonal indices and
-- the next quarter's forecast, as `almanac seasonality` computed them.
--
-- Reports read these tables and never recompute. A computation replaces all
-- rows of the series it computed (every scope of it) in one transaction.
-- Methods: docs/seasonality.md. (009 belongs to another branch.)

-- A seasonality computation is a run like a KPI computation: period_start
-- and period_end of its row are the first month read and the as-of date.
ALTER TABLE kpi.runs DROP CONSTRAINT runs_kind_check,
    ADD CONSTRAINT runs_kind_check CHECK (kind IN ('kpi', 'alerts', 'seasonality'));

CREATE TABLE kpi.seasonal_series (
    series       text NOT NULL CHECK (series IN ('events', 'generations', 'revenue', 'claims')),
    scope        text NOT NULL,   -- platform | event_type:<type> | brand:<brand_id>
    month_start  date NOT NULL,   -- a local calendar month of the business time zone
    value        numeric NOT NULL,  -- count, or USD for revenue; 0 for a month without data
    run_id       bigint NOT NULL REFERENCES kpi.runs (run_id),
    PRIMARY KEY (series, scope, month_start),
    CHECK (month_start = date_trunc('month', month_start)::date)
);
COMMENT ON TABLE kpi.seasonal_series IS
    'The monthly series seasonality was computed from: every month from the scope''s first month with data to the last complete month before the as-of date, zeros included.';

CREATE TABLE kpi.seasonal_index (
    series         text NOT NULL,
    scope          text NOT NULL,
    month          smallint NOT NULL CHECK (month BETWEEN 1 AND 12),  -- calendar month
    index          double precision NOT NULL,  -- the twelve average 1
    estimated      boolean NOT NULL,   -- false: no observation for the month; index 1, never peak or low
    class          text NOT NULL CHECK (class IN ('peak', 'low', 'normal')),
    quality        text NOT NULL CHECK (quality IN ('full', 'indicative', 'short_history', 'no_signal')),
    method         text NOT NULL CHECK (method IN ('decomposition', 'month_share')),
    months_used    integer NOT NULL CHECK (months_used > 0),
    history_start  date NOT NULL,
    history_end    date NOT NULL,    -- first day of the last month used
    has_zeros      boolean NOT NULL, -- the series has months with value 0
    peak_index     double precision NOT NULL,  -- thresholds used for class
    low_index      double precision NOT NULL,
    note           text,             -- why there is no forecast, when there is none
    run_id         bigint NOT NULL REFERENCES kpi.runs (run_id),
    PRIMARY KEY (series, scope, month),
    CHECK (index >= 0 AND index <> 'NaN' AND index <> 'Infinity')
);
COMMENT ON TABLE kpi.seasonal_index IS
    'Seasonal index per series, scope and calendar month: classical multiplicative decomposition (24+ months) or month-of-year shares (short history).';

CREATE TABLE kpi.forecast (
    series       text NOT NULL,
    scope        text NOT NULL,
    month_start  date NOT NULL,     -- a month after the last complete month
    horizon      smallint NOT NULL CHECK (horizon BETWEEN 1 AND 12),
    point        double precision NOT NULL,
    lower        double precision NOT NULL,
    upper        double precision NOT NULL,
    coverage     double precision NOT NULL CHECK (coverage > 0 AND coverage < 1),
    method       text NOT NULL CHECK (method IN ('holt_winters', 'seasonal_naive')),
    alpha        double precision,  -- Holt-Winters only: fitted smoothing parameters
    beta         double precision,  --   (statsmodels' convention: beta_ets = alpha * beta)
    gamma        double precision,
    sse          double precision,  -- Holt-Winters: sum of squared one-step errors
    drift        double precision,  -- seasonal naive only: mean year-on-year change
    flags        text NOT NULL DEFAULT '',  -- comma list: short_history, hw_failed, no_drift, no_interval, clipped
    run_id       bigint NOT NULL REFERENCES kpi.runs (run_id),
    PRIMARY KEY (series, scope, month_start),
    CHECK (lower <= point AND point <= upper AND lower >= 0),
    CHECK (point <> 'NaN' AND upper <> 'NaN' AND upper <> 'Infinity')
);
COMMENT ON TABLE kpi.forecast IS
    'Forecast of the months after the last complete one, per series and scope, with a prediction interval of the stated coverage.';

GRANT SELECT ON kpi.seasonal_series, kpi.seasonal_index, kpi.forecast TO almanac_reader;
