"""Exactly once: every save from the log page carries an idempotency key, and a repeat of a
key the diary has seen saves nothing and answers like the first (issue 17).

A save kept offline is sent again until the server answers, so the server may see it twice:
at once (two tabs, or the page load and the `online` event), or long after (its first answer
was lost), when the night may have changed since.
"""

import threading
import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import connections

from diary.domain.records import CrampRecord, NightRecord
from diary.models import Night, SaveKey
from diary.services.nights import night_record, night_save, night_save_once
from tests.diary.test_views_log import _cramp, _log

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # 09:00 in London
LAST_NIGHT = date(2026, 11, 27)
CALF = CrampRecord("calf", "left", 3, 6, True, frozenset({"flex_foot"}), "some")
NO_CRAMPS = "/log/2026-11-27/no-cramps/"


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _keyed(data: dict, key) -> dict:
    return {**data, "idempotency_key": str(key)}


# The page


def test_both_log_forms_carry_their_own_fresh_key(patient_client):
    first = patient_client.get("/log/").context
    second = patient_client.get("/log/").context
    keys = {first["no_cramps_key"], first["log_key"], second["no_cramps_key"], second["log_key"]}
    assert len(keys) == 4
    content = patient_client.get("/log/").content.decode()
    assert content.count('name="idempotency_key"') == 2


# "No cramps"


def test_no_cramps_twice_with_one_key_saves_once_and_answers_alike(patient_client, patient):
    key = uuid.uuid4()
    first = patient_client.post(NO_CRAMPS, _keyed({}, key))
    version = Night.objects.get(patient=patient).updated_at
    second = patient_client.post(NO_CRAMPS, _keyed({}, key))
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == "/log/2026-11-27/saved/"
    assert Night.objects.filter(patient=patient).count() == 1
    assert Night.objects.get(patient=patient).updated_at == version  # not written again
    assert SaveKey.objects.filter(patient=patient).count() == 1


def test_a_late_repeat_never_overwrites_a_later_change(patient_client, patient):
    """A "no cramps" kept offline arrived, but its answer was lost; the patient then added a
    cramp; the page sends the kept save again: the cramp stays, and no question is asked."""
    key = uuid.uuid4()
    patient_client.post(NO_CRAMPS, _keyed({}, key))
    patient_client.post("/log/2026-11-27/", _keyed(_log(_cramp(0)), uuid.uuid4()))
    repeat = patient_client.post(NO_CRAMPS, _keyed({}, key))
    assert repeat.status_code == 302 and repeat.url == "/log/2026-11-27/saved/"
    assert len(night_record(patient=patient, night=LAST_NIGHT).cramps) == 1


def test_the_question_before_discarding_cramps_keeps_the_key(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, cramps=(CALF,)))
    key = uuid.uuid4()
    question = patient_client.post(NO_CRAMPS, _keyed({}, key))
    assert question.status_code == 200
    assert f'name="idempotency_key" value="{key}"' in question.content.decode()
    assert not SaveKey.objects.exists()  # nothing saved: the key is still unused
    patient_client.post(NO_CRAMPS, _keyed({"confirm": "yes"}, key))
    assert night_record(patient=patient, night=LAST_NIGHT).cramps == ()
    assert SaveKey.objects.get().night == LAST_NIGHT


def test_different_keys_are_different_saves(patient_client, patient):
    patient_client.post(NO_CRAMPS, _keyed({}, uuid.uuid4()))
    patient_client.post(NO_CRAMPS, _keyed({}, uuid.uuid4()))
    assert SaveKey.objects.filter(patient=patient).count() == 2
    assert Night.objects.filter(patient=patient).count() == 1


@pytest.mark.parametrize("key", ["", "not-a-uuid", "1" * 500])
def test_a_missing_or_malformed_key_is_a_plain_save(patient_client, patient, key):
    response = patient_client.post(NO_CRAMPS, {"idempotency_key": key})
    assert response.status_code == 302
    assert Night.objects.filter(patient=patient).count() == 1
    assert not SaveKey.objects.exists()


def test_a_key_answers_only_for_its_own_patient(patient_client, other_client, patient):
    key = uuid.uuid4()
    patient_client.post(NO_CRAMPS, _keyed({}, key))
    other_client.post("/log/2026-11-20/no-cramps/", _keyed({}, key))
    assert SaveKey.objects.filter(key=key).count() == 2  # unique per patient, not globally


# The full log


def test_a_full_log_twice_with_one_key_saves_once(patient_client, patient):
    key = uuid.uuid4()
    data = _keyed(_log(_cramp(0), notes="woke twice"), key)
    first = patient_client.post("/log/2026-11-27/", data)
    patient_client.post("/log/2026-11-27/", _keyed(_log(_cramp(0), _cramp(1)), uuid.uuid4()))
    repeat = patient_client.post("/log/2026-11-27/", data)
    assert first.url == repeat.url == "/log/2026-11-27/saved/"
    assert len(night_record(patient=patient, night=LAST_NIGHT).cramps) == 2


def test_a_refused_save_does_not_use_up_its_key(patient_client, patient):
    key = uuid.uuid4()
    refused = patient_client.post("/log/2026-11-27/", _keyed(_log(), key))  # nothing to save
    assert refused.status_code == 200 and not SaveKey.objects.exists()
    saved = patient_client.post("/log/2026-11-27/", _keyed(_log(_cramp(0)), key))
    assert saved.status_code == 302 and len(night_record(patient=patient, night=LAST_NIGHT).cramps)


def test_a_repeat_answers_with_the_night_of_the_first_save(patient_client, patient):
    key = uuid.uuid4()
    patient_client.post("/log/2026-11-20/no-cramps/", _keyed({}, key))
    repeat = patient_client.post(NO_CRAMPS, _keyed({}, key))  # the same key, another night
    assert repeat.url == "/log/2026-11-20/saved/"
    assert list(Night.objects.values_list("date", flat=True)) == [date(2026, 11, 20)]


def test_a_deleted_night_is_not_brought_back_by_a_late_repeat(patient_client, patient):
    key = uuid.uuid4()
    patient_client.post(NO_CRAMPS, _keyed({}, key))
    patient_client.post("/log/2026-11-27/delete/")
    patient_client.post(NO_CRAMPS, _keyed({}, key))
    assert not Night.objects.filter(patient=patient).exists()


# Two repeats at once (PostgreSQL: SQLite serialises every write itself)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_repeats_of_one_key_at_once_save_once(patient):
    key = uuid.uuid4()
    barrier = threading.Barrier(8)
    results, errors = [], []

    def deliver():
        try:
            barrier.wait()
            results.append(
                night_save_once(patient=patient, record=NightRecord(LAST_NIGHT), key=key)
            )
        except Exception as error:  # collected and asserted on
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(saved for _night, saved in results) == [False] * 7 + [True]
    assert {night for night, _saved in results} == {LAST_NIGHT}
    assert SaveKey.objects.filter(patient=patient).count() == 1
    assert Night.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_repeated_requests_at_once_save_once(patient):
    """The same, through the view: each request its own client and database connection."""
    from django.test import Client

    key = str(uuid.uuid4())
    barrier = threading.Barrier(6)
    answers, errors = [], []

    def post():
        try:
            client = Client()
            client.force_login(patient)
            barrier.wait()
            answers.append(client.post(NO_CRAMPS, {"idempotency_key": key}).url)
        except Exception as error:  # collected and asserted on
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answers == ["/log/2026-11-27/saved/"] * 6
    assert SaveKey.objects.filter(patient=patient).count() == 1
    assert Night.objects.filter(patient=patient).count() == 1
