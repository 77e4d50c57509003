"""`manage.py refresh_prompts` at clinic scale: seconds, CPU and queries per patient, in one
process and in two.

    make bench-refresh        (or: .venv/bin/python bench/refresh.py, with the test environment)

SQLite in memory by default; with `DATABASE_URL=postgres://...` a throwaway PostgreSQL database
(`bench_<process id>`), made and dropped here. It seeds bench/seed.py's patients (BENCH_PATIENTS,
default 5,000, each with 120 nights: more than the rules' longest look-back of 90), then runs
the scheduled job as it runs when every patient's day has moved on (`--on` a later day: all of
them stale):

1. in this process, the first evaluation (no prompt stored yet: every run starts), counting
   its queries;
2. on PostgreSQL, each as its own `manage.py refresh_prompts` on the same database, a day later
   each time: one process (its queries counted), then `--processes 2`, checking that every
   patient was refreshed exactly once between the two;
3. once more with nothing to do.

Each run's figures: wall-clock seconds, the CPU of the command's processes and, when the
database server runs on this machine, of the PostgreSQL backends serving them (read from /proc
while they run), both in ms a patient; and the load average, since the machine may be shared.
BENCH_BEFORE=<another checkout> (say, of main) also runs that checkout's command on the same
data first, in one process and as two at once, for a before-and-after on one seeding.

Prints the figures and writes refresh.json outside the repository
(bench/outcome.py; BENCH_UPDATE=1 writes the tracked bench/refresh.json).
"""

import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PATIENTS = int(os.environ.get("BENCH_PATIENTS", "5000"))
NIGHTS = 120
BEFORE = os.environ.get("BENCH_BEFORE")
REFRESHED = re.compile(r"up to date for (\d+) patients")


def child(checkout: str, args: list[str]) -> None:
    """`bench/refresh.py --child CHECKOUT ARGS...`: that checkout's refresh_prompts ARGS, then
    a last line with the queries this process made (not those of processes it starts)."""
    sys.path.insert(0, checkout)
    os.chdir(checkout)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        call_command("refresh_prompts", *args)
    print(json.dumps({"queries": count[0]}))


class DatabaseCpu:
    """The CPU seconds the PostgreSQL backends of this database spend while the block runs,
    this process's own backend included, read from /proc every quarter of a second (a backend
    that ends between two readings loses at most that quarter's CPU); None when the server is
    not on this machine."""

    def __init__(self):
        self.seen, self.stop = {}, threading.Event()
        self.seconds, self.started, self.thread = None, False, None

    @staticmethod
    def _cpu(pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _read(self, cursor, mine: int) -> None:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s",
            [mine],
        )
        for (pid,) in cursor.fetchall():
            cpu = self._cpu(pid)
            if cpu is not None:
                # A backend there from the start counts from what it had; a new one from nothing.
                first, _last = self.seen.get(pid, (0.0 if self.started else cpu, cpu))
                self.seen[pid] = (first, cpu)

    def _watch(self, ready: threading.Event) -> None:
        from django.db import connections

        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                mine = cursor.fetchone()[0]
                self._read(cursor, mine)  # the backends already there: from what they had
                self.started = True
                ready.set()
                while not self.stop.wait(0.25):
                    self._read(cursor, mine)
                self._read(cursor, mine)
        finally:
            ready.set()
            connections.close_all()

    def __enter__(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            return self
        ready = threading.Event()
        self.thread = threading.Thread(target=self._watch, args=(ready,))
        self.thread.start()
        ready.wait()
        return self

    def __exit__(self, *exc):
        if self.thread is None:
            return
        self.stop.set()
        self.thread.join()
        if self.seen:
            self.seconds = sum(last - first for first, last in self.seen.values())


def _in_process(on) -> dict:
    """This process's `refresh_prompts --on`: its figures, and its queries."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    out, count = StringIO(), [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting), DatabaseCpu() as database:
        started, cpu = time.perf_counter(), time.process_time()
        call_command("refresh_prompts", "--on", on.isoformat(), stdout=out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return _figures(seconds, cpu, database.seconds, [out.getvalue()], count[0])


def _commands(checkout: str, url: str, on, *, at_once: int = 1, options=()) -> dict:
    """`at_once` commands of `checkout` started together, `refresh_prompts --on` on the bench's
    database: their figures (the queries of one command alone, which starts no others)."""
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, str(ROOT / "bench" / "refresh.py"), "--child", checkout]
    command += ["--on", on.isoformat(), *options]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with DatabaseCpu() as database:
        started = time.perf_counter()
        running = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(at_once)
        ]
        said = [process.communicate()[0] for process in running]
        seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if any(process.returncode for process in running):
        raise SystemExit(f"refresh_prompts failed: {said}")
    queries = json.loads(said[0].strip().splitlines()[-1])["queries"]
    alone = at_once == 1 and "--processes" not in options  # else, only a part is counted
    return _figures(seconds, cpu, database.seconds, said, queries if alone else None)


def _figures(seconds, cpu, database_cpu, said: list[str], queries: int | None) -> dict:
    refreshed = [int(count) for text in said for count in REFRESHED.findall(text)]
    per = max(sum(refreshed), 1)
    return {
        "refreshed": sum(refreshed),
        "said": " / ".join(line for text in said for line in text.splitlines()[:1]),
        "seconds": round(seconds, 2),
        "cpu_ms_a_patient": round(cpu / per * 1000, 2),
        "database_cpu_ms_a_patient": None
        if database_cpu is None
        else round(database_cpu / per * 1000, 2),
        "queries": queries,
        "queries_a_patient": None if queries is None else round(queries / per, 3),
        "load_average_after": [round(load, 2) for load in os.getloadavg()],
    }


def _url(name: str) -> str:
    """DATABASE_URL, naming the bench's database instead."""
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def _as_commands(url: str, day, record):
    """The runs as commands of their own, a day later each (BENCH_BEFORE's first): one process,
    then two at once; the last day."""
    this = str(ROOT)
    plans = [(this, "", 1, ()), (this, "", 1, ("--processes", "2"))]
    if BEFORE:
        plans = [(BEFORE, "before: ", 1, ()), (BEFORE, "before: ", 2, ()), *plans]
    for checkout, name, at_once, options in plans:
        day += timedelta(days=1)
        figures = _commands(checkout, url, day, at_once=at_once, options=options)
        how = f"{at_once} commands at once" if at_once > 1 else " ".join(options)
        record(f"{name}one day later, {how or 'one process'}", figures, day)
    return day


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from django.db import connection

    from bench.harness import throwaway_database  # sets Django up
    from bench.outcome import results_file
    from bench.seed import seed
    from diary.models import DiaryState

    runs, ok = [], True

    def record(label: str, figures: dict, day, expected: int = PATIENTS) -> None:
        nonlocal ok
        behind = DiaryState.objects.exclude(prompts_evaluated_for=day).count()
        ok = ok and figures["refreshed"] == expected and not behind
        runs.append({"run": label, "on": day.isoformat(), **figures, "left_behind": behind})
        database = figures["database_cpu_ms_a_patient"]
        each = (
            f"{figures['cpu_ms_a_patient']} ms CPU + {database} ms database CPU a patient,"
            f" {figures['queries_a_patient']} queries a patient"
            if expected
            else f"{figures['queries']} queries"
        )
        print(
            f"{label}: {figures['seconds']:.2f} s, {each}; {figures['said']};"
            f" {behind} left behind; load {figures['load_average_after']}"
        )

    with throwaway_database():
        print(f"load average before: {[round(load, 2) for load in os.getloadavg()]}")
        started = time.perf_counter()
        seeded = seed(others=PATIENTS - 1, other_nights=NIGHTS, refresh=False)
        took = time.perf_counter() - started
        print(
            f"seeded {PATIENTS} patients of {NIGHTS} nights in {took:.1f} s on {connection.vendor}"
        )
        day = seeded.last_night + timedelta(days=2)  # last night + 1 is today
        record("first evaluation, one process (in the bench's)", _in_process(day), day)
        if connection.vendor == "postgresql":
            day = _as_commands(_url(connection.settings_dict["NAME"]), day, record)
        record("nothing to do", _in_process(day), day, expected=0)
        result = {"database": connection.vendor, "patients": PATIENTS, "nights_each": NIGHTS}
    result["runs"] = runs
    path = results_file("refresh.json")
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {path}")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(main())
