"""A diary at the exchange format's limit (10,000 nights), for bench/pages.py's last rows.

- The import: the file uploaded, then the confirmation timed (the request that saves it).
- The summary PDF and the FHIR export of all of it, through the task worker: a real
  `manage.py db_worker` in its own process, as deployed, on the same database; timed from the
  request to the file being ready, while the sign-in page is requested again and again by the
  bench process (the web), whose times are the row "sign-in page while the worker builds".

The worker needs a database another process can open: on SQLite this bench's database is a
file (the other rows' stays in memory); on PostgreSQL it is the run's throwaway database.
"""

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection
from django.test import Client

from bench.harness import throwaway_database

LONG_NIGHTS = 10_000
ROOT = Path(__file__).resolve().parent.parent
SIGN_IN = "/accounts/login/"


def _diary_file(latest) -> bytes:
    """10,000 nights ending last night, every one logged, a warning sign on about one in ten."""
    import json

    from bench.seed import nights
    from diary.domain.exchange import diary_to_dict

    made = []
    for number, night in enumerate(nights(random.Random(10_000), latest, LONG_NIGHTS, 0.4)):
        if number % 10 == 3:
            flag = "leg_swollen" if number % 20 == 3 else "cramp_wont_stop"
            night = replace(night, red_flags=frozenset({flag}))
        made.append(night)
    return json.dumps(diary_to_dict({"time_zone": "Europe/London"}, made)).encode()


def _database_url() -> str:
    """The throwaway database's address, for the worker's process."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def _worker():
    """`manage.py db_worker` in its own process on this database, until the block ends."""
    env = {**os.environ, "DATABASE_URL": _database_url()}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _seconds(client, url, expect=200) -> float:
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == expect, (url, response.status_code)
    return time.perf_counter() - started


def _import(client, raw: bytes) -> float:
    """Seconds to confirm the import of the file (uploaded first, untimed)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("diary.json", raw, content_type="application/json")
    checked = client.post("/diary/import/", {"diary_file": upload})
    assert checked.status_code == 200 and b"import/confirm/" in checked.content, checked.content
    started = time.perf_counter()
    confirmed = client.post("/diary/import/confirm/")
    seconds = time.perf_counter() - started
    assert confirmed.status_code == 302 and confirmed["Location"] == "/history/", confirmed
    return seconds


def _through_worker(client, url: str, visitor) -> dict:
    """The file at `url` from the request to ready, with the sign-in page's times meanwhile."""
    from diary.models import PreparedFile

    started = time.perf_counter()
    asked = client.get(url)
    asked_seconds = time.perf_counter() - started
    assert asked.status_code == 302, asked.status_code
    file_id = asked["Location"].strip("/").split("/")[1]
    sign_in = []
    while True:
        sign_in.append(_seconds(visitor, SIGN_IN))
        status = PreparedFile.objects.filter(pk=file_id).values_list("status", flat=True).get()
        if status in (PreparedFile.Status.READY, PreparedFile.Status.FAILED):
            break
        time.sleep(0.05)
    ready_seconds = time.perf_counter() - started
    assert status == PreparedFile.Status.READY, status
    size = len(PreparedFile.objects.values_list("content", flat=True).get(pk=file_id))
    return {
        "asked_ms": asked_seconds * 1000,
        "ready_seconds": ready_seconds,
        "sign_in": sign_in,
        "bytes": size,
    }


def measure(row, chosen) -> list[dict]:
    """The rows (built by `row`, as bench/pages.py's) that `chosen` leaves in."""
    from accounts.models import Role, User
    from accounts.sharing import care_link_create
    from diary.services.dates import last_night, patient_today

    sqlite_file = None
    if connection.vendor == "sqlite":
        sqlite_file = Path(tempfile.gettempdir()) / f"bench_long_{os.getpid()}.sqlite3"
        connection.settings_dict["TEST"]["NAME"] = str(sqlite_file)
    rows = []
    with throwaway_database():
        patient = User.objects.create_user(
            email="long@example.org", full_name="Lon Long", time_zone="Europe/London"
        )
        clinician = User.objects.create_user(
            email="long.dr@example.org", full_name="Dr Long", role=Role.CLINICIAN
        )
        care_link_create(patient=patient, clinician=clinician)
        as_patient, as_clinician, visitor = Client(), Client(), Client()
        as_patient.force_login(patient)
        as_clinician.force_login(clinician)
        raw = _diary_file(last_night(patient_today(patient)))
        label = f"import of {LONG_NIGHTS:,} nights (confirm)"
        seconds = _import(as_patient, raw)  # the diary the other rows read, whichever run
        if chosen(label):
            rows.append(row(label, "/diary/import/confirm/", seconds, 10.0, "s", bytes=len(raw)))
            replaced = _import(as_patient, raw)
            rows.append(
                row(f"import of {LONG_NIGHTS:,} nights, all replaced", "", replaced, 10.0, "s")
            )
        idle = statistics.median(_seconds(visitor, SIGN_IN) for _ in range(30))
        base = f"/clinic/patients/{patient.public_id}/"
        files = [
            (f"summary PDF, {LONG_NIGHTS:,} nights, through the worker", as_patient,
             "/summary/pdf/?range=all"),
            (f"FHIR export, {LONG_NIGHTS:,} nights, through the worker", as_clinician,
             base + "fhir/?range=all"),
        ]  # fmt: skip
        meanwhile = []
        with _worker():
            for label, client, url in files:
                if not chosen(label):
                    continue
                built = _through_worker(client, url, visitor)
                meanwhile += built["sign_in"]
                rows.append(
                    row(
                        label,
                        url,
                        built["ready_seconds"],
                        30.0,
                        "s",
                        asked_ms=round(built["asked_ms"], 1),
                        bytes=built["bytes"],
                    )
                )
        if meanwhile:
            rows.append(
                row(
                    "sign-in page while the worker builds",
                    SIGN_IN,
                    statistics.median(meanwhile) * 1000,
                    max(100.0, idle * 1000 * 5),
                    "ms",
                    idle_ms=round(idle * 1000, 1),
                    slowest_ms=round(max(meanwhile) * 1000, 1),
                    requests=len(meanwhile),
                )
            )
    return rows
