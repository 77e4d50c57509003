from datetime import UTC, date, datetime

import pytest
from django.test import Client

from diary.models import Prompt
from diary.nights import night_save
from diary.records import CrampRecord, NightRecord

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SEVERE_LONG = CrampRecord("calf", "left", 15, 9, True)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _mgmt():
    return {
        "cramps-TOTAL_FORMS": "1",
        "cramps-INITIAL_FORMS": "0",
        "cramps-MIN_NUM_FORMS": "0",
        "cramps-MAX_NUM_FORMS": "20",
    }


def test_right_after_saving_a_severe_long_cramp_the_patient_is_told_to_seek_care(
    patient_client, settings
):
    settings.EMERGENCY_NUMBER = "999"
    data = {
        **_mgmt(),
        "cramps-0-muscle": "calf",
        "cramps-0-side": "left",
        "cramps-0-duration_minutes": "12",
        "cramps-0-severity": "9",
    }
    page = patient_client.post("/log/", data, follow=True)
    content = page.content.decode()
    assert "Seek immediate medical care" in content
    assert "Call 999 or go to urgent care now" in content
    assert "Nobody watches this diary in real time" in content
    assert "Why am I seeing this?" in content
    assert "Severe and persistent cramping" in content
    assert 'href="/log/2026-11-27/"' in content  # the evidence night, linked
    assert 'href="/advice/"' in content


def test_a_patient_without_worrying_nights_sees_no_prompt(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27)))
    content = patient_client.get("/").content.decode()
    assert "Seek immediate medical care" not in content
    assert "Schedule an office visit" not in content


def test_a_visit_prompt_is_amber_with_its_own_acknowledgement(patient_client, patient):
    for day in (2, 3, 4, 9, 10, 11):
        night_save(
            patient=patient,
            record=NightRecord(
                date(2026, 11, 28 - day), cramps=(CrampRecord("calf", "left", 2, 4),)
            ),
        )
    content = patient_client.get("/").content.decode()
    assert "Schedule an office visit" in content and "alert-warning" in content
    assert "I have booked a visit" in content


def test_acknowledging_records_the_time_and_returns_to_the_page(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    prompt = Prompt.objects.get()
    response = patient_client.post(f"/prompts/{prompt.pk}/acknowledge/", {"next": "/history/"})
    assert response.url == "/history/"
    prompt.refresh_from_db()
    assert prompt.acknowledged_at == MORNING
    assert "I have sought care (28 Nov, 09:00)" in patient_client.get("/").content.decode()


def test_acknowledging_never_redirects_to_another_site(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    prompt = Prompt.objects.get()
    response = patient_client.post(
        f"/prompts/{prompt.pk}/acknowledge/", {"next": "https://evil.example.org/"}
    )
    assert response.url == "/prompts/"


def test_another_patient_cannot_acknowledge_or_see_a_prompt(patient, other_client):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    prompt = Prompt.objects.get()
    assert other_client.post(f"/prompts/{prompt.pk}/acknowledge/").status_code == 404
    assert other_client.get("/prompts/").context["current"] == []
    assert "Severe and persistent" not in other_client.get("/").content.decode()
    prompt.refresh_from_db()
    assert prompt.acknowledged_at is None


def test_the_prompts_page_lists_current_and_past_prompts(patient_client, patient, clock):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    clock(datetime(2026, 12, 10, 9, 0, tzinfo=UTC))
    page = patient_client.get("/prompts/")
    content = page.content.decode()
    assert page.context["current"] == []
    assert "Nothing in your diary calls for a doctor today" in content
    assert "From 28 Nov 2026 until 10 Dec 2026" in content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/prompts/"])
def test_visitors_are_sent_to_log_in(client, path):
    assert client.get(path).url.startswith("/accounts/login/")
    assert client.post("/prompts/1/acknowledge/").url.startswith("/accounts/login/")


def test_clinicians_get_404(clinician_client):
    assert clinician_client.get("/prompts/").status_code == 404
    assert clinician_client.post("/prompts/1/acknowledge/").status_code == 404


@pytest.mark.django_db
def test_advice_is_open_to_everyone(client, patient, clinician):
    assert "Pull your toes" in client.get("/advice/").content.decode()
    for user in (patient, clinician):
        signed_in = Client()
        signed_in.force_login(user)
        assert signed_in.get("/advice/").status_code == 200
