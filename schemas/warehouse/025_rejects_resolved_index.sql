-- "The rejects this run resolved".
--
-- snapshots.sql counts the movements and claims of earlier rejects that
-- this run loaded (resolution 'loaded', resolved_run_id = the run). Without
-- an index that read every reject on every run, twice: open rejects are
-- never deleted and grow with each day's bad rows (at scale 10, 41,000 after
-- the full load and 8,565 more each benchmark day; 34-83 ms a read at
-- 230,000). Only resolved rejects are indexed: a few per run, so the index
-- costs nothing to the thousands of new rejects a run inserts.
CREATE INDEX rejects_resolved_idx ON etl.rejects (resolved_run_id)
    WHERE resolved_run_id IS NOT NULL;
