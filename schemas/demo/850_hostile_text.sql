-- Demo data, step 12: free text that breaks naive exports.
--
-- Text a spreadsheet would run as a formula (leading =, +, -, @, tab),
-- embedded double quotes, commas and newlines, in partner names (planted in
-- 020_partners.sql), event names and clients, credit transaction
-- descriptions, a brand and perk names (100_loyalty.sql). Reports must write
-- them as plain text. Every such value is listed in almanac_demo.truth
-- (kind 'hostile_text') with its table, row id and column.

CREATE TEMP TABLE tmp_hostile ON COMMIT DROP AS
SELECT * FROM (VALUES
    (1, '=HYPERLINK("http://x","y")'),
    (2, '+1 555 0100'),
    (3, '@SUM(A1:A9)'),
    (4, '-2 credits'),
    (5, 'Boda "La Perla", Málaga'),
    (6, E'Línea 1\nLínea 2, "citada"')
) AS h(no, txt);

-- Six events get a hostile name and the six after them a hostile client,
-- spread over the history.
CREATE TEMP TABLE tmp_hostile_row ON COMMIT DROP AS
SELECT 'events' AS tbl, 'name' AS col, 1 + (h.no * n.n / 7) AS id, h.txt
FROM tmp_hostile h, (SELECT count(*) AS n FROM tmp_event) n
UNION ALL
SELECT 'events', 'client_name', 2 + (h.no * n.n / 7), h.txt
FROM tmp_hostile h, (SELECT count(*) AS n FROM tmp_event) n
UNION ALL
-- Descriptions the buyer typed on six purchases.
SELECT 'credit_transactions', 'description', c.id,
       CASE h.no WHEN 4 THEN '-2 credits: ajuste manual' ELSE h.txt || ' — nota del cliente' END
FROM tmp_hostile h
JOIN (SELECT id, row_number() OVER (ORDER BY id) AS r, count(*) OVER () AS n
      FROM credit_transactions WHERE kind = 'purchase') c
  ON c.r = 1 + (h.no * c.n / 7);

UPDATE events e SET name = r.txt
FROM tmp_hostile_row r
WHERE r.tbl = 'events' AND r.col = 'name' AND e.id = r.id;

UPDATE events e SET client_name = r.txt
FROM tmp_hostile_row r
WHERE r.tbl = 'events' AND r.col = 'client_name' AND e.id = r.id;

UPDATE credit_transactions c SET description = r.txt
FROM tmp_hostile_row r
WHERE r.tbl = 'credit_transactions' AND c.id = r.id;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'hostile_text', x.tbl || ':' || x.id,
       jsonb_build_object('table', x.tbl, 'id', x.id, 'column', x.col, 'value', x.txt)
FROM (
    SELECT tbl, col, id, txt FROM tmp_hostile_row
    UNION ALL
    SELECT 'partners', 'name', p.id, p.name
    FROM partners p JOIN tmp_hostile_partner h ON h.id = p.id
    UNION ALL
    SELECT 'loyalty_perks', 'name', pk.id, pk.name
    FROM loyalty_perks pk
    WHERE pk.name ~ '^[=+@-]' OR pk.name ~ '["\n]'
    UNION ALL
    SELECT 'loyalty_brands', 'name', b.id, b.name
    FROM loyalty_brands b
    WHERE b.name ~ '^[=+@-]' OR b.name ~ '["\n]'
) x;
