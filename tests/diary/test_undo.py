"""Undo after a save from the log page: kept in the database for the patient, the session
holding only the record's id (issue 23: a session row outlived the account, with the night's
notes in it). An undo works for its owner, in the session that saved, for a day."""

from datetime import UTC, date, datetime, timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client

from diary.domain.records import NightRecord
from diary.models import UndoRecord
from diary.services.nights import night_record, night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)
NOTE = "a private note about the night"


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _save_with_a_note(client):
    data = {
        "cramps-TOTAL_FORMS": "0",
        "cramps-INITIAL_FORMS": "0",
        "night-sleep_quality": "2",
        "night-notes": NOTE,
    }
    response = client.post("/log/", data)
    assert response.url == "/log/2026-11-27/saved/"


def _session_data(client) -> dict:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store(client.session.session_key).load()


def test_the_session_holds_the_undo_records_id_and_no_diary_contents(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, notes="as it was"))
    _save_with_a_note(patient_client)
    [undo] = UndoRecord.objects.filter(patient=patient)
    data = _session_data(patient_client)
    assert data["diary_undo"] == undo.pk
    stored = repr(data)
    assert NOTE not in stored and "as it was" not in stored and "2026-11-27" not in stored
    assert undo.previous["notes"] == "as it was" and undo.saved["notes"] == NOTE


def test_undo_puts_the_night_back_and_deletes_the_record(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, notes="as it was"))
    _save_with_a_note(patient_client)
    assert patient_client.get("/log/2026-11-27/saved/").context["can_undo"]
    patient_client.post("/log/2026-11-27/undo/")
    assert night_record(patient=patient, night=LAST_NIGHT).notes == "as it was"
    assert not UndoRecord.objects.exists()
    assert "diary_undo" not in _session_data(patient_client)


def test_another_session_of_the_same_patient_cannot_undo(patient_client, patient):
    _save_with_a_note(patient_client)
    tablet = Client()
    tablet.force_login(patient)
    assert not tablet.get("/log/2026-11-27/saved/").context["can_undo"]
    response = tablet.post("/log/2026-11-27/undo/", follow=True)
    assert "nothing to undo" in response.content.decode()
    assert night_record(patient=patient, night=LAST_NIGHT).notes == NOTE


def test_a_session_naming_another_patients_undo_record_undoes_nothing(
    patient_client, patient, other_patient, other_client, clock
):
    clock(datetime(2026, 11, 28, 14, 0, tzinfo=UTC))  # last night is the 27th in New York too
    _save_with_a_note(patient_client)
    [undo] = UndoRecord.objects.filter(patient=patient)
    night_save(patient=other_patient, record=NightRecord(LAST_NIGHT, notes=NOTE))
    session = other_client.session
    session["diary_undo"] = undo.pk  # as if the id reached another patient's session
    session.save()
    assert not other_client.get("/log/2026-11-27/saved/").context["can_undo"]
    other_client.post("/log/2026-11-27/undo/")
    assert night_record(patient=other_patient, night=LAST_NIGHT).notes == NOTE
    assert night_record(patient=patient, night=LAST_NIGHT).notes == NOTE
    assert UndoRecord.objects.filter(pk=undo.pk).exists()


def test_an_undo_expires_after_a_day_and_old_records_are_deleted(
    patient_client, patient, other_client, clock
):
    _save_with_a_note(patient_client)
    [old] = UndoRecord.objects.all()
    clock(MORNING + timedelta(hours=25))
    assert not patient_client.get("/log/2026-11-27/saved/").context["can_undo"]
    other_client.post("/log/2026-11-27/no-cramps/")  # any later save prunes the old ones
    assert not UndoRecord.objects.filter(pk=old.pk).exists()
    assert UndoRecord.objects.count() == 1


def test_a_new_save_replaces_the_sessions_undo_record(patient_client, patient):
    _save_with_a_note(patient_client)
    patient_client.post("/log/2026-11-26/no-cramps/")
    [undo] = UndoRecord.objects.filter(patient=patient)
    assert undo.night == date(2026, 11, 26)


def test_deleting_the_night_deletes_its_undo_record(patient_client, patient):
    _save_with_a_note(patient_client)
    patient_client.post("/log/2026-11-27/delete/")
    assert not UndoRecord.objects.exists()
