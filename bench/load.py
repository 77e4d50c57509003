"""A bounded load run: gunicorn with 2 workers on 127.0.0.1, against PostgreSQL and Redis.

    make bench-load        (installs locust, the `bench` extra, then runs this)

It makes a database of its own on the PostgreSQL server (BENCH_PG, default
postgres://postgres@127.0.0.1:5432), migrates and seeds it (bench/seed.py: the 5-year diary, a
clinician with 500 more patients of a year each), collects the static files into a temporary
folder, and starts gunicorn (`config.wsgi`, 2 sync workers) with the production settings from
the environment (debug off; bench/server_settings.py adds only the bare view and the static
folder) and Redis database 14 (BENCH_REDIS, default redis://127.0.0.1:6379/14) as the cache.
Then locust runs headless, one user class at a time (bench/locustfile.py), each for
BENCH_SECONDS (default 20) with BENCH_USERS (default 4) users sending requests back to back:
the bare view, the clinician's dashboard, a patient's morning. Locust stops by itself; then
gunicorn is stopped, the database dropped, Redis database 14 emptied and the folder removed,
whatever happened.

Locust runs on the same machine as the servers and the databases, and takes some of its CPU.
Prints the table and writes load.json outside the repository
(bench/outcome.py; BENCH_UPDATE=1 writes the tracked bench/load.json).
"""

import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.outcome import results_file  # noqa: E402

BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
USERS = int(os.environ.get("BENCH_USERS", "4"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
PORT = int(os.environ.get("BENCH_PORT", "8071"))
PASSWORD = "bench-load-password"  # bench/locustfile.py signs in with it
RUNS = [
    ("Bare", "the bare view"),
    ("ClinicianDashboard", "a clinician's dashboard"),
    ("PatientMorning", "a patient's morning"),
]
RESULTS = results_file("load.json")


def _database(name: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(statement.format(name=name))


def _redis_flush() -> None:
    from redis import Redis

    Redis.from_url(REDIS).flushdb()


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def _stats(path: Path) -> list[dict]:
    with path.open() as file:
        rows = [row for row in csv.DictReader(file) if row["Name"] not in ("sign in", "Aggregated")]
    return [
        {
            "request": row["Name"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "per_second": round(float(row["Requests/s"]), 1),
            "median_ms": int(float(row["50%"])),
            "p95_ms": int(float(row["95%"])),
        }
        for row in rows
    ]


def main() -> int:
    name = f"bench_load_{os.getpid()}"
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_TRUSTED_PROXIES": "0",
        "DATABASE_URL": f"{PG}/{name}",
        "REDIS_URL": REDIS,
        "DJANGO_SETTINGS_MODULE": "bench.server_settings",
        "BENCH_STATIC_ROOT": str(folder / "static"),
        "PYTHONPATH": str(PROJECT),
    }
    python = str(BIN / "python")
    server = None
    results = {"users": USERS, "seconds": SECONDS, "workers": 2, "runs": []}
    try:
        _database(name, "CREATE DATABASE {name}")
        _redis_flush()
        quiet = {"cwd": PROJECT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
        print(f"== database {name}: migrate, seed 501 patients, collect static files")
        subprocess.run([python, "manage.py", "migrate", "--no-input"], **quiet)
        subprocess.run(
            [python, "bench/seed.py", "--password", PASSWORD, "--signed-in", str(USERS)],
            cwd=PROJECT,
            env=env,
            check=True,
        )
        subprocess.run([python, "manage.py", "collectstatic", "--no-input"], **quiet)
        print(f"== gunicorn, 2 workers, on 127.0.0.1:{PORT}")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{PORT}",
                "--log-level=warning",
            ],
            cwd=PROJECT,
            env=env,
            start_new_session=True,
        )
        _wait_for(f"http://127.0.0.1:{PORT}/accounts/login/")
        for user_class, label in RUNS:
            print(f"== locust: {label}, {USERS} users, {SECONDS} s")
            prefix = folder / user_class
            log = (folder / f"{user_class}.log").open("w")
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    "bench/locustfile.py",
                    "--headless",
                    f"--users={USERS}",
                    f"--spawn-rate={USERS}",
                    f"--run-time={SECONDS}s",
                    f"--host=http://127.0.0.1:{PORT}",
                    f"--csv={prefix}",
                    "--only-summary",
                    "--loglevel=WARNING",
                    user_class,
                ],
                cwd=PROJECT,
                env=env,
                check=False,  # locust exits 1 when a request failed: reported below
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.close()
            rows = _stats(Path(f"{prefix}_stats.csv"))
            if not rows or any(row["failures"] for row in rows):
                print((folder / f"{user_class}.log").read_text()[-3000:])  # locust's own report
            results["runs"].append({"run": label, "rows": rows})
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        try:
            _database(name, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            _redis_flush()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"\n{'request':58} {'req/s':>7} {'median':>8} {'p95':>8} {'failed':>7}")
    failed = 0
    for run in results["runs"]:
        for row in run["rows"]:
            failed += row["failures"]
            print(
                f"{row['request']:58} {row['per_second']:7.1f} {row['median_ms']:6d}ms "
                f"{row['p95_ms']:6d}ms {row['failures']:7d}"
            )
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {RESULTS}")
    return 1 if failed or not all(run["rows"] for run in results["runs"]) else 0


if __name__ == "__main__":
    sys.exit(main())
