#!/usr/bin/env python3
"""almanac alerts against a real private PostgreSQL, checked against the demo's truth.

Every alert pattern the demo generator plants (almanac_demo.truth) must be
found by evaluating the day it happened (state conditions: the last day of
history) with the right subject and numbers, and nothing else may fire on
those days. Then: a three-day outage planted here is one alert whose first
first_fired_at survives; re-running a day changes nothing; --fail-on exit
codes; --json; a bad configuration key.

usage: test_alerts.py ALMANAC
"""
import json
import os
import sys
from datetime import datetime, timedelta


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)


def ts(text):
    """An ISO 8601 timestamp (the server's JSON text or ours) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def day_of(text):
    return ts(text).date().isoformat()


def near(a, b, tol=0.006):
    return a is not None and b is not None and abs(float(a) - float(b)) <= tol


class Alerts:
    """Runs `almanac alerts --json` and keeps every document it returned."""

    def __init__(self, s):
        self.s = s
        self.by_day = {}

    def day(self, d, *extra, env=None):
        rc, out, err = run("alerts", "--warehouse", self.s.wh, "--day", d, "--json", *extra, env=env)
        if rc not in (0, 10):
            raise SystemExit(f"alerts --day {d} failed ({rc}): {err}")
        doc = json.loads(out)
        self.by_day[d] = doc
        return doc

    def find(self, doc, code, **kw):
        out = []
        for a in doc["alerts"]:
            if a["code"] != code:
                continue
            if all(a.get(k) == v for k, v in kw.items()):
                out.append(a)
        return out


def main():
    s = DemoServer(run, "alerts", seed=11)
    try:
        truth = q(s.src, "SELECT kind, subject, detail FROM almanac_demo.truth")
        params = [d for k, _, d in truth if k == "params"][0]
        last_day = params["history_end"]
        T = {}
        for k, subj, d in truth:
            T.setdefault(k, []).append((subj, d))
        A = Alerts(s)

        # Event-like truths: evaluate the day each one happened.
        for comp, d in T.get("outage", []):
            doc = A.day(day_of(d["start"]))
            hits = A.find(doc, "api_outage", subject=comp)
            hits = [a for a in hits if ts(a["started_at"]) == ts(d["start"])]
            ok = (len(hits) == 1 and ts(hits[0]["ended_at"]) == ts(d["end"])
                  and hits[0]["evidence"]["checks_down"] == d["checks_down"]
                  and near(hits[0]["evidence"]["minutes"], d["minutes"])
                  and hits[0]["severity"] == "critical" and hits[0]["subject_kind"] == "component")
            check(f"outage of {comp} at {d['start']} found with its interval and length", ok, hits or doc)

        for subj, d in T.get("isolated_down_check", []):
            doc = A.day(day_of(d["checked_at"]))
            check(f"a single down check of {subj} raises no api_outage",
                  not A.find(doc, "api_outage", subject=subj), doc["alerts"])

        for subj, d in T.get("error_spike", []):
            doc = A.day(day_of(d["bucket_start"]))
            hits = [a for a in A.find(doc, "error_rate_spike")
                    if ts(a["evidence"]["bucket_start"]) == ts(d["bucket_start"])]
            ok = (len(hits) == 1 and hits[0]["evidence"]["requests"] == d["requests"]
                  and hits[0]["evidence"]["errors"] == d["errors"]
                  and near(hits[0]["evidence"]["error_rate_pct"], d["error_rate_pct"]))
            check(f"error spike in the bucket {d['bucket_start']} found with its counts", ok, hits or doc)

        for subj, d in T.get("failed_login_burst", []):
            doc = A.day(day_of(d["start"]))
            kind, who = ("account", d["account"]) if d["by"] == "account" else ("ip", d["ip"])
            hits = A.find(doc, "failed_login_burst", subject_kind=kind, subject=who)
            ok = (len(hits) == 1 and ts(hits[0]["started_at"]) == ts(d["start"])
                  and ts(hits[0]["ended_at"]) == ts(d["end"]) and hits[0]["evidence"]["count"] == d["count"])
            check(f"failed-login burst {subj} found with its start, end and count", ok, hits or doc)

        for subj, d in T.get("unauthorized_api", []):
            doc = A.day(day_of(d["start"]))
            kind, who = ("api_key", d["api_key"]) if d["by"] == "api_key" else ("ip", d["ip"])
            hits = A.find(doc, "unauthorized_api", subject_kind=kind, subject=who)
            ok = (len(hits) == 1 and ts(hits[0]["started_at"]) == ts(d["start"])
                  and ts(hits[0]["ended_at"]) == ts(d["end"]) and hits[0]["evidence"]["count"] == d["count"]
                  and hits[0]["evidence"]["statuses"] == [d["status"]])
            check(f"unauthorized API burst {subj} found with its start, end and count", ok, hits or doc)

        for subj, d in T.get("bulk_deletion", []):
            doc = A.day(day_of(d["start"]))
            hits = [a for a in A.find(doc, "bulk_deletion_or_export", subject=d["actor"])
                    if a["evidence"]["kind"] == "deletion"]
            ok = (len(hits) == 1 and ts(hits[0]["started_at"]) == ts(d["start"])
                  and ts(hits[0]["ended_at"]) == ts(d["end"]) and hits[0]["evidence"]["count"] == d["count"])
            check(f"bulk deletion by {d['actor']} found with its count", ok, hits or doc)

        for subj, d in T.get("bulk_export", []):
            doc = A.day(day_of(d["occurred_at"]))
            hits = A.find(doc, "bulk_deletion_or_export", dedup_key=f"export:{d['activity_id']}")
            ok = (len(hits) == 1 and hits[0]["subject"] == d["actor"]
                  and hits[0]["evidence"]["export"] == d["export"] and hits[0]["evidence"]["rows"] == d["rows"]
                  and hits[0]["evidence"]["format"] == d["format"])
            check(f"bulk export {subj} ({d['export']}) found", ok, hits or doc)

        for subj, d in T.get("db_connection_failure", []):
            doc = A.day(day_of(d["occurred_at"]))
            hits = A.find(doc, "db_connection_failure", subject=d["component"])
            ok = (len(hits) == 1 and d["activity_id"] in hits[0]["evidence"]["activity_ids"]
                  and hits[0]["evidence"]["hosts"] == [d["host"]]
                  and ts(hits[0]["started_at"]) == ts(d["occurred_at"]))
            check(f"database connection failure {subj} found", ok, hits or doc)

        for subj, d in T.get("high_value_purchase", []):
            doc = A.day(day_of(d["created_at"]))
            hits = A.find(doc, "high_value_transaction", subject=subj)
            ok = (len(hits) == 1 and near(hits[0]["evidence"]["amount_usd"], d["amount_usd"], 0.001)
                  and hits[0]["evidence"]["partner_id"] == d["partner_id"] and hits[0]["severity"] == "info")
            check(f"high-value purchase {subj} ({d['amount_usd']} USD) found", ok, hits or doc)

        # Nothing fires on those days that the truth does not explain.
        event_codes = {"api_outage": "outage", "error_rate_spike": "error_spike",
                       "failed_login_burst": "failed_login_burst", "unauthorized_api": "unauthorized_api",
                       "db_connection_failure": "db_connection_failure",
                       "high_value_transaction": "high_value_purchase"}
        for code, kind in event_codes.items():
            keys = {a["dedup_key"] for doc in A.by_day.values() for a in doc["alerts"] if a["code"] == code}
            check(f"{code}: as many alerts as planted ({kind})", len(keys) == len(T.get(kind, [])),
                  sorted(keys))
        bulk = {a["dedup_key"] for doc in A.by_day.values() for a in doc["alerts"]
                if a["code"] == "bulk_deletion_or_export"}
        check("bulk_deletion_or_export: as many alerts as planted deletions and exports",
              len(bulk) == len(T.get("bulk_deletion", [])) + len(T.get("bulk_export", [])), sorted(bulk))

        # State truths hold at the end of history: evaluate the last day.
        doc = A.day(last_day)
        for subj, d in T.get("low_credit_partner", []):
            hits = A.find(doc, "partner_low_credit", subject=subj)
            ev = hits[0]["evidence"] if hits else {}
            ok = (len(hits) == 1 and ev["credits_bought"] == d["credits_bought"]
                  and ev["credits_used"] == d["credits_used"] and ev["remaining"] == d["remaining"]
                  and near(ev["remaining_pct"], d["remaining_pct"]) and hits[0]["status"] == "open")
            check(f"low-credit partner {subj} found with its credits", ok, hits or doc["alerts"])
        for subj, d in T.get("pending_application", []):
            hits = A.find(doc, "partner_application", subject=subj)
            ok = (len(hits) == 1 and hits[0]["evidence"]["age_minutes"] == d["age_minutes_at_history_end"]
                  and hits[0]["evidence"]["company_name"] == d["company_name"]
                  and hits[0]["evidence"]["overdue"] == (d["age_minutes_at_history_end"] > 60))
            check(f"pending application {subj} found with its age", ok, hits or doc["alerts"])
        for subj, d in T.get("perk_low_supply", []):
            hits = A.find(doc, "perk_low_supply", subject=subj)
            ok = (len(hits) == 1 and hits[0]["evidence"]["remaining"] == d["remaining"]
                  and hits[0]["evidence"]["total_supply"] == d["total_supply"]
                  and near(hits[0]["evidence"]["remaining_pct"], d["remaining_pct"]))
            check(f"perk {subj} low on supply found", ok, hits or doc["alerts"])
        for subj, d in T.get("perk_selling_out", []):
            hits = A.find(doc, "perk_selling_out", subject=subj)
            ok = (len(hits) == 1 and hits[0]["evidence"]["remaining"] == d["remaining"]
                  and near(hits[0]["evidence"]["claims_per_day"], d["claims_per_day_7d"])
                  and near(hits[0]["evidence"]["days_left"], d["days_left"], 0.051))
            check(f"perk {subj} selling out found with its days left", ok, hits or doc["alerts"])
        for subj, d in T.get("brand_low_rsnc", []):
            hits = A.find(doc, "rsnc_balance_low", subject=subj)
            ok = (len(hits) == 1 and hits[0]["evidence"]["balance"] == d["balance"]
                  and near(hits[0]["evidence"]["distribution_per_day"], d["distribution_per_day_30d"])
                  and near(hits[0]["evidence"]["days_left"], d["days_left"], 0.051))
            check(f"brand {subj} low on RSNC found with its days left", ok, hits or doc["alerts"])
        for code, kind in [("partner_low_credit", "low_credit_partner"), ("partner_application", "pending_application"),
                           ("perk_low_supply", "perk_low_supply"), ("perk_selling_out", "perk_selling_out"),
                           ("rsnc_balance_low", "brand_low_rsnc")]:
            got = sorted(a["subject"] for a in doc["alerts"] if a["code"] == code)
            want = sorted(subj for subj, _ in T.get(kind, []))
            check(f"{code} on the last day: exactly the planted subjects", got == want, f"{got} vs {want}")
        pulse = [d for _, d in T.get("system_pulse", [])][0]
        check("system pulse green at the end of history: no pulse_red",
              pulse["status"] == "green" and not A.find(doc, "pulse_red"), doc["alerts"])

        # pulse_red during an outage: a window that ends while it is down.
        o = sorted(T["outage"], key=lambda x: x[1]["start"])[-1]
        mid = ts(o[1]["start"]) + timedelta(minutes=12)
        rc, out, err = run("alerts", "--warehouse", s.wh, "--json",
                           "--from", (mid - timedelta(hours=1)).isoformat(), "--to", mid.isoformat())
        doc = json.loads(out) if rc == 0 else {"alerts": []}
        hits = A.find(doc, "pulse_red", subject=o[0])
        check(f"pulse_red for {o[0]} in a window ending mid-outage, down since the outage began",
              len(hits) == 1 and ts(hits[0]["started_at"]) == ts(o[1]["start"]) and hits[0]["status"] == "open",
              err or doc["alerts"])
        out_hits = A.find(doc, "api_outage", subject=o[0])
        check("the outage seen from inside is the same alert (same key)",
              len(out_hits) == 1 and not out_hits[0]["new"], out_hits)
        doc = A.day(day_of(o[1]["start"]))
        check("the day's run resolves the red pulse once the component is back",
              any(a["code"] == "pulse_red" and a["subject"] == o[0] and a["status"] == "resolved"
                  for a in doc["resolved"]), doc["resolved"])

        # Re-running a day changes nothing (but when it was last seen).
        def table():
            return q(s.wh, "SELECT alert_id, code, dedup_key, severity, subject, started_at, ended_at, evidence::text, "
                           "first_fired_at, first_run_id, status, occurrences FROM kpi.alerts ORDER BY alert_id")
        before = table()
        doc = A.day(last_day)
        check("re-running the last day changes no alert", table() == before)
        check("re-running the last day reports no alert as new", not any(a["new"] for a in doc["alerts"]),
              [a for a in doc["alerts"] if a["new"]])
        # An earlier day run after a later one does not take back what the later one found.
        mid_day = day_of(o[1]["start"])
        before = table()
        A.day((ts(o[1]["start"]) - timedelta(days=1)).date().isoformat())
        A.day(mid_day)
        after = [r for r in table() if r[0] in {b[0] for b in before}]
        check("a backfilled earlier day leaves the alerts of later days as they were", after == before)

        # A three-day outage is one alert. Plant it in the source, load it.
        q(s.src, "UPDATE health_checks SET status = 'down', response_ms = NULL, updated_at = now() "
                 "WHERE component = 'storage' AND checked_at >= '2026-09-02 20:00+00' "
                 "AND checked_at < '2026-09-04 03:00+00'")
        rc, out, err = run("etl", "--source", s.src, "--warehouse", s.wh)
        check("the ETL loads the planted outage", rc == 0, err)
        docs = [A.day(d) for d in ("2026-09-02", "2026-09-03", "2026-09-04")]
        outs = [A.find(doc, "api_outage", subject="storage") for doc in docs]
        check("three days of one outage: one alert in each day's run",
              all(len(o) == 1 for o in outs), outs)
        if all(len(o) == 1 for o in outs):
            a1, a2, a3 = (o[0] for o in outs)
            check("day 1 reports it new and ongoing, days 2 and 3 the same alert",
                  a1["new"] and not a2["new"] and not a3["new"] and a1["ended_at"] is None
                  and a2["ended_at"] is None and a1["dedup_key"] == a2["dedup_key"] == a3["dedup_key"])
            check("day 3 closes it with its whole length",
                  ts(a3["started_at"]) == ts("2026-09-02T20:00:00Z") and ts(a3["ended_at"]) == ts("2026-09-04T03:00:00Z")
                  and a3["evidence"]["checks_down"] == 31 * 12 and a3["status"] == "resolved", a3)
            rows = q(s.wh, "SELECT count(*), min(first_fired_at), min(status), min(ended_at) FROM kpi.alerts "
                           "WHERE code = 'api_outage' AND subject = 'storage'")
            check("kpi.alerts holds one row for it, first fired by the first day's run",
                  rows[0][0] == 1 and rows[0][1] == ts(a1["first_fired_at"]) and rows[0][2] == "resolved", rows)
        pulses = [A.find(doc, "pulse_red", subject="storage") for doc in docs[:2]]
        check("the red pulse over two nights is one alert",
              all(len(p) == 1 for p in pulses) and pulses[0][0]["dedup_key"] == pulses[1][0]["dedup_key"]
              and any(a["code"] == "pulse_red" and a["subject"] == "storage" for a in docs[2]["resolved"]),
              pulses)

        # A state over three days is one alert too.
        days = [(ts(last_day + "T00:00:00Z") - timedelta(days=n)).date().isoformat() for n in (2, 1, 0)]
        for d in days:
            A.day(d)
        for subj, _ in T.get("low_credit_partner", []):
            rows = q(s.wh, "SELECT count(*), bool_and(status = 'open') FROM kpi.alerts "
                           "WHERE code = 'partner_low_credit' AND subject = %s", (subj,))
            check(f"low-credit partner {subj} over three days is one open alert", rows[0] == (1, True), rows)

        # Exit codes, for CI schedulers.
        rc, out, err = run("alerts", "--warehouse", s.wh, "--day", "2026-09-03", "--fail-on", "critical")
        check("--fail-on critical exits 10 when a critical alert fired", rc == 10, (rc, err))
        rc, out, err = run("alerts", "--warehouse", s.wh, "--day", last_day, "--fail-on", "critical")
        check("--fail-on critical exits 0 when only warnings fired", rc == 0, (rc, err))
        rc, out, err = run("alerts", "--warehouse", s.wh, "--day", last_day, "--fail-on", "warning")
        check("--fail-on warning exits 10 then", rc == 10, (rc, err))
        rc, out, err = run("alerts", "--warehouse", s.wh, "--day", "2026-09-03")
        check("without --fail-on the exit code is 0 and each alert is a line",
              rc == 0 and "api_outage" in out and "storage" in out, (rc, out, err))
        rc, out, err = run("alerts", "--warehouse", s.wh, "--day", last_day, "--json", "--all-open")
        doc = json.loads(out) if rc == 0 else {}
        check("--all-open lists the open alerts",
              rc == 0 and doc["open"] and all(a["status"] == "open" for a in doc["open"])
              and {"critical", "warning", "info"} <= set(doc["open_counts"]), err or out[:500])

        # Configuration.
        cfg = os.path.join(s.dir, "bad.json")
        with open(cfg, "w") as f:
            json.dump({"alerts": {"api_outage": {"consecutive": 3}}}, f)
        rc, out, err = run("alerts", "--warehouse", s.wh, "--config", cfg)
        check("a bad configuration key exits 78 naming the key",
              rc == 78 and "alerts.api_outage.consecutive" in err, (rc, err))
        rc, out, err = run("alerts", "--warehouse", s.wh, env={"ALMANAC_CONFIG": cfg})
        check("ALMANAC_CONFIG is read too", rc == 78, (rc, err))
        with open(cfg, "w") as f:
            json.dump({"time_zone": "Europe/Madrid", "warehouse": s.wh,
                       "alerts": {"failed_login_burst": {"count": 8}}}, f)
        burst = [d for _, d in T["failed_login_burst"] if d["by"] == "account"][0]
        rc, out, err = run("alerts", "--config", cfg, "--day", day_of(burst["start"]), "--json")
        doc = json.loads(out) if rc == 0 else {}
        check("the window is the local day of the business time zone",
              rc == 0 and ts(doc["window"]["start"]) == ts(day_of(burst["start"]) + "T00:00:00+02:00"),
              err or doc.get("window"))
        check("thresholds come from the configuration (7 failures < 8: no burst)",
              rc == 0 and not A.find(doc, "failed_login_burst", subject=burst["account"]), doc.get("alerts"))
        rc, out, err = run("alerts", "--warehouse", s.wh, "--day", "2026-13-01")
        check("a bad --day is a usage error", rc == 64, (rc, err))

        runs = q(s.wh, "SELECT count(*), bool_and(status = 'success') FROM kpi.runs WHERE kind = 'alerts'")
        check("every evaluation is a successful kpi.runs row", runs[0][0] >= len(A.by_day) and runs[0][1], runs)
        check("almanac_reader may read kpi.alerts",
              q(s.wh, "SELECT has_table_privilege('almanac_reader', 'kpi.alerts', 'SELECT')")[0][0])
    finally:
        s.close()
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
