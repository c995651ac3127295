"""almanac report loyalty, read back with openpyxl and checked against the
warehouse with queries written here.

usage: test_loyalty.py ALMANAC
"""
import datetime
import hashlib
import os
import sys

import openpyxl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q as query  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)


def q(conn, sql, args=None):
    """Timestamps compared below are UTC."""
    return query(conn, sql, args, time_zone="UTC")


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def main():
    s = DemoServer(run, "loyalty")
    d, wh = s.dir, s.wh
    try:
        out_dir = os.path.join(d, "out")

        # The demo's jobs stored the recent months; 2023-12 nobody computed.
        rc, o, e = run("report", "loyalty", "--period", "2023-12", "--warehouse", wh, "--out", out_dir)
        check("without the month's KPIs: 65 with a hint, no file", rc == 65 and "almanac kpi --period 2023-12" in e
              and not [f for f in os.listdir(os.path.join(out_dir, "brands")) if "2023-12" in f], e)
        rc, o, e = run("kpi", "--period", "2026-10", "--warehouse", wh)
        rc, o, e = run("report", "loyalty", "--period", "2026-10", "--warehouse", wh, "--out", out_dir)
        check("report loyalty: exit 0, silent when not on a terminal", rc == 0 and o == "" and e == "", o + e)
        brands = q(wh, "SELECT brand_id, name FROM dw.dim_brand WHERE created_at < '2026-11-01' ORDER BY 1")
        files = sorted(os.listdir(os.path.join(out_dir, "brands")))
        check("one statement per brand, no temporary file left",
              files == sorted(f"loyalty-2026-10-brand-{b}.xlsx" for b, _ in brands), files)
        windows = q(wh, "SELECT DISTINCT grain FROM kpi.results WHERE period_end = '2026-11-01' "
                        "AND grain IN ('7d', '30d', '90d') ORDER BY 1")
        check("the 7/30/90-day windows ending with the month were computed by the KPI engine",
              [w for (w,) in windows] == ["30d", "7d", "90d"], windows)

        for brand, name in brands[:3]:
            path = os.path.join(out_dir, "brands", f"loyalty-2026-10-brand-{brand}.xlsx")
            wb = openpyxl.load_workbook(path)
            check(f"brand {brand}: sheets", wb.sheetnames == ["Dashboard", "Last 7-30-90 days", "Perks", "Claims",
                                                             "Transactions"], wb.sheetnames)
            check(f"brand {brand}: title and no formula anywhere",
                  wb.properties.title == f"Loyalty statement 2026-10: {name}"
                  and not any(isinstance(c.value, str) and c.data_type == "f"
                              for ws in wb for row in ws.iter_rows() for c in row), wb.properties.title)
            stored = {r[0]: r[1] for r in q(wh, "SELECT code, value FROM kpi.results WHERE grain = 'month' "
                                                "AND period_start = '2026-10-01' AND scope = %s AND breakdown = ''",
                                            (f"brand:{brand}",))}
            ws = wb["Dashboard"]
            cells = {}
            for row in ws.iter_rows(values_only=True):
                if row and row[0] in stored:
                    cells[row[0]] = row[1]
            ok = len(cells) == len(stored) == 10
            for code, v in stored.items():
                got = cells.get(code)
                if v is None:
                    ok &= got is None
                elif code.endswith("_pct"):
                    ok &= isinstance(got, (int, float)) and abs(got * 100 - float(v)) < 1e-6 * max(1, abs(float(v)))
                else:
                    ok &= isinstance(got, (int, float)) and abs(got - float(v)) < 1e-6 * max(1, abs(float(v)))
            check(f"brand {brand}: dashboard numbers are numbers equal to kpi.results", ok, (cells, stored))
            ws = wb["Last 7-30-90 days"]
            rows = {r[0]: r[1:4] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
            want = {}
            for code, grain, v in q(wh, "SELECT code, grain, value FROM kpi.results WHERE period_end = '2026-11-01' "
                                        "AND grain IN ('7d','30d','90d') AND scope = %s AND breakdown = ''",
                                    (f"brand:{brand}",)):
                want.setdefault(code, {})[grain] = v
            ok = len(rows) == 10
            for code, (d7, d30, d90) in rows.items():
                for got, g in ((d7, "7d"), (d30, "30d"), (d90, "90d")):
                    v = want.get(code, {}).get(g)
                    scale = 100 if code.endswith("_pct") else 1
                    ok &= (v is None and got is None) or (got is not None and v is not None
                                                         and abs(got * scale - float(v)) < 1e-6 * max(1, abs(float(v))))
            check(f"brand {brand}: 7/30/90-day figures equal the stored windows", ok, rows)
            claims = q(wh, "SELECT created_at, tx_hash FROM dw.fact_loyalty_transaction WHERE brand_id = %s "
                           "AND type = 'perk_claim' AND created_at >= '2026-10-01' AND created_at < '2026-11-01' "
                           "ORDER BY created_at, loyalty_transaction_id", (brand,))
            sheet = [(r[0], r[6]) for r in wb["Claims"].iter_rows(min_row=2, values_only=True) if r[0] is not None]
            check(f"brand {brand}: every claim with its time (a date) and transaction hash",
                  len(sheet) == len(claims) and all(isinstance(t, datetime.datetime) for t, _ in sheet)
                  and [h for _, h in sheet] == [h for _, h in claims]
                  and all(t == c.replace(tzinfo=None) for (t, _), (c, _) in zip(sheet, claims)), (sheet[:3], claims[:3]))
            n = q(wh, "SELECT count(*) FROM dw.fact_loyalty_transaction WHERE brand_id = %s "
                      "AND created_at >= '2026-10-01' AND created_at < '2026-11-01'", (brand,))[0][0]
            tx = [r for r in wb["Transactions"].iter_rows(min_row=2, values_only=True) if r[0] is not None]
            check(f"brand {brand}: every transaction of the month", len(tx) == n, (len(tx), n))
            perks = q(wh, "SELECT breakdown, value FROM kpi.results WHERE grain = 'month' AND period_start = '2026-10-01' "
                          "AND scope = %s AND code = 'perk_supply_remaining'", (f"brand:{brand}",))
            sheet = {f"perk:{r[0]}": r[7] for r in wb["Perks"].iter_rows(min_row=2, values_only=True) if r[0]}
            check(f"brand {brand}: perk supply remaining equals kpi.results",
                  sheet == {b: int(v) for b, v in perks}, (sheet, perks))

        before = {f: sha(os.path.join(out_dir, "brands", f)) for f in files}
        rc, o, e = run("report", "loyalty", "--period", "2026-10", "--warehouse", wh, "--out", out_dir)
        after = {f: sha(os.path.join(out_dir, "brands", f)) for f in files}
        check("a second run gives byte-identical files", rc == 0 and before == after, e)
        rc, o, e = run("report", "loyalty", "--period", "2026-10", "--warehouse", wh, "--out", out_dir,
                       "--brand", str(brands[0][0]), "--verbose")
        check("--brand ID writes only that brand, --verbose says so", rc == 0 and o.count("wrote ") == 1, o + e)
        rc, o, e = run("report", "loyalty", "--period", "2026-10", "--warehouse", wh, "--out", out_dir, "--brand", "999")
        check("an unknown brand: 65", rc == 65 and "no brand 999" in e, e)
        rc, o, e = run("report", "loyalty", "--period", "2026Q3", "--warehouse", wh)
        check("a quarter: 64", rc == 64, e)
        blocker = os.path.join(d, "file")
        open(blocker, "w").close()
        rc, o, e = run("report", "loyalty", "--period", "2026-10", "--warehouse", wh, "--out", blocker)
        check("an output directory that cannot be made: 73", rc == 73, e)
    finally:
        s.close()
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
