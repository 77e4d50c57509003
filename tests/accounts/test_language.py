"""The user's language: picked from the browser at sign-up, kept in the profile, and used for
every page, the PDF and the morning e-mail."""

import io
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from pypdf import PdfReader

from accounts.models import User
from diary.models import Reminder
from diary.tasks import reminder_message
from tests.prepared import prepared_download


def _sign_up(client):
    return client.post(
        "/accounts/signup/",
        {
            "full_name": "Elena Ruiz",
            "email": "elena@example.org",
            "time_zone": "Europe/Madrid",
            "password1": "calambres-a-las-3",
            "password2": "calambres-a-las-3",
        },
        follow=True,
    )


@pytest.mark.parametrize(
    ("asked", "kept"), [("es-ES,es;q=0.9,en;q=0.5", "es"), ("en-GB", "en"), ("fr-FR", "en")]
)
def test_sign_up_keeps_the_browsers_language_when_the_diary_speaks_it(db, asked, kept):
    response = _sign_up(Client(HTTP_ACCEPT_LANGUAGE=asked))
    assert User.objects.get(email="elena@example.org").language == kept
    assert response["Content-Language"] == kept
    words = {"es": "Empiece su diario", "en": "Start your diary"}  # the first-run page
    assert words[kept] in response.content.decode()


def test_a_signed_in_user_reads_their_own_language_whatever_the_browser_asks(patient):
    patient.language = "es"
    patient.save()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(patient)
    response = client.get("/log/")
    assert response["Content-Language"] == "es"
    assert "¿Qué tal durmió?" in response.content.decode()
    assert 'lang="es"' in response.content.decode()


def test_the_profile_changes_the_language(patient, patient_client):
    form = {
        "account-full_name": "Alice Walker",
        "account-time_zone": "Europe/London",
        "account-language": "es",
    }
    assert patient_client.post("/accounts/profile/", form).status_code == 302
    patient.refresh_from_db()
    assert patient.language == "es"
    assert "Perfil" in patient_client.get("/accounts/profile/").content.decode()
    refused = patient_client.post("/accounts/profile/", {**form, "account-language": "xx"})
    assert refused.status_code == 200 and refused.context["account_form"].errors["language"]
    patient.refresh_from_db()
    assert patient.language == "es"


def test_the_summary_pdf_is_in_the_patients_language(patient, patient_client):
    patient.language = "es"
    patient.save()
    text = PdfReader(io.BytesIO(prepared_download(patient_client, "/summary/pdf/").content)).pages[
        0
    ]
    assert "Calambres por semana" in text.extract_text()


def test_the_morning_reminder_is_in_the_patients_language(patient):
    patient.language = "es"
    patient.save()
    reminder = Reminder.objects.create(
        patient=patient, date=date(2026, 11, 28), queued_at=datetime(2026, 11, 28, tzinfo=UTC)
    )
    message = reminder_message(reminder, patient)
    assert "noche" in message.subject.lower() or "noche" in message.body.lower()
    assert "last night" not in message.body.lower()


def test_trends_kept_in_the_cache_follow_a_change_of_language(patient, patient_client):
    """The trends page's cached fragment is kept per language: switching shows the new one."""
    from datetime import timedelta

    from diary.domain.records import CrampRecord, NightRecord
    from diary.services.dates import patient_today
    from diary.services.nights import night_save

    night = patient_today(patient) - timedelta(days=1)
    night_save(
        patient=patient, record=NightRecord(night, cramps=(CrampRecord("calf", "left", 2, 5),))
    )
    patient_client.get("/trends/")  # the first visit of the day brings the prompts up to date
    assert "At a glance" in patient_client.get("/trends/").content.decode()  # from the cache
    # Only the language changes: the diary's version (part of the fragment's key) stays.
    User.objects.filter(pk=patient.pk).update(language="es")
    page = patient_client.get("/trends/").content.decode()
    assert "At a glance" not in page and "De un vistazo" in page
