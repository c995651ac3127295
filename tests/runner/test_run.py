"""almanac run, status and config, as cron and a CI scheduler use them.

Checks, on the demo at scale 0.01 (history 2023-11-01 .. 2026-10-31):
- job files: the four shipped ones load; a broken one exits 78 naming the
  file, the JSON path, what was expected and what was found;
- one period, a backfill range in order, catch-up of exactly the periods
  missed since the last success (and nothing when none was missed);
- the manifest: job, period, steps with exit codes and rows, every output
  file with the size and SHA-256 that Python's hashlib computes, alert
  counts, data freshness; ops.job_runs rows;
- a failing step stops the job with that step's exit code, a failed
  manifest and a failed ops.job_runs row;
- the freshness gate: reports for a period the data does not reach exit 75,
  --allow-stale writes them;
- silent on success (no stdout, no stderr), --summary prints the daily
  summary, --log-format json writes JSON lines;
- status --json and config --print (no password anywhere).

usage: test_run.py ALMANAC
"""
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from harness import Checks, DemoServer, Runner, q  # noqa: E402

ALMANAC = sys.argv[1]
check = Checks()
run = Runner(ALMANAC)
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
AS_OF = "2026-11-23"


def write_job(dir, name, doc):
    path = os.path.join(dir, f"{name}.json")
    with open(path, "w") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def manifest(out, period, job):
    with open(os.path.join(out, period, f"manifest-{job}.json")) as f:
        return json.load(f)


def job_file_checks(tmp):
    for name in ("daily", "weekly", "monthly", "quarterly"):
        rc, out, err = run("run", name, "--jobs-dir", os.path.join(REPO, "jobs"), "--period", "bad")
        check(f"jobs/{name}.json loads (a bad period is then the only complaint: 64)",
              rc == 64 and "is not a month" in err, err)
    cases = [
        ("not json", "{\"job\": \"x\",", "at line"),
        ("wrong step", {"job": "x", "grain": "day", "steps": [{"step": "etl"}, {"step": "dance"}]},
         "steps[1].step: expected one of etl, kpi, alerts, seasonality, report, found \"dance\""),
        ("report without kind", {"job": "x", "grain": "month", "steps": [{"step": "report"}]},
         "steps[0].kind: missing; expected a report kind"),
        ("grain type", {"job": "x", "grain": 7, "steps": [{"step": "kpi"}]},
         "grain: expected day, week, month or quarter, found a number"),
        ("unknown key", {"job": "x", "grain": "day", "steps": [{"step": "kpi", "when": "now"}]},
         "steps[0].when: unknown key"),
        ("args set the database", {"job": "x", "grain": "day",
                                   "steps": [{"step": "kpi", "args": ["--warehouse=x"]}]},
         "steps[0].args[0]: \"--warehouse=x\" is set by `almanac run`"),
        ("no steps", {"job": "x", "grain": "day", "steps": []}, "steps: expected an array of 1 to"),
    ]
    for label, doc, want in cases:
        path = write_job(tmp, "broken", doc)
        rc, out, err = run("run", path, "--warehouse", "host=/nonexistent")
        check(f"job file {label}: exit 78 naming file and path", rc == 78 and path in err and want in err,
              f"exit {rc}: {err}")
    rc, out, err = run("run", "nosuchjob", "--jobs-dir", tmp)
    check("unknown job: 78", rc == 78 and "no job file for \"nosuchjob\"" in err, err)
    rc, out, err = run("run", "daily", "--period", "2026-10-01", "--catch-up")
    check("--period with --catch-up: 64", rc == 64, err)
    rc, out, err = run("run", "daily", "--from", "2026-10-01")
    check("--from without --to: 64", rc == 64, err)
    rc, out, err = run("run", "daily", "--log-format", "xml")
    check("--log-format xml: 64", rc == 64, err)


def main():
    tmp = tempfile.mkdtemp(prefix="almanac-test-run-files-")
    job_file_checks(tmp)
    s = DemoServer(run, "run")
    try:
        conn = ["--source", s.src, "--warehouse", s.wh]
        out = os.path.join(tmp, "out")
        # A job of the steps every job shares; the report steps have their own tests.
        jobs = os.path.join(tmp, "jobs")
        os.makedirs(jobs)
        write_job(jobs, "nightly", {"job": "nightly", "grain": "day",
                                    "steps": [{"step": "etl"}, {"step": "kpi"}, {"step": "alerts"}]})
        write_job(jobs, "monthkpi", {"job": "monthkpi", "grain": "month",
                                     "steps": [{"step": "kpi"}]})

        rc, o, e = run("run", "nightly", "--jobs-dir", jobs, "--period", "2026-10-15", "--out", out, *conn)
        check("one period: exit 0, silent on success", rc == 0 and o == "" and e == "", f"{rc} {o} {e}")
        m = manifest(out, "2026-10-15", "nightly")
        check("manifest: job, period, status, bounds",
              (m["job"], m["period"], m["status"], m["exit_code"], m["period_start"], m["period_end"])
              == ("nightly", "2026-10-15", "success", 0, "2026-10-15", "2026-10-16"), m)
        check("manifest: every step with exit 0, ETL and KPI row counts",
              [x["step"] for x in m["steps"]] == ["etl", "kpi", "alerts"]
              and all(x["exit_code"] == 0 for x in m["steps"])
              and m["steps"][0]["rows"]["read"] == m["steps"][0]["rows"]["loaded"] + m["steps"][0]["rows"]["rejected"]
              and m["steps"][1]["rows"] > 1000, m["steps"])
        check("manifest: data freshness is the ETL watermark",
              m["data_through"] == q(s.wh, "SELECT max(watermark_after)::text FROM etl.runs WHERE status='success'")[0][0],
              m["data_through"])
        row = q(s.wh, "SELECT status, exit_code, manifest, period_start::text FROM ops.job_runs "
                      "WHERE job = 'nightly' ORDER BY job_run_id DESC LIMIT 1")[0]
        check("ops.job_runs records the run and its manifest",
              row[0] == "success" and row[1] == 0 and row[2].endswith("2026-10-15/manifest-nightly.json")
              and row[3] == "2026-10-15", row)

        # Files in the output directory are listed with size and SHA-256.
        with open(os.path.join(out, "2026-10-15", "note.txt"), "w") as f:
            f.write("Zürich, Łódź, Θεσσαλονίκη\n" * 1000)
        rc, o, e = run("run", "nightly", "--jobs-dir", jobs, "--period", "2026-10-15", "--out", out, *conn)
        m = manifest(out, "2026-10-15", "nightly")
        data = open(os.path.join(out, "2026-10-15", "note.txt"), "rb").read()
        check("manifest lists files with size and SHA-256 (hashlib)",
              m["files"] == [{"path": "note.txt", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}],
              m["files"])
        check("re-running a period replaces its manifest (one per job and period)",
              sorted(os.listdir(os.path.join(out, "2026-10-15"))) == ["manifest-nightly.json", "note.txt"],
              os.listdir(os.path.join(out, "2026-10-15")))

        # Backfill: a range, in order.
        rc, o, e = run("run", "monthkpi", "--jobs-dir", jobs, "--from", "2026-07", "--to", "2026-09", "--out", out,
                       *conn)
        periods = [r[0] for r in q(s.wh, "SELECT period FROM ops.job_runs WHERE job = 'monthkpi' ORDER BY job_run_id")]
        check("--from 2026-07 --to 2026-09 runs three months in order", rc == 0 and periods == ["2026-07", "2026-08",
                                                                                                "2026-09"], periods)
        stored = [r[0] for r in q(s.wh, "SELECT DISTINCT period_start::text FROM kpi.results WHERE grain = 'month' "
                                        "AND period_start BETWEEN '2026-07-01' AND '2026-09-01' ORDER BY 1")]
        check("backfill stored the KPIs of each month", stored == ["2026-07-01", "2026-08-01", "2026-09-01"], stored)
        rc, o, e = run("run", "monthkpi", "--jobs-dir", jobs, "--period", "2026-W43", "--out", out, *conn)
        check("a week for a monthly job: 64", rc == 64 and "runs month periods" in e, e)

        # Catch-up: the last success is 2026-09, today is 2026-11-23 (server
        # clock; the test data's as-of): missed months are 2026-10 and any
        # after it up to the last complete month.
        today = q(s.wh, "SELECT (now() AT TIME ZONE 'UTC')::date")[0][0]
        last_complete = date_month(today, -1)
        rc, o, e = run("run", "monthkpi", "--jobs-dir", jobs, "--catch-up", "--out", out, *conn)
        periods = [r[0] for r in q(s.wh, "SELECT period FROM ops.job_runs WHERE job = 'monthkpi' ORDER BY job_run_id")]
        expected = months_between("2026-10", last_complete)
        check(f"--catch-up runs exactly the months missed since 2026-09 ({len(expected)})",
              rc == 0 and periods[3:] == expected, periods)
        rc, o, e = run("run", "monthkpi", "--jobs-dir", jobs, "--catch-up", "--out", out, *conn)
        n = q(s.wh, "SELECT count(*) FROM ops.job_runs WHERE job = 'monthkpi'")[0][0]
        check("--catch-up with nothing missed runs nothing", rc == 0 and n == 3 + len(expected), n)
        # "Missing" three months: forget their successes, catch up again.
        q(s.wh, "DELETE FROM ops.job_runs WHERE job = 'monthkpi' AND period_start >= '2026-08-01'")
        rc, o, e = run("run", "monthkpi", "--jobs-dir", jobs, "--catch-up", "--out", out, *conn)
        periods = [r[0] for r in q(s.wh, "SELECT period FROM ops.job_runs WHERE job = 'monthkpi' "
                                         "AND period_start >= '2026-08-01' ORDER BY job_run_id")]
        check("catch-up after three missing months produces those months",
              rc == 0 and periods == months_between("2026-08", last_complete), periods)

        # A failing step stops the job with its exit code.
        write_job(jobs, "broken", {"job": "broken", "grain": "month",
                                   "steps": [{"step": "kpi"}, {"step": "kpi", "args": ["--format", "xml"]},
                                             {"step": "alerts"}]})
        rc, o, e = run("run", "broken", "--jobs-dir", jobs, "--period", "2026-10", "--out", out, *conn)
        m = manifest(out, "2026-10", "broken")
        check("a failing step: the step's exit code (64), a failed manifest, later steps not run",
              rc == 64 and m["status"] == "failed" and m["exit_code"] == 64 and len(m["steps"]) == 2
              and "step \"kpi\" failed" in m["error"], f"{rc} {m}")
        row = q(s.wh, "SELECT status, exit_code FROM ops.job_runs WHERE job = 'broken'")[0]
        check("ops.job_runs records the failure", row == ("failed", 64), row)

        # Freshness gate: a report step for a period the data does not reach.
        write_job(jobs, "reporting", {"job": "reporting", "grain": "month",
                                      "steps": [{"step": "kpi"}, {"step": "report", "kind": "exports"}]})
        rc, o, e = run("run", "reporting", "--jobs-dir", jobs, "--period", "2099-01", "--out", out, *conn)
        m = manifest(out, "2099-01", "reporting")
        check("stale data: exit 75 before any report, saying how stale",
              rc == 75 and "is stale" in e and "data through" in e and m["exit_code"] == 75, f"{rc} {e}")

        # Killed mid-report: never a partial file under a final name; a re-run
        # completes the outputs and the manifest.
        write_job(jobs, "books", {"job": "books", "grain": "month",
                                  "steps": [{"step": "kpi"}, {"step": "report", "kind": "exports"},
                                            {"step": "report", "kind": "accounting"},
                                            {"step": "report", "kind": "loyalty"}]})
        args = [ALMANAC, "run", "books", "--jobs-dir", jobs, "--period", "2026-10", "--out", out, *conn]
        partial = []
        for delay in (0.3, 0.6, 0.9, 1.2, 1.6, 2.0, 2.5):
            p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                p.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            partial += incomplete_files(os.path.join(out, "2026-10"))
        check("killed at 7 moments mid-job: every file under a final name is complete", not partial, partial)
        rc, o, e = run("run", "books", "--jobs-dir", jobs, "--period", "2026-10", "--out", out, *conn)
        m = manifest(out, "2026-10", "books")
        listed = {f["path"]: f for f in m["files"]}
        on_disk = sorted(os.path.relpath(os.path.join(r, f), os.path.join(out, "2026-10"))
                         for r, _, fs in os.walk(os.path.join(out, "2026-10")) for f in fs)
        ok = rc == 0 and m["status"] == "success" and not [f for f in on_disk if ".tmp-" in f]
        for f in on_disk:
            if f.startswith("manifest-"):
                continue
            data = open(os.path.join(out, "2026-10", f), "rb").read()
            ok &= f in listed and listed[f]["bytes"] == len(data) and listed[f]["sha256"] == hashlib.sha256(data).hexdigest()
        check("the re-run after the kills: complete outputs, no temporary file left, a manifest that lists "
              "every file with its size and SHA-256", ok and not incomplete_files(os.path.join(out, "2026-10")),
              f"{rc} {e} {sorted(listed)} {on_disk}")

        # The same warehouse state and period: byte-identical reports.
        first = {f["path"]: f["sha256"] for f in m["files"]}
        rc, o, e = run("run", "books", "--jobs-dir", jobs, "--period", "2026-10", "--out", out, *conn)
        again = {f["path"]: f["sha256"] for f in manifest(out, "2026-10", "books")["files"]}
        check("the job run twice: byte-identical files (same SHA-256 for every file)",
              rc == 0 and first == again and any(p.endswith(".xlsx") for p in first)
              and any(p.startswith("exports/") and p.endswith(".csv") for p in first), (sorted(first), e))

        # The shipped monthly job (its own ETL step, KPIs, workbook, exports,
        # partner PDFs, loyalty statements), twice: the same files.
        out2 = os.path.join(tmp, "out-monthly")
        rc1, o, e1 = run("run", "monthly", "--period", "2026-10", "--out", out2, *conn)
        first = {f["path"]: f["sha256"] for f in manifest(out2, "2026-10", "monthly")["files"]}
        rc2, o, e2 = run("run", "monthly", "--period", "2026-10", "--out", out2, *conn)
        again = {f["path"]: f["sha256"] for f in manifest(out2, "2026-10", "monthly")["files"]}
        kinds = {p.split("/")[0] if "/" in p else p.rsplit("-", 2)[0] for p in first}
        check("jobs/monthly.json run twice: every report, byte-identical",
              rc1 == rc2 == 0 and first == again
              and {"accounting", "exports", "partners", "brands"} <= kinds, (rc1, rc2, e1, e2, sorted(kinds)))

        # A full disk: a 16 KB tmpfs (needs root; skipped with a reason otherwise).
        small = os.path.join(tmp, "small")
        os.makedirs(small)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", small],
                                 capture_output=True).returncode == 0
        if mounted:
            try:
                rc, o, e = run("run", "books", "--jobs-dir", jobs, "--period", "2026-10", "--out", small, *conn)
                left = [f for r, _, fs in os.walk(small) for f in fs]
                check("a full disk: exit 73, no report under a final name (only the manifest, or nothing)",
                      rc == 73 and all(f.startswith("manifest-") for f in left)
                      and not incomplete_files(os.path.join(small, "2026-10")), f"{rc} {left} {e}")
            finally:
                subprocess.run(["umount", small])
        else:
            print("skip a full disk: cannot mount a tmpfs here (not root?)")

        # Cron output: --summary, JSON logs.
        rc, o, e = run("run", "nightly", "--jobs-dir", jobs, "--period", "2026-10-30", "--out", out, "--summary",
                       *conn)
        check("--summary prints the day's key numbers, top events, alerts and pending applications on stdout",
              rc == 0 and "Key numbers" in o and "Generations" in o and "Top events by generations" in o
              and "Partner applications" in o and e == "", o + e)
        rc, o, e = run("run", "nightly", "--jobs-dir", jobs, "--period", "2026-10-29", "--out", out,
                       "--log-format", "json", *conn)
        lines = [json.loads(l) for l in e.splitlines() if l.startswith("{")]
        check("--log-format json: one JSON object per stderr line, each step logged",
              rc == 0 and lines and all({"ts", "level", "job", "msg"} <= set(l) for l in lines)
              and {l.get("step") for l in lines} >= {"etl", "kpi", "alerts"}, e[:2000])

        # The remaining exit codes of docs/exit-codes.md.
        rc, o, e = run("kpi", "--warehouse", s.wh, "--period", "1999-01", "--stored")
        check("kpi --stored for a period never computed: 65", rc == 65 and "no KPIs stored" in e, e)
        version, checksum = q(s.wh, "SELECT version, checksum FROM etl.schema_migrations ORDER BY version LIMIT 1")[0]
        q(s.wh, "UPDATE etl.schema_migrations SET checksum = 'edited' WHERE version = %s", (version,))
        rc, o, e = run("migrate", "--warehouse", s.wh)
        check("an applied migration edited since: 70, naming it", rc == 70 and "001" in e, e)
        rc, o, e = run("run", "nightly", "--jobs-dir", jobs, "--period", "2026-10-27", "--out", out, *conn)
        check("... and a job stops on it with 70", rc == 70, e)
        q(s.wh, "UPDATE etl.schema_migrations SET checksum = %s WHERE version = %s", (checksum, version))
        rc, o, e = run("alerts", "--warehouse", s.wh.replace("almanac_warehouse", "almanac_nosuchdb"), "--day", "2026-10-01")
        check("a database that does not exist: 69", rc == 69, e)

        # status and config.
        rc, o, e = run("status", "--warehouse", s.wh, "--json")
        st = json.loads(o)
        by_job = {j["job"]: j for j in st["jobs"]}
        check("status --json: per job last outcome and last success, freshness",
              rc == 0 and by_job["broken"]["last_status"] == "failed" and by_job["broken"]["last_exit_code"] == 64
              and by_job["nightly"]["last_success_period"] == "2026-10-30"
              and st["freshness"]["age_seconds"] is not None, o)
        cfg = os.path.join(tmp, "config.json")
        with open(cfg, "w") as f:
            json.dump({"warehouse": s.wh + " password=s3cr3t-pw", "time_zone": "Europe/Madrid"}, f)
        rc, o, e = run("config", "--config", cfg, "--print")
        doc = json.loads(o)
        check("config --print: effective values, no password",
              rc == 0 and doc["time_zone"] == "Europe/Madrid" and "s3cr3t" not in o
              and doc["alerts"]["failed_login_burst"]["count"] == 5, o[:400])
        rc, o, e = run("run", "nightly", "--jobs-dir", jobs, "--period", "2026-10-28", "--out", out,
                       "--source", s.src, "--config", cfg)
        check("a run with the password in the configuration never prints it",
              rc == 0 and "s3cr3t" not in o + e
              and "s3cr3t" not in open(os.path.join(out, "2026-10-28", "manifest-nightly.json")).read(), o + e)
    finally:
        s.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return check.summary()


def incomplete_files(dir):
    """Files under final names that do not parse completely."""
    bad = []
    for root, _, files in os.walk(dir):
        for f in files:
            path = os.path.join(root, f)
            if f.startswith("."):
                continue
            try:
                if f.endswith(".csv"):
                    data = open(path, encoding="utf-8-sig", newline="").read()
                    rows = list(csv.reader(io.StringIO(data)))
                    if not data.endswith("\r\n") or not rows:
                        bad.append(path)
                elif f.endswith(".xlsx"):
                    openpyxl.load_workbook(path, read_only=True).close()
                elif f.endswith(".json"):
                    json.load(open(path))
            except Exception as e:
                bad.append(f"{path}: {e}")
    return bad


def date_month(d, delta):
    y, m = d.year, d.month + delta
    while m < 1:
        y, m = y - 1, m + 12
    while m > 12:
        y, m = y + 1, m - 12
    return f"{y:04d}-{m:02d}"


def months_between(a, b):
    out = []
    y, m = int(a[:4]), int(a[5:])
    while f"{y:04d}-{m:02d}" <= b:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


if __name__ == "__main__":
    sys.exit(main())
