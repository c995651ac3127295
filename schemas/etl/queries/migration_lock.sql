-- Serialises concurrent `almanac migrate` runs for this transaction.
SELECT pg_advisory_xact_lock(hashtext('almanac.migrate'))
