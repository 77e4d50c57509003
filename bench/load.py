"""A bounded load run of the clinic's morning peak: two app servers (gunicorn, 2 workers each)
and the task worker on one PostgreSQL and one Redis, all on 127.0.0.1, at a stepped rate.

    make bench-load        (installs locust, the `bench` extra, then runs this)

It makes a database of its own on the PostgreSQL server (BENCH_PG, default
postgres://postgres@127.0.0.1:5432), migrates and seeds it (bench/seed.py: BENCH_PATIENTS,
default 5,000, patients of a year each, the 5-year diary, and clinicians who each share every
patient; a few minutes), collects the static files into a temporary folder, and starts two
gunicorn servers (`config.wsgi`, 2 sync workers each, on the ports of BENCH_PORTS, default
"8071 8072") and one `manage.py db_worker`, with the production settings from the environment
(debug off; bench/server_settings.py adds only the bare view and the static folder) and Redis
database 14 (BENCH_REDIS, default redis://127.0.0.1:6379/14) as their cache.

Then locust runs headless (bench/locustfile.py): BENCH_USERS (default 20) users, 7 patients to 3
clinicians, sign in, warm up for BENCH_WARMUP seconds (default 15), then offer each rate of
BENCH_RATES (requests a second, all users together) for BENCH_STEP_SECONDS (default 30, longer
at a rate too low to offer BENCH_STEP_REQUESTS, default 100, in that time), requests going to
the two servers in turns. A step passes with no error and a p95 under BENCH_P95_MS (default 300)
of the requests that draw no chart; the p95 of all requests is beside it (the first trends page
after a save, and a clinician's summary of a diary that changed, draw charts: 0.6-1 s of CPU
each, which holds that p95 above 300 ms at any rate). The run stops after the first step that
does not pass. Then the task worker gets up to 30 s to finish the PDFs asked, every process's
peak memory (VmHWM: the most it held, pages shared with the gunicorn master included) and CPU
time are read, everything is stopped, the database dropped, the Redis database emptied and the
folder removed, whatever happened.

Prints a table of the steps (the rate offered and served, p50, both p95s, errors, the PDFs asked
and built, the CPU time a request cost, the machine's load average), the requests of the last
passing and the breaking step, the highest rate that passed against the issue's morning peak
(bench/load_pages.py: 5,000 patients logging within two hours, about 5 requests a second), and
the processes' memory. Writes load.json outside the repository (bench/outcome.py; BENCH_UPDATE=1
writes the tracked bench/load.json). Exits 1 when no rate at or above the morning peak passed,
or a PDF failed. Locust, the servers, the worker and the databases share the machine's cores.
"""

import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.load_pages import PASSWORD, PATIENT_SHARE, morning_peak_rate  # noqa: E402
from bench.outcome import results_file  # noqa: E402

BIN = Path(sys.executable).parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
PORTS = os.environ.get("BENCH_PORTS", "8071 8072").split()
PATIENTS = int(os.environ.get("BENCH_PATIENTS", "5000"))
SCHEDULE = {  # read by bench/locustfile.py
    "BENCH_USERS": os.environ.get("BENCH_USERS", "20"),
    "BENCH_RATES": os.environ.get("BENCH_RATES", "1 2 3 4 5 6 8 10"),
    "BENCH_WARMUP": os.environ.get("BENCH_WARMUP", "15"),
    "BENCH_STEP_SECONDS": os.environ.get("BENCH_STEP_SECONDS", "30"),
    "BENCH_STEP_REQUESTS": os.environ.get("BENCH_STEP_REQUESTS", "100"),
    "BENCH_P95_MS": os.environ.get("BENCH_P95_MS", "300"),
}
USERS = int(SCHEDULE["BENCH_USERS"])
CLINICIANS = USERS - int(USERS * PATIENT_SHARE) + 1  # one each, whatever locust's rounding
DRAIN_SECONDS = 30
RESULTS = results_file("load.json")


def _database(name: str, statement: str, *, database: str = "postgres") -> list[tuple]:
    import psycopg

    with psycopg.connect(f"{PG}/{database}", autocommit=True) as connection:
        cursor = connection.execute(statement.format(name=name))
        return cursor.fetchall() if cursor.description else []


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


def _pdfs(name: str) -> list[tuple]:
    """(asked, finished or None, status) of every PDF the run asked for, as epoch seconds."""
    return _database(
        name,
        "SELECT extract(epoch FROM created)::float, extract(epoch FROM finished)::float, status "
        "FROM diary_preparedfile WHERE kind = 'pdf'",
        database=name,
    )


def _drain(name: str) -> None:
    """Gives the task worker up to DRAIN_SECONDS to finish the PDFs still waiting."""
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        if all(status in ("ready", "failed") for _asked, _finished, status in _pdfs(name)):
            return
        time.sleep(1)


def _pdf_figures(step: dict, pdfs: list[tuple]) -> dict:
    """The PDFs asked during a step: how many, how many the worker built (by the end of the
    run), seconds from asking to ready, and how many were waiting when the step ended."""
    asked = [pdf for pdf in pdfs if step["started"] <= pdf[0] < step["ended"]]
    ready = [finished - created for created, finished, status in asked if status == "ready"]
    waiting = [
        pdf for pdf in pdfs if pdf[0] < step["ended"] and (pdf[1] is None or pdf[1] > step["ended"])
    ]
    return {
        "asked": len(asked),
        "ready": len(ready),
        "failed": sum(status == "failed" for _c, _f, status in asked),
        "seconds_to_ready": round(statistics.median(ready), 1) if ready else None,
        "waiting_at_end": len(waiting),
    }


def _peak_mb(pid: int) -> float:
    """The most memory the process held (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _processes(servers: list, worker) -> dict[str, int]:
    import psutil

    found = {}
    for label, server in zip("AB", servers, strict=True):
        found[f"server {label}: gunicorn master"] = server.pid
        children = psutil.Process(server.pid).children()
        for number, child in enumerate(sorted(child.pid for child in children), start=1):
            found[f"server {label}: worker {number}"] = child
    found["task worker (db_worker)"] = worker.pid
    return found


def _memory(processes: dict[str, int]) -> list[dict]:
    import psutil

    rows = []
    for label, pid in processes.items():
        try:
            times = psutil.Process(pid).cpu_times()
            rows.append(
                {
                    "process": label,
                    "pid": pid,
                    "peak_mb": _peak_mb(pid),
                    "cpu_seconds": round(times.user + times.system, 1),
                }
            )
        except (psutil.NoSuchProcess, FileNotFoundError):
            rows.append({"process": label, "pid": pid, "peak_mb": None, "cpu_seconds": None})
    return rows


def _stop(process) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _run(name: str, folder: Path, env: dict, results: dict) -> None:
    python = str(BIN / "python")
    quiet = {"cwd": PROJECT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
    servers, worker = [], None
    try:
        _database(name, "CREATE DATABASE {name}")
        _redis_flush()
        print(f"== database {name}: migrate, seed {PATIENTS:,} patients of a year each")
        subprocess.run([python, "manage.py", "migrate", "--no-input"], **quiet)
        began = time.monotonic()
        seed = [python, "bench/seed.py", f"--patients={PATIENTS}", f"--password={PASSWORD}"]
        seed += [f"--signed-in={USERS}", f"--clinicians={CLINICIANS}"]
        subprocess.run(seed, cwd=PROJECT, env=env, check=True)
        results["seed_seconds"] = round(time.monotonic() - began)
        results["database_mb"] = round(
            _database(name, "SELECT pg_database_size('{name}')")[0][0] / 2**20
        )
        print(f"   seeded in {results['seed_seconds']} s ({results['database_mb']:,} MB)")
        subprocess.run([python, "manage.py", "collectstatic", "--no-input"], **quiet)

        for port in PORTS:
            log = (folder / f"gunicorn-{port}.log").open("w")
            command = [str(BIN / "gunicorn"), "config.wsgi", "--workers=2"]
            command += [f"--bind=127.0.0.1:{port}", "--log-level=warning"]
            servers.append(
                subprocess.Popen(command, cwd=PROJECT, env=env, stderr=log, start_new_session=True)
            )
        worker_log = (folder / "db_worker.log").open("w")
        worker = subprocess.Popen(
            [python, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
            cwd=PROJECT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for port in PORTS:
            _wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        started = _processes(servers, worker)
        print(f"== servers on {', '.join(PORTS)} (2 workers each) and the task worker")

        rates = SCHEDULE["BENCH_RATES"]
        print(f"== locust: {USERS} users, warm-up, then {rates} requests/s, stopping at a miss")
        steps_file = folder / "steps.json"
        locust_env = {
            **env,
            **SCHEDULE,
            "BENCH_SERVERS": " ".join(f"http://127.0.0.1:{port}" for port in PORTS),
            "BENCH_STEPS_FILE": str(steps_file),
            "BENCH_SERVER_PIDS": " ".join(
                str(pid) for label, pid in started.items() if ": worker " in label
            ),
            "BENCH_TASK_WORKER_PID": str(worker.pid),
            "BENCH_DATABASE": name,
        }
        bound = float(SCHEDULE["BENCH_WARMUP"]) + 120
        bound += sum(
            max(
                float(SCHEDULE["BENCH_STEP_SECONDS"]),
                float(SCHEDULE["BENCH_STEP_REQUESTS"]) / float(rate),
            )
            for rate in rates.split()
        )
        with (folder / "locust.log").open("w") as log:
            subprocess.run(
                [str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless"]
                + ["--only-summary", "--loglevel=WARNING"],
                cwd=PROJECT,
                env=locust_env,
                check=False,  # locust exits 1 when a request failed: reported below
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=bound,
            )
        results["load_after"] = [round(load, 2) for load in os.getloadavg()]
        results["steps"] = json.loads(steps_file.read_text()) if steps_file.exists() else []
        if not results["steps"] or not results["steps"][-1]["passed"]:
            print((folder / "locust.log").read_text()[-3000:])
        _drain(name)
        ended = _processes(servers, worker)
        results["worker_restarts"] = sorted(set(started.values()) ^ set(ended.values()))
        results["memory"] = _memory(ended)
        pdfs = _pdfs(name)
        for step in results["steps"]:
            step["pdfs"] = _pdf_figures(step, pdfs)
        results["pdfs"] = {
            status: sum(pdf[2] == status for pdf in pdfs)
            for status in ("ready", "failed", "queued", "working")
        }
    finally:
        for process in [*servers, worker]:
            _stop(process)
        try:
            _database(name, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            _redis_flush()
        finally:
            for log in folder.glob("*.log"):
                if "Traceback" in log.read_text():
                    print(f"-- {log.name}:\n{log.read_text()[-2000:]}")
            shutil.rmtree(folder, ignore_errors=True)


def _cpu_per_request(step: dict, who=("servers", "task_worker", "database")) -> float:
    """Milliseconds of CPU per request of the step: the app servers', the task worker's and
    PostgreSQL's, or those of `who`."""
    used = sum(step[f"{one}_cpu_seconds"] for one in who)
    return 1000 * used / step["requests"] if step["requests"] else 0.0


def _report(results: dict) -> int:
    print(
        f"\n{'rate':>5} {'served':>7} {'requests':>8} {'p50':>6} {'p95':>6} {'p95 no drawing':>14}"
        f" {'max':>7} {'errors':>6} {'PDFs asked/ready':>16} {'waiting':>7} {'CPU/req':>8}"
        f" {'load':>5}  verdict"
    )
    for step in results["steps"]:
        pdfs = step["pdfs"]
        print(
            f"{step['rate']:5g} {step['per_second']:7.1f} {step['requests']:8d} "
            f"{step['median_ms']:4.0f}ms {step['p95_ms']:4.0f}ms "
            f"{step['p95_no_drawing_ms']:12.0f}ms {step['max_ms']:5d}ms {step['failures']:6d} "
            f"{pdfs['asked']:>9d} / {pdfs['ready']:<4d} {pdfs['waiting_at_end']:7d} "
            f"{_cpu_per_request(step):6.0f}ms {step['load'][0]:5.2f}  "
            f"{'pass' if step['passed'] else 'MISS'}"
        )
    passed = [step for step in results["steps"] if step["passed"]]
    missed = [step for step in results["steps"] if not step["passed"]]
    for label, step in (("the last passing step", passed[-1:]), ("the step that missed", missed)):
        if step:
            print(f"\n{label}, {step[0]['rate']:g} requests/s:")
            for row in step[0]["by_request"]:
                print(
                    f"  {row['request']:52} {row['requests']:5d} {row['median_ms']:5.0f}ms "
                    f"{row['p95_ms']:5.0f}ms {row['failures']:4d}"
                )
            for error in step[0]["errors"][:5]:
                print(f"  error: {error}")
    best = max((step["rate"] for step in passed), default=0)
    best_of_all = max((s["rate"] for s in passed if s["p95_of_all_met"]), default=0)
    peak = morning_peak_rate()
    results["highest_passing_rate"] = best
    results["highest_rate_p95_of_all"] = best_of_all
    results["morning_peak_rate"] = round(peak, 2)
    results["margin"] = round(best / peak, 1)
    limit = SCHEDULE["BENCH_P95_MS"]
    print(
        f"\nhighest rate with no error and p95 under {limit} ms, of the requests that draw no "
        f"chart: {best:g} requests/s;\nthe {PATIENTS:,}-patient morning peak asks {peak:.1f}: "
        f"{results['margin']:g}x. With the chart-drawing requests too: "
        + (f"{best_of_all:g} requests/s." if best_of_all else "no rate passed.")
    )
    if results["steps"]:
        cost = {
            who: round(statistics.median(_cpu_per_request(s, (who,)) for s in results["steps"]))
            for who in ("servers", "task_worker", "database")
        }
        results["cpu_ms_per_request"] = cost
        total = sum(cost.values())
        print(
            f"the mix costs {total} ms of CPU a request (the median of the steps: app servers "
            f"{cost['servers']}, task worker {cost['task_worker']}, PostgreSQL "
            f"{cost['database']}): the morning peak needs {total * peak / 1000:.2f} of a core"
        )
    print(f"PDFs built by the task worker over the run: {results['pdfs']}")
    print(f"load average before the run {results['load_before']}, after {results['load_after']}")
    print(f"\n{'process':34} {'peak memory':>12} {'CPU':>8}")
    for row in results["memory"]:
        print(f"{row['process']:34} {row['peak_mb'] or 0:9.0f} MB {row['cpu_seconds'] or 0:7.0f}s")
    if results["worker_restarts"]:
        print(f"gunicorn workers replaced during the run: {results['worker_restarts']}")
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {RESULTS}")
    return 1 if best < peak or results["pdfs"]["failed"] else 0


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
    results = {
        "patients": PATIENTS + 1,
        "servers": len(PORTS),
        "workers_each": 2,
        "clinicians": CLINICIANS,
        **{key.removeprefix("BENCH_").lower(): value for key, value in SCHEDULE.items()},
        "load_before": [round(load, 2) for load in os.getloadavg()],
    }
    _run(name, folder, env, results)
    return _report(results)


if __name__ == "__main__":
    sys.exit(main())
