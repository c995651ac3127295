#!/usr/bin/env python3
"""almanac report review | partner | weekly, checked with poppler.

Authorities: the warehouse's kpi.results (the numbers must be the stored
ones, formatted as docs/reports-pdf.md says), pdftotext (text extracted by
a reader that shares no code with the writer), pdffonts, pdfinfo and
pdftoppm (every page renders).

usage: test_review.py ALMANAC
"""
import os
import re
import subprocess
import sys
from decimal import Decimal, ROUND_HALF_UP

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)
SCALE = os.environ.get("ALMANAC_REVIEW_SCALE", "0.01")
AS_OF = "2026-11-23"
QUARTER, Q_START, YEAR_AGO = "2026Q3", "2026-07-01", "2025-07-01"
MONTH, WEEK = "2026-10", "2026-W43"

# The scorecard codes whose numbers must appear as printed (review.c).
SCORECARD = ["uptime_pct", "error_rate_pct", "avg_response_s", "partners_active", "partners_total",
             "partner_growth_mom_pct", "partner_churn_mom_pct", "active_partner_ratio_pct", "events_total",
             "generations_total", "avg_generations_per_event", "credits_bought", "credits_used",
             "credits_in_channels", "credits_in_circulation", "consumption_ratio_pct", "revenue_usd",
             "revenue_growth_mom_pct", "mrr_usd", "mrr_growth_mom_pct", "b2c_users_total", "b2c_active_30d",
             "b2c_activation_pct", "b2c_revenue_month_usd", "avg_credits_per_user", "style_deletion_rate_pct",
             "capital_efficiency_pct"]


def tool(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def text_of(path, first=None, last=None):
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    rc, out, err = tool(*args, path, "-")
    assert rc == 0, err
    return out


# Number formats of reports/i18n.c, written again here from the
# documentation: grouping by three, fixed decimals, rounded half away from
# zero on the exact decimal (PostgreSQL's round()).
def number(v, decimals, loc):
    v = Decimal(v)
    s = f"{abs(v).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):,.{decimals}f}"
    if v < 0 and Decimal(s.replace(",", "")) != 0:
        s = "-" + s
    if loc == "es":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def value(v, unit, loc):
    if v is None:
        return "n/a" if loc == "en" else "n/d"
    v = Decimal(v)
    if unit == "pct":
        return number(v, 1, loc) + " %"
    if unit == "usd":
        return number(v, 2, loc) + " USD"
    if unit == "seconds":
        return number(v, 2, loc) + " s"
    return number(v, 0 if v == v.to_integral_value() else 1, loc)


def change(delta, delta_pct, unit, loc):
    t = delta if unit == "pct" else delta_pct
    if t is None:
        return "n/a" if loc == "en" else "n/d"
    s = number(t, 1, loc)
    zero = s.lstrip("-") in ("0.0", "0,0")
    if zero:
        s = s.lstrip("-")
    return ("" if zero or s.startswith("-") else "+") + s + (" pp" if unit == "pct" else " %")


class Server(DemoServer):
    """The demo at ALMANAC_REVIEW_SCALE and its reports directory."""

    def __init__(self):
        super().__init__(run, "review", scale=SCALE, timeout=1200)
        self.out = os.path.join(self.dir, "reports")


def check_scorecard(s, pdf, loc):
    rows = q(s.wh, "SELECT code, value, prev_value, delta, delta_pct, unit FROM kpi.results "
                   "WHERE grain = 'quarter' AND period_start = %s AND scope = 'platform' AND breakdown = ''",
             (Q_START,))
    stored = {r[0]: r[1:] for r in rows}
    # The scorecard starts on page 2 and may run onto page 3.
    text = text_of(pdf, 2, 3)
    lines = text.splitlines()
    missing = []
    for code in SCORECARD:
        v, prev, delta, dpct, unit = stored[code]
        want = [value(v, unit, loc), value(prev, unit, loc), change(delta, dpct, unit, loc)]
        # Each number is a cell of its own: pdftotext gives it a line.
        for w in want:
            if w not in lines and w not in text:
                missing.append((code, w))
    check(f"{loc}: every scorecard value, previous quarter and QoQ change is the stored one, as printed",
          not missing and len(SCORECARD) == 27, missing[:20])


def check_review(s):
    # The demo's jobs stored these already; forget two so the report has
    # something to compute.
    q(s.wh, "DELETE FROM kpi.results WHERE (grain = 'quarter' AND period_start = '2025-07-01') "
            "OR (grain = 'month' AND period_start = '2024-10-01')")
    files = {}
    for loc in ("en", "es"):
        out = os.path.join(s.out, loc)
        rc, o, e = run("report", "review", "--period", QUARTER, "--locale", loc, "--out", out,
                       "--warehouse", s.wh, "--verbose")
        pdf = os.path.join(out, f"review-{QUARTER}.pdf")
        files[loc] = pdf
        check(f"{loc}: review exits 0 and writes review-{QUARTER}.pdf", rc == 0 and os.path.isfile(pdf), o + e)
        if rc:
            continue
        if loc == "en":
            check("missing periods are computed by the KPI engine first (year-ago quarter, 24 months)",
                  "computed the KPIs of 2025Q3" in e and "computed the KPIs of 2024-10" in e, e)
        check(f"{loc}: no temporary file left", sorted(os.listdir(out)) == [f"review-{QUARTER}.pdf"],
              os.listdir(out))
        check_scorecard(s, pdf, loc)
        rc, info, _ = tool("pdfinfo", pdf)
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        check(f"{loc}: pdfinfo: at least 6 pages", pages >= 6, info)
        check(f"{loc}: under 1 MB", os.path.getsize(pdf) < 1 << 20, os.path.getsize(pdf))
        rc, fonts, _ = tool("pdffonts", pdf)
        check(f"{loc}: pdffonts: DejaVu Sans embedded (and no other font)",
              re.search(r"DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes", fonts) is not None
              and len(fonts.strip().splitlines()) == 3, fonts)
        png = os.path.join(s.dir, f"png-{loc}")
        os.makedirs(png)
        rc, _, err = tool("pdftoppm", "-png", "-r", "40", pdf, os.path.join(png, "p"))
        check(f"{loc}: pdftoppm renders every page", rc == 0 and len(os.listdir(png)) == pages,
              (rc, err[-500:], len(os.listdir(png)), pages))
        text = text_of(pdf)
        if loc == "es":
            labels = ["Partners Activos", "Créditos en Canales", "Ratio de Consumo", "Revisión trimestral",
                      "Cuadro de KPIs", "Estacionalidad por tipo de evento", "página 1 de"]
        else:
            labels = ["Active partners", "Credits in channels", "Consumption ratio", "Quarterly review",
                      "KPI scorecard", "Seasonality by event type", "page 1 of"]
        check(f"{loc}: labels in the locale", all(l in text for l in labels),
              [l for l in labels if l not in text])
        check(f"{loc}: footer names the period and the KPI run on every page",
              text.count(f"{QUARTER} · ") >= pages, text.count(f"{QUARTER} · "))
        names = ["Café Zürich", "Łódź Coffee"]
        top = q(s.wh, "SELECT d.name FROM kpi.results r JOIN dw.dim_partner d ON d.is_current AND "
                      "'partner:' || d.partner_id = r.scope WHERE r.grain = 'quarter' AND r.period_start = %s "
                      "AND r.code = 'revenue_usd' AND r.breakdown = '' ORDER BY r.value DESC, d.partner_id "
                      "LIMIT 3", (Q_START,))
        names += [t[0] for t in top]
        check(f"{loc}: accented names extract correctly ({', '.join(names)})", all(n in text for n in names),
              [n for n in names if n not in text])
        check(f"{loc}: a character the font lacks (東京) is replaced visibly by U+FFFD, not dropped",
              "東京" not in text and "\ufffd\ufffd Ramen" in text, [l for l in text.splitlines() if "Ramen" in l])
        check(f"{loc}: seasonality marks a short history 'indicative'",
              ("indicative" if loc == "en" else "indicativa") in text)
    # Same warehouse state, same period: the same bytes.
    again = os.path.join(s.out, "again")
    rc, o, e = run("report", "review", "--period", QUARTER, "--locale", "en", "--out", again,
                   "--warehouse", s.wh)
    with open(files["en"], "rb") as a, open(os.path.join(again, f"review-{QUARTER}.pdf"), "rb") as b:
        check("two runs give byte-identical files", rc == 0 and a.read() == b.read())
    return files


def check_data_through(s):
    out = os.path.join(s.out, "through")
    env = dict(os.environ, ALMANAC_DATA_THROUGH="2026-11-20 06:00")
    rc, o, e = run("report", "review", "--period", QUARTER, "--out", out, "--warehouse", s.wh, env=env)
    text = text_of(os.path.join(out, f"review-{QUARTER}.pdf"), 1)
    check("ALMANAC_DATA_THROUGH is stamped on the cover and footer",
          rc == 0 and "Data through 2026-11-20 06:00" in text and text.count("2026-11-20 06:00") >= 2, text)


def check_failures(s):
    blocker = os.path.join(s.dir, "a-file")
    with open(blocker, "w") as f:
        f.write("x")
    out = os.path.join(blocker, "sub")
    rc, o, e = run("report", "review", "--period", QUARTER, "--out", out, "--warehouse", s.wh)
    check("an unwritable --out exits 73 and names the directory", rc == 73 and "sub" in e, (rc, e))
    check("and leaves no file", not os.path.exists(out))
    rc, o, e = run("report", "review", "--period", MONTH, "--out", s.out, "--warehouse", s.wh)
    check("review of a month is a usage error (64)", rc == 64 and "quarter" in e, (rc, e))
    rc, o, e = run("report", "review", "--period", "2019Q1", "--out", s.out, "--warehouse", s.wh,
                   "--no-compute")
    check("--no-compute with missing KPIs exits 65 with a hint", rc == 65 and "almanac kpi --period 2019Q1" in e,
          (rc, e))
    rc, o, e = run("report", "review", "--period", QUARTER, "--paper", "a3", "--warehouse", s.wh)
    check("--paper a3 is a usage error", rc == 64, (rc, e))


def check_letter(s):
    out = os.path.join(s.out, "letter")
    rc, o, e = run("report", "review", "--period", QUARTER, "--paper", "letter", "--out", out, "--warehouse", s.wh)
    rc2, info, _ = tool("pdfinfo", os.path.join(out, f"review-{QUARTER}.pdf"))
    check("--paper letter gives letter pages", rc == 0 and "612 x 792" in info, info)


def check_partner(s):
    rc, o, e = run("report", "partner", "--period", MONTH, "--all", "--out", s.out, "--warehouse", s.wh)
    d = os.path.join(s.out, "partners")
    ids = [r[0] for r in q(s.wh, "SELECT split_part(scope, ':', 2)::bigint FROM kpi.results WHERE grain = 'month' "
                                 "AND period_start = '2026-10-01' AND code = 'events_total' AND scope LIKE "
                                 "'partner:%%' ORDER BY 1")]
    want = sorted(f"partner-{i}-{MONTH}.pdf" for i in ids)
    check("partner --all: one PDF per partner of the month", rc == 0 and sorted(os.listdir(d)) == want,
          (rc, e, len(ids), os.listdir(d)[:5]))
    pid, name = q(s.wh, "SELECT partner_id, name FROM dw.dim_partner WHERE is_current AND name = "
                        "'Fotografía Córdoba'")[0]
    pdf = os.path.join(d, f"partner-{pid}-{MONTH}.pdf")
    for loc in ("en", "es"):
        rc, o, e = run("report", "partner", "--period", MONTH, "--partner", str(pid), "--locale", loc,
                       "--out", s.out, "--warehouse", s.wh)
        text = text_of(pdf)
        rows = q(s.wh, "SELECT code, value, prev_value, delta, delta_pct, unit FROM kpi.results WHERE grain = "
                       "'month' AND period_start = '2026-10-01' AND scope = %s AND breakdown = '' AND code IN "
                       "('events_total', 'credits_bought', 'credits_used', 'consumption_ratio_pct', "
                       "'generations_total', 'revenue_usd')", (f"partner:{pid}",))
        missing = [(c, w) for c, v, p, dl, dp, u in rows
                   for w in (value(v, u, loc), value(p, u, loc), change(dl, dp, u, loc)) if w not in text]
        check(f"partner {loc}: name, and its KPIs and MoM change as stored", rc == 0 and name in text
              and len(rows) == 6 and not missing, (rc, e, missing))
        seg = q(s.wh, "SELECT segment FROM kpi.partner_segments WHERE month_start = '2026-10-01' AND "
                      "partner_id = %s", (pid,))
        labels = {"en": {"power": "VIP support", "active": "upsell", "occasional": "re-engagement",
                         "dormant": "win-back"},
                  "es": {"power": "soporte VIP", "active": "venta adicional", "occasional": "reactivación",
                         "dormant": "recuperación"}}
        check(f"partner {loc}: the segment's recommended action", seg and labels[loc][seg[0][0]] in text,
              (seg, text[:800]))
    a = open(pdf, "rb").read()
    run("report", "partner", "--period", MONTH, "--partner", str(pid), "--locale", "es", "--out", s.out,
        "--warehouse", s.wh)
    check("partner: byte-identical on a second run", a == open(pdf, "rb").read())
    rc, o, e = run("report", "partner", "--period", MONTH, "--partner", "999999", "--out", s.out,
                   "--warehouse", s.wh)
    check("partner: an unknown id exits 65", rc == 65, (rc, e))


def check_weekly(s):
    rc, o, e = run("report", "weekly", "--period", WEEK, "--out", s.out, "--warehouse", s.wh)
    pdf = os.path.join(s.out, f"weekly-{WEEK}.pdf")
    check("weekly exits 0 and writes weekly-2026-W43.pdf", rc == 0 and os.path.isfile(pdf), e)
    rows = q(s.wh, "SELECT code, value, prev_value, delta, delta_pct, unit FROM kpi.results WHERE grain = 'week' "
                   "AND period_start = '2026-10-19' AND scope = 'platform' AND breakdown = '' AND code IN "
                   "('events_total', 'generations_total', 'credits_used', 'revenue_usd', 'consumption_ratio_pct')")
    text = text_of(pdf)
    missing = [(c, w) for c, v, p, dl, dp, u in rows
               for w in (value(v, u, "en"), value(p, u, "en"), change(dl, dp, u, "en")) if w not in text]
    check("weekly: KPIs and WoW change as stored", len(rows) == 5 and not missing, missing)
    _, info, _ = tool("pdfinfo", pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # The partners-without-events table runs over the page at S=0.01: its
    # header must be repeated at the top of page 2.
    p2 = [l for l in text_of(pdf, 2).splitlines() if l.strip()]
    check("a table that spans pages repeats its header on the next page",
          pages >= 2 and p2[:5] == ["Partner", "Events", "WoW", "Generations", "Credits used"], p2[:8])


def main():
    s = Server()
    try:
        # Alerts of the quarter come from kpi.alerts: evaluate them first.
        rc, o, e = run("alerts", "--warehouse", s.wh, "--from", f"{Q_START} 00:00", "--to", "2026-10-01 00:00",
                       "--quiet")
        check("alerts evaluated for the quarter", rc in (0, 10), e)
        check_review(s)
        check_data_through(s)
        check_failures(s)
        check_letter(s)
        check_partner(s)
        check_weekly(s)
    finally:
        s.close()
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
