-- Demo data generator, step 1: parameters, deterministic helpers, the truth
-- table and the calendar.
--
-- The generator fills the operational tables of schemas/source/001 with
-- realistic data and plants patterns whose truth it records in
-- almanac_demo.truth, so that tests can check that almanac finds them.
--
-- Rules every file here follows:
--   * Deterministic for (scale, seed, as_of): no random(), no clock. Every
--     random choice is almanac_demo.u(seed, stream, key), a hash of a stable
--     key (an id, or an index from generate_series), one stream number per
--     decision. Ids come from generate_series or row_number() over a total
--     ORDER BY, never from the order in which an unordered query returns rows.
--   * Set-based: INSERT ... SELECT over generate_series; loops only over a
--     handful of planted items.
--   * Timestamps are built in UTC (see the SET LOCAL below); updated_at is the
--     time of the row's last business change, never now(), so that the same
--     parameters give byte-identical tables.
--   * Work tables are TEMP ... ON COMMIT DROP: nothing but the operational
--     tables and almanac_demo.truth outlives the generating transaction.
--
-- Stream numbers: 1xx partners, 2xx events, 3xx B2C, 4xx generations,
-- 5xx credits, 6xx health and API, 7xx activity log, 8xx loyalty,
-- 9xx malformed rows.

-- The business day is UTC. Interval arithmetic on timestamptz ('+ 1 day',
-- '+ 1 month') and date <-> timestamptz casts follow the session time zone,
-- so pin it for this transaction only. The memory settings speed up the sorts
-- and hash joins here and the index builds of 002_keys_indexes.sql, which
-- runs in the same transaction; JIT compilation costs more than it saves on
-- these one-off queries.
SET LOCAL TimeZone = 'UTC';
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';
SET LOCAL jit = off;

CREATE SCHEMA almanac_demo;

COMMENT ON SCHEMA almanac_demo IS
    'Demo data generator: helper functions and the truth table of planted patterns.';

-- Uniform number in [0, 1) for (seed, stream, key). hashint8extended is
-- PostgreSQL's own 64-bit hash; 52 bits fill a double's mantissa exactly.
-- The seed is an argument (not read with current_setting() inside) so that
-- the function is IMMUTABLE and is inlined into the calling query.
CREATE FUNCTION almanac_demo.u(seed bigint, stream integer, k bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (hashint8extended(k, (seed % 1000000007) * 1000003 + stream)
            & 4503599627370495)::float8 / 4503599627370496.0
$$;

-- Integer in [0, n).
CREATE FUNCTION almanac_demo.ui(seed bigint, stream integer, k bigint, n bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT floor(almanac_demo.u(seed, stream, k) * n)::bigint
$$;

-- One element of a text array, chosen by x in [0, 1).
CREATE FUNCTION almanac_demo.pick(arr text[], x float8) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT arr[1 + floor(x * cardinality(arr))::integer]
$$;

-- Roughly normal number (mean 0, sd 1) from three uniforms: a cheap
-- Irwin-Hall approximation, good enough for sizes and durations. It uses
-- streams stream, stream + 1 and stream + 2.
CREATE FUNCTION almanac_demo.z(seed bigint, stream integer, k bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (almanac_demo.u(seed, stream, k) + almanac_demo.u(seed, stream + 1, k)
            + almanac_demo.u(seed, stream + 2, k) - 1.5) * 2.0
$$;

-- 64 hex digits for a transaction hash, from four independent hashes.
CREATE FUNCTION almanac_demo.hex64(seed bigint, stream integer, k bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lpad(to_hex(hashint8extended(k, (seed % 1000000007) * 10007 + stream)), 16, '0')
        || lpad(to_hex(hashint8extended(k, (seed % 1000000007) * 10007 + stream + 1000)), 16, '0')
        || lpad(to_hex(hashint8extended(k, (seed % 1000000007) * 10007 + stream + 2000)), 16, '0')
        || lpad(to_hex(hashint8extended(k, (seed % 1000000007) * 10007 + stream + 3000)), 16, '0')
$$;

-- Dotted IPv4 text of a 32-bit number. Callers map each actor to its own
-- number, so that an address belongs to one actor only (background failed
-- logins can then never add up to a burst per address).
CREATE FUNCTION almanac_demo.ipv4(x bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ((x >> 24) & 255)::text || '.' || ((x >> 16) & 255)::text || '.'
        || ((x >> 8) & 255)::text || '.' || (x & 255)::text
$$;

-- Seconds as an interval (shorter to read than make_interval(secs => ...)).
CREATE FUNCTION almanac_demo.secs(s float8) RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT make_interval(secs => s)
$$;

-- Moves a time out of a [off - 1 day, on + 1 day) gap (a partner's brief
-- deactivation) to the day after it. STABLE: timestamptz arithmetic is.
CREATE FUNCTION almanac_demo.clear_gap(t timestamptz, off_at timestamptz, on_at timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN off_at IS NOT NULL AND t >= off_at - interval '1 day' AND t < on_at + interval '1 day'
                THEN on_at + interval '1 day' ELSE t END
$$;

-- A partner's next monthly contract value: 70 % upgrades by 20..50 %, 30 %
-- downgrades by 15..40 %, in steps of 50 USD; a pay-as-you-go partner
-- (0 USD) signs a 150 USD contract. Never equal to the old value.
CREATE FUNCTION almanac_demo.new_contract(old numeric, x float8) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN old = 0 THEN 150.00
                WHEN v = old THEN old + 50
                ELSE v END
    FROM (SELECT greatest(50, round(old * CASE WHEN x < 0.7 THEN 1.2 + 0.3 * x / 0.7
                                               ELSE 0.6 + 0.25 * (x - 0.7) / 0.3 END / 50) * 50)::numeric(14,2) AS v) s
$$;

-- Styles: style k (1..n) has category (k - 1) % 6 in the order portrait,
-- artistic, vintage, cartoon, fantasy, seasonal, so the category needs no
-- lookup. cat_pick draws a category from the preferences of an event type
-- (or of B2C users): the planted "style preferences by event type".
CREATE FUNCTION almanac_demo.cat_pick(kind text, x float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE kind
        -- portrait .35, vintage .25, artistic .20, fantasy .10, cartoon .05, seasonal .05
        WHEN 'wedding' THEN CASE WHEN x < 0.35 THEN 0 WHEN x < 0.60 THEN 2 WHEN x < 0.80 THEN 1
                                 WHEN x < 0.90 THEN 4 WHEN x < 0.95 THEN 3 ELSE 5 END
        -- portrait .45, cartoon .20, artistic .15, vintage .10, fantasy .05, seasonal .05
        WHEN 'corporate' THEN CASE WHEN x < 0.45 THEN 0 WHEN x < 0.65 THEN 3 WHEN x < 0.80 THEN 1
                                   WHEN x < 0.90 THEN 2 WHEN x < 0.95 THEN 4 ELSE 5 END
        -- seasonal .40, cartoon .20, fantasy .15, portrait .10, artistic .10, vintage .05
        WHEN 'holiday' THEN CASE WHEN x < 0.40 THEN 5 WHEN x < 0.60 THEN 3 WHEN x < 0.75 THEN 4
                                 WHEN x < 0.85 THEN 0 WHEN x < 0.95 THEN 1 ELSE 2 END
        -- artistic .25, cartoon .25, fantasy .20, portrait .15, vintage .10, seasonal .05
        WHEN 'b2c' THEN CASE WHEN x < 0.25 THEN 1 WHEN x < 0.50 THEN 3 WHEN x < 0.70 THEN 4
                             WHEN x < 0.85 THEN 0 WHEN x < 0.95 THEN 2 ELSE 5 END
        -- other: portrait .20, artistic .20, cartoon .20, fantasy .15, vintage .15, seasonal .10
        ELSE CASE WHEN x < 0.20 THEN 0 WHEN x < 0.40 THEN 1 WHEN x < 0.60 THEN 3
                  WHEN x < 0.75 THEN 4 WHEN x < 0.90 THEN 2 ELSE 5 END
    END
$$;

-- A style of category c among n styles; within a category the first styles
-- are the popular ones (y^1.5 skews towards them).
CREATE FUNCTION almanac_demo.style_pick(c integer, y float8, n integer) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT c + 1 + 6 * floor(power(y, 1.5) * ((n - 1 - c) / 6 + 1))::bigint
$$;

-- The style actually used at time t: the three special styles at the end of
-- the catalogue (see 030_styles.sql) are only available part of the time;
-- outside it a popular style of the same category stands in.
CREATE FUNCTION almanac_demo.style_at(s bigint, t timestamptz, n integer, new_from timestamptz,
                                      unused_from timestamptz, retired_from timestamptz)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN (s = n AND t >= retired_from) OR (s = n - 1 AND t >= unused_from)
                     OR (s = n - 2 AND t < new_from)
                THEN CASE WHEN (s - 1) % 6 = 1 THEN 8 ELSE (s - 1) % 6 + 1 END
                ELSE s END
$$;

-- The day of week dow (ISO, 1 = Monday) nearest after d, else before it,
-- staying inside [lo, hi); d itself when neither fits.
CREATE FUNCTION almanac_demo.shift_dow(d date, dow integer, lo date, hi date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN d + (dow - extract(isodow FROM d)::integer + 7) % 7 < hi
                THEN d + (dow - extract(isodow FROM d)::integer + 7) % 7
                WHEN d - (extract(isodow FROM d)::integer - dow + 7) % 7 >= lo
                THEN d - (extract(isodow FROM d)::integer - dow + 7) % 7
                ELSE d END
$$;

-- Word lists for names. Accents and non-Latin scripts on purpose: reports
-- must carry them through CSV, XLSX and PDF.
CREATE FUNCTION almanac_demo.words(list text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE list
    WHEN 'partner_prefix' THEN ARRAY[
        'Fotografía', 'Estudio', 'Studio', 'Atelier', 'Foto', 'Eventos', 'Cámara',
        'Lumière', 'Objetivo', 'Retratos', 'Photo', 'Fotostudio', 'Bodas',
        'Instantánea', 'Galería', 'Óptica', 'Visión', 'Momentos', 'Recuerdos',
        'Destellos']
    WHEN 'place' THEN ARRAY[
        'Zürich', 'Łódź', 'Θεσσαλονίκη', 'Málaga', 'São Paulo', 'Kraków',
        'Reykjavík', 'Ñuñoa', 'İstanbul', 'Москва', '東京', 'Göteborg', 'Córdoba',
        'Besançon', 'Düsseldorf', 'Cancún', 'Plzeň', 'Bogotá', 'Gdańsk', 'Αθήνα',
        'Sevilla', 'Mérida', 'Brașov', 'Ærøskøbing', 'Valparaíso']
    WHEN 'first' THEN ARRAY[
        'Ana', 'José', 'Zoë', 'Łukasz', 'Δημήτρης', 'Анна', 'Sofía', 'Mateo',
        'Chloé', 'Jürgen', 'Ximena', 'Iñaki', 'Małgorzata', 'Νίκος', 'Дмитрий',
        'Yūki', '花子', 'Björn', 'Renée', 'Ángel', 'Núria', 'François', 'Ayşe',
        'Camila', 'Lucía', 'Tomás', 'Inés', 'Mariña', 'Søren', 'Elif']
    WHEN 'last' THEN ARRAY[
        'Pérez', 'Núñez', 'Müller', 'Wiśniewski', 'Παπαδόπουλος', 'Иванова',
        'García', 'Løkke', 'Öztürk', 'Fernández', 'Dvořák', 'Lefèvre', 'Ibáñez',
        '山田', 'Schröder', 'Castaño', 'Gómez', 'Łęcka', 'Σταύρου', 'Кузнецов',
        'Martínez', 'Sánchez', 'Brontë', 'Jiménez', 'Muñoz']
    WHEN 'company' THEN ARRAY[
        'Grupo Ñandú', 'Müller & Söhne', 'Créditos Ñandú', 'Łączność', 'Ωμέγα Systems',
        'Банк Восток', 'Tecnologías Andinas', 'Kaffee Zürich', 'Café de Flore',
        'Sakura 株式会社', 'Innovación Global', 'Açaí Brasil', 'Nordsjö Energi',
        'Fundación Peñalara', 'Électricité du Sud', 'Øresund Logistics']
    WHEN 'brand' THEN ARRAY[
        'Créditos Ñandú', 'Café Zürich', 'Łódź Coffee', 'Θεσσαλονίκη Bakery',
        'Пекарня Москва', '東京 Ramen', 'Heladería Óscar', 'Crêperie Bretonne',
        'Müsli Bär', 'Librería Cervantes', 'Açaí do Pará', 'Smørrebrød Hus',
        'Panadería Señorío', 'Ölmühle Bio', 'Çay Evi', 'Pâtisserie Amélie']
    WHEN 'style' THEN ARRAY[
        'Retrato Clásico', 'Óleo Impresionista', 'Sépia 1920', 'Cómic Pop',
        'Fantasía Élfica', 'Navidad Nórdica', 'Retrato Estudio', 'Acuarela Suave',
        'Polaroid Años 70', 'Anime 東京', 'Dragón Épico', 'Otoño Dorado',
        'Blanco y Negro', 'Cubismo Picasso', 'Daguerrotipo', 'Pixel Art',
        'Sirena Mística', 'Carnaval Río', 'Retrato Renacentista', 'Tinta China 水墨',
        'Película Noir', 'Caricatura', 'Galaxia Cósmica', 'Primavera Sakura']
    WHEN 'perk' THEN ARRAY[
        'Café gratis', 'Postre de la casa', '10 % de descuento', 'Envío gratis',
        'Bolsa de tela', 'Taza edición limitada', 'Entrada doble', 'Menú degustación',
        'Camiseta oficial', 'Masterclass', 'Vale de 5 €', 'Brunch para dos']
    WHEN 'reward' THEN ARRAY[
        'Visita a tienda', 'Compra superior a 20 €', 'Reseña publicada',
        'Invitar a un amigo', 'Cumpleaños', 'Check-in en evento', 'Encuesta completada']
    END
$$;

-- The planted patterns, one row per planted item. Tests and verify_demo.sql
-- read it; schemas/demo/queries/truth.sql turns it into truth.json.
CREATE TABLE almanac_demo.truth (
    kind    text NOT NULL,   -- what was planted, e.g. 'outage', 'partner_segment'
    subject text NOT NULL,   -- what it is about: an id, 'table:id', a component, a month
    detail  jsonb NOT NULL   -- the numbers a test needs to find it
);

COMMENT ON TABLE almanac_demo.truth IS
    'Planted demo patterns with their known numbers; see docs/source-schema.md.';

-- Parameters, read once. A one-row temp table (analyzed) rather than
-- current_setting() in every expression: the helpers stay inlinable and the
-- setting is not re-read for every generated row.
DO $$
BEGIN
    IF current_setting('almanac.demo_scale', true) IS NULL
       OR current_setting('almanac.demo_seed', true) IS NULL
       OR current_setting('almanac.demo_as_of', true) IS NULL THEN
        RAISE EXCEPTION 'demo generator: almanac.demo_scale, almanac.demo_seed and almanac.demo_as_of must be set';
    END IF;
    IF current_setting('almanac.demo_scale')::numeric NOT BETWEEN 0.001 AND 100 THEN
        RAISE EXCEPTION 'demo generator: scale % is outside 0.001..100',
            current_setting('almanac.demo_scale');
    END IF;
END
$$;

CREATE TEMP TABLE demo_p ON COMMIT DROP AS
WITH s AS (
    SELECT current_setting('almanac.demo_scale')::numeric AS scale,
           current_setting('almanac.demo_seed')::bigint   AS seed,
           current_setting('almanac.demo_as_of')::date    AS as_of
), d AS (
    SELECT s.*,
           date_trunc('month', s.as_of::timestamp)::date AS d_end   -- first day after history
    FROM s
)
SELECT d.scale, d.seed, d.as_of,
       (d.d_end - interval '36 months')::date                    AS d0,
       d.d_end,
       (d.d_end - interval '36 months')::timestamp AT TIME ZONE 'UTC' AS t0,
       d.d_end::timestamp AT TIME ZONE 'UTC'                     AS t_end,
       -- Dimension sizes: proportional to the scale, with floors that keep
       -- every planted pattern present at scale 0.01.
       greatest(40, round(400 * d.scale))::integer               AS n_partners,
       greatest(12, round(48 * d.scale))::integer                AS n_styles,
       greatest(200, round(20000 * d.scale))::integer            AS n_users,
       greatest(6, round(30 * d.scale))::integer                 AS n_brands,
       greatest(500, round(50000 * d.scale))::integer            AS n_members,
       -- Partners have a floor (40) but generations must scale linearly, so
       -- small scales get fewer generations per event.
       least(1.0, 400 * d.scale / greatest(40, round(400 * d.scale)))::float8 AS gen_factor,
       -- Months of health checks and API requests kept (the monitoring
       -- retention): all 36 at scale >= 1, at least the last 2.
       greatest(2, ceil(36 * least(d.scale, 1)))::integer        AS h_months
FROM d;

ANALYZE demo_p;

-- The 36 months of history, m = 0 (oldest) .. 35 (the last complete month).
CREATE TEMP TABLE demo_month ON COMMIT DROP AS
SELECT m,
       ms_d,
       me_d,
       ms_d::timestamp AT TIME ZONE 'UTC' AS ms,
       me_d::timestamp AT TIME ZONE 'UTC' AS me,
       (me_d - ms_d)                      AS ndays,
       extract(month FROM ms_d)::integer  AS moy,
       to_char(ms_d, 'YYYY-MM')           AS label
FROM (
    SELECT m,
           (p.d0 + make_interval(months => m))::date     AS ms_d,
           (p.d0 + make_interval(months => m + 1))::date AS me_d
    FROM demo_p p, generate_series(0, 35) AS m
) x;

ANALYZE demo_month;

INSERT INTO almanac_demo.truth (kind, subject, detail)
SELECT 'params', 'generator',
       jsonb_build_object('scale', p.scale, 'seed', p.seed, 'as_of', p.as_of::text,
                          'history_start', p.d0::text,
                          'history_end', (p.d_end - 1)::text,
                          'health_months', p.h_months)
FROM demo_p p;

-- Event name and client by type: couples for weddings, companies for
-- corporate events and parties, people otherwise. Spanish first, with other
-- languages and scripts mixed in; some clients carry a comma.
CREATE FUNCTION almanac_demo.event_names(event_type text, d date, seed bigint, id bigint)
RETURNS TABLE (name text, client_name text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE event_type
               WHEN 'wedding' THEN
                   CASE floor(v * 5)::integer
                       WHEN 0 THEN 'Boda de ' || f1 || ' y ' || f2
                       WHEN 1 THEN 'Mariage ' || f1 || ' & ' || f2
                       WHEN 2 THEN 'Hochzeit ' || l1
                       WHEN 3 THEN 'Свадьба: ' || f1 || ' и ' || f2
                       ELSE 'Boda ' || l1 || '–' || l2 || ' en ' || pl END
               WHEN 'corporate' THEN
                   CASE floor(v * 5)::integer
                       WHEN 0 THEN 'Congreso ' || co || ' ' || yr
                       WHEN 1 THEN 'Kick-off ' || co
                       WHEN 2 THEN 'Gala anual ' || co
                       WHEN 3 THEN 'Summit ' || pl || ' ' || yr
                       ELSE 'Convención de ventas, ' || pl END
               WHEN 'holiday' THEN
                   CASE extract(month FROM d)::integer
                       WHEN 12 THEN 'Cena de Navidad ' || co
                       WHEN 1 THEN 'Fiesta de Año Nuevo ' || co
                       WHEN 2 THEN 'San Valentín en ' || pl
                       WHEN 11 THEN 'Fiesta de otoño ' || co
                       ELSE 'Fiesta de verano ' || co END
               ELSE
                   CASE floor(v * 5)::integer
                       WHEN 0 THEN 'Cumpleaños de ' || f1
                       WHEN 1 THEN 'Graduación ' || pl || ' ' || yr
                       WHEN 2 THEN 'Quinceañera de ' || f1
                       WHEN 3 THEN 'Bautizo de ' || f1
                       ELSE 'Aniversario ' || l1 END
           END,
           CASE event_type
               WHEN 'wedding' THEN f1 || ' ' || l1 || ' & ' || f2 || ' ' || l2
               WHEN 'other' THEN f1 || ' ' || l1
               ELSE co || CASE floor(v * 3)::integer WHEN 0 THEN ', S.A.' WHEN 1 THEN ' GmbH' ELSE '' END
           END
    FROM (SELECT almanac_demo.pick(almanac_demo.words('first'), almanac_demo.u(seed, 220, id)) AS f1,
                 almanac_demo.pick(almanac_demo.words('first'), almanac_demo.u(seed, 221, id)) AS f2,
                 almanac_demo.pick(almanac_demo.words('last'), almanac_demo.u(seed, 222, id)) AS l1,
                 almanac_demo.pick(almanac_demo.words('last'), almanac_demo.u(seed, 223, id)) AS l2,
                 almanac_demo.pick(almanac_demo.words('company'), almanac_demo.u(seed, 224, id)) AS co,
                 almanac_demo.pick(almanac_demo.words('place'), almanac_demo.u(seed, 225, id)) AS pl,
                 extract(year FROM d)::text AS yr,
                 almanac_demo.u(seed, 226, id) AS v) w
$$;

-- Hour of day for B2C activity: evenings (18-22 h) weigh 9, afternoons 4,
-- mornings 2, nights 1: the seed's "peak usage: evenings" for B2C.
CREATE FUNCTION almanac_demo.evening_hour(x float8) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (ARRAY[0,1,2,3,4,5,6,7,7,8,8,9,9,10,10,11,11,12,12,12,12,13,13,13,13,14,14,14,14,
                  15,15,15,15,16,16,16,16,17,17,17,17,18,18,18,18,18,18,18,18,18,19,19,19,19,
                  19,19,19,19,19,20,20,20,20,20,20,20,20,20,21,21,21,21,21,21,21,21,21,22,22,
                  22,22,22,22,22,22,22,23,23,23,23])[1 + floor(x * 90)::integer]
$$;

-- A loyalty member's reference: 70 % hold a wallet (0x + 40 hex digits),
-- the others a member number.
CREATE FUNCTION almanac_demo.member_ref(seed bigint, member bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN almanac_demo.u(seed, 860, member) < 0.7
                THEN '0x' || substr(almanac_demo.hex64(seed, 861, member), 1, 40)
                ELSE 'mbr_' || lpad(member::text, 7, '0') END
$$;
