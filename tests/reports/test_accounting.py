#!/usr/bin/env python3
"""almanac report accounting, read back by openpyxl and checked against
independent psycopg2 queries on the demo warehouse (scale 0.01).

What a user would see: the sheet names and headers; numbers that are
numbers, dates that are dates; no formula but the roll-forward's totals and
checks; the values the warehouse holds (KPIs, transactions, the
roll-forward recomputed here from the facts); every check difference 0 and
last month's closing = this month's opening; the demo's hostile strings
written as inert text; a byte-identical file on a second run; the
continuation on "Transactions (2)" with a small row limit; a business time
zone whose snapshot does not exist (read from the facts); exit codes.

usage: test_accounting.py ALMANAC
"""
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal

import openpyxl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)
AS_OF = "2026-11-23"
MEXICO = "America/Mexico_City"
SHEETS = ["Summary", "Credits roll-forward", "Transactions", "Partners", "Events", "Style usage",
          "B2C revenue", "Loyalty ledger", "Charts"]
HEADERS = {
    "Transactions": ["Date", "Actor", "Action Type", "Amount", "Description", "Amount (USD)",
                     "Transaction ID", "Partner ID", "Partner", "B2C user ID", "Event ID", "Pack size",
                     "Promo code"],
    "Partners": ["ID", "Name", "Email", "Credits Total", "Credits Used", "Event Count", "Active Status",
                 "Created Date", "Contract value (USD)", "Unallocated credits"],
    "Events": ["Event ID", "Name", "Slug", "Partner", "Client", "Credits Allocated", "Credits Used",
               "Generations Count", "Created Date", "Event Date", "Event Type"],
    "Style usage": ["Style ID", "Name", "Category", "Usage Count", "Last Used", "Share of generations",
                    "Rank", "Active"],
    "B2C revenue": ["Metric", "Breakdown", "Value", "Previous", "Change", "Change %", "Unit"],
    "Loyalty ledger": ["Brand ID", "Brand", "Opening balance (RSNC)", "USD deposited", "RSNC bought",
                       "RSNC distributed", "RSNC sold back", "USD sold back", "Closing balance (RSNC)",
                       "RSNC redeemed", "Customers reached", "Revenue generated (USD)"],
}
RF_HEADER = ["Partner ID", "Partner", "Opening balance", "Bought", "Consumed", "Refunded",
             "Closing balance", "Allocated to events", "Unallocated at end"]
SUMMARY_HEADER = ["Metric", "Value", "Previous month", "Change", "Change %", "Unit", "Band", "Flag"]


class Server(DemoServer):
    """The scale 0.01 demo, an output directory and a Mexico City configuration."""

    def __init__(self):
        super().__init__(run, "xlsx")
        self.out = os.path.join(self.dir, "out")
        self.mexico = os.path.join(self.dir, "mexico.json")
        with open(self.mexico, "w") as f:
            json.dump({"time_zone": MEXICO}, f)


def report(s, period, out=None, env=None, config=None):
    args = ["report", "accounting", "--period", period, "--out", out or s.out, "--warehouse", s.wh, "--verbose"]
    if config:
        args += ["--config", config]
    return run(*args, env=env)


def header(ws, row=1):
    return [c.value for c in ws[row]][:ws.max_column]


def rows_after_header(ws, hrow=1):
    return list(ws.iter_rows(min_row=hrow + 1, values_only=True))


def sheet_rows(wb, name):
    """The rows of a table sheet and of its continuation sheets "NAME (2)", ..."""
    rows = []
    for n in wb.sheetnames:
        if n == name or n.startswith(name + " ("):
            rows += rows_after_header(wb[n])
    return rows


def num(v):
    return v is not None and isinstance(v, (int, float)) and not isinstance(v, bool)


def money_eq(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(str(a)) - Decimal(b)) < Decimal("0.005")


def close(a, b, tol=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b)))


def rf_table(ws):
    """The roll-forward's partner lines, totals row number and check rows."""
    lines, total_row, checks = [], None, []
    for r in ws.iter_rows(min_row=5):
        if r[1].value == "Total":
            total_row = r[0].row
            break
        lines.append([c.value for c in r[:9]])
    for r in ws.iter_rows(min_row=total_row + 3):
        if r[1].value:
            checks.append((r[1].value, r[2].value, r[3].value, r[4].value, r[0].row))
    return lines, total_row, checks


def independent_rollforward(wh, month, tz):
    """From the facts, written here from docs/warehouse.md: closing = bought - consumed - refunded."""
    return q(wh, """
        WITH b AS (SELECT (%(m)s::date::timestamp AT TIME ZONE %(tz)s) AS s,
                          ((%(m)s::date + interval '1 month')::timestamp AT TIME ZONE %(tz)s) AS e)
        SELECT f.partner_id,
          sum(CASE WHEN f.created_at < b.s THEN CASE f.kind WHEN 'purchase' THEN f.credits
              WHEN 'allocation' THEN 0 ELSE -f.credits END ELSE 0 END),
          sum(CASE WHEN f.created_at >= b.s AND f.kind = 'purchase' THEN f.credits ELSE 0 END),
          sum(CASE WHEN f.created_at >= b.s AND f.kind = 'consumption' THEN f.credits ELSE 0 END),
          sum(CASE WHEN f.created_at >= b.s AND f.kind = 'refund' THEN f.credits ELSE 0 END),
          sum(CASE f.kind WHEN 'purchase' THEN f.credits WHEN 'allocation' THEN 0 ELSE -f.credits END),
          sum(CASE WHEN f.created_at >= b.s AND f.kind = 'allocation' THEN f.credits ELSE 0 END),
          sum(CASE f.kind WHEN 'purchase' THEN f.credits WHEN 'allocation' THEN -f.credits ELSE 0 END)
        FROM dw.fact_credit_movement f, b
        WHERE f.partner_id IS NOT NULL AND f.created_at < b.e
          AND f.kind IN ('purchase', 'allocation', 'consumption', 'refund')
        GROUP BY f.partner_id ORDER BY f.partner_id""", {"m": month + "-01", "tz": tz})


def check_workbook(s, path, month, tz, label):
    wb = openpyxl.load_workbook(path)                   # formulas as written
    wv = openpyxl.load_workbook(path, data_only=True)   # cached values
    base = [n for n in wb.sheetnames if not n.endswith(")")]
    check(f"{label}: sheet names", base == SHEETS and all(n.split(" (")[0] in SHEETS for n in wb.sheetnames),
          wb.sheetnames)
    for name, h in HEADERS.items():
        ws = wv[name]
        check(f"{label}: {name} header", header(ws) == h, header(ws))
        check(f"{label}: {name} header frozen, filtered, printed on every page",
              ws.freeze_panes == "A2" and (ws.auto_filter.ref or "").startswith("A1:")
              and ws.print_title_rows == "$1:$1",
              (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows))
    check(f"{label}: roll-forward header", header(wv["Credits roll-forward"], 4) == RF_HEADER,
          header(wv["Credits roll-forward"], 4))
    check(f"{label}: summary header", header(wv["Summary"], 10) == SUMMARY_HEADER,
          header(wv["Summary"], 10))
    props = wb.properties
    created = props.created.replace(tzinfo=None) if props.created else None
    end = (dt.date.fromisoformat(month + "-01") + dt.timedelta(days=32)).replace(day=1)
    check(f"{label}: document title and created = end of the period",
          props.title == f"Accounting workbook {month}" and
          created == dt.datetime(end.year, end.month, end.day), (props.title, props.created))

    # Formulas: only the roll-forward's totals row and check block.
    _, total_row, _ = rf_table(wv["Credits roll-forward"])
    stray = []
    nformulas = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    nformulas += 1
                    if ws.title != "Credits roll-forward" or c.row < total_row:
                        stray.append(f"{ws.title}!{c.coordinate}={c.value}")
    check(f"{label}: no formula but the roll-forward's totals and checks", not stray and nformulas >= 20,
          (stray[:10], nformulas))

    # The month's bounds in the business time zone, for the queries below.
    bounds = {"m": month + "-01", "tz": tz}
    end_sql = "((%(m)s::date + interval '1 month')::timestamp AT TIME ZONE %(tz)s)"

    # Transactions = the warehouse's, in the business time zone.
    tx = q(s.wh, f"""
        SELECT (created_at AT TIME ZONE %(tz)s), actor, kind, credits, description, amount_usd,
               credit_transaction_id, partner_id, b2c_user_id, event_id
        FROM dw.fact_credit_movement
        WHERE created_at >= (%(m)s::date::timestamp AT TIME ZONE %(tz)s)
          AND created_at < {end_sql}
        ORDER BY created_at, credit_transaction_id""", bounds)
    mine = sheet_rows(wv, "Transactions")
    check(f"{label}: transactions: one row per movement", len(mine) == len(tx), (len(mine), len(tx)))
    bad = []
    for m, t in zip(mine, tx):
        when = m[0]
        ok = (isinstance(when, dt.datetime) and abs((when - t[0]).total_seconds()) < 0.001
              and m[1] == t[1] and m[2] == t[2] and m[3] == t[3] and (m[4] or None) == t[4]
              and money_eq(m[5], t[5]) and m[6] == t[6] and m[7] == t[7] and m[9] == t[8]
              and m[10] == t[9] and num(m[3]) and num(m[6]))
        if not ok:
            bad.append((m, t))
    check(f"{label}: transactions equal the warehouse (dates are dates, numbers numbers)", not bad, bad[:3])

    # Events: credits used and generations up to the month's end, from the
    # facts' rows grouped here, not by the report's query.
    used, gens = {}, {}
    for ev, credits in q(s.wh, f"""SELECT event_id, credits FROM dw.fact_credit_movement
                                   WHERE kind = 'consumption' AND event_id IS NOT NULL
                                     AND created_at < {end_sql}""", bounds):
        used[ev] = used.get(ev, 0) + credits
    for ev, n in q(s.wh, f"""SELECT event_id, count(*) FROM dw.fact_generation
                             WHERE event_id IS NOT NULL AND created_at < {end_sql}
                             GROUP BY event_id""", bounds):
        gens[ev] = n
    held = [r[0] for r in q(s.wh, """SELECT event_id FROM dw.dim_event
                                     WHERE event_date >= %(m)s::date
                                       AND event_date < %(m)s::date + interval '1 month'
                                     ORDER BY event_date, event_id""", bounds)]
    ev_rows = sheet_rows(wv, "Events")
    check(f"{label}: events: the month's events in day order", [r[0] for r in ev_rows] == held,
          (len(ev_rows), len(held)))
    check(f"{label}: events: credits used and generations up to the month's end = the facts",
          ev_rows and any(r[7] for r in ev_rows)
          and all(r[6] == used.get(r[0], 0) and r[7] == gens.get(r[0], 0) for r in ev_rows),
          [(r[0], r[6], used.get(r[0]), r[7], gens.get(r[0])) for r in ev_rows
           if (r[6], r[7]) != (used.get(r[0], 0), gens.get(r[0], 0))][:5])

    # Style usage: last use of each style before the month's end, local time.
    last = dict(q(s.wh, f"""SELECT style_id, max(created_at AT TIME ZONE %(tz)s) FROM dw.fact_generation
                            WHERE created_at < {end_sql} GROUP BY style_id""", bounds))
    st_rows = sheet_rows(wv, "Style usage")

    def same_instant(cell, want):
        if want is None:
            return cell is None
        return isinstance(cell, dt.datetime) and abs((cell - want).total_seconds()) < 1

    check(f"{label}: style usage: last used = the latest generation before the month's end",
          st_rows and any(r[4] for r in st_rows)
          and all(same_instant(r[4], last.get(r[0])) for r in st_rows),
          [(r[0], r[4], last.get(r[0])) for r in st_rows if not same_instant(r[4], last.get(r[0]))][:5])

    # Roll-forward = the facts, checks 0.
    rf = wv["Credits roll-forward"]
    lines, total_row, checks = rf_table(rf)
    ind = independent_rollforward(s.wh, month, tz)
    got = [tuple(l[0:1] + l[2:9]) for l in lines]
    want = [tuple(int(x) for x in r) for r in ind]
    check(f"{label}: roll-forward per partner = the facts", got == want,
          [x for x in zip(got, want) if x[0] != x[1]][:5])
    totals = [c.value for c in rf[total_row]][2:9]
    check(f"{label}: totals row = sum of the partner lines",
          totals == [sum(l[k] for l in lines) for k in range(2, 9)], totals)
    check(f"{label}: every roll-forward check shows difference 0",
          len(checks) >= 6 and all(c[3] == 0 and c[1] == c[2] for c in checks), checks)
    fcell = wb["Credits roll-forward"].cell(row=checks[1][4], column=4).value
    parts = [n for n in wb.sheetnames if n.startswith("Transactions")]
    check(f"{label}: the Bought check sums every Transactions sheet",
          all(f"'{p}'!$D:$D" in fcell for p in parts), fcell)

    # Summary = kpi.results.
    kr = q(s.wh, """SELECT code, value, prev_value, delta, delta_pct, unit, band FROM kpi.results
                    WHERE grain = 'month' AND period_start = %s AND scope = 'platform' AND breakdown = ''""",
           (month + "-01",))
    want = {r[0]: r for r in kr}
    summ = {r[0]: r for r in rows_after_header(wv["Summary"], 10) if r[0]}
    diffs = []
    for code, r in want.items():
        m = summ.get(code)
        scale = 100 if r[5] == "pct" else 1
        if m is None:
            diffs.append((code, "missing"))
            continue
        for i, (a, b) in enumerate(((m[1], r[1]), (m[2], r[2]), (m[4], r[4]))):
            sc = 100 if i == 2 else scale
            if not close(None if a is None else a * sc, b):
                diffs.append((code, i, a, b))
        if m[6] != r[6]:
            diffs.append((code, "band", m[6], r[6]))
    check(f"{label}: summary: every platform KPI, value/previous/change % as stored",
          not diffs and len(summ) == len(want), diffs[:5])
    fills = {r[0].value: r[6].fill.fgColor.rgb for r in wb["Summary"].iter_rows(min_row=11) if r[6].value}
    check(f"{label}: summary: bands coloured", fills and all(v not in (None, "00000000") for v in fills.values()),
          list(fills.items())[:3])

    # Ledger: opening + bought - distributed - sold back = closing, closing = rsnc_balance.
    led = rows_after_header(wv["Loyalty ledger"])
    bal = dict(q(s.wh, """SELECT split_part(scope, ':', 2)::bigint, value FROM kpi.results
                         WHERE code = 'rsnc_balance' AND grain = 'month' AND period_start = %s
                           AND scope LIKE 'brand:%%'""", (month + "-01",)))
    check(f"{label}: loyalty ledger ties out and closing = rsnc_balance",
          led and all(r[2] + r[4] - r[5] - r[6] == r[8] and r[8] == bal[r[0]] for r in led), led[:3])

    # Columns fitted: the description column wider than the default.
    width = wb["Transactions"].column_dimensions["E"].width
    check(f"{label}: column widths fitted", width and width > 20, width)
    return wb, wv, lines


def hostile_checks(s, wb):
    truth = [r[0] for r in q(s.src, "SELECT detail FROM almanac_demo.truth WHERE kind = 'hostile_text'")]
    where = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    where.setdefault(c.value, []).append(c)
    seen = 0
    bad = []
    for t in truth:
        cells = where.get(t["value"], [])
        if not cells:
            continue
        seen += 1
        for c in cells:
            if c.data_type != "s" or c.number_format != "@":
                bad.append((t, c.coordinate, c.data_type, c.number_format))
    formula_like = [t for t in truth if t["value"][:1] in "=+-@"]
    check("hostile strings: found verbatim in the workbook (partners, brands, this month's rows)",
          seen >= 5 and any(where.get(t["value"]) for t in formula_like), (seen, len(truth)))
    check("hostile strings: every one is a text cell in the Text format, never a formula", not bad, bad[:5])


def main():
    s = Server()
    try:
        # Options are checked before connecting: no server is needed for these.
        for bad in (["--period", "2026-13"], ["--period", "2026Q3"], [], ["--bogus"]):
            rc, out, err = run("report", "accounting", *bad, "--warehouse", "host=/nonexistent")
            check(f"usage error {bad} -> 64", rc == 64, (rc, err))
        rc, out, err = run("report", "accounting", "--period", "2026-10", "--warehouse", s.wh,
                           env={"ALMANAC_XLSX_MAX_ROWS": "two"})
        check("bad ALMANAC_XLSX_MAX_ROWS -> 78", rc == 78, (rc, err))
        stored = q(s.wh, "SELECT count(*) FROM kpi.results WHERE grain = 'month' AND period_start = '2024-02-01'")
        if stored[0][0] == 0:
            rc, out, err = report(s, "2024-02")
            check("KPIs not stored -> 65 with a hint", rc == 65 and "almanac kpi --period 2024-02" in err,
                  (rc, err))
        rc, out, err = report(s, "2026-10", out="/proc/almanac-cannot-write")
        check("output directory not writable -> 73", rc == 73, (rc, err))

        for p in ("2026-09", "2026-10"):
            rc, out, err = run("kpi", "--period", p, "--warehouse", s.wh)
            if rc != 0:
                raise SystemExit(f"kpi {p} failed: {err}")
        rc, out, err = report(s, "2026-10")
        check("report accounting 2026-10 exits 0", rc == 0, (rc, out, err))
        path = os.path.join(s.out, "accounting-2026-10.xlsx")
        wb, wv, oct_lines = check_workbook(s, path, "2026-10", "UTC", "2026-10")
        hostile_checks(s, wb)
        check("no temporary file left", not [f for f in os.listdir(s.out) if f.startswith(".")],
              os.listdir(s.out))

        first = hashlib.sha256(open(path, "rb").read()).hexdigest()
        rc, out, err = report(s, "2026-10")
        second = hashlib.sha256(open(path, "rb").read()).hexdigest()
        check("same warehouse and period: byte-identical file", rc == 0 and first == second)

        rc, out, err = report(s, "2026-09")
        check("report accounting 2026-09 exits 0", rc == 0, err)
        sep = openpyxl.load_workbook(os.path.join(s.out, "accounting-2026-09.xlsx"), data_only=True)
        sep_lines, _, _ = rf_table(sep["Credits roll-forward"])
        closing = {l[0]: l[6] for l in sep_lines}
        check("closing of 2026-09 = opening of 2026-10 for every partner",
              all(closing.get(l[0], 0) == l[2] for l in oct_lines) and len(sep_lines) > 10,
              [(l[0], closing.get(l[0]), l[2]) for l in oct_lines if closing.get(l[0], 0) != l[2]][:5])

        # Continuation sheets with a small row limit (header + 99 rows per sheet).
        small = os.path.join(s.dir, "small")
        rc, out, err = report(s, "2026-10", out=small, env={"ALMANAC_XLSX_MAX_ROWS": "100"})
        ntx = q(s.wh, """SELECT count(*) FROM dw.fact_credit_movement
                         WHERE created_at >= '2026-10-01 00:00+00' AND created_at < '2026-11-01 00:00+00'""")[0][0]
        check("rollover: runs", rc == 0, err)
        if rc == 0:
            wr = check_workbook(s, os.path.join(small, "accounting-2026-10.xlsx"), "2026-10", "UTC", "rollover")[1]
            names = [n for n in wr.sheetnames if n.startswith("Transactions")]
            want = ["Transactions"] + [f"Transactions ({i})" for i in range(2, (ntx + 98) // 99 + 1)]
            check("rollover: Transactions continues on numbered sheets, each with the header",
                  names == want and all(header(wr[n]) == HEADERS["Transactions"] for n in names)
                  and all(wr[n].max_row <= 100 for n in names), (names, want))

        # A business time zone the snapshot was not built in: read from the facts.
        rc, out, err = report(s, "2026-10", config=s.mexico)
        check("KPIs stored in another time zone -> 65", rc == 65 and "time zone" in err, (rc, err))
        rc, out, err = run("kpi", "--period", "2026-10", "--warehouse", s.wh, "--config", s.mexico)
        mx = os.path.join(s.dir, "mexico")
        rc, out, err = report(s, "2026-10", out=mx, config=s.mexico)
        check("Mexico City: report runs, roll-forward from the facts", rc == 0 and "from facts" in out, (rc, out, err))
        if rc == 0:
            check_workbook(s, os.path.join(mx, "accounting-2026-10.xlsx"), "2026-10", MEXICO, "Mexico City")

        if shutil.which("soffice"):
            conv = os.path.join(s.dir, "csv")
            p = subprocess.run(["soffice", "--headless", "--convert-to", "csv", "--outdir", conv, path],
                               capture_output=True, text=True, timeout=300)
            check("LibreOffice converts the workbook", p.returncode == 0 and os.listdir(conv), p.stderr)
        else:
            print("skip LibreOffice check: soffice is not installed")
    finally:
        s.close()
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
