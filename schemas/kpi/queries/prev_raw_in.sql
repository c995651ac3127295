COPY kpi_raw (which, code, scope, breakdown, value, unit, flag) FROM STDIN
