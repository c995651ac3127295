-- Ends sessions of an earlier `almanac demo` that was killed mid-generation:
-- its backend may still hold the half-made tables' locks until it notices the
-- client is gone. Only on the private server, which nobody else uses.
SELECT count(pg_terminate_backend(pid))
FROM pg_stat_activity
WHERE datname = current_database()
  AND pid <> pg_backend_pid()
  AND application_name = 'almanac demo'
