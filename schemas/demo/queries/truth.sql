-- The planted truth, grouped by kind, as one JSON document.
SELECT jsonb_build_object(
         'params', (SELECT detail FROM almanac_demo.truth WHERE kind = 'params' LIMIT 1),
         'row_counts', (SELECT jsonb_object_agg(table_name, n ORDER BY table_name)
                        FROM (SELECT table_name,
                                     (xpath('/row/n/text()',
                                            query_to_xml(format('SELECT count(*) AS n FROM public.%I',
                                                                table_name),
                                                         false, true, '')))[1]::text::bigint AS n
                              FROM information_schema.tables
                              WHERE table_schema = 'public' AND table_type = 'BASE TABLE') c),
         'truth', (SELECT jsonb_object_agg(kind, items ORDER BY kind)
                   FROM (SELECT kind,
                                jsonb_agg(jsonb_build_object('subject', subject) || detail
                                          ORDER BY subject, detail::text) AS items
                         FROM almanac_demo.truth
                         WHERE kind <> 'params'
                         GROUP BY kind) k))::text
