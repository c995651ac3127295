#!/usr/bin/env python3
"""almanac kpi checked against authorities it does not share code with.

1. independent.sql, written from docs/kpis.md over the OPERATIONAL schema,
   recomputes every row for several periods of the demo data (month, quarter,
   ISO week, day, 7/30/90-day windows, a business time zone other than UTC):
   every (code, scope, breakdown) of kpi.results must be there and equal
   (exact for counts, credits, points and money; relative 1e-9 for ratios,
   means and percentiles; NULL = NULL), with the same flag, the unit of the
   contract, the default band, prev_value = the previous period's value and
   consistent delta / delta_pct.
2. A hand-built dataset (fixtures_edge.sql) with answers computed by hand
   below: an empty month, the first month of data, a partner without
   purchases, a month without API requests, a brand without distributions, a
   deactivation and reactivation in one month, and a purchase that changes
   month with the business time zone.
3. The truth the demo generator planted (almanac_demo.truth): partner
   segments, partner growth, the poor-quality style, the low-efficiency
   brand, the system pulse, and a few balances.

usage: test_kpi.py ALMANAC
"""
import csv
import io
import json
import re
import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INDEPENDENT = os.path.join(HERE, "independent.sql")
FIXTURES = os.path.join(HERE, "fixtures_edge.sql")
SOURCE_SCHEMA = [os.path.join(REPO, "schemas", "source", "001_operational.sql"),
                 os.path.join(REPO, "schemas", "source", "002_keys_indexes.sql")]
AS_OF = "2026-11-23"          # demo history: 2023-11-01 .. 2026-10-31
MEXICO = "America/Mexico_City"
MAX_DIFFS = 30
RATIO_TOLERANCE = Decimal("1e-9")

# The unit of every code (docs/kpis.md). Segment codes are not in a table
# there: counts and a share.
UNITS = {}
for unit, codes in {
    "status": ["system_pulse"],
    "pct": ["uptime_pct", "error_rate_pct", "partner_growth_mom_pct", "partner_churn_mom_pct",
            "active_partner_ratio_pct", "consumption_ratio_pct", "revenue_growth_mom_pct",
            "mrr_growth_mom_pct", "b2c_activation_pct", "repeat_purchase_pct", "funnel_reach_pct",
            "funnel_dropoff_pct", "style_share_pct", "category_share_pct", "style_deletion_rate_pct",
            "capital_efficiency_pct", "engagement_rate_pct", "segment_share_pct"],
    "count": ["api_requests", "partners_total", "partners_active", "partners_inactive",
              "partners_approved", "partners_deactivated", "events_total", "events_cumulative",
              "generations_total", "avg_generations_per_event", "pack_purchases", "pack_buyers",
              "b2c_users_total", "b2c_new_users", "b2c_active_30d", "b2c_users_by_tier",
              "styles_total", "styles_active", "styles_inactive", "style_generations",
              "generations_by_hour", "customers_reached", "active_rewards", "perk_claims",
              "perk_claims_per_day", "perk_supply_remaining", "partners_in_segment",
              "segment_movement"],
    "seconds": ["avg_response_s", "p95_response_s", "session_avg_s"],
    "credits": ["credits_bought", "credits_used", "credits_in_channels", "credits_in_circulation",
                "avg_credits_per_user"],
    "usd": ["revenue_usd", "mrr_usd", "pack_revenue_usd", "b2c_revenue_month_usd", "avg_purchase_usd",
            "capital_invested_usd", "revenue_generated_usd", "arpc_usd"],
    "rsnc": ["points_distributed", "rsnc_balance", "points_redeemed"],
    "rank": ["style_rank", "perk_rank"],
    "days": ["style_days_since_use"],
    "hour": ["perk_peak_hour"],
    "date": ["perk_peak_week"],
}.items():
    for c in codes:
        UNITS[c] = unit

# Compared with a relative tolerance: quotients, means, percentiles. All
# other codes are sums or counts of exact values and must be equal.
RATIO_CODES = {c for c, u in UNITS.items() if u in ("pct", "seconds")} | {
    "avg_generations_per_event", "avg_credits_per_user", "avg_purchase_usd", "arpc_usd",
    "perk_claims_per_day"}


def default_band(code, v):
    """The band of KPIS.md's default thresholds; None for codes without one."""
    if v is None:
        return None
    higher = {"uptime_pct": (99.5, 99), "partner_growth_mom_pct": (10, 5),
              "active_partner_ratio_pct": (60, 40), "avg_generations_per_event": (100, 50),
              "revenue_growth_mom_pct": (15, 5), "mrr_growth_mom_pct": (1, 0),
              "b2c_activation_pct": (30, 15)}
    lower = {"error_rate_pct": (1, 3), "avg_response_s": (2, 5), "partner_churn_mom_pct": (5, 10)}
    if code == "system_pulse":
        return {0: "good", 1: "watch", 2: "needs_improvement"}.get(int(v), "?")
    if code in higher:
        good, bad = (Decimal(str(x)) for x in higher[code])
        return "good" if v >= good else "needs_improvement" if v < bad else "watch"
    if code in lower:
        good, bad = (Decimal(str(x)) for x in lower[code])
        return "good" if v < good else "needs_improvement" if v > bad else "watch"
    if code == "consumption_ratio_pct":
        if 60 <= v <= 80:
            return "good"
        return "needs_improvement" if v < 50 or v > 95 else "watch"
    return None


BENCHMARKED = {c for c in UNITS if default_band(c, Decimal(1)) is not None}


def psql_file(conn_str, path):
    p = subprocess.run(["psql", conn_str, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"psql -f {path} failed: {p.stderr}")


class Server(DemoServer):
    """The scale 0.01 demo, with a configuration in Mexico City time."""

    def __init__(self):
        super().__init__(run, "kpi")
        self.config = os.path.join(self.dir, "mexico.json")
        with open(self.config, "w") as f:
            json.dump({"time_zone": MEXICO}, f)

    def database(self, name):
        return self.wh.replace("almanac_warehouse", name)


# Periods ----------------------------------------------------------------------

class Period:
    """A period spec as `almanac kpi` takes it, with the contract's dates."""

    def __init__(self, spec=None, window=None, as_of=None, tz="UTC"):
        self.spec, self.window, self.as_of, self.tz = spec, window, as_of, tz
        if window:
            n = int(window[:-1])
            end = date.fromisoformat(as_of) + timedelta(days=1)
            self.grain, self.start, self.end = window, end - timedelta(days=n), end
        elif "Q" in spec:
            y, qn = int(spec[:4]), int(spec[5:])
            self.grain, self.start = "quarter", date(y, 3 * qn - 2, 1)
            self.end = add_months(self.start, 3)
        elif "-W" in spec:
            y, w = int(spec[:4]), int(spec[6:])
            self.grain, self.start = "week", date.fromisocalendar(y, w, 1)
            self.end = self.start + timedelta(days=7)
        elif len(spec) == 7:
            self.grain, self.start = "month", date.fromisoformat(spec + "-01")
            self.end = add_months(self.start, 1)
        else:
            self.grain, self.start = "day", date.fromisoformat(spec)
            self.end = self.start + timedelta(days=1)

    def previous(self):
        if self.window:
            n = int(self.window[:-1])
            return Period(window=self.window, as_of=(date.fromisoformat(self.as_of) - timedelta(days=n)).isoformat(),
                          tz=self.tz)
        if self.grain == "quarter":
            s = add_months(self.start, -3)
            return Period(f"{s.year}Q{(s.month + 2) // 3}", tz=self.tz)
        if self.grain == "week":
            y, w, _ = (self.start - timedelta(days=7)).isocalendar()
            return Period(f"{y}-W{w:02d}", tz=self.tz)
        if self.grain == "month":
            return Period(add_months(self.start, -1).isoformat()[:7], tz=self.tz)
        return Period((self.start - timedelta(days=1)).isoformat(), tz=self.tz)

    def args(self):
        a = ["--window", self.window, "--as-of", self.as_of] if self.window else ["--period", self.spec]
        return a

    def __str__(self):
        s = f"--window {self.window} --as-of {self.as_of}" if self.window else self.spec
        return s + ("" if self.tz == "UTC" else f" ({self.tz})")


def add_months(d, n):
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


# The three sides ----------------------------------------------------------------

def engine(wh, period, config=None):
    """Runs almanac kpi; returns (ok, message, {key: row dict}) for the period."""
    args = ["kpi", "--warehouse", wh, *period.args()]
    if config:
        args += ["--config", config]
    rc, out, err = run(*args)
    if rc != 0:
        return False, f"almanac {' '.join(args)}: exit {rc}\n{err.strip()}", {}
    try:
        rows = q(wh, "SELECT code, scope, breakdown, value, prev_value, delta, delta_pct, unit, band, flag, "
                     "time_zone, period_end FROM kpi.results WHERE grain = %s AND period_start = %s",
                 (period.grain, period.start))
    except psycopg2.Error as e:
        return False, f"reading kpi.results: {e}", {}
    cols = ["code", "scope", "breakdown", "value", "prev_value", "delta", "delta_pct", "unit", "band",
            "flag", "time_zone", "period_end"]
    out_rows = {}
    for r in rows:
        d = dict(zip(cols, r))
        out_rows[(d["code"], d["scope"], d["breakdown"])] = d
    return True, "", out_rows


def open_rejects(wh):
    return q(wh, "SELECT source_table, source_key FROM etl.rejects WHERE resolved_run_id IS NULL")


def copy_text(v):
    return v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def independent(src, rejects, period):
    """independent.sql for the period: {key: (value, flag)}."""
    script = ["CREATE TEMP TABLE rejected (source_table text, source_key text);",
              "COPY rejected FROM STDIN;"]
    script += [f"{copy_text(t)}\t{copy_text(k)}" for t, k in rejects]
    script += ["\\.", f"\\i {INDEPENDENT}", ""]
    p = subprocess.run(["psql", src, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--csv",
                        "-v", f"period_start={period.start}", "-v", f"period_end={period.end}",
                        "-v", f"tz={period.tz}", "-v", f"grain={period.grain}"],
                       input="\n".join(script), capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise SystemExit(f"independent.sql failed for {period}: {p.stderr}")
    rows = {}
    for r in csv.DictReader(io.StringIO(p.stdout)):
        key = (r["code"], r["scope"], r["breakdown"])
        if key in rows:
            raise SystemExit(f"independent.sql returned {key} twice")
        rows[key] = (Decimal(r["value"]) if r["value"] != "" else None, r["flag"] or None)
    return rows


# Comparison -------------------------------------------------------------------

def close(a, b):
    """Equal within the ratio tolerance; NULL only equals NULL."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= RATIO_TOLERANCE * max(abs(a), abs(b))


def same_value(code, a, b):
    if code in RATIO_CODES:
        return close(a, b)
    return a == b


def fmt_key(k):
    return f"{k[0]} {k[1]} {k[2] or '-'}"


def compare(period, mine, theirs, mine_prev=None):
    """Differences between kpi.results and independent.sql for one period."""
    diffs = []
    for k in sorted(mine.keys() - theirs.keys()):
        diffs.append(f"missing  {fmt_key(k)}  (expected {mine[k][0]})")
    for k in sorted(theirs.keys() - mine.keys()):
        diffs.append(f"extra    {fmt_key(k)}  (engine {theirs[k]['value']})")
    for k in sorted(mine.keys() & theirs.keys()):
        code = k[0]
        want, want_flag = mine[k]
        r = theirs[k]
        if not same_value(code, want, r["value"]):
            diffs.append(f"value    {fmt_key(k)}: engine {r['value']}, expected {want}")
        if r["flag"] != want_flag:
            diffs.append(f"flag     {fmt_key(k)}: engine {r['flag']}, expected {want_flag}")
    for k, r in sorted(theirs.items()):
        code, v = k[0], r["value"]
        if code in UNITS and r["unit"] != UNITS[code]:
            diffs.append(f"unit     {fmt_key(k)}: engine {r['unit']}, contract {UNITS[code]}")
        want_band = default_band(code, v)
        if code not in BENCHMARKED or v is None:
            if r["band"] is not None:
                diffs.append(f"band     {fmt_key(k)}: engine {r['band']}, expected NULL (value {v})")
        elif r["band"] != want_band and (k[2] == "" or r["band"] is not None):
            # headline rows must carry the band; a breakdown row may leave it NULL
            diffs.append(f"band     {fmt_key(k)}: engine {r['band']}, default thresholds give {want_band} (value {v})")
        if r["time_zone"] != period.tz:
            diffs.append(f"tz       {fmt_key(k)}: engine {r['time_zone']}, run with {period.tz}")
        if r["period_end"] != period.end:
            diffs.append(f"end      {fmt_key(k)}: engine {r['period_end']}, contract {period.end}")
        prev = r["prev_value"]
        want_delta = None if v is None or prev is None else v - prev
        want_pct = None if want_delta is None or prev == 0 else want_delta * 100 / prev
        if not same_value(code, want_delta, r["delta"]):
            diffs.append(f"delta    {fmt_key(k)}: engine {r['delta']}, value - prev_value = {want_delta}")
        if not close(want_pct, r["delta_pct"]):
            diffs.append(f"delta_pct {fmt_key(k)}: engine {r['delta_pct']}, expected {want_pct}")
        if mine_prev is not None:
            want_prev = mine_prev.get(k, (None, None))[0]
            if code == "segment_movement":
                want_prev = None  # a movement is itself a comparison: no previous (docs/kpis.md)
            if not same_value(code, want_prev, prev):
                diffs.append(f"prev     {fmt_key(k)}: engine prev_value {prev}, previous period's value {want_prev}")
    return diffs


def report(name, diffs):
    detail = "\n".join(diffs[:MAX_DIFFS])
    if len(diffs) > MAX_DIFFS:
        kinds = {}
        for d in diffs:
            kinds[d.split()[0]] = kinds.get(d.split()[0], 0) + 1
        detail += (f"\n... and {len(diffs) - MAX_DIFFS} more differences; in all: "
                   + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    check(name, not diffs, detail)


def check_period(label, wh, src, rejects, period, config=None, with_prev=True):
    """Engine vs independent.sql for a period (and its previous one first, so
    prev_value exists however the engine finds it). Returns the engine rows."""
    prev_mine = None
    if with_prev:
        pp = period.previous()
        ok, msg, prev_rows = engine(wh, pp, config)
        check(f"{label}: almanac kpi {pp} succeeds", ok, msg)
        prev_mine = independent(src, rejects, pp)
        if ok:
            report(f"{label}: kpi.results for {pp} = independent.sql ({len(prev_mine)} rows)",
                   compare(pp, prev_mine, prev_rows))
    ok, msg, rows = engine(wh, period, config)
    check(f"{label}: almanac kpi {period} succeeds", ok, msg)
    mine = independent(src, rejects, period)
    if ok:
        report(f"{label}: kpi.results for {period} = independent.sql ({len(mine)} rows)"
               + (", prev_value = previous period" if with_prev else ""),
               compare(period, mine, rows, prev_mine))
    return rows, mine


# Demo: independent computation and planted truth ------------------------------

def demo_checks(s):
    rejects = open_rejects(s.wh)
    check("the demo's warehouse has quarantined rows to exclude", len(rejects) > 0, len(rejects))
    truth = {}
    for kind, subject, detail in q(s.src, "SELECT kind, subject, detail FROM almanac_demo.truth"):
        truth.setdefault(kind, []).append((subject, detail))

    # 2026-10 (and 2026-09 before it), UTC: full comparison, then the truth.
    oct_ = Period("2026-10")
    rows, mine = check_period("demo", s.wh, s.src, rejects, oct_)
    truth_checks(s, truth, rows, mine)

    # The previous period runs on a second connection beside the requested
    # one: both passes' files are timed, and the connection is gone after.
    rc, out, err = run("kpi", "--warehouse", s.wh, "--period", "2026-10", "--verbose")
    timed = [w for line in err.splitlines() for w in [line.split()] if len(w) >= 2]
    check("kpi --verbose times every metric file of both passes",
          rc == 0 and all([p, f] in [w[:2] for w in timed] for p in ("prev", "cur")
                          for f in ("01_lifetime.sql", "80_segments.sql"))
          and "previous period copied" in err, err)
    left = q(s.wh, "SELECT count(*) FROM pg_stat_activity "
                   "WHERE application_name = 'almanac kpi (previous period)'")[0][0]
    check("the previous period's connection is closed after the run", left == 0, left)

    # A role allowed one connection: no second one, so the passes run one
    # after the other on the KPI connection, with the same results.
    stored = q(s.wh, "SELECT md5(string_agg(concat_ws('|', code, scope, breakdown, value, prev_value, "
                     "delta, band), E'\\n' ORDER BY code, scope, breakdown)) FROM kpi.results "
                     "WHERE grain = 'month' AND period_start = '2026-10-01'")[0][0]
    q(s.wh, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kpi_one_conn') THEN "
            "CREATE ROLE kpi_one_conn LOGIN CONNECTION LIMIT 1; END IF; END $$; "
            "GRANT " + q(s.wh, "SELECT current_user")[0][0] + " TO kpi_one_conn")
    one = re.sub(r"user=\S+", "user=kpi_one_conn", s.wh)
    rc, out, err = run("kpi", "--warehouse", one, "--period", "2026-10", "--verbose")
    again = q(s.wh, "SELECT md5(string_agg(concat_ws('|', code, scope, breakdown, value, prev_value, "
                    "delta, band), E'\\n' ORDER BY code, scope, breakdown)) FROM kpi.results "
                    "WHERE grain = 'month' AND period_start = '2026-10-01'")[0][0]
    check("with one connection allowed, the passes run in turn and store the same rows",
          rc == 0 and "user=kpi_one_conn" in one and again == stored and "prev 01_lifetime.sql" in err
          and "previous period copied" not in err,
          f"rc {rc} {err.strip()[-300:]} {stored} {again}")

    for period in [Period("2026Q3"), Period("2026-W43"), Period("2026-10-14"),
                   Period(window="30d", as_of="2026-10-31"), Period(window="7d", as_of="2026-10-31"),
                   Period(window="90d", as_of="2026-10-31"), Period("2024-02")]:
        check_period("demo", s.wh, s.src, rejects, period)

    # partner_growth truth, month by month (the launch month, the same-month
    # deactivation and reactivation, later deactivations).
    growth = {subj: d for subj, d in truth["partner_growth"]}
    for month in ["2023-11", "2025-04", "2025-06", "2026-07", "2026-10"]:
        ok, msg, r = engine(s.wh, Period(month))
        if month != "2026-10":
            report(f"demo: kpi.results for {month} = independent.sql",
                   compare(Period(month), independent(s.src, rejects, Period(month)), r) if ok else [msg])
        t = growth[month]
        got = tuple(val(r, c) for c in ("partners_approved", "partners_deactivated", "partners_active"))
        want = (t["approved"], t["deactivated"], t["active_end"])
        check(f"truth partner_growth {month}: approved / deactivated / active_end = {want}",
              ok and got == want, msg or f"kpi.results: {got}")

    # The same months in the business time zone America/Mexico_City.
    check_period("demo (Mexico City)", s.wh, s.src, rejects, Period("2026-10", tz=MEXICO), config=s.config)


def val(rows, code, scope="platform", breakdown=""):
    r = rows.get((code, scope, breakdown))
    if r is None:
        return "missing"
    v = r["value"]
    return int(v) if v is not None and v == int(v) and UNITS.get(code) != "pct" else v


def truth_checks(s, truth, rows, mine):
    segs = {int(subj): d["segment"] for subj, d in truth["partner_segment"]}
    # kpi.partner_segments: the contract names no columns but "per partner",
    # its segment and last month's; find the period column by name.
    cols = [c for (c,) in q(s.wh, "SELECT column_name FROM information_schema.columns "
                                  "WHERE table_schema = 'kpi' AND table_name = 'partner_segments'")]
    period_col = next((c for c in ("period_start", "month_start", "month", "period") if c in cols), None)
    if "partner_id" in cols and "segment" in cols and period_col:
        stored = dict(q(s.wh, f"SELECT partner_id, segment FROM kpi.partner_segments "
                              f"WHERE {period_col}::text IN ('2026-10-01', '2026-10')"))
        wrong = {p: (stored.get(p), want) for p, want in segs.items() if stored.get(p) != want}
        extra = sorted(set(stored) - set(segs))
        check(f"truth partner_segment: kpi.partner_segments 2026-10 holds the planted segment of all "
              f"{len(segs)} partners", not wrong and not extra,
              f"(stored, planted): {wrong}; not planted: {extra}")
        if "action" in cols or "recommended_action" in cols:
            ac = "action" if "action" in cols else "recommended_action"
            actions = {seg: {a for (a,) in q(s.wh, f"SELECT DISTINCT {ac} FROM kpi.partner_segments "
                                                  f"WHERE segment = %s", (seg,))}
                       for seg in ("power", "active", "occasional", "dormant")}
            want = {"power": "vip", "active": "upsell", "occasional": "re-engagement", "dormant": "win-back"}
            bad = {seg: a for seg, a in actions.items()
                   if a and not all(want[seg] in (x or "").lower() for x in a)}
            check("kpi.partner_segments: each segment carries the seed's action", not bad, bad)
    else:
        check("kpi.partner_segments has partner_id, segment and a period column", False, f"columns: {cols}")
    counts = {}
    for seg in segs.values():
        counts[seg] = counts.get(seg, 0) + 1
    got = {seg: val(rows, "partners_in_segment", "platform", f"segment:{seg}")
           for seg in ("power", "active", "occasional", "dormant")}
    check(f"truth partner_segment: partners_in_segment 2026-10 = {counts}",
          got == {k: counts.get(k, 0) for k in got}, got)

    (style, d), = truth["poor_quality_style"]
    flagged = sorted(k[2] for k, r in rows.items() if r["flag"] == "quality_issue")
    v = rows.get(("style_deletion_rate_pct", "platform", f"style:{style}"), {}).get("value")
    # The planted rate is lifetime; the KPI judges the 90 days before the end
    # (docs/kpis.md), which must still stand out: at least twice the
    # platform's planted rate.
    check(f"truth poor_quality_style: style {style} alone carries quality_issue "
          f"(planted lifetime rate {d['deletion_rate_pct']} %, platform {d['platform_rate_pct']} %)",
          flagged == [f"style:{style}"] and v is not None
          and v >= 2 * Decimal(str(d["platform_rate_pct"])),
          f"flagged {flagged}, rate {v}")

    (brand, d), = truth["loyalty_low_efficiency"]
    flagged = sorted(k[1] for k, r in rows.items() if r["flag"] == "adjust_perks")
    check(f"truth loyalty_low_efficiency: brand {brand} alone carries adjust_perks in 2026-10",
          flagged == [f"brand:{brand}"], flagged)

    (_, d), = truth["system_pulse"]
    pulse = rows.get(("system_pulse", "platform", ""), {})
    check(f"truth system_pulse: {d['status']} at the end of 2026-10 (0, band good)",
          d["status"] == "green" and pulse.get("value") == 0 and pulse.get("band") == "good", pulse)

    for subj, d in truth["brand_low_rsnc"]:
        check(f"truth brand_low_rsnc: rsnc_balance of brand {subj} = {d['balance']}",
              val(rows, "rsnc_balance", f"brand:{subj}") == d["balance"],
              val(rows, "rsnc_balance", f"brand:{subj}"))
    for subj, d in truth["perk_low_supply"] + truth["perk_selling_out"]:
        got = val(rows, "perk_supply_remaining", f"brand:{d['brand_id']}", f"perk:{subj}")
        check(f"truth perk supply: perk {subj} has {d['remaining']} left at the end of 2026-10",
              got == d["remaining"], got)


# Edge cases: a hand-built source, answers computed by hand ---------------------

N = None  # NULL: n/a
P, B1, B2 = "platform", "brand:1", "brand:2"

# 2026-08, UTC: the first month of data. [start, end) = [08-01 00:00Z, 09-01 00:00Z)
AUG = {
    # health: latest checks before end (and within its last 24 h) are the 08-31 23:50 round,
    # all up, storage 6000 ms > 5000 -> amber
    ("system_pulse", P, ""): 1,
    # rounds 08-01 00:00 (all up), 08-01 00:05 (api down), 08-31 23:50 (all up): 2 / 3 x 100
    ("uptime_pct", P, ""): Decimal(200) / 3,
    ("uptime_pct", P, "component:api"): Decimal(200) / 3,          # 2 of its 3 checks up
    ("uptime_pct", P, "component:storage"): 100,                   # slow is still up
    ("api_requests", P, ""): 4,
    ("error_rate_pct", P, ""): 25,                                 # one 503 of 4
    ("avg_response_s", P, ""): Decimal("0.25"),                    # (100+200+300+400)/4 ms
    ("p95_response_s", P, ""): Decimal("0.385"),                   # 300 + 0.85 x (400-300) ms
    # partners: P1 approved 08-02; nobody active at 08-01 00:00
    ("partners_total", P, ""): 1, ("partners_active", P, ""): 1, ("partners_inactive", P, ""): 0,
    ("partners_approved", P, ""): 1, ("partners_deactivated", P, ""): 0,
    ("partner_growth_mom_pct", P, ""): N,                          # 1 / 0 active at start
    ("partner_churn_mom_pct", P, ""): N,
    ("active_partner_ratio_pct", P, ""): 100,                      # P1 held event 1 on 08-20
    # events: event 1 (wedding, 08-20) with generations 1, 2, 3
    ("events_total", P, ""): 1, ("events_total", "event_type:wedding", ""): 1,
    ("events_total", "event_type:holiday", ""): 0, ("events_cumulative", "partner:1", ""): 1,
    ("generations_total", P, ""): 4,                               # 1, 2, 3 at the event + 4 (B2C)
    ("generations_total", P, "channel:partner"): 3, ("generations_total", P, "channel:b2c"): 1,
    ("avg_generations_per_event", P, ""): 3,                       # 3 generations / 1 event
    ("avg_generations_per_event", "event_type:corporate", ""): N,  # no corporate event
    # credits: bought 1000, allocated 100, consumed 4 (partner) + 1 (B2C), B2C bought 10
    ("credits_bought", "partner:1", ""): 1000, ("credits_used", P, ""): 4,
    ("credits_in_channels", P, ""): 900,                           # 1000 - 100
    ("credits_in_circulation", P, ""): 1005,                       # 1000 + 10 - 4 - 1
    ("consumption_ratio_pct", "partner:1", ""): Decimal("0.4"),    # 4 / 1000 x 100 (< 50: training_issue)
    # revenue: 329.00 (pack 1000) + 2.99 (B2C pack 10, promo); July had none
    ("revenue_usd", P, ""): Decimal("331.99"), ("revenue_usd", P, "source:subscription"): 0,
    ("revenue_usd", "partner:1", ""): Decimal("329.00"),
    ("revenue_growth_mom_pct", P, ""): N,                          # / 0 in July
    ("mrr_usd", P, ""): 100, ("mrr_usd", P, "source:contracts"): 100,
    ("mrr_growth_mom_pct", P, ""): N,                              # July's MRR is 0
    ("pack_purchases", P, "channel:b2c/pack:10/promo:yes"): 1,
    ("pack_revenue_usd", P, "channel:partner/pack:1000/promo:no"): Decimal("329.00"),
    # B2C: one user (08-10), generation 4 on 08-12, sessions 1 (300 s, to generate) and 2 (open, upload)
    ("b2c_users_total", P, ""): 1, ("b2c_new_users", P, ""): 1, ("b2c_active_30d", P, ""): 1,
    ("b2c_activation_pct", P, ""): 100, ("b2c_revenue_month_usd", P, ""): Decimal("2.99"),
    ("avg_credits_per_user", P, ""): 10, ("b2c_users_by_tier", P, "tier:1-49"): 1,
    ("b2c_users_by_tier", P, "tier:0"): 0, ("avg_purchase_usd", P, ""): Decimal("2.99"),
    ("repeat_purchase_pct", P, ""): 0,                             # 0 of 1 buyer bought twice
    ("session_avg_s", P, ""): 300,                                 # session 2 never ended
    ("funnel_reach_pct", P, "step:1-upload"): 100, ("funnel_reach_pct", P, "step:2-style"): 50,
    ("funnel_reach_pct", P, "step:4-download"): 0,
    ("funnel_dropoff_pct", P, "step:2-style"): 50,                 # 100 - 1/2 x 100
    ("funnel_dropoff_pct", P, "step:3-generate"): 0,               # 100 - 1/1 x 100
    ("funnel_dropoff_pct", P, "step:4-download"): 100,             # 100 - 0/1 x 100
    # styles: style 1 made generations 1, 2, 4; style 2 made 3
    ("styles_total", P, ""): 2, ("styles_inactive", P, ""): 0,
    ("style_generations", P, "style:1"): 3, ("style_rank", P, "style:2"): 2,
    ("style_share_pct", P, "style:1"): 75, ("category_share_pct", P, "category:fantasy"): 25,
    ("style_share_pct", "event_type:wedding", "style:2"): Decimal(100) / 3,
    ("style_days_since_use", P, "style:2"): 11,                    # 08-31 - 08-20
    ("style_deletion_rate_pct", P, ""): 0,
    ("generations_by_hour", P, "channel:partner/weekday:4/hour:18"): 1,  # Thursday 2026-08-20
    ("generations_by_hour", P, "channel:b2c/weekday:3/hour:11"): 1,      # Wednesday 2026-08-12
    # loyalty: brand 1 bought 10000 RSNC (100 USD), gave 500 + 300 to mbr_1, mbr_2; mbr_1 claimed perk 1
    # (200 RSNC, 5.00 USD) on Monday 08-10 at 10:15; brand 2 bought 5000 RSNC (50 USD), distributed nothing
    ("capital_invested_usd", P, ""): 150, ("points_distributed", B1, ""): 800,
    ("customers_reached", B1, ""): 2, ("rsnc_balance", B1, ""): 9200,      # 10000 - 800
    ("rsnc_balance", P, ""): 14200,                                         # 9200 + 5000
    ("points_redeemed", B1, ""): 200, ("capital_efficiency_pct", B1, ""): 25,   # 200 / 800
    ("capital_efficiency_pct", B2, ""): N,                         # brand 2: 0 distributed
    ("points_distributed", B2, ""): 0, ("customers_reached", B2, ""): 0,
    ("active_rewards", B1, ""): 1, ("active_rewards", B2, ""): 0,  # reward 2 deactivated 08-15
    ("revenue_generated_usd", P, ""): 5, ("engagement_rate_pct", B1, ""): 50,   # 1 claimer / 2 reached
    ("engagement_rate_pct", B2, ""): N, ("arpc_usd", B1, ""): Decimal("2.5"),  # 5.00 / 2
    ("arpc_usd", B2, ""): N,
    ("perk_claims", B1, "perk:1"): 1, ("perk_claims_per_day", B1, "perk:1"): Decimal(1) / 31,
    ("perk_supply_remaining", B1, "perk:1"): 9, ("perk_rank", P, "perk:1"): 1,
    ("perk_peak_hour", B1, "perk:1"): 10, ("perk_peak_week", B1, "perk:1"): 20260810,
    # segments: P1: 1 event in 90 days (e = 0.33), usage 0.4 % -> occasional; new this month
    ("partners_in_segment", P, "segment:occasional"): 1, ("partners_in_segment", P, "segment:power"): 0,
    ("segment_share_pct", P, "segment:occasional"): 100,
    ("segment_movement", P, "from:new/to:occasional"): 1,
}
AUG_FLAGS = {("consumption_ratio_pct", "partner:1", ""): "training_issue",
             ("consumption_ratio_pct", P, ""): "training_issue",
             ("capital_efficiency_pct", B1, ""): None}  # median of one brand: 800 is not above it

# 2026-09, UTC: an empty month. Flows are 0, their ratios NULL; stocks carry over.
SEP = {
    ("events_total", P, ""): 0, ("generations_total", P, ""): 0, ("api_requests", P, ""): 0,
    ("credits_bought", P, ""): 0, ("credits_used", P, ""): 0, ("revenue_usd", P, ""): 0,
    ("b2c_new_users", P, ""): 0, ("b2c_revenue_month_usd", P, ""): 0, ("points_distributed", P, ""): 0,
    ("capital_invested_usd", P, ""): 0, ("partners_approved", P, ""): 0,
    ("error_rate_pct", P, ""): N, ("avg_response_s", P, ""): N, ("p95_response_s", P, ""): N,
    ("uptime_pct", P, ""): N, ("avg_generations_per_event", P, ""): N, ("avg_purchase_usd", P, ""): N,
    ("repeat_purchase_pct", P, ""): N, ("session_avg_s", P, ""): N,
    ("funnel_reach_pct", P, "step:1-upload"): N, ("capital_efficiency_pct", P, ""): N,
    ("arpc_usd", P, ""): N,
    ("system_pulse", P, ""): N,                     # no check in the 24 h before the end: no status
    ("revenue_growth_mom_pct", P, ""): -100,        # (0 - 331.99) / 331.99 x 100
    ("partner_growth_mom_pct", P, ""): 0,           # 0 approved / 1 active at 09-01
    ("active_partner_ratio_pct", P, ""): 0,         # 0 of 1 active partner held an event
    ("b2c_activation_pct", P, ""): 0,               # no generation in [09-01, 10-01)
    ("partners_active", P, ""): 1, ("credits_in_channels", P, ""): 900,
    ("consumption_ratio_pct", P, ""): Decimal("0.4"), ("rsnc_balance", P, ""): 14200,
    ("mrr_usd", P, ""): 100, ("mrr_growth_mom_pct", P, ""): 0,     # (100 - 100) / 100
    ("engagement_rate_pct", B1, ""): 0,             # 0 claimers / 2 reached to date
    ("segment_movement", P, "from:occasional/to:occasional"): 1,
}
# prev_value and deltas of the empty month: August's values
SEP_PREV = {("events_total", P, ""): (1, -1, -100),
            ("revenue_usd", P, ""): (Decimal("331.99"), Decimal("-331.99"), -100),
            ("error_rate_pct", P, ""): (25, N, N)}

# 2026-10, UTC: P1 deactivated 10-10 and reactivated 10-20; P2 approved 10-05, never buys.
OCT = {
    ("partners_total", P, ""): 2, ("partners_active", P, ""): 2, ("partners_inactive", P, ""): 0,
    ("partners_approved", P, ""): 1,                # P2 (P1's first approval was in August)
    ("partners_deactivated", P, ""): 1,             # P1, though active again at the end
    ("partner_growth_mom_pct", P, ""): 100,         # 1 / 1 active at 10-01
    ("partner_churn_mom_pct", P, ""): 100,          # 1 / 1
    ("active_partner_ratio_pct", P, ""): 50,        # P1 held event 2; P2 none: 1 / 2
    ("consumption_ratio_pct", "partner:2", ""): N,  # 0 / 0 credits bought
    ("consumption_ratio_pct", "partner:1", ""): Decimal("0.6"),    # (4 + 2) / 1000
    ("credits_in_channels", "partner:1", ""): 850,  # 1000 - 100 - 50
    ("credits_in_channels", "partner:2", ""): 0,
    ("credits_in_circulation", P, ""): 1003,        # 1000 + 10 - (1 + 4 + 2)
    ("error_rate_pct", P, ""): N,                   # no API request
    ("api_requests", P, ""): 0,
    ("b2c_revenue_month_usd", P, ""): 0,            # the purchase is at 11-01 05:30 UTC
    ("mrr_usd", P, ""): 150,                        # contracts 100 + 50
    ("mrr_growth_mom_pct", P, ""): 50,              # (150 - 100) / 100
    ("style_deletion_rate_pct", P, ""): Decimal(100) / 6,          # generation 5 of 6 deleted 10-16
    ("style_deletion_rate_pct", P, "style:1"): 20,  # 1 of 5
    ("style_days_since_use", P, "style:1"): 16,     # 10-31 - 10-15
    ("style_days_since_use", P, "style:2"): 72,     # 10-31 - 08-20
    ("avg_generations_per_event", "partner:1", ""): 2,
    ("avg_generations_per_event", "partner:2", ""): N,
    ("partners_in_segment", P, "segment:dormant"): 1,   # P2: no event in 90 days
    ("partners_in_segment", P, "segment:occasional"): 1,  # P1: 2 events, usage 0.6 %
    ("segment_share_pct", P, "segment:dormant"): 50,
    ("segment_movement", P, "from:new/to:dormant"): 1,
    ("segment_movement", P, "from:occasional/to:occasional"): 1,
}
# The B2C purchase at 2026-11-01 05:30 UTC = 2026-10-31 23:30 in Mexico City.
OCT_MEXICO = {("b2c_revenue_month_usd", P, ""): Decimal("7.99"), ("revenue_usd", P, ""): Decimal("7.99"),
              ("revenue_usd", P, "source:b2c"): Decimal("7.99")}
NOV_UTC = {("b2c_revenue_month_usd", P, ""): Decimal("7.99")}
NOV_MEXICO = {("b2c_revenue_month_usd", P, ""): 0}


def expect(label, rows, expected, flags=None, source="kpi.results"):
    """Hand-computed values (and flags) against rows {key: value or row dict}."""
    diffs = []
    for k, want in expected.items():
        if k not in rows:
            diffs.append(f"missing  {fmt_key(k)}  (hand: {want})")
            continue
        r = rows[k]
        got = r["value"] if isinstance(r, dict) else r[0]
        w = None if want is None else Decimal(want)
        if not (got is None and w is None) and (got is None or w is None or
                                                abs(got - w) > RATIO_TOLERANCE * max(abs(w), 1)):
            diffs.append(f"value    {fmt_key(k)}: {source} {got}, hand {w}")
    for k, want in (flags or {}).items():
        r = rows.get(k)
        got = None if r is None else r["flag"] if isinstance(r, dict) else r[1]
        if r is None or got != want:
            diffs.append(f"flag     {fmt_key(k)}: {source} {got}, hand {want}")
    report(f"{label}: {source} = the hand-computed answers ({len(expected) + len(flags or {})} checked)", diffs)


def edge_checks(s):
    admin = psycopg2.connect(s.database("postgres"))
    admin.autocommit = True
    for db in ("kpi_edge_source", "kpi_edge_warehouse"):
        admin.cursor().execute(f"CREATE DATABASE {db}")
    admin.close()
    src, wh = s.database("kpi_edge_source"), s.database("kpi_edge_warehouse")
    for f in SOURCE_SCHEMA + [FIXTURES]:
        psql_file(src, f)
    rc, out, err = run("etl", "--source", src, "--warehouse", wh)
    check("edge: almanac etl loads the hand-built source", rc == 0, err)
    rejects = open_rejects(wh)
    check("edge: the hand-built rows are all well-formed (no rejects)", rejects == [], rejects)

    def step(period, expected, flags=None, config=None, prev=None, first=False):
        ok, msg, rows = engine(wh, period, config)
        check(f"edge: almanac kpi {period} succeeds", ok, msg)
        mine = independent(src, rejects, period)
        if expected:
            expect(f"edge {period}", mine, expected, flags, source="independent.sql")
        if not ok:
            return
        if expected:
            expect(f"edge {period}", rows, expected, flags)
        report(f"edge: kpi.results for {period} = independent.sql ({len(mine)} rows)",
               compare(period, mine, rows, prev))
        if first:
            bad = [fmt_key(k) for k, r in rows.items()
                   if r["prev_value"] is not None or r["delta"] is not None or r["delta_pct"] is not None]
            check(f"edge {period}: the first month of data has no prev_value, delta, delta_pct",
                  not bad, ", ".join(bad[:MAX_DIFFS]))
        return rows

    # In this order: August before anything else exists in kpi.results.
    step(Period("2026-08"), AUG, AUG_FLAGS, first=True)
    aug_mine = independent(src, rejects, Period("2026-08"))
    rows = step(Period("2026-09"), SEP, prev=aug_mine)
    if rows:
        diffs = []
        for k, want in SEP_PREV.items():
            r = rows.get(k)
            got = None if r is None else (r["prev_value"], r["delta"], r["delta_pct"])
            w = tuple(None if x is None else Decimal(x) for x in want)
            if got != w:
                diffs.append(f"{fmt_key(k)}: (prev, delta, delta_pct) engine {got}, hand {w}")
        report("edge 2026-09: prev_value, delta, delta_pct are August's by hand", diffs)
    step(Period("2026-10"), OCT, {("consumption_ratio_pct", "partner:2", ""): None})
    step(Period("2026-11"), NOV_UTC)
    mx = s.config
    step(Period("2026-09", tz=MEXICO), {}, config=mx)        # the previous period, for prev_value
    step(Period("2026-10", tz=MEXICO), OCT_MEXICO, config=mx)
    step(Period("2026-11", tz=MEXICO), NOV_MEXICO, config=mx)


def main():
    s = Server()
    try:
        demo_checks(s)
        edge_checks(s)
    finally:
        s.close()
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
