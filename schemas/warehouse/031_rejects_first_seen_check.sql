-- first_seen_run_id is run_id, the run that recorded the reject
-- (quarantine.sql sets both when it inserts one, and no statement changes
-- either afterwards). A CHECK that they are equal, together with the
-- foreign key of run_id, says what the foreign key of first_seen_run_id
-- said, without a second look-up of etl.runs per inserted reject: a
-- benchmark day at scale 10 inserts 8,565 rejects, and that foreign key
-- took 60-70 ms of the 310-360 ms of their insertion (replayed three times
-- each way). The other foreign keys stay: last_seen_run_id moves to later
-- runs, and resolved_run_id is NULL when a reject is inserted.
ALTER TABLE etl.rejects
    ADD CONSTRAINT rejects_first_seen_is_run CHECK (first_seen_run_id = run_id),
    DROP CONSTRAINT rejects_first_seen_run_id_fkey;
