"""Page speed as ratios against a bare Django view served in the same process.

Run with `make bench`. It builds a throwaway database with a year-long diary, shared with a
clinician who also has 50 other patients, then times each page (warm cache, prompts current)
and divides by the time of a view that only returns "ok" through the same middleware.
Ratios, not seconds, so that results compare across machines.
"""

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

ROUNDS = 30


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-bare/", bare), path("", include("config.urls"))]


def _seed():
    from accounts.models import Role, User
    from accounts.sharing import care_link_create
    from diary.demo import demo_patients
    from diary.exchange import Diary
    from diary.nights import diary_import
    from diary.records import CrampRecord, NightRecord

    today = date.today()
    clinician = User.objects.create_user(
        email="bench.dr@example.org", password="x", role=Role.CLINICIAN, full_name="Dr Bench"
    )
    patient = User.objects.create_user(email="bench@example.org", full_name="Bea Bench")
    nights = [
        NightRecord(
            today - timedelta(days=n),
            cramps=(CrampRecord("calf", "left", 2, 5, True, frozenset({"massage"}), "some"),)
            if n % 3 == 0
            else (),
        )
        for n in range(1, 366)
    ]
    diary_import(patient=patient, diary=Diary(nights=tuple(nights)))
    care_link_create(patient=patient, clinician=clinician)
    for number, demo in enumerate(demo_patients(today) * 7):
        other = User.objects.create_user(
            email=f"bench{number}@example.org", full_name=demo.full_name
        )
        diary_import(patient=other, diary=Diary(nights=demo.nights[-30:]))
        care_link_create(patient=other, clinician=clinician)
    return patient, clinician


def _median_seconds(client, url) -> float:
    assert client.get(url).status_code == 200, url  # warm: caches filled, prompts current
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    plain_static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain_static}
    with override_settings(ROOT_URLCONF=__name__, SECURE_SSL_REDIRECT=False, STORAGES=storages):
        patient, clinician = _seed()
        as_patient, as_clinician = Client(), Client()
        as_patient.force_login(patient)
        as_clinician.force_login(clinician)
        baseline = _median_seconds(as_patient, "/bench-bare/")
        print(f"bare view: {baseline * 1000:.2f} ms (median of {ROUNDS})")
        print(f"{'page':45} {'ratio':>7}")
        pages = [
            (as_patient, "/"),
            (as_patient, "/log/"),
            (as_patient, "/history/"),
            (as_patient, "/trends/"),
            (as_patient, "/trends/?range=365"),
            (as_patient, "/prompts/"),
            (as_patient, "/summary/"),
            (as_clinician, "/clinic/"),
            (as_clinician, f"/clinic/patients/{patient.public_id}/"),
        ]
        for client, url in pages:
            label = url.replace(patient.public_id, "<id>")
            print(f"{label:45} {_median_seconds(client, url) / baseline:7.1f}")


if __name__ == "__main__":
    main()
