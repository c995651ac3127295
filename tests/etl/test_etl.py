#!/usr/bin/env python3
"""almanac etl against a real private PostgreSQL, checked from the outside.

Reconciliation (source = warehouse + rejects, counts and sums), idempotency,
updates and SCD2 history, a source transaction that commits during a run,
kill -9 at three points converging to the uninterrupted result, the lock,
refused and lost connections, and passwords kept out of every output.

usage: test_etl.py ALMANAC
"""
import json
import os
import signal
import subprocess
import sys
import time

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)

# source table -> (warehouse table, its key column)
TARGETS = {
    "partners": ("dw.partner_latest", "partner_id"),
    "partner_status_history": ("dw.partner_history", "history_id"),
    "partner_applications": ("dw.fact_partner_application", "application_id"),
    "styles": ("dw.dim_style", "style_id"),
    "b2c_users": ("dw.dim_b2c_user", "b2c_user_id"),
    "events": ("dw.dim_event", "event_id"),
    "generations": ("dw.fact_generation", "generation_id"),
    "credit_transactions": ("dw.fact_credit_movement", "credit_transaction_id"),
    "subscriptions": ("dw.fact_subscription", "subscription_id"),
    "health_checks": ("dw.fact_health_check", "health_check_id"),
    "api_requests": ("dw.fact_api_request", "api_request_id"),
    "activity_log": ("dw.fact_activity", "activity_id"),
    "sessions": ("dw.fact_session", "session_id"),
    "session_steps": ("dw.fact_session_step", "session_step_id"),
    "loyalty_brands": ("dw.dim_brand", "brand_id"),
    "loyalty_rewards": ("dw.dim_reward", "reward_id"),
    "loyalty_perks": ("dw.dim_perk", "perk_id"),
    "loyalty_transactions": ("dw.fact_loyalty_transaction", "loyalty_transaction_id"),
}
# amounts whose totals must survive the trip: (source table, column, warehouse column)
SUMS = [("generations", "credits", "credits"),
        ("credit_transactions", "amount_usd", "amount_usd"),
        ("credit_transactions", "credits", "credits"),
        ("loyalty_transactions", "rsnc_amount", "rsnc_amount"),
        ("loyalty_transactions", "usd_amount", "usd_amount")]


def etl(s, *extra, env=None):
    return run("etl", "--source", s.src, "--warehouse", s.wh, "--json", *extra, env=env)


def dw_checksums(s):
    """md5 of every dw table's rows in key order: equal sums mean equal tables."""
    tables = q(s.wh, "SELECT table_name FROM information_schema.tables "
                     "WHERE table_schema = 'dw' AND table_type = 'BASE TABLE' ORDER BY 1")
    out = {}
    for (t,) in tables:
        out[t] = q(s.wh, f"SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) "
                         f"FROM dw.{t} x")[0][0]
    return out


ROLLUPS_SQL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rollups.sql")


def rollup_differences(conn):
    """Rows by which each daily rollup differs from the facts (tests/etl/rollups.sql)."""
    with open(ROLLUPS_SQL) as f:
        return {name: n for name, n in q(conn, f.read()) if n}


def snapshot_test_problems(wh, run_id):
    """The problems schemas/etl/tests/snapshots.sql reports, as the run that
    wrote every snapshot row would see them (checked whole), after one
    partner month's closing balance and one perk day's claims are broken;
    rolled back."""
    sql_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                            "schemas", "etl", "tests", "snapshots.sql")
    with open(sql_path) as f:
        test_sql = f.read()
    conn = psycopg2.connect(wh)
    try:
        cur = conn.cursor()
        cur.execute("SELECT set_config('almanac.run_id', %s, true)", (str(run_id),))
        cur.execute("CREATE TEMP TABLE replaced_credit_movements AS "
                    "SELECT partner_id, created_at FROM dw.fact_credit_movement LIMIT 0")
        cur.execute("CREATE TEMP TABLE replaced_loyalty_transactions AS "
                    "SELECT type, perk_id, brand_id, user_ref, created_at FROM dw.fact_loyalty_transaction LIMIT 0")
        cur.execute(test_sql)
        clean = cur.fetchall()
        # A month followed by another, and a day followed by another: each
        # break shows in the row itself and in the one after it.
        cur.execute("UPDATE dw.snap_partner_credits_month s SET closing_balance_credits = closing_balance_credits + 1 "
                    "WHERE (partner_id, month_start) = (SELECT partner_id, month_start "
                    "FROM dw.snap_partner_credits_month a WHERE EXISTS (SELECT 1 FROM dw.snap_partner_credits_month b "
                    "WHERE b.partner_id = a.partner_id AND b.month_start > a.month_start) "
                    "ORDER BY partner_id, month_start LIMIT 1)")
        cur.execute("UPDATE dw.snap_perk_supply_day s SET cum_claims = cum_claims + 1 "
                    "WHERE (perk_id, day) = (SELECT perk_id, day FROM dw.snap_perk_supply_day a "
                    "WHERE EXISTS (SELECT 1 FROM dw.snap_perk_supply_day b WHERE b.perk_id = a.perk_id "
                    "AND b.day > a.day) ORDER BY perk_id, day LIMIT 1)")
        cur.execute(test_sql)
        broken = cur.fetchall()
    finally:
        conn.rollback()
        conn.close()
    return {r[0] for r in broken} if not clean else {"clean run reported: %r" % clean}


def reconcile(s):
    problems = []
    for table, (target, key) in TARGETS.items():
        n_src = q(s.src, f"SELECT count(*) FROM public.{table}")[0][0]
        n_wh = q(s.wh, f"SELECT count(*) FROM {target}")[0][0]
        n_rej = q(s.wh, "SELECT count(*) FROM etl.rejects WHERE source_table = %s "
                        "AND resolved_run_id IS NULL", (table,))[0][0]
        if n_src != n_wh + n_rej:
            problems.append(f"{table}: source {n_src} != warehouse {n_wh} + rejects {n_rej}")
    for table, col, wcol in SUMS:
        target, key = TARGETS[table]
        rejected = [int(r[0]) for r in q(s.wh, "SELECT source_key FROM etl.rejects WHERE source_table = %s "
                                               "AND resolved_run_id IS NULL AND source_key ~ '^[0-9]+$'",
                                         (table,))]
        src_sum = q(s.src, f"SELECT coalesce(sum({col}), 0) FROM public.{table} WHERE NOT (id = ANY(%s))",
                    (rejected,))[0][0]
        wh_sum = q(s.wh, f"SELECT coalesce(sum({wcol}), 0) FROM {target}")[0][0]
        if src_sum != wh_sum:
            problems.append(f"sum {table}.{col}: source {src_sum} != warehouse {wh_sum}")
    return problems


class Holder:
    """A psql session that holds a lock or an open transaction for as long as we want."""

    def __init__(self, conn_str, *statements):
        self.p = subprocess.Popen(["psql", conn_str, "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        for st in statements:
            self.send(st)
        self.send("SELECT 'ready';")
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.p.stdout.readline()
            if "ready" in line:
                return
        raise SystemExit("holder session did not get ready")

    def send(self, sql):
        self.p.stdin.write(sql + "\n")
        self.p.stdin.flush()

    def close(self, sql="ROLLBACK;"):
        self.send(sql)
        self.p.stdin.close()
        self.p.wait(timeout=30)


def wait_for(conn_str, sql, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if q(conn_str, sql)[0][0]:
            return True
        time.sleep(0.05)
    return False


def kill_etl_blocked_on(s, lock_holder_sql, where):
    """Starts etl, waits until it blocks on the lock the holder keeps, kills -9."""
    conn = s.src if where == "source" else s.wh
    holder = Holder(conn, "BEGIN;", lock_holder_sql)
    p = subprocess.Popen([ALMANAC, "etl", "--source", s.src, "--warehouse", s.wh],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    blocked = wait_for(conn, "SELECT count(*) > 0 FROM pg_stat_activity "
                             "WHERE application_name = 'almanac etl' AND wait_event_type = 'Lock'")
    p.send_signal(signal.SIGKILL)
    p.wait()
    holder.close()
    # The killed run's backends end when they notice the client is gone.
    wait_for(s.wh, "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'almanac etl'")
    return blocked


def main():
    s = DemoServer(run, "etl", seed=11)
    try:
        # The demo ran the first (full) load, in its first job, and each
        # later job's ETL step found nothing new.
        runs = q(s.wh, "SELECT status, rows_read FROM etl.runs ORDER BY run_id")
        check("first full load succeeded, the demo's later jobs read nothing new",
              runs and all(r[0] == "success" for r in runs) and runs[0][1] > 0
              and all(r[1] == 0 for r in runs[1:]), runs)
        rollup_differences_at_load = rollup_differences(s.wh)
        # The first load analysed what it filled (analyze.sql): a manual
        # ANALYZE, which autovacuum's own would not record as last_analyze.
        unanalysed = q(s.wh, "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'dw' "
                             "AND relname NOT IN ('dim_date', 'dim_time_of_day') "
                             "AND last_analyze IS NULL ORDER BY 1")
        check("the first load committed statistics for every table it filled", not unanalysed,
              unanalysed)
        problems = reconcile(s)
        check("source = warehouse + rejects (counts and sums) after the full load",
              not problems, "\n".join(problems))

        # The analysts' read-only role reads the star schema and nothing else.
        def as_reader(sql):
            try:
                q(s.wh, "SET ROLE almanac_reader; " + sql)
                return "ok"
            except psycopg2.Error as e:
                return e.pgcode
        check("almanac_reader reads dw and the run log",
              as_reader("SELECT count(*) FROM dw.fact_generation, etl.runs") == "ok")
        check("almanac_reader cannot write or read staging",
              as_reader("DELETE FROM dw.dim_style") == "42501" and
              as_reader("SELECT count(*) FROM staging.generations") == "42501")

        # --json output for CI schedulers.
        before = dw_checksums(s)
        rc, out, err = etl(s)
        doc = json.loads(out) if out else {}
        check("second run succeeds with JSON summary", rc == 0 and doc.get("status") == "success",
              err or out)
        check("JSON tables add up (read = loaded + rejected)",
              all(t["read"] == t["loaded"] + t["rejected"] for t in doc.get("tables", [])) and
              len(doc.get("tables", [])) == len(TARGETS), out)
        check("a run with no new source data changes nothing", dw_checksums(s) == before)

        # Updates propagate; SCD2 keeps history.
        pid = q(s.src, "SELECT id FROM partners WHERE status = 'approved' ORDER BY id LIMIT 1")[0][0]
        gid = q(s.src, "SELECT id FROM generations WHERE deleted_at IS NULL AND status = 'completed' "
                       "ORDER BY id LIMIT 1")[0][0]
        versions_before = q(s.wh, "SELECT count(*) FROM dw.dim_partner WHERE partner_id = %s", (pid,))[0][0]
        q(s.src, "BEGIN; "
                 "UPDATE generations SET deleted_at = now() WHERE id = %(g)s; "
                 "UPDATE partners SET status = 'deactivated', deactivated_at = now() WHERE id = %(p)s; "
                 "INSERT INTO partner_status_history (id, partner_id, changed_at, status, contract_value_usd, name) "
                 "SELECT 900000001, id, now(), 'deactivated', contract_value_usd, name FROM partners WHERE id = %(p)s; "
                 "COMMIT", {"g": gid, "p": pid})
        rc, out, err = etl(s)
        check("incremental run after updates succeeds", rc == 0, err)
        deleted = q(s.wh, "SELECT deleted_at IS NOT NULL FROM dw.fact_generation WHERE generation_id = %s", (gid,))
        check("a generation deleted later is deleted in the fact", deleted == [(True,)], deleted)
        cur = q(s.wh, "SELECT status FROM dw.dim_partner WHERE partner_id = %s AND is_current", (pid,))
        versions_after = q(s.wh, "SELECT count(*) FROM dw.dim_partner WHERE partner_id = %s", (pid,))[0][0]
        check("a deactivation adds an SCD2 version and keeps the old one",
              cur == [("deactivated",)] and versions_after == versions_before + 1,
              f"{cur} versions {versions_before} -> {versions_after}")
        was_active = q(s.wh, "SELECT status FROM dw.dim_partner WHERE partner_id = %s "
                             "AND valid_from <= now() - interval '1 day' AND now() - interval '1 day' < valid_to",
                       (pid,))
        check("the partner is still active as of yesterday", was_active == [("approved",)], was_active)
        problems = reconcile(s)
        check("reconciliation holds after updates", not problems, "\n".join(problems))

        # The daily rollups follow rows that move: a later distribution moved
        # 40 days back (its user's first reach may move there), a user's
        # first distribution of a brand given to another user (the first
        # reach moves to the user's next one), a credit movement moved to
        # another day.
        moved = q(s.src, "SELECT t.id FROM loyalty_transactions t WHERE t.type = 'distribution' AND EXISTS ("
                         "SELECT 1 FROM loyalty_transactions o WHERE o.type = 'distribution' "
                         "AND o.user_ref = t.user_ref AND o.brand_id = t.brand_id "
                         "AND o.created_at < t.created_at) ORDER BY t.id LIMIT 1")
        moved += q(s.src, "SELECT t.id FROM loyalty_transactions t WHERE t.type = 'distribution' "
                          "AND t.id <> %s AND EXISTS ("
                          "SELECT 1 FROM loyalty_transactions o WHERE o.type = 'distribution' "
                          "AND o.user_ref = t.user_ref AND o.brand_id = t.brand_id "
                          "AND o.created_at::date > t.created_at::date) "
                          "AND NOT EXISTS (SELECT 1 FROM loyalty_transactions o WHERE o.type = 'distribution' "
                          "AND o.user_ref = t.user_ref AND o.created_at <= t.created_at AND o.id <> t.id) "
                          "ORDER BY t.id LIMIT 1", (moved[0][0] if moved else 0,))
        q(s.src, "BEGIN; "
                 "UPDATE loyalty_transactions SET created_at = created_at - interval '40 days' WHERE id = %(a)s; "
                 "UPDATE loyalty_transactions SET user_ref = 'u-moved' WHERE id = %(b)s; "
                 "UPDATE credit_transactions SET created_at = created_at - interval '3 days' "
                 "WHERE id = (SELECT min(id) FROM credit_transactions WHERE kind = 'consumption'); "
                 "COMMIT", {"a": moved[0][0], "b": moved[1][0]})
        rc, out, err = etl(s)
        diffs = rollup_differences(s.wh)
        check("the daily rollups equal the facts after a full load and rows moved between days and users",
              rc == 0 and len(moved) == 2 and not diffs and not rollup_differences_at_load,
              f"rc {rc} moved {moved} {diffs} {rollup_differences_at_load} {err}")

        # A source transaction that began before a run and commits after it.
        holder = Holder(s.src, "BEGIN;",
                        "INSERT INTO api_requests (id, requested_at, method, endpoint, status_code, duration_ms) "
                        "VALUES (900000101, now(), 'GET', '/v1/late', 200, 5), "
                        "(900000102, now(), 'GET', '/v1/late', 200, 6);")
        time.sleep(1.1)  # the open transaction's rows are dated before the run starts
        rc, out, err = etl(s)
        late = q(s.wh, "SELECT count(*) FROM dw.fact_api_request WHERE api_request_id >= 900000101")[0][0]
        check("run during an open source transaction succeeds without its rows", rc == 0 and late == 0,
              f"rc {rc} late {late} {err}")
        holder.close("COMMIT;")
        rc, out, err = etl(s)
        late = q(s.wh, "SELECT count(*) FROM dw.fact_api_request WHERE api_request_id >= 900000101")[0][0]
        check("rows committed late, behind the watermark, are loaded by the next run", rc == 0 and late == 2,
              f"rc {rc} late {late} {err}")

        # A transaction open in another database of the same server (here
        # the warehouse) cannot write source rows: it must not hold the
        # watermark back. The run starts more than the 5 s margin after it.
        other = Holder(s.wh, "BEGIN;", "SELECT 1;")
        held_since = q(s.wh, "SELECT min(xact_start) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND xact_start IS NOT NULL "
                             "AND pid <> pg_backend_pid() AND state = 'idle in transaction'")[0][0]
        time.sleep(5.5)
        rc, out, err = etl(s)
        after = q(s.wh, "SELECT watermark_after FROM etl.runs ORDER BY run_id DESC LIMIT 1")[0][0]
        other.close()
        check("a transaction open in another database does not hold the watermark back",
              rc == 0 and held_since is not None and after > held_since, f"rc {rc} {held_since} {after} {err}")

        # The transforms MERGE only the rows whose id is at most the fact's
        # highest and append the rest: a new row above it loads, and so does
        # one that then arrives in the gap below it (a late commit of an
        # older sequence value).
        top = q(s.wh, "SELECT max(generation_id) FROM dw.fact_generation")[0][0]
        cols = "event_id, b2c_user_id, style_id, status, credits, latency_ms, created_at"
        for new_id in (top + 1000, top + 500):
            q(s.src, f"INSERT INTO generations (id, {cols}) SELECT %s, {cols} FROM generations "
                     f"WHERE id = %s", (new_id, top))
            rc, out, err = etl(s)
            got = q(s.wh, f"SELECT generation_id, {cols} FROM dw.fact_generation "
                          f"WHERE generation_id = %s", (new_id,))
            want = q(s.src, f"SELECT id, {cols} FROM generations WHERE id = %s", (new_id,))
            check(f"a new row {'below' if new_id < top + 1000 else 'above'} the fact's highest id loads",
                  rc == 0 and got == want and len(got) == 1, f"rc {rc} {got} vs {want} {err}")

        # Kill -9 at three points; each time the next run converges.
        q(s.src, "INSERT INTO health_checks (id, component, checked_at, status, response_ms) "
                 "SELECT 900001000 + g, 'api', now(), 'up', 10 FROM generate_series(1, 50) g")
        points = [
            ("mid-extract (source table locked)", "LOCK TABLE generations IN ACCESS EXCLUSIVE MODE;", "source"),
            ("mid-transform (fact table locked)", "LOCK TABLE dw.fact_health_check IN EXCLUSIVE MODE;", "warehouse"),
            ("just before commit (watermark row locked)",
             "SELECT * FROM etl.watermarks FOR UPDATE;", "warehouse"),
        ]
        runs_before = q(s.wh, "SELECT count(*) FROM etl.runs WHERE status = 'success'")[0][0]
        state_before = dw_checksums(s)
        for name, lock_sql, where in points:
            blocked = kill_etl_blocked_on(s, lock_sql, where)
            same = dw_checksums(s) == state_before
            check(f"kill -9 {name} leaves the previous state", blocked and same,
                  f"blocked={blocked} unchanged={same}")
        abandoned = q(s.wh, "SELECT count(*) FROM etl.runs WHERE status IN ('running', 'abandoned')")[0][0]
        rc, out, err = etl(s)
        after_kill = dw_checksums(s)
        rc2, _, err2 = etl(s)
        converged = dw_checksums(s) == after_kill
        new_rows = q(s.wh, "SELECT count(*) FROM dw.fact_health_check WHERE health_check_id > 900001000")[0][0]
        check("the run after the kills completes and loads the pending rows",
              rc == 0 and new_rows == 50, f"rc {rc} rows {new_rows} {err}")
        check("a further run changes nothing (converged)", rc2 == 0 and converged, err2)
        status = q(s.wh, "SELECT count(*) FROM etl.runs WHERE status = 'abandoned'")[0][0]
        check("killed runs are logged as abandoned", abandoned >= 3 and status >= 3,
              f"{abandoned} {status}")
        check("successful runs were only the completed ones",
              q(s.wh, "SELECT count(*) FROM etl.runs WHERE status = 'success'")[0][0] == runs_before + 2)
        problems = reconcile(s)
        check("reconciliation holds after the kills", not problems, "\n".join(problems))

        # One run at a time.
        holder = Holder(s.wh, "SELECT pg_advisory_lock(hashtext('almanac.etl'));")
        t0 = time.time()
        rc, out, err = run("etl", "--source", s.src, "--warehouse", s.wh)
        holder.close("SELECT 1;")
        check("a second concurrent run exits 75 at once", rc == 75 and time.time() - t0 < 5 and
              "another almanac etl run" in err, f"rc {rc} {err}")

        # Refused connection: bounded retries, then 69; password never shown.
        secret = "s3cr3t-pw"
        nowhere = f"host={s.dir}/nowhere port=1 dbname=x user=u password={secret}"
        t0 = time.time()
        rc, out, err = run("etl", "--source", s.src, "--warehouse", nowhere, "--retries", "2", "--json")
        took = time.time() - t0
        check("refused warehouse: retried with backoff, then exit 69",
              rc == 69 and 1.0 < took < 10 and "cannot connect" in err, f"rc {rc} {took:.1f}s {err}")
        check("the password appears in no output", secret not in out + err, out + err)
        src_pw = s.src + f" password={secret}"
        rc, out, err = run("etl", "--source", src_pw, "--warehouse", s.wh, "--json", "--verbose")
        logged = q(s.wh, "SELECT string_agg(coalesce(source_desc, '') || coalesce(error, ''), ' ') FROM etl.runs")[0][0]
        check("nor in the run log or a successful run's output",
              rc == 0 and secret not in out + err + (logged or ""), f"rc {rc}")

        # Connection lost mid-run: rolls back, exits non-zero, next run completes.
        q(s.src, "INSERT INTO health_checks (id, component, checked_at, status, response_ms) "
                 "SELECT 900002000 + g, 'api', now(), 'up', 10 FROM generate_series(1, 5) g")
        holder = Holder(s.wh, "BEGIN;", "LOCK TABLE dw.fact_health_check IN EXCLUSIVE MODE;")
        p = subprocess.Popen([ALMANAC, "etl", "--source", s.src, "--warehouse", s.wh],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for(s.wh, "SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'almanac etl' "
                       "AND wait_event_type = 'Lock'")
        q(s.wh, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'almanac etl'")
        out, err = p.communicate(timeout=60)
        holder.close()
        check("a connection lost mid-run exits 69 with a clear message",
              p.returncode == 69 and "almanac: error:" in err, f"rc {p.returncode} {err}")
        rc, out, err = etl(s)
        n = q(s.wh, "SELECT count(*) FROM dw.fact_health_check WHERE health_check_id > 900002000")[0][0]
        check("the next run completes", rc == 0 and n == 5, f"rc {rc} n {n} {err}")

        # A data test fails the run and nothing is committed. The data tests
        # check only the rows the run wrote, so the warehouse is made wrong
        # under them: today's row of dw.dim_date is taken away, then a B2C
        # user and a generation dated today arrive.
        today = q(s.wh, "DELETE FROM dw.dim_date WHERE date = (now() AT TIME ZONE 'UTC')::date "
                        "RETURNING *")
        q(s.src, "INSERT INTO b2c_users (id, email, country, created_at) "
                 "VALUES (900004001, 'late@example.com', 'FR', now()); "
                 "INSERT INTO generations (id, b2c_user_id, style_id, status, credits, latency_ms, created_at) "
                 "SELECT 900004002, 900004001, min(id), 'completed', 1, 100, now() FROM styles")
        before = dw_checksums(s)
        rc, out, err = etl(s)
        check("a run whose rows break the data tests exits 65 and commits nothing",
              rc == 65 and dw_checksums(s) == before and
              "fact_generation.date_key not in dw.dim_date" in err and
              "dim_b2c_user.signup_date_key not in dw.dim_date" in err, f"rc {rc} {err}")
        cols = ", ".join(["%s"] * len(today[0]))
        q(s.wh, f"INSERT INTO dw.dim_date VALUES ({cols})", today[0])
        rc, out, err = etl(s)
        n = q(s.wh, "SELECT count(*) FROM dw.fact_generation WHERE generation_id = 900004002")[0][0]
        check("with the day back the same rows load", rc == 0 and n == 1, f"rc {rc} n {n} {err}")

        # A rejected row rejected again for another reason, then corrected:
        # its first reject is superseded, the second closes as loaded.
        def rejects_of(key):
            return q(s.wh, "SELECT reason_code, resolution FROM etl.rejects "
                           "WHERE source_table = 'generations' AND source_key = %s "
                           "ORDER BY reject_id", (key,))
        q(s.src, "INSERT INTO generations (id, b2c_user_id, style_id, status, credits, latency_ms, "
                 "created_at) SELECT 900004003, 900004001, min(id), 'bogus', 1, 100, now() FROM styles")
        rc1, _, err1 = etl(s)
        q(s.src, "UPDATE generations SET status = 'completed', credits = -5 WHERE id = 900004003")
        rc2, _, err2 = etl(s)
        after_second = rejects_of("900004003")
        q(s.src, "UPDATE generations SET credits = 5 WHERE id = 900004003")
        rc3, _, err3 = etl(s)
        n = q(s.wh, "SELECT count(*) FROM dw.fact_generation WHERE generation_id = 900004003")[0][0]
        check("a reject for another reason supersedes the open one; the corrected row closes it",
              (rc1, rc2, rc3) == (0, 0, 0) and
              after_second == [("unknown_enum", "superseded"), ("negative_amount", None)] and
              rejects_of("900004003") == [("unknown_enum", "superseded"), ("negative_amount", "loaded")] and
              n == 1, f"{after_second} {rejects_of('900004003')} n {n} {err1} {err2} {err3}")

        # Incremental snapshots equal a full rebuild. New movements in a new
        # month for one partner and a claim on a new day for one perk make the
        # incremental path recompute those and carry every other partner and
        # perk forward.
        q(s.src, "INSERT INTO credit_transactions (id, kind, partner_id, credits, amount_usd, pack_size, "
                 "actor, description, created_at) SELECT 900003001, 'purchase', id, 100, 19.00, 100, "
                 "'test', 'late purchase', now() FROM partners WHERE status = 'approved' ORDER BY id LIMIT 1")
        q(s.src, "INSERT INTO loyalty_transactions (id, brand_id, type, user_ref, perk_id, rsnc_amount, "
                 "tx_hash, metadata, created_at) SELECT 900003002, brand_id, 'perk_claim', 'u-test', id, "
                 "price_rsnc, '0x' || repeat('ab', 32), '{}', now() FROM loyalty_perks ORDER BY id LIMIT 1")
        rc, out, err = etl(s)
        check("incremental run with a new month and day succeeds", rc == 0, err)
        admin = psycopg2.connect(s.wh.replace("almanac_warehouse", "postgres"))
        admin.autocommit = True
        admin.cursor().execute("CREATE DATABASE almanac_rebuild")
        admin.close()
        rebuild = s.wh.replace("almanac_warehouse", "almanac_rebuild")
        rc, out, err = run("etl", "--source", s.src, "--warehouse", rebuild, "--json")
        check("a full load into an empty warehouse succeeds", rc == 0, err)

        def snap(conn):
            return (q(conn, "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ("
                            "SELECT partner_id, month_start, bought_credits, allocated_credits, consumed_credits, "
                            "refunded_credits, purchases, purchases_usd, refunded_usd, opening_balance_credits, "
                            "closing_balance_credits, cum_bought_credits, unallocated_credits "
                            "FROM dw.snap_partner_credits_month) x")[0][0],
                    q(conn, "SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM ("
                            "SELECT perk_id, day, claims, cum_claims, remaining_supply "
                            "FROM dw.snap_perk_supply_day) x")[0][0],
                    q(conn, "SELECT count(*) FROM dw.snap_partner_credits_month")[0][0])
        inc, full = snap(s.wh), snap(rebuild)
        check("incremental snapshots equal a full rebuild", inc == full, f"{inc} vs {full}")
        diffs = (rollup_differences(s.wh), rollup_differences(rebuild))
        check("the daily rollups equal the facts, incremental and rebuilt", diffs == ({}, {}), diffs)
        problems = snapshot_test_problems(rebuild, json.loads(out)["run_id"])
        check("the snapshot data test of a full load finds a broken roll-forward and supply",
              problems == {"snapshot: dw.snap_partner_credits_month closing <> opening + bought - consumed - refunded",
                           "snapshot: dw.snap_partner_credits_month opening <> closing of the month before",
                           "snapshot: dw.snap_perk_supply_day cum_claims do not add up day to day",
                           "snapshot: dw.snap_perk_supply_day remaining_supply <> total_supply - cum_claims"},
              problems)
    finally:
        s.close()
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
