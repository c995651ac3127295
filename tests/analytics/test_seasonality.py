#!/usr/bin/env python3
"""almanac seasonality on a demo warehouse, checked from the outside.

Authorities: the demo generator's planted truth (almanac_demo.truth: the
seasonal factors and the realised monthly counts) and statsmodels
(seasonal_decompose, ExponentialSmoothing) run here on the series the
program stored. Also: zero months, short histories, the time zone, the
thresholds from the configuration, replacement of a series, and the
command line (--show, --format, exit codes).

usage: test_seasonality.py ALMANAC
Environment: ALMANAC_SEASON_SCALE (demo scale, default below).
"""
import csv
import io
import json
import math
import os
import sys
import warnings

from statsmodels.tsa.holtwinters import ExponentialSmoothing
from statsmodels.tsa.seasonal import seasonal_decompose

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)
# Scale 1 is where issue #5 states the 5 % recovery (about 2 minutes for the
# demo). 0.25 also passes and takes a third of the time; 0.1 does not
# (measured errors: docs/seasonality.md, "What the integration test checks").
SCALE = os.environ.get("ALMANAC_SEASON_SCALE", "1")
AS_OF = "2026-11-23"          # history: the 36 months 2023-11 .. 2026-10
LAST_MONTH = "2026-10"
NEXT = ["2026-11", "2026-12", "2027-01"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
TYPES = ["wedding", "corporate", "holiday", "other"]


def rel(a, b):
    """Relative difference against the reference b (absolute where b is 0)."""
    return abs(a - b) / abs(b) if b else abs(a - b)


def stored_series(wh):
    """{(series, scope): (first month 1..12, [values])} as stored."""
    out = {}
    for series, scope, month, value in q(wh, "SELECT series, scope, extract(month FROM month_start)::int, "
                                             "value FROM kpi.seasonal_series ORDER BY 1, 2, month_start"):
        key = (series, scope)
        if key not in out:
            out[key] = (month, [])
        out[key][1].append(float(value))
    return out


def stored_indices(wh):
    """{(series, scope): {month: (index, class, estimated)}} plus per-scope facts."""
    idx, facts = {}, {}
    for row in q(wh, "SELECT series, scope, month, index, class, estimated, quality, months_used, "
                     "has_zeros, note FROM kpi.seasonal_index"):
        series, scope, month, index, klass, est, quality, n, zeros, note = row
        idx.setdefault((series, scope), {})[month] = (index, klass, est)
        facts[(series, scope)] = dict(quality=quality, months=n, zeros=zeros, note=note)
    return idx, facts


def no_nan_anywhere(wh):
    return q(wh, "SELECT (SELECT count(*) FROM kpi.seasonal_index WHERE index = 'NaN' "
                 "OR index IN ('Infinity', '-Infinity')) + "
                 "(SELECT count(*) FROM kpi.forecast WHERE 'NaN' IN (point, lower, upper) "
                 "OR 'Infinity' IN (point, lower, upper) OR alpha = 'NaN' OR sse = 'NaN' "
                 "OR drift = 'NaN') + "
                 "(SELECT count(*) FROM kpi.seasonal_series WHERE value = 'NaN')")[0][0] == 0


def check_truth(s, idx, facts):
    # The demo plants events(month, type) = base x trend x factor(type,
    # calendar month) x noise. The factors of every type average exactly 1
    # (schemas/demo/040_events.sql), as the indices do by construction; they
    # are still divided by their mean, so that the comparison stays right if
    # the generator's factors ever stop averaging 1.
    planted = {}
    for subject, detail in q(s.src, "SELECT subject, detail FROM almanac_demo.truth "
                                    "WHERE kind = 'seasonal_factor'"):
        planted.setdefault(subject, {})[int(detail["month"])] = float(detail["factor"])
    check("the truth has 12 planted factors for each of the 4 event types",
          sorted(planted) == sorted(TYPES) and all(len(v) == 12 for v in planted.values()), planted)
    worst, where = 0.0, None
    for t, factors in planted.items():
        mean = sum(factors.values()) / 12
        got = idx.get(("events", "event_type:" + t), {})
        for m, f in factors.items():
            e = rel(got[m][0], f / mean) if m in got else math.inf
            if e > worst:
                worst, where = e, (t, MONTHS[m - 1], got.get(m, (None,))[0], f / mean)
    print(f"     planted vs recovered, max relative error {worst:.4f} at {where} (scale {SCALE})")
    check("every planted seasonal factor is recovered within 5 %", worst <= 0.05, where)
    check("event series have 36 months and quality 'full'",
          all(facts[("events", "event_type:" + t)]["months"] == 36 and
              facts[("events", "event_type:" + t)]["quality"] == "full" for t in TYPES),
          {t: facts.get(("events", "event_type:" + t)) for t in TYPES})

    def months_of(t, klass):
        return [m for m in range(1, 13) if idx[("events", "event_type:" + t)][m][1] == klass]

    wed_peak, corp_peak, corp_low, hol_peak = (months_of("wedding", "peak"), months_of("corporate", "peak"),
                                               months_of("corporate", "low"), months_of("holiday", "peak"))
    check("weddings peak May-October", all(m in wed_peak for m in range(5, 11)), wed_peak)
    check("corporate peaks September-November", all(m in corp_peak for m in (9, 10, 11)), corp_peak)
    check("corporate is low July-August", corp_low == [7, 8], corp_low)
    check("holiday spikes December, January, February", sorted(hol_peak) == [1, 2, 12], hol_peak)
    check("'other' has no peak month", months_of("other", "peak") == [], months_of("other", "peak"))


def check_series_definitions(s, series):
    # The realised counts the generator recorded, per type and month.
    truth = {(subj.split(":")[0], d["month"]): int(d["events"]) for subj, d in
             q(s.src, "SELECT subject, detail FROM almanac_demo.truth WHERE kind = 'seasonal_count'")}
    ours = {(scope.split(":")[1], month): int(value) for scope, month, value in
            q(s.wh, "SELECT scope, to_char(month_start, 'YYYY-MM'), value FROM kpi.seasonal_series "
                    "WHERE series = 'events' AND scope LIKE 'event_type:%'")}
    check("events per type and month equal the generator's realised counts", ours == truth,
          {k: (ours.get(k), truth.get(k)) for k in set(ours) | set(truth) if ours.get(k) != truth.get(k)})
    plat = series[("events", "platform")][1]
    check("platform events are the sum of the types",
          plat == [sum(series[("events", "event_type:" + t)][1][k] for t in TYPES) for k in range(len(plat))])


def check_statsmodels_indices(series, idx, facts):
    compared, worst, where = [], 0.0, None
    for key, (first, values) in series.items():
        f = facts.get(key)
        if not f or f["quality"] not in ("full", "indicative") or f["zeros"]:
            continue   # statsmodels refuses zeros; short histories are not a decomposition
        seasonal = seasonal_decompose(values, model="multiplicative", period=12).seasonal
        for p in range(12):
            month = (first - 1 + p) % 12 + 1
            e = rel(idx[key][month][0], seasonal[p])
            if e > worst:
                worst, where = e, (key, month)
        compared.append(key)
    print(f"     {len(compared)} series compared with seasonal_decompose, max relative difference {worst:.2e}")
    # At least every events and generations scope (platform and the four
    # types), whatever the scale.
    must = [(se, sc) for se in ("events", "generations") for sc in ["platform"] + ["event_type:" + t for t in TYPES]]
    check("stored indices equal statsmodels' seasonal_decompose within 1e-9",
          all(k in compared for k in must) and worst <= 1e-9, (len(compared), worst, where))


def check_forecasts(s, series, facts):
    rows = q(s.wh, "SELECT series, scope, to_char(month_start, 'YYYY-MM'), horizon, point, lower, upper, "
                   "coverage, method, sse, alpha, beta, gamma, flags FROM kpi.forecast "
                   "ORDER BY series, scope, horizon")
    fc = {}
    for r in rows:
        fc.setdefault((r[0], r[1]), []).append(r)
    missing = [k for k, f in facts.items() if f["months"] >= 12 and
               [r[2] for r in fc.get(k, [])] != NEXT]
    check("every scope with 12+ months has a forecast for the next three months", not missing, missing)
    short = [k for k, f in facts.items() if f["months"] < 12]
    check("scopes under 12 months have no forecast and say why",
          all(k not in fc and "no forecast" in (facts[k]["note"] or "") for k in short), short)
    bad = [r for r in rows if not all(math.isfinite(x) for x in r[4:8]) or not r[5] <= r[4] <= r[6]
           or r[5] < 0 or r[7] != 0.8]
    check("every forecast is finite, lower <= point <= upper, lower >= 0, coverage 0.80", not bad, bad[:3])
    widths = [r for r in rows if "no_interval" not in r[13] and not r[6] > r[5]]
    check("intervals have width unless flagged no_interval", not widths, widths[:3])
    hw = [(k, v) for k, v in fc.items() if v[0][8] == "holt_winters"]
    not_hw = [k for k, f in facts.items() if f["months"] >= 24 and not f["zeros"] and fc[k][0][8] != "holt_winters"]
    check("Holt-Winters for every series of 24+ months without zeros", not not_hw, not_hw)
    naive = [k for k, f in facts.items() if 12 <= f["months"] < 24 and
             (fc[k][0][8] != "seasonal_naive" or "short_history" not in fc[k][0][13])]
    check("seasonal naive, flagged short history, for 12 to 23 months", not naive, naive)
    compared, worst, where = 0, 0.0, None
    for key, v in hw:
        first, y = series[key]
        if min(y) <= 0:
            continue   # statsmodels refuses zeros
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sm = ExponentialSmoothing(y, trend="add", seasonal="mul", seasonal_periods=12).fit()
        ratio = v[0][9] / sm.sse
        if ratio > worst:
            worst, where = ratio, (key, v[0][9], sm.sse)
        compared += 1
    print(f"     {compared} Holt-Winters fits compared with statsmodels, worst SSE ratio ours/theirs {worst:.6f}")
    check("Holt-Winters SSE within 1 % of statsmodels' fit or better", compared >= 10 and worst <= 1.01,
          (compared, where))
    params = [r for r in rows if r[8] == "holt_winters" and not (0 <= r[11] <= r[10] <= 1 and 0 <= r[12] <= 1 - r[10] + 1e-12)]
    check("fitted smoothing parameters within statsmodels' bounds", not params, params[:3])


def check_zero_months(s):
    # Brands the demo does not have: claims in the first month only (35
    # zero months after it), every fifth month, and in two of the last six
    # months (a short history with zeros).
    q(s.wh, """
        INSERT INTO dw.fact_loyalty_transaction (loyalty_transaction_id, brand_id, type, user_ref,
                                                 rsnc_amount, created_at, date_key, etl_run_id)
        SELECT 990000000 + row_number() OVER (), b, 'perk_claim', 'u-test', 10, t,
               to_char(t, 'YYYYMMDD')::int, 0
        FROM (SELECT 990001 AS b, timestamptz '2023-11-15 12:00+00' AS t FROM generate_series(1, 3)
              UNION ALL
              SELECT 990002, timestamptz '2023-11-15 12:00+00' + make_interval(months => 5 * k)
              FROM generate_series(0, 7) k, generate_series(1, 4)
              UNION ALL
              SELECT 990003, t FROM unnest(ARRAY[timestamptz '2026-05-10 12:00+00',
                                                 timestamptz '2026-10-10 12:00+00']) t) x""")
    rc, out, err = run("seasonality", "--warehouse", s.wh, "--as-of", AS_OF, "--series", "claims")
    check("claims with zero months compute", rc == 0, err)
    idx, facts = stored_indices(s.wh)
    b1, b2, b3 = (facts.get(("claims", f"brand:{b}")) for b in (990001, 990002, 990003))
    check("a brand with 35 zero months after its first is stored, zeros flagged",
          b1 is not None and b1["months"] == 36 and b1["zeros"], b1)
    check("a brand with scattered claims is stored, zeros flagged", b2 is not None and b2["zeros"], b2)
    check("a short history with zeros is stored as short history without forecast",
          b3 is not None and b3["quality"] == "short_history" and b3["months"] == 6 and "no forecast" in b3["note"],
          b3)
    fc = q(s.wh, "SELECT scope, method, flags, point, lower, upper FROM kpi.forecast "
                 "WHERE series = 'claims' AND scope IN ('brand:990001', 'brand:990002') ORDER BY 1")
    check("series with zeros get a finite forecast", len(fc) == 6 and
          all(math.isfinite(x) for r in fc for x in r[3:]), fc)
    check("no NaN or infinity anywhere in the stored tables", no_nan_anywhere(s.wh))
    rc, out, err = run("seasonality", "--warehouse", s.wh, "--stored", "--series", "claims", "--by", "brand",
                       "--format", "json")
    doc = json.loads(out) if rc == 0 else {}
    check("JSON of zero-month series has no NaN and parses strictly",
          rc == 0 and "NaN" not in out and any(x["scope"] == "brand:990001" for x in doc["series"]), err)


def check_cli(s, idx):
    rc, out, err = run("seasonality", "--warehouse", s.wh, "--stored", "--series", "events",
                       "--by", "event_type", "--show")
    check("--show exits 0", rc == 0, err)
    check("--show names the quality and the wedding peak months",
          "quality: full" in out and "peak months: May, Jun, Jul, Aug, Sep, Oct" in out, out[:800])
    check("--show names corporate's low months", "low months: Jul, Aug" in out, out[:1500])
    check("--show prints the next quarter with its interval",
          all(m in out for m in NEXT) and "80 % interval" in out and " to " in out, out[:800])
    rc, out, err = run("seasonality", "--warehouse", s.wh, "--stored", "--series", "claims",
                       "--by", "brand", "--show")
    check("--show says 'short history' and 'indicative' plainly",
          rc == 0 and "short history" in out and "indicative" in out, out[:400])
    check("--show explains a missing forecast", "no forecast: 6 months of history" in out, err)

    # Peak cells: the top cell per channel as kpi.results holds it.
    top = q(s.wh, """SELECT DISTINCT ON (ch) ch, wd, h FROM (
                         SELECT split_part(split_part(breakdown, '/', 1), ':', 2) AS ch,
                                split_part(split_part(breakdown, '/', 2), ':', 2)::int AS wd,
                                split_part(split_part(breakdown, '/', 3), ':', 2)::int AS h, value
                         FROM kpi.results WHERE code = 'generations_by_hour' AND grain = 'month'
                           AND period_start = (SELECT max(period_start) FROM kpi.results
                                               WHERE code = 'generations_by_hour' AND grain = 'month')) x
                     ORDER BY ch, value DESC, wd, h""")
    days = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    rc, out, err = run("seasonality", "--warehouse", s.wh, "--stored", "--series", "generations", "--show")
    labels = [f"1. {days[wd]:<9} {h:02d}:00-{(h + 1) % 24:02d}:00" for ch, wd, h in top]
    check("--series generations names the busiest cell of each channel",
          rc == 0 and len(top) == 2 and all(l in out for l in labels) and "B2C:" in out, (labels, out[-700:]))

    rc, out, err = run("seasonality", "--warehouse", s.wh, "--stored", "--format", "json")
    try:
        doc = json.loads(out)
        ok = (rc == 0 and len(doc["series"]) == len(idx) and doc["peak_usage"]["channels"]["partner"]
              and all(len(x["indices"]) == 12 for x in doc["series"]))
    except (ValueError, KeyError, TypeError) as e:
        ok, err = False, f"{e}: {out[:300]}"
    check("--format json parses and holds every scope", ok, err)
    rc, out, err = run("seasonality", "--warehouse", s.wh, "--stored", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    check("--format csv parses, one row per scope", rc == 0 and len(rows) == len(idx), (rc, len(rows), err))

    for args, what in ((["--series", "nope"], "a bad --series"), (["--by", "partner"], "a bad --by"),
                       (["--series", "events", "--by", "brand"], "--by brand with events"),
                       (["--series", "revenue", "--by", "event_type"], "--by event_type with revenue"),
                       (["--as-of", "2026-13-01"], "a bad --as-of"), (["--format", "xml"], "a bad --format")):
        rc, out, err = run("seasonality", "--warehouse", s.wh, *args)
        check(f"{what} exits 64 with a message", rc == 64 and "almanac: error:" in err, (rc, err))
    rc, out, err = run("seasonality", "--warehouse", "host=/nonexistent port=1 dbname=x")
    check("an unreachable warehouse exits 69", rc == 69, (rc, err))


def check_recompute_and_config(s):
    before = dict(q(s.wh, "SELECT series, max(run_id) FROM kpi.seasonal_index GROUP BY 1"))
    n_before = q(s.wh, "SELECT count(*) FROM kpi.seasonal_series WHERE series = 'events'")[0][0]
    cfg = os.path.join(s.dir, "season.json")
    with open(cfg, "w") as f:
        json.dump({"time_zone": "America/Mexico_City",
                   "seasonality": {"indices": {"peak_index": 1.4, "low_index": 0.5}}}, f)
    rc, out, err = run("seasonality", "--warehouse", s.wh, "--config", cfg, "--as-of", AS_OF,
                       "--series", "generations")
    check("recompute one series with a configuration", rc == 0, err)
    after = dict(q(s.wh, "SELECT series, max(run_id) FROM kpi.seasonal_index GROUP BY 1"))
    check("only the series computed is replaced",
          after["generations"] > before["generations"] and
          all(after[k] == before[k] for k in before if k != "generations"), (before, after))
    check("the other series' rows are untouched",
          q(s.wh, "SELECT count(*) FROM kpi.seasonal_series WHERE series = 'events'")[0][0] == n_before)
    # Months cut at local midnight of the configured zone, counted here
    # independently of the program's SQL.
    expect = q(s.wh, """SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'America/Mexico_City'), 'YYYY-MM'),
                               count(*)::numeric
                        FROM dw.fact_generation
                        WHERE created_at < timestamp '2026-11-01' AT TIME ZONE 'America/Mexico_City'
                        GROUP BY 1 ORDER BY 1""")
    got = q(s.wh, "SELECT to_char(month_start, 'YYYY-MM'), value FROM kpi.seasonal_series "
                  "WHERE series = 'generations' AND scope = 'platform' ORDER BY 1")
    check("generations are counted by local month of the business time zone", got == expect,
          [(a, b) for a, b in zip(got, expect) if a != b][:3])
    classes = dict(q(s.wh, "SELECT month, class FROM kpi.seasonal_index WHERE series = 'generations' "
                           "AND scope = 'event_type:wedding'"))
    idx = dict(q(s.wh, "SELECT month, index FROM kpi.seasonal_index WHERE series = 'generations' "
                       "AND scope = 'event_type:wedding'"))
    check("the configured thresholds decide peak and low",
          all(classes[m] == ("peak" if idx[m] >= 1.4 else "low" if idx[m] <= 0.5 else "normal") for m in idx)
          and "peak" in classes.values(), (classes, idx))
    run_row = q(s.wh, "SELECT kind, status, time_zone, period_start::text, period_end::text FROM kpi.runs "
                      "WHERE run_id = %s", (after["generations"],))
    check("the run is recorded in kpi.runs as kind 'seasonality'",
          run_row == [("seasonality", "success", "America/Mexico_City", "2023-11-01", "2026-11-01")], run_row)


def main():
    s = DemoServer(run, "season", scale=SCALE, timeout=1200)
    try:
        rc, out, err = run("seasonality", "--warehouse", s.wh, "--as-of", AS_OF, "--verbose")
        check("seasonality computes every series", rc == 0 and "4 series" in out, out + err)
        series = stored_series(s.wh)
        idx, facts = stored_indices(s.wh)
        check("indices stored for every series and scope, twelve each",
              set(idx) == set(series) and all(len(v) == 12 for v in idx.values()), set(series) ^ set(idx))
        check("no NaN or infinity anywhere in the stored tables", no_nan_anywhere(s.wh))
        check_series_definitions(s, series)
        check_truth(s, idx, facts)
        check_statsmodels_indices(series, idx, facts)
        check_forecasts(s, series, facts)
        check_zero_months(s)
        idx, facts = stored_indices(s.wh)
        check_cli(s, idx)
        check_recompute_and_config(s)
    finally:
        s.close()
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
