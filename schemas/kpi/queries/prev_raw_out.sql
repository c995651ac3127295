-- The previous period's metrics, copied from the second connection's
-- kpi_raw into the KPI transaction's (prev_raw_in.sql).
COPY (SELECT which, code, scope, breakdown, value, unit, flag FROM kpi_raw WHERE which = 'prev') TO STDOUT
