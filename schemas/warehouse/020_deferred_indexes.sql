-- Index builds deferred on a first load.
--
-- Filling an empty fact through its indexes costs more than the rows
-- themselves: at scale 1, 2.2 million generations took 5.2 s through the
-- primary key and two BRIN indexes, 2.4 s without them, and building the
-- three afterwards 1.1 s (one sort instead of a btree descent per row).
-- So a run that finds a fact empty (schemas/etl/begin.sql) drops its
-- indexes and keys, keeping their definitions here, and the transform
-- rebuilds them right after filling it, in the same transaction: readers
-- never see the table without its keys (TRUNCATE already holds its ACCESS
-- EXCLUSIVE lock), and a failed run rolls the drops back with the rest.
-- The key data test (schemas/etl/tests/keys.sql) fails a run that would
-- commit with a definition still here.

CREATE TABLE etl.deferred_indexes (
    table_name regclass NOT NULL,   -- the table whose index was dropped
    index_name text NOT NULL,       -- as it was, and will be again
    definition text NOT NULL        -- CREATE INDEX or ALTER TABLE ... ADD CONSTRAINT
);
COMMENT ON TABLE etl.deferred_indexes IS 'Indexes an ETL run dropped from an empty fact to build after loading it; empty outside a run.';

-- Drops every index of table t (constraint indexes through their
-- constraint), remembering how to build it again. Returns how many.
CREATE FUNCTION etl.defer_indexes(t regclass) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN
        SELECT i.indexrelid::regclass AS idx, ic.relname AS index_name, con.conname,
               CASE WHEN con.oid IS NOT NULL
                    THEN format('ALTER TABLE %s ADD CONSTRAINT %I %s', t, con.conname,
                                pg_get_constraintdef(con.oid))
                    ELSE pg_get_indexdef(i.indexrelid) END AS definition
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = t
        WHERE i.indrelid = t
    LOOP
        INSERT INTO etl.deferred_indexes VALUES (t, r.index_name, r.definition);
        IF r.conname IS NOT NULL THEN
            EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', t, r.conname);
        ELSE
            EXECUTE format('DROP INDEX %s', r.idx);
        END IF;
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION etl.defer_indexes(regclass) IS 'Drops the indexes of an empty table for a bulk load, keeping their definitions in etl.deferred_indexes.';

-- Builds again the indexes deferred for table t (every table when t is
-- NULL). Returns how many; 0 when none were deferred, as on every run but
-- a first load.
CREATE FUNCTION etl.restore_indexes(t regclass) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN
        DELETE FROM etl.deferred_indexes d
        WHERE t IS NULL OR d.table_name = t
        RETURNING d.definition
    LOOP
        EXECUTE r.definition;
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
COMMENT ON FUNCTION etl.restore_indexes(regclass) IS 'Builds the indexes etl.defer_indexes dropped from table t (all tables when NULL).';
