-- Appended after each metric file in the previous period's query string
-- (engine.c): the seconds since the string reached the server, which time
-- the files one by one.
SELECT extract(epoch FROM clock_timestamp() - statement_timestamp()) AS kpi_file_done
