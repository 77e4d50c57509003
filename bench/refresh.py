"""`manage.py refresh_prompts` for 5,000 patients: seconds, and queries per patient.

    make bench-refresh        (or: .venv/bin/python bench/refresh.py, with the test environment)

SQLite in memory by default; with `DATABASE_URL=postgres://...` a throwaway PostgreSQL database
(`bench_<process id>`), made and dropped here. It seeds bench/seed.py's patients (BENCH_PATIENTS,
default 5,000, each with 120 nights: more than the rules' longest look-back of 90), then times
the scheduled job as it runs when every patient's day has moved on (`--on` tomorrow: all of
them stale), then once more with nothing to do. On PostgreSQL it also runs it twice at once
(two threads, two connections, `--on` the day after), as two servers' schedulers would, and
checks that each patient was refreshed exactly once between them.

Prints the figures and writes refresh.json outside the repository
(bench/outcome.py; BENCH_UPDATE=1 writes the tracked bench/refresh.json).
"""

import json
import os
import sys
import threading
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from bench.harness import throwaway_database  # noqa: E402  (sets Django up)
from bench.outcome import results_file  # noqa: E402

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "5000"))
NIGHTS = 120
RESULTS = results_file("refresh.json")


def _run(on) -> tuple[float, int, str]:
    """Seconds, queries and output of one `refresh_prompts --on`."""
    out = StringIO()
    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        started = time.perf_counter()
        call_command("refresh_prompts", "--on", on.isoformat(), stdout=out)
        seconds = time.perf_counter() - started
    return seconds, count[0], out.getvalue().strip()


def _twice_at_once(on) -> dict:
    """Two runs at once on two connections; how many patients each refreshed."""
    from diary.services.prompts import prompts_refresh_stale

    counts, errors = {}, []

    def run(name):
        try:
            counts[name] = prompts_refresh_stale(on=on)
        except Exception as error:  # reported, and the bench fails
            errors.append(repr(error))
        finally:
            connections.close_all()

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - started, "refreshed": counts, "errors": errors}


def main() -> int:
    from bench.seed import seed
    from diary.models import DiaryState

    with throwaway_database():
        started = time.perf_counter()
        seeded = seed(others=PATIENTS - 1, other_nights=NIGHTS, refresh=False)
        took = time.perf_counter() - started
        print(
            f"seeded {PATIENTS} patients of {NIGHTS} nights in {took:.1f} s on {connection.vendor}"
        )
        tomorrow = seeded.last_night + timedelta(days=2)  # last night + 1 is today
        seconds, queries, said = _run(tomorrow)
        print(f"refresh_prompts, all {PATIENTS} stale: {seconds:.1f} s, {queries} queries ({said})")
        result = {
            "database": connection.vendor,
            "patients": PATIENTS,
            "nights_each": NIGHTS,
            "seconds": round(seconds, 2),
            "ms_per_patient": round(seconds / PATIENTS * 1000, 2),
            "queries": queries,
            "queries_per_patient": round(queries / PATIENTS, 2),
        }
        seconds, queries, said = _run(tomorrow)
        print(f"refresh_prompts again, nothing stale: {seconds:.2f} s, {queries} queries ({said})")
        result.update(nothing_to_do_seconds=round(seconds, 3), nothing_to_do_queries=queries)
        ok = DiaryState.objects.exclude(prompts_evaluated_for=tomorrow).count() == 0
        if connection.vendor == "postgresql":
            at_once = _twice_at_once(tomorrow + timedelta(days=1))
            refreshed = sum(at_once["refreshed"].values())
            print(
                f"twice at once: {at_once['seconds']:.1f} s, refreshed {at_once['refreshed']}"
                f" (together {refreshed} of {PATIENTS}), errors {at_once['errors'] or 'none'}"
            )
            ok = ok and refreshed == PATIENTS and not at_once["errors"]
            result["twice_at_once"] = at_once
    RESULTS.write_text(json.dumps(result, indent=1, default=str) + "\n")
    print(f"wrote {RESULTS}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
