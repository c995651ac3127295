#!/usr/bin/env python3
"""almanac report exports, read back by Python's csv module and compared with
the warehouse through queries written here, independently of
schemas/reports/exports/.

1. The seven files of 2026-10 in a business time zone other than UTC:
   headers exactly as seed 000 (and docs/exports.md for loyalty), CRLF
   line ends, row counts and every value.
2. The hostile strings the generator planted (almanac_demo.truth, kind
   'hostile_text') come out inert (a leading '), and unchanged with
   --no-formula-guard; no text cell of any file starts a formula.
3. --delimiter ';' --bom and --delimiter tab parse to the same rows.
4. --only, exit 64 for bad options (before connecting), exit 73 for a
   directory that cannot be written, with no file under a final name.

usage: test_exports.py ALMANAC
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q as query  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)
AS_OF = "2026-11-23"  # demo history: 2023-11-01 .. 2026-10-31
TZ = "Europe/Madrid"
PERIOD = "2026-10"
START, END = "2026-10-01", "2026-11-01"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

HEADERS = {
    "partners": ["ID", "Name", "Email", "Credits Total", "Credits Used", "Event Count",
                 "Active Status", "Created Date"],
    "transactions": ["Date", "Actor", "Action Type", "Amount", "Description"],
    "events": ["Event ID", "Name", "Slug", "Partner", "Client", "Credits Allocated", "Credits Used",
               "Generations Count", "Created Date"],
    "generations": ["Generation ID", "Event", "User", "Style", "Timestamp", "Status"],
    "style_usage": ["Style ID", "Name", "Category", "Usage Count", "Last Used"],
    "loyalty_transactions": ["Transaction ID", "Date", "Type", "Brand", "User", "Perk", "USD Amount",
                             "RSNC Amount", "Transaction Hash"],
    "perk_claims": ["Perk ID", "Perk", "Brand", "User", "Claimed At", "Transaction Hash"],
}
# Columns that hold text (guarded); the others are numbers, dates and times.
TEXT = {
    "partners": {"Name", "Email", "Active Status"},
    "transactions": {"Actor", "Action Type", "Description"},
    "events": {"Name", "Slug", "Partner", "Client"},
    "generations": {"Event", "Style", "Status"},
    "style_usage": {"Name", "Category"},
    "loyalty_transactions": {"Type", "Brand", "User", "Perk", "Transaction Hash"},
    "perk_claims": {"Perk", "Brand", "User", "Transaction Hash"},
}

# The expected content, written from docs/exports.md over dw.* (times with
# to_char in the session's time zone, counts as correlated subqueries).
EXPECTED_SQL = {
    "partners": """
        SELECT p.partner_id, p.name, p.email,
               (SELECT coalesce(sum(c.credits), 0) FROM dw.fact_credit_movement c
                WHERE c.partner_id = p.partner_id AND c.kind = 'purchase' AND c.created_at < %(end)s),
               (SELECT coalesce(sum(c.credits), 0) FROM dw.fact_credit_movement c
                WHERE c.partner_id = p.partner_id AND c.kind = 'consumption' AND c.created_at < %(end)s),
               (SELECT count(*) FROM dw.dim_event e
                WHERE e.partner_id = p.partner_id AND e.created_at < %(end)s),
               p.status, to_char(p.created_at, 'YYYY-MM-DD')
        FROM dw.dim_partner p
        WHERE p.valid_from <= %(last)s AND %(last)s < p.valid_to
        ORDER BY p.partner_id""",
    "transactions": """
        SELECT to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'), actor, kind, credits, description
        FROM dw.fact_credit_movement
        WHERE created_at >= %(start)s AND created_at < %(end)s
        ORDER BY created_at, credit_transaction_id""",
    "events": """
        SELECT e.event_id, e.name, e.slug,
               coalesce((SELECT p.name FROM dw.dim_partner p WHERE p.partner_id = e.partner_id
                         AND p.valid_from <= %(last)s AND %(last)s < p.valid_to),
                        (SELECT p.name FROM dw.dim_partner p WHERE p.partner_id = e.partner_id
                         AND p.is_current)),
               e.client_name, e.credits_allocated,
               (SELECT coalesce(sum(c.credits), 0) FROM dw.fact_credit_movement c
                WHERE c.event_id = e.event_id AND c.kind = 'consumption'),
               (SELECT count(*) FROM dw.fact_generation g WHERE g.event_id = e.event_id),
               to_char(e.created_at, 'YYYY-MM-DD')
        FROM dw.dim_event e
        WHERE e.event_date >= %(start)s::date AND e.event_date < %(end)s::date
        ORDER BY e.event_date, e.event_id""",
    "generations": """
        SELECT g.generation_id, (SELECT e.name FROM dw.dim_event e WHERE e.event_id = g.event_id),
               g.b2c_user_id, (SELECT s.name FROM dw.dim_style s WHERE s.style_id = g.style_id),
               to_char(g.created_at, 'YYYY-MM-DD HH24:MI:SS'), g.status
        FROM dw.fact_generation g
        WHERE g.created_at >= %(start)s AND g.created_at < %(end)s
        ORDER BY g.created_at, g.generation_id""",
    "style_usage": """
        SELECT s.style_id, s.name, s.category,
               (SELECT count(*) FROM dw.fact_generation g WHERE g.style_id = s.style_id
                AND g.created_at >= %(start)s AND g.created_at < %(end)s),
               (SELECT to_char(max(g.created_at), 'YYYY-MM-DD HH24:MI:SS') FROM dw.fact_generation g
                WHERE g.style_id = s.style_id AND g.created_at < %(end)s)
        FROM dw.dim_style s
        WHERE s.created_at < %(end)s
        ORDER BY s.style_id""",
    "loyalty_transactions": """
        SELECT t.loyalty_transaction_id, to_char(t.created_at, 'YYYY-MM-DD HH24:MI:SS'), t.type,
               (SELECT b.name FROM dw.dim_brand b WHERE b.brand_id = t.brand_id), t.user_ref,
               (SELECT k.name FROM dw.dim_perk k WHERE k.perk_id = t.perk_id),
               t.usd_amount, t.rsnc_amount, t.tx_hash
        FROM dw.fact_loyalty_transaction t
        WHERE t.created_at >= %(start)s AND t.created_at < %(end)s
        ORDER BY t.created_at, t.loyalty_transaction_id""",
    "perk_claims": """
        SELECT t.perk_id, k.name, (SELECT b.name FROM dw.dim_brand b WHERE b.brand_id = k.brand_id),
               t.user_ref, to_char(t.created_at, 'YYYY-MM-DD HH24:MI:SS'), t.tx_hash
        FROM dw.fact_loyalty_transaction t JOIN dw.dim_perk k ON k.perk_id = t.perk_id
        WHERE t.type = 'perk_claim' AND t.created_at >= %(start)s AND t.created_at < %(end)s
        ORDER BY t.created_at, t.loyalty_transaction_id""",
}

# %(last)s: the last instant of the range, as docs/warehouse.md writes "as
# was at the end of a month".
EXPECTED_SQL = {k: v.replace("%(last)s", "(%(end)s::timestamptz - interval '1 microsecond')")
                for k, v in EXPECTED_SQL.items()}


class Server(DemoServer):
    """The scale 0.01 demo, with a configuration in Madrid time."""

    def __init__(self):
        super().__init__(run, "exports")
        self.config = os.path.join(self.dir, "madrid.json")
        with open(self.config, "w") as f:
            json.dump({"time_zone": TZ}, f)


def q(conn_str, sql, args=None):
    """In the configured time zone: the expected values cut days there."""
    return query(conn_str, sql, args, time_zone=TZ)


def guard(s):
    return "'" + s if s and s.startswith(FORMULA_START) else s


def as_csv(v, text):
    """A warehouse value as the CSV cell should read."""
    if v is None:
        return ""
    if text:
        return guard(v)
    return str(v)


def expected(s, name, start=START, end=END):
    rows = q(s.wh, EXPECTED_SQL[name], {"start": start, "end": end})
    header = HEADERS[name]
    out = []
    for r in rows:
        r = list(r)
        if name == "partners":
            r[6] = {"approved": "active", "deactivated": "inactive"}.get(r[6], r[6])
        out.append([as_csv(v, h in TEXT[name]) for v, h in zip(r, header)])
    return out


def read(path, delimiter=",", encoding="utf-8"):
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.reader(f, delimiter=delimiter, strict=True))


def export(s, out, *extra):
    return run("report", "exports", "--warehouse", s.wh, "--config", s.config, "--out", out, *extra)


def main():
    s = Server()
    work = tempfile.mkdtemp(prefix="almanac-test-exports-out-", dir="/tmp")
    try:
        # 1. The month, every file and value.
        out = os.path.join(work, "month")
        rc, so, se = export(s, out, "--period", PERIOD, "--verbose")
        check("exports 2026-10 exit 0", rc == 0, se)
        files = sorted(os.listdir(out)) if os.path.isdir(out) else []
        check("seven files named NAME-2026-10.csv, nothing else",
              files == sorted(f"{n}-{PERIOD}.csv" for n in HEADERS), files)
        month = {}
        for name in HEADERS:
            path = os.path.join(out, f"{name}-{PERIOD}.csv")
            if not os.path.exists(path):
                check(f"{name}: file written", False)
                continue
            raw = open(path, "rb").read()
            check(f"{name}: UTF-8, no BOM, CRLF line ends",
                  not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
                  and raw.split(b"\r\n", 1)[0].decode() == ",".join(HEADERS[name]),
                  raw[:200])
            raw.decode("utf-8")
            rows = read(path)
            month[name] = rows
            check(f"{name}: header exactly {HEADERS[name]}", rows and rows[0] == HEADERS[name],
                  rows[:1])
            want = expected(s, name)
            got = rows[1:]
            check(f"{name}: {len(want)} rows", len(got) == len(want), f"got {len(got)}")
            diffs = [(i, g, w) for i, (g, w) in enumerate(zip(got, want)) if g != w]
            check(f"{name}: every value equals the warehouse's", not diffs and len(got) == len(want),
                  "\n".join(f"row {i}: got {g}\n        want {w}" for i, g, w in diffs[:5]))
            check(f"{name}: row count printed", f"{name}-{PERIOD}.csv" in so and
                  f" {len(got)} rows" in so, so)
        check("the month has rows in every export", all(len(r) > 1 for r in month.values()),
              {k: len(v) for k, v in month.items()})
        # The files tie out to the KPIs of the same period and time zone, as
        # docs/exports.md promises.
        rc, kout, kerr = run("kpi", "--period", PERIOD, "--warehouse", s.wh, "--config", s.config,
                             "--format", "csv")
        kpi = {(r["code"], r["scope"], r["breakdown"]): r["value"] for r in csv.DictReader(kout.splitlines())}
        p = month.get("partners", [[]])
        used = sum(int(r[4]) for r in p[1:])
        total = sum(int(r[3]) for r in p[1:])
        ratio = kpi.get(("consumption_ratio_pct", "platform", ""))
        check("partners: Σ Credits Used / Σ Credits Total = consumption_ratio_pct",
              rc == 0 and ratio is not None and total and abs(100 * used / total - float(ratio)) < 1e-9,
              (used, total, ratio, kerr))
        check("events: row count = events_total",
              kpi.get(("events_total", "platform", "")) == str(len(month.get("events", [])) - 1),
              (kpi.get(("events_total", "platform", "")), len(month.get("events", [])) - 1))
        su = month.get("style_usage", [[]])
        gens = {f"style:{r[0]}": r[3] for r in su[1:]}
        kgens = {b: v for (c, sc, b), v in kpi.items() if c == "style_generations" and sc == "platform"}
        check("style_usage: Usage Count = style_generations per style",
              gens and all(b in kgens and float(kgens[b]) == int(v) for b, v in gens.items()),
              (gens, kgens))

        # Times are local: the first transaction of the month in Madrid is
        # after 2026-10-01 00:00 local, which is 2026-09-30 22:00 UTC.
        first_utc = q(s.wh, "SELECT min(created_at) AT TIME ZONE 'UTC' FROM dw.fact_credit_movement "
                            "WHERE created_at >= timestamptz '2026-10-01 00:00 Europe/Madrid'")[0][0]
        first_csv = month.get("transactions", [[], ["?"]])[1][0]
        check("times are in the business time zone, not UTC",
              first_csv != first_utc.strftime("%Y-%m-%d %H:%M:%S") and first_csv.startswith("2026-10-01"),
              (first_csv, first_utc))

        # 2. Hostile text over the whole history, guarded and not.
        whole = os.path.join(work, "whole")
        raw_dir = os.path.join(work, "whole-raw")
        rc1, _, se1 = export(s, whole, "--from", "2023-11-01", "--to", "2027-12-31")
        rc2, _, se2 = export(s, raw_dir, "--from", "2023-11-01", "--to", "2027-12-31", "--no-formula-guard")
        check("whole-history exports exit 0", rc1 == 0 and rc2 == 0, se1 + se2)
        label = "2023-11-01_2027-12-31"
        guarded = {n: read(os.path.join(whole, f"{n}-{label}.csv")) for n in HEADERS}
        unguarded = {n: read(os.path.join(raw_dir, f"{n}-{label}.csv")) for n in HEADERS}

        def cells(files, name, column):
            rows = files[name]
            i = rows[0].index(column)
            return {r[i] for r in rows[1:]}

        where = {  # (table, column) -> the export cells it lands in
            ("partners", "name"): [("partners", "Name")],
            ("events", "name"): [("events", "Name"), ("generations", "Event")],
            ("events", "client_name"): [("events", "Client")],
            ("credit_transactions", "description"): [("transactions", "Description")],
            ("loyalty_perks", "name"): [("perk_claims", "Perk"), ("loyalty_transactions", "Perk")],
            ("loyalty_brands", "name"): [("loyalty_transactions", "Brand")],
        }
        hostile = [d for (d,) in q(s.src, "SELECT detail FROM almanac_demo.truth WHERE kind = 'hostile_text'")]
        # Rows the ETL refused are not in the warehouse and not expected.
        rejected = {(t, int(k)) for t, k in q(s.wh, "SELECT source_table, source_key FROM etl.rejects "
                                                    "WHERE resolved_run_id IS NULL AND source_key ~ '^[0-9]+$'")}
        # A perk nobody claimed is in no export (the exports are of events,
        # not a catalogue).
        unclaimed = {pid for (pid,) in q(s.wh, "SELECT perk_id FROM dw.dim_perk k WHERE NOT EXISTS "
                                               "(SELECT 1 FROM dw.fact_loyalty_transaction t "
                                               "WHERE t.perk_id = k.perk_id)")}
        checked = formula_like = 0
        problems = []
        for d in hostile:
            if (d["table"], int(d["id"])) in rejected:
                continue
            if d["table"] == "loyalty_perks" and int(d["id"]) in unclaimed:
                continue
            v = d["value"]
            places = where.get((d["table"], d["column"]))
            if not places:
                problems.append(f"no export holds {d['table']}.{d['column']}")
                continue
            found = [p for p in places if guard(v) in cells(guarded, *p)]
            if not found:
                problems.append(f"{d['table']}:{d['id']}.{d['column']} {v!r} not found guarded")
                continue
            checked += 1
            if v.startswith(FORMULA_START):
                formula_like += 1
                if any(v in cells(guarded, *p) for p in found):
                    problems.append(f"{v!r} also appears unguarded")
            if not all(v in cells(unguarded, *p) for p in found):
                problems.append(f"{v!r} does not round-trip with --no-formula-guard")
        check(f"hostile strings inert and round-tripping ({checked} checked, {formula_like} formula-like)",
              not problems and checked >= 20 and formula_like >= 10, "\n".join(problems))
        starts = []
        for name, rows in guarded.items():
            for r in rows[1:]:
                for h, c in zip(rows[0], r):
                    if c.startswith(FORMULA_START) and (h in TEXT[name] or not looks_numeric(c)):
                        starts.append((name, h, c))
        check("no text cell in any file starts a formula", not starts, starts[:5])
        check("a negative number would stay a number (numbers never guarded)",
              all(not c.startswith("'") for name, rows in guarded.items() for r in rows[1:]
                  for h, c in zip(rows[0], r) if h not in TEXT[name]))

        # 3. Other delimiters and the BOM parse to the same rows.
        semi = os.path.join(work, "semi")
        rc, _, se = export(s, semi, "--period", PERIOD, "--delimiter", ";", "--bom")
        check("--delimiter ';' --bom exit 0", rc == 0, se)
        same = True
        for name in HEADERS:
            path = os.path.join(semi, f"{name}-{PERIOD}.csv")
            if not os.path.exists(path) or not open(path, "rb").read(3) == b"\xef\xbb\xbf":
                same = False
                continue
            if read(path, ";", "utf-8-sig") != month.get(name):
                same = False
        check("';' with BOM: every file starts with the BOM and parses to the same rows", same)
        tab = os.path.join(work, "tab")
        rc, _, se = export(s, tab, "--period", PERIOD, "--delimiter", "tab", "--only", "events,partners")
        check("--delimiter tab --only events,partners: two files, same rows",
              rc == 0 and sorted(os.listdir(tab)) == [f"events-{PERIOD}.csv", f"partners-{PERIOD}.csv"]
              and read(os.path.join(tab, f"events-{PERIOD}.csv"), "\t") == month.get("events"), se)

        # 4. Errors.
        nowhere = "host=/nonexistent port=1 dbname=x user=u"
        for args, what in [(["--period", "2026-13"], "bad period"),
                           (["--period", PERIOD, "--delimiter", "|"], "bad delimiter"),
                           (["--period", PERIOD, "--only", "partners,nope"], "unknown export"),
                           (["--period", PERIOD, "--from", "2026-10-01", "--to", "2026-10-31"],
                            "--period with --from/--to"),
                           (["--from", "2026-10-31", "--to", "2026-10-01"], "--to before --from"),
                           (["--period", PERIOD, "--bogus"], "unknown option"),
                           ([], "no period")]:
            rc, _, se = run("report", "exports", "--warehouse", nowhere, "--out", work, *args)
            check(f"{what}: exit 64 before connecting", rc == 64 and "cannot connect" not in se, (rc, se))
        rc, _, se = run("report", "exports", "--warehouse", nowhere, "--out", os.path.join(work, "x"),
                        "--period", PERIOD)
        check("unreachable warehouse: exit 69", rc == 69, (rc, se))

        # A file where the directory should be: cannot be created.
        blocker = os.path.join(work, "blocker")
        open(blocker, "w").close()
        rc, _, se = export(s, os.path.join(blocker, "sub"), "--period", PERIOD)
        check("--out below a regular file: exit 73", rc == 73, (rc, se))

        # A directory that cannot be written, holding an older export: the
        # old file stays as it was and nothing else appears.
        ro = os.path.join(work, "readonly")
        os.mkdir(ro)
        old = os.path.join(ro, f"partners-{PERIOD}.csv")
        with open(old, "w") as f:
            f.write("old\n")
        how = make_read_only(ro)
        if how is None:
            check("read-only directory (cannot make one here: running as root without chattr)", False)
        else:
            rc, _, se = export(s, ro, "--period", PERIOD)
            listing = sorted(os.listdir(ro))
            undo_read_only(ro, how)
            check(f"read-only directory ({how}): exit 73", rc == 73, (rc, se))
            check("read-only directory: no new or partial file, the old one unchanged",
                  listing == [f"partners-{PERIOD}.csv"] and open(old).read() == "old\n", listing)

        # A final name taken by a directory: the run fails, and no temporary
        # file is left behind.
        taken = os.path.join(work, "taken")
        os.makedirs(os.path.join(taken, f"perk_claims-{PERIOD}.csv"))
        rc, _, se = export(s, taken, "--period", PERIOD, "--only", "partners,perk_claims")
        check("a final name that is a directory: exit 73", rc == 73, (rc, se))
        check("... and neither the other file nor a temporary file appears",
              os.listdir(taken) == [f"perk_claims-{PERIOD}.csv"], os.listdir(taken))
    finally:
        s.close()
        for root, dirs, _ in os.walk(work):
            for d in dirs:
                undo_read_only(os.path.join(root, d), "chattr")
        shutil.rmtree(work, ignore_errors=True)
    return check.summary()


def looks_numeric(c):
    try:
        float(c)
        return True
    except ValueError:
        return False


def make_read_only(path):
    """A directory this process cannot write: mode 0555, or for root (which
    ignores modes) the immutable attribute. None when neither works."""
    os.chmod(path, 0o555)
    if not os.access(path, os.W_OK):
        return "mode 0555"
    os.chmod(path, 0o755)
    if subprocess.run(["chattr", "+i", path], capture_output=True).returncode == 0:
        return "chattr +i"
    return None


def undo_read_only(path, how):
    if how and how.startswith("chattr"):
        subprocess.run(["chattr", "-i", path], capture_output=True)
    os.chmod(path, 0o755)


if __name__ == "__main__":
    sys.exit(main())
