"""What every Python integration test needs: counted checks, running the
program, a demo on a private server, and one-off queries.

ctest runs each test as `python3 tests/AREA/test_X.py PATH_TO_ALMANAC`; the
test puts this directory on sys.path and imports from here. A test prints
one line per check ("ok   name" or "FAIL name" and the detail) and ends
with the count; its exit code is 1 when any check failed.
"""
import os
import shutil
import subprocess
import tempfile

import psycopg2

# Who started the servers (tests/CMakeLists.txt sets it), so that
# cleanup_test_servers removes only this run's leftovers.
OWNER = os.environ.get("ALMANAC_TEST_OWNER", "manual")
AS_OF = "2026-11-23"            # demo history: 2023-11-01 .. 2026-10-31
DETAIL_CHARS = 3000


class Checks:
    """check(name, condition, detail): counts and prints one check."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def __call__(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}")
            if detail is not None and str(detail) != "":
                print("    " + str(detail)[:DETAIL_CHARS].replace("\n", "\n    "))

    def summary(self):
        """Prints the count; returns the test's exit code."""
        print(f"{self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0


class Runner:
    """run(*args, env=None, timeout=600) -> (exit code, stdout, stderr).

    The caller's ALMANAC_CONFIG is dropped, so that a developer's own
    configuration never changes what a test sees; env adds variables."""

    def __init__(self, almanac):
        self.almanac = almanac

    def __call__(self, *args, env=None, timeout=600):
        e = dict(os.environ)
        e.pop("ALMANAC_CONFIG", None)
        e.update(env or {})
        p = subprocess.run([self.almanac, *args], capture_output=True, text=True,
                           timeout=timeout, env=e)
        return p.returncode, p.stdout, p.stderr


class DemoServer:
    """The demo's data on a private server in a fresh /tmp directory, left
    running: .dir, .src and .wh (libpq connection strings). close() removes
    the server and the directory."""

    def __init__(self, run, name, scale="0.01", seed=None, as_of=AS_OF, timeout=600):
        self.run = run
        self.dir = tempfile.mkdtemp(prefix=f"almanac-test-{name}-", dir="/tmp")
        os.chmod(self.dir, 0o755)       # the server runs as another user
        with open(os.path.join(self.dir, "owner"), "w") as f:
            f.write(OWNER + "\n")
        args = ["demo", "--dir", self.dir, "--scale", str(scale), "--as-of", as_of,
                "--keep-running", "--quiet"]
        if seed is not None:
            args += ["--seed", str(seed)]
        rc, out, err = run(*args, timeout=timeout)
        if rc != 0:
            raise SystemExit(f"demo failed: {err}")
        rc, out, err = run("server", "start", "--dir", self.dir)
        lines = dict(l.split(": ", 1) for l in out.strip().splitlines())
        self.src = lines["source"].strip()
        self.wh = lines["warehouse"].strip()

    def close(self):
        self.run("server", "remove", "--dir", self.dir)
        shutil.rmtree(self.dir, ignore_errors=True)


def q(conn_str, sql, args=None, time_zone=None):
    """Runs one statement on its own connection (in time_zone if given);
    its rows, or None."""
    with psycopg2.connect(conn_str) as c, c.cursor() as cur:
        if time_zone:
            cur.execute("SELECT set_config('TimeZone', %s, false)", (time_zone,))
        cur.execute(sql, args)
        rows = cur.fetchall() if cur.description else None
    c.close()
    return rows
