-- Revenue of the 13 months ending with the month $1 (its first day), as
-- stored in kpi.results (revenue_usd, platform); a month not computed has
-- a NULL value and stored = false: the workbook names it, never guesses.
SELECT g::date::text, to_char(g, 'YYYY-MM'), r.value, r.code IS NOT NULL
FROM generate_series($1::date - interval '12 months', $1::date, interval '1 month') g
LEFT JOIN kpi.results r ON r.code = 'revenue_usd' AND r.grain = 'month' AND r.period_start = g::date
                       AND r.scope = 'platform' AND r.breakdown = ''
ORDER BY g
