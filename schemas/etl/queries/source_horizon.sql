-- The next watermark, read BEFORE the extraction snapshot is taken.
--
-- Rows get updated_at = now(), their transaction's start time, but become
-- visible only at commit: a long transaction can commit rows dated before
-- rows already extracted. Any transaction not yet committed when the
-- snapshot is taken is either running now (so its start is >= the minimum
-- below) or starts after this statement (so its rows are dated later). The
-- next run re-reads from that point; facts are upserted by key, so reading a
-- row twice is harmless. A margin of a few seconds covers the instant
-- between a transaction's start and its appearance in pg_stat_activity.
--
-- Only transactions of the source database count: a transaction can write
-- only to the database it is connected to. Long ones elsewhere on the same
-- server (a report or KPI run on a warehouse next to the source, as in the
-- demo) used to hold the horizon back for their whole length, and the next
-- run read everything since again (at scale 10 a day's 116,601 rows read
-- twice, behind an 8-minute report). Autovacuum workers write no rows.
--
-- Without pg_read_all_stats other sessions' xact_start is hidden; then an
-- hour's overlap is used and `sees_all` says so (the run log records it).
WITH me AS (
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
           OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER') AS sees_all
), oldest AS (
    SELECT least(clock_timestamp(),
                 (SELECT min(xact_start) FROM pg_stat_activity
                  WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()
                    AND datname = current_database()
                    AND backend_type <> 'autovacuum worker'),
                 (SELECT min(prepared) FROM pg_prepared_xacts
                  WHERE database = current_database())) AS t
)
SELECT to_char((CASE WHEN me.sees_all THEN oldest.t - interval '5 seconds'
                     ELSE oldest.t - interval '1 hour' END) AT TIME ZONE 'UTC',
               'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS horizon,
       to_char((clock_timestamp() + interval '1 day') AT TIME ZONE 'UTC',
               'YYYY-MM-DD HH24:MI:SS') AS latest_valid,
       me.sees_all
FROM me, oldest
