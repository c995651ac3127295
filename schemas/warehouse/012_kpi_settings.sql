-- Which settings (benchmarks, insight and alert thresholds, spending tiers,
-- time zone) a KPI run used, as a SHA-256 of their canonical text: a job's
-- `almanac kpi --if-stale` recomputes a period only when its data or these
-- settings changed, so a re-run of a job writes the same reports.
ALTER TABLE kpi.runs ADD COLUMN settings text;
COMMENT ON COLUMN kpi.runs.settings IS 'SHA-256 of the thresholds and tiers the run used (config_digest).';
