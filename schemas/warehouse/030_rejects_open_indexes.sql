-- Open rejects found without reading every reject.
--
-- Open rejects are never deleted and grow with each day's bad rows (at
-- scale 10, 41,000 after the full load and 8,565 more each benchmark day),
-- and every run read all of them several times:
--
-- rejects_retry_idx: the transforms retry the open orphan_reference and
-- duplicate_key rejects of each table (a handful per day). Without it the
-- retry of generations read all rejects (135,000 at scale 10 after 11
-- benchmark days: 35 ms of its 63 ms), as did the other tables' retries.
--
-- rejects_open_id_idx: the source id of each open reject as a number, the
-- expression quarantine.sql and the transforms match against staged ids
-- (source_key is id::text, or md5:... when the id did not parse). Read
-- index-only, the open rejects of a table come as numbers, without a
-- regular expression per reject or a text conversion per staged row.
CREATE INDEX rejects_retry_idx ON etl.rejects (source_table, reason_code)
    WHERE resolved_run_id IS NULL AND reason_code IN ('orphan_reference', 'duplicate_key');

CREATE INDEX rejects_open_id_idx
    ON etl.rejects (source_table,
                    (CASE WHEN source_key ~ '^[0-9]{1,18}$' THEN source_key::bigint END))
    WHERE resolved_run_id IS NULL;
