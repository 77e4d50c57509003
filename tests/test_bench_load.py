"""The load run's visits (bench/locustfile.py) ask for pages that exist and find on them what
they need to go on: its paths and patterns (bench/load_pages.py), walked through the app as
its patients and clinicians walk them, so that a renamed URL or field shows here and not as a
load run of errors."""

from datetime import date

import pytest
from django.test import Client
from django.urls import resolve

from accounts.models import LinkStatus, User
from bench import seed
from bench.load_pages import (
    FILE_ID,
    LAST_NIGHT,
    PATHS,
    PATIENT_ROW,
    READY,
    clinician_email,
    morning_peak_rate,
    night_form,
    patient_email,
    patient_name,
)
from tests.prepared import run_worker

pytestmark = pytest.mark.django_db

EXAMPLES = {
    "night": "2026-03-04",
    "public_id": "r03DwvP1WqaxeRHV",
    "file_id": "0b7c6f8e-6a47-4a55-9d3e-2f4c1b9a8d21",
}


def test_every_path_is_the_page_it_is_named_for():
    for name, path in PATHS.items():
        assert resolve(path.format(**EXAMPLES)).url_name == name, path


def test_a_patients_morning_finds_its_way_and_saves(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    assert client.get(PATHS["home"]).status_code == 200
    log = client.get(PATHS["log"]).content.decode()
    night = LAST_NIGHT.search(log)[1]
    assert date.fromisoformat(night)
    saved = client.post(PATHS["log_night"].format(night=night), night_form(log, morning=2))
    assert saved.status_code == 302
    assert saved["Location"] == PATHS["log_saved"].format(night=night)
    assert client.get(saved["Location"]).status_code == 200
    assert client.get(PATHS["trends"]).status_code == 200
    assert client.get(PATHS["history"]).status_code == 200


def test_a_clinicians_round_finds_the_patients_and_their_pdf(clinicians, patient):
    client = clinicians["linked"]
    dashboard = client.get(PATHS["clinic"]).content.decode()
    assert PATIENT_ROW.findall(dashboard) == [(patient.public_id, "Alice Walker")]
    found = client.get(PATHS["clinic"], {"name": "Alice Walker"}).content.decode()
    assert PATIENT_ROW.findall(found) == [(patient.public_id, "Alice Walker")]
    summary = PATHS["patient_summary"].format(public_id=patient.public_id)
    assert client.get(summary).status_code == 200
    asked = client.get(PATHS["patient_download"].format(public_id=patient.public_id))
    assert asked.status_code == 302
    file_id = FILE_ID.search(asked["Location"])[1]
    waiting = PATHS["prepared_file"].format(file_id=file_id)
    assert asked["Location"] == waiting
    assert not READY.search(client.get(waiting).content.decode())
    run_worker()
    assert READY.search(client.get(waiting).content.decode())
    download = client.get(PATHS["prepared_file_download"].format(file_id=file_id))
    assert b"".join(download).startswith(b"%PDF")


def test_the_run_signs_in_as_the_seeded_people_and_looks_patients_up_by_their_names():
    seed.seed(others=3, other_nights=5, bench_nights=5, password="pw", signed_in=3, clinicians=2)
    for number in range(4):
        patient = User.objects.get(email=patient_email(number))
        assert patient.full_name == patient_name(number) and patient.check_password("pw")
    for number in range(2):
        clinician = User.objects.get(email=clinician_email(number))
        assert clinician.check_password("pw")
        assert clinician.patient_links.filter(status=LinkStatus.ACTIVE).count() == 4


def test_the_morning_peak_is_about_five_requests_a_second():
    assert 4.5 < morning_peak_rate() < 5.5
