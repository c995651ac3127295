-- Summarise the BRIN indexes of the warehouse over the pages this run
-- filled. Until a block range is summarised, BRIN returns it for every
-- query, so "the rows of this run" (data tests) and time-range scans (KPIs)
-- would read whole facts; autosummarize only catches up later, from
-- autovacuum. Cheap: it reads the new pages, which are still in cache.
SELECT count(brin_summarize_new_values(c.oid))
FROM pg_class c
JOIN pg_am am ON am.oid = c.relam
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE am.amname = 'brin' AND n.nspname = 'dw' AND c.relkind = 'i';
