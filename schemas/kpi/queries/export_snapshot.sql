-- The KPI transaction's snapshot, for the second connection that computes
-- the previous period beside it (SET TRANSACTION SNAPSHOT): both passes
-- read the same warehouse state.
SELECT pg_export_snapshot()
