"""Health pages are never cached, and hostile text in a URL gets a page, not an error."""

from datetime import date

import pytest

from accounts.sharing import care_link_create
from diary.domain.records import NightRecord
from diary.services.nights import night_save

PATIENT_PAGES = [
    "/",
    "/log/",
    "/history/",
    "/trends/",
    "/trends/frequency.svg",
    "/prompts/",
    "/summary/",
    "/summary/csv/",
    "/summary/json/",
    "/diary/export/",
    "/sharing/",
    "/accounts/profile/",
]


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", PATIENT_PAGES)
def test_no_patient_page_or_download_may_be_stored(patient_client, patient, path):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20)))
    response = patient_client.get(path)
    assert response.status_code == 200, path
    assert _no_store(response), path


def test_no_clinician_page_or_download_may_be_stored(clinician_client, clinician, patient):
    care_link_create(patient=patient, clinician=clinician)
    base = f"/clinic/patients/{patient.public_id}/"
    for path in ("/clinic/", base, base + "csv/", base + "json/"):
        response = clinician_client.get(path)
        assert response.status_code == 200 and _no_store(response), path


def test_public_pages_may_be_cached_as_usual(client, db):
    assert not _no_store(client.get("/advice/"))


@pytest.mark.parametrize("name", ["%00", "a%00b", "%ED%A0%80", "x" * 5000])
def test_a_hostile_name_filter_gets_the_dashboard(clinician_client, name):
    assert clinician_client.get(f"/clinic/?name={name}").status_code == 200
