"""`send_reminders` for 10,000 patients due at once: seconds and SQL statements (issue 15).

    DJANGO_DEBUG=0 DJANGO_SECRET_KEY=x DJANGO_ALLOWED_HOSTS=localhost .venv/bin/python \
        bench/reminders.py

SQLite in memory by default; with `DATABASE_URL=postgres://...` a throwaway PostgreSQL database
(bench_reminders) is made and dropped here. BENCH_PATIENTS (default 10000) sets the patients,
BENCH_SENDS (default 1000) how many of their e-mails one `db_worker --batch` sends to the
in-memory mail backend to time the worker.

Every patient has reminders on, in a zone at UTC+0 all year, a confirmed address, the 14
nights before last night logged and a reminder on each of the 14 mornings before, and a
reminder time 5 minutes before the moment the bench starts (00:00 just after midnight), so
that every one of them is due then. The bench reads the real clock, as the worker it times
does, so it runs on any date. Accounts are seeded with bulk_create and unusable passwords
(hashing 10,000 real ones would take over an hour).
"""

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "10000"))
SENDS = int(os.environ.get("BENCH_SENDS", "1000"))
# The worker checks each reminder against the real clock (queued less than 3 hours ago, last
# night still not logged), so the bench's moment is now, whatever the date.
NOW = datetime.now(UTC).replace(second=0, microsecond=0)
MORNING = NOW.date()  # the patients' today: their zones are at UTC+0 all year
ZONES = ["UTC", "Africa/Abidjan", "Atlantic/Reykjavik", "Africa/Accra", "Africa/Dakar"]
# 5 minutes before now, or midnight when that was yesterday: due now, on today's date.
REMINDER_TIME = max(NOW - timedelta(minutes=5), NOW.replace(hour=0, minute=0)).time()


def seed() -> None:
    from accounts.models import User
    from diary.models import Night, Reminder

    unusable = make_password(None)
    User.objects.bulk_create(
        (
            User(
                email=f"patient{n}@example.org",
                full_name=f"Patient {n}",
                password=unusable,
                time_zone=ZONES[n % len(ZONES)],
                reminders_on=True,
                reminder_time=REMINDER_TIME,
                email_verified_at=NOW - timedelta(days=100),
            )
            for n in range(PATIENTS)
        ),
        batch_size=2000,
    )
    ids = list(User.objects.values_list("pk", flat=True))
    Night.objects.bulk_create(
        (
            Night(patient_id=pk, date=MORNING - timedelta(days=back))
            for pk in ids
            for back in range(2, 16)
        ),
        batch_size=5000,
    )
    Reminder.objects.bulk_create(
        (
            Reminder(patient_id=pk, date=MORNING - timedelta(days=back), queued_at=NOW)
            for pk in ids
            for back in range(1, 15)
        ),
        batch_size=5000,
    )


def measure() -> list[tuple[str, str]]:
    from django_tasks_db.models import DBTaskResult

    from diary.models import Reminder
    from diary.tasks import reminders_queue

    rows = []
    started = time.perf_counter()
    queued = reminders_queue(NOW)
    seconds = time.perf_counter() - started
    assert queued == PATIENTS, queued
    rows.append((f"send_reminders, {PATIENTS:,} due", f"{seconds:.2f} s"))

    started = time.perf_counter()
    assert reminders_queue(NOW + timedelta(minutes=5)) == 0
    rows.append(("send_reminders again, none due", f"{time.perf_counter() - started:.2f} s"))

    # The same first run again, counting statements (capturing slows it, hence not timed).
    Reminder.objects.filter(date=MORNING).delete()
    DBTaskResult.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        reminders_queue(NOW)
    kinds = [q["sql"].split()[0] for q in queries if "SAVEPOINT" not in q["sql"]]
    summary = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds))
    rows.append(("SQL statements of that run", f"{len(kinds)} ({summary})"))

    keep = list(DBTaskResult.objects.order_by("?").values_list("id", flat=True)[:SENDS])
    DBTaskResult.objects.exclude(id__in=keep).delete()
    started = time.perf_counter()
    with override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    ):
        mail.outbox = []
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    seconds = time.perf_counter() - started
    assert len(mail.outbox) == SENDS, len(mail.outbox)
    rows.append(
        (f"db_worker --batch, {SENDS:,} e-mails", f"{seconds:.2f} s ({SENDS / seconds:.0f}/s)")
    )
    return rows


def main() -> int:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = "bench_reminders"
    connection.creation.create_test_db(verbosity=0)
    try:
        started = time.perf_counter()
        seed()
        print(f"{connection.vendor}: seeded {PATIENTS:,} patients in ", end="")
        print(f"{time.perf_counter() - started:.1f} s")
        for label, result in measure():
            print(f"  {label:42} {result}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
