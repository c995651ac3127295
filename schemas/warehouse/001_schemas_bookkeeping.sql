-- Warehouse schemas and the ETL's own bookkeeping.
--
--   etl      runs, per-table counts, watermarks, quarantined rows (internal;
--            analysts may read runs, run_tables and rejects)
--   staging  one table per source table, refilled by every run (internal)
--   dw       the star schema analysts query: dimensions, facts, snapshots
--
-- etl.schema_migrations is created by the program before any migration runs
-- (schemas/etl/bootstrap.sql), which is why `etl` may already exist here.
-- Every object is schema-qualified: the program connects with
-- search_path = public, pg_catalog.

CREATE SCHEMA IF NOT EXISTS etl;
CREATE SCHEMA staging;
CREATE SCHEMA dw;

COMMENT ON SCHEMA etl IS 'ETL bookkeeping: runs, per-table counts, watermarks, rejected source rows. Internal.';
COMMENT ON SCHEMA staging IS 'One table per source table, truncated and refilled by every ETL run. Internal: never query it.';
COMMENT ON SCHEMA dw IS 'The star schema: dim_* dimensions, fact_* facts, snap_* periodic snapshots. See docs/warehouse.md.';

-- One row per `almanac etl` run. The run row is written in its own small
-- transaction before the load, so a failed or killed load still leaves a
-- trace ('failed', or 'abandoned' when the next run finds it 'running').
CREATE TABLE etl.runs (
    run_id             bigserial PRIMARY KEY,
    started_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz,
    status             text NOT NULL DEFAULT 'running'
                       CHECK (status IN ('running', 'success', 'failed', 'abandoned')),
    error              text,          -- first error of a failed run, for people
    source_desc        text,          -- dbname/host/user of the source; never a password
    watermark_before   timestamptz,   -- lower bound read (NULL: first, full load)
    watermark_after    timestamptz,   -- next run's lower bound (success only)
    watermark_sees_all boolean,       -- false: the source hid other sessions, a wider overlap was used
    rows_read          bigint,        -- totals over run_tables
    rows_loaded        bigint,
    rows_rejected      bigint,
    CHECK (finished_at IS NULL OR finished_at >= started_at),
    CHECK (rows_read IS NULL OR rows_read = rows_loaded + rows_rejected)
);
COMMENT ON TABLE etl.runs IS 'One row per ETL run: status, watermarks and row totals (rows_read = rows_loaded + rows_rejected).';

-- Per run and source table: what was read, loaded and rejected, and how long
-- it took. rows_rejected includes the orphans found by validate_references.sql.
CREATE TABLE etl.run_tables (
    run_id        bigint NOT NULL REFERENCES etl.runs (run_id),
    table_name    text NOT NULL,
    rows_read     bigint NOT NULL,
    rows_loaded   bigint NOT NULL,
    rows_rejected bigint NOT NULL,
    seconds       double precision,
    PRIMARY KEY (run_id, table_name),
    CHECK (rows_read >= 0 AND rows_loaded >= 0 AND rows_rejected >= 0),
    CHECK (rows_read = rows_loaded + rows_rejected)
);
COMMENT ON TABLE etl.run_tables IS 'Per run and source table: rows read, loaded, rejected (read = loaded + rejected) and seconds.';

-- Where the next incremental extraction starts (source updated_at >= value).
-- The program keeps one global row named 'source'; per-table rows may be
-- added under the table's name.
CREATE TABLE etl.watermarks (
    name       text PRIMARY KEY,
    value      timestamptz NOT NULL,
    run_id     bigint NOT NULL REFERENCES etl.runs (run_id),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE etl.watermarks IS 'Lower bound of the next incremental extraction (source updated_at >= value).';

-- Quarantined source rows. One open row per (table, key, reason): a row
-- rejected again by a later run only moves last_seen_run_id and refreshes the
-- raw text. When the source row later loads, or is rejected for another
-- reason, the old reject is closed (resolved_run_id, resolution).
CREATE TABLE etl.rejects (
    reject_id         bigserial PRIMARY KEY,
    run_id            bigint NOT NULL REFERENCES etl.runs (run_id),  -- run that recorded it (= first_seen_run_id)
    source_table      text NOT NULL,
    source_key        text NOT NULL,  -- the source id; 'md5:<hash of raw_row>' when the id did not parse
    reason_code       text NOT NULL,  -- missing_required, unknown_enum, negative_amount, bad_amount,
                                      -- bad_type, bad_json, bad_utf8, bad_timestamp,
                                      -- orphan_reference, duplicate_key
    reason_text       text,
    raw_row           text,           -- the row as the source's COPY text sent it (latest sighting)
    first_seen_run_id bigint NOT NULL REFERENCES etl.runs (run_id),
    last_seen_run_id  bigint NOT NULL REFERENCES etl.runs (run_id),
    resolved_run_id   bigint REFERENCES etl.runs (run_id),
    resolution        text CHECK (resolution IN ('loaded', 'superseded')),
    CHECK ((resolved_run_id IS NULL) = (resolution IS NULL))
);
COMMENT ON TABLE etl.rejects IS 'Source rows the ETL refused, with reason and raw text. Open while resolved_run_id IS NULL; resolution = loaded (the row later arrived valid) or superseded (rejected again for another reason).';

CREATE UNIQUE INDEX rejects_open_key ON etl.rejects (source_table, source_key, reason_code)
    WHERE resolved_run_id IS NULL;
CREATE INDEX rejects_last_seen_idx ON etl.rejects (last_seen_run_id);
