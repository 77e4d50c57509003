"""Concurrent writes to one diary on PostgreSQL: every request succeeds, nothing is lost.

Each write takes the patient's diary lock first (diary.services.prompts.diary_lock), so requests
for one patient run one after another. SQLite serialises all writes itself; these run on PostgreSQL.
"""

import threading
from datetime import date, timedelta

import pytest
from django.db import connections

from diary.domain.exchange import Diary
from diary.domain.records import CrampRecord, NightRecord
from diary.models import Cramp, DiaryState, Night, Prompt
from diary.services.nights import diary_import, night_delete, night_save
from diary.services.prompts import prompts_refresh

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,
]

NIGHT = date(2026, 11, 27)
CALF = CrampRecord("calf", "left", 12, 8, True, frozenset({"massage"}), "none")


def _at_once(*calls):
    """Runs the calls in threads released together; returns the exceptions raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # collected and asserted on
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_saves_and_deletes_of_one_night_at_once_all_succeed(patient):
    record = NightRecord(NIGHT, cramps=(CALF, CALF))
    calls = []
    for _ in range(10):
        calls.append(lambda: night_save(patient=patient, record=record))
        calls.append(lambda: night_delete(patient=patient, night=NIGHT))
    assert _at_once(*calls) == []
    nights = Night.objects.filter(patient=patient)
    assert nights.count() <= 1
    if nights:
        assert Cramp.objects.filter(night__patient=patient).count() == 2


def test_a_new_patients_first_saves_at_once_are_all_kept(patient):
    DiaryState.objects.filter(patient=patient).delete()
    days = [NIGHT - timedelta(days=n) for n in range(12)]
    calls = [
        (lambda day=day: night_save(patient=patient, record=NightRecord(day, cramps=(CALF,))))
        for day in days
    ]
    assert _at_once(*calls) == []
    assert set(Night.objects.filter(patient=patient).values_list("date", flat=True)) == set(days)
    assert DiaryState.objects.get(patient=patient).version == len(days)


def test_an_import_during_saves_writes_every_night_once(patient):
    imported = tuple(NightRecord(NIGHT - timedelta(days=n)) for n in range(5))
    calls = [lambda: diary_import(patient=patient, diary=Diary(nights=imported))]
    for n in range(5):
        night = NightRecord(NIGHT - timedelta(days=n), cramps=(CALF,))
        calls.append(lambda night=night: night_save(patient=patient, record=night))
    assert _at_once(*calls) == []
    assert Night.objects.filter(patient=patient).count() == 5


def test_prompt_refreshes_at_once_keep_one_run_per_rule(patient):
    wont_stop = frozenset({"cramp_wont_stop"})
    night_save(patient=patient, record=NightRecord(NIGHT, red_flags=wont_stop, cramps=(CALF,)))
    Prompt.objects.all().delete()
    DiaryState.objects.update(prompts_evaluated_for=None)
    today = NIGHT + timedelta(days=1)
    calls = [lambda: prompts_refresh(patient=patient, today=today) for _ in range(8)]
    assert _at_once(*calls) == []
    rules = list(Prompt.objects.filter(patient=patient).values_list("rule", flat=True))
    assert sorted(rules) == sorted(set(rules)) and "severe_persistent" in rules
