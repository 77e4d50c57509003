from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import User
from diary.domain.records import CrampRecord, NightRecord
from diary.models import Cramp, Night
from diary.services.dates import last_night, patient_today
from diary.services.nights import night_delete, night_record, night_save

CALF = CrampRecord("calf", "left", 3, 6, True, frozenset({"flex_foot", "massage"}), "some")
FOOT = CrampRecord("foot", "right", 0.5, 4)


@pytest.mark.parametrize(
    ("utc_moment", "zone", "expected_last_night"),
    [
        # 00:30 and 11:00 local: the night that began the evening before.
        (datetime(2026, 11, 28, 0, 30, tzinfo=UTC), "Europe/London", date(2026, 11, 27)),
        (datetime(2026, 11, 28, 11, 0, tzinfo=UTC), "Europe/London", date(2026, 11, 27)),
        # 00:30 in New York is 05:30 UTC; 23:00 in New York is already tomorrow in UTC.
        (datetime(2026, 11, 28, 5, 30, tzinfo=UTC), "America/New_York", date(2026, 11, 27)),
        (datetime(2026, 11, 29, 4, 0, tzinfo=UTC), "America/New_York", date(2026, 11, 27)),
        # 00:30 in Sydney is still the day before in UTC.
        (datetime(2026, 11, 27, 13, 30, tzinfo=UTC), "Australia/Sydney", date(2026, 11, 27)),
        # Across the spring-forward night in London (29 March 2026, 01:00 -> 02:00).
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "Europe/London", date(2026, 3, 28)),
        (datetime(2026, 3, 29, 10, 0, tzinfo=UTC), "Europe/London", date(2026, 3, 28)),
        # Across the fall-back night in New York (1 November 2026, 02:00 -> 01:00).
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "America/New_York", date(2026, 10, 31)),
        (datetime(2026, 11, 1, 16, 0, tzinfo=UTC), "America/New_York", date(2026, 10, 31)),
    ],
)
def test_last_night_is_the_evening_before_in_the_patients_zone(
    utc_moment, zone, expected_last_night
):
    patient = User(time_zone=zone)
    assert last_night(patient_today(patient, utc_moment)) == expected_last_night


def test_saving_creates_the_night_and_its_cramps(patient):
    record = NightRecord(night=date(2026, 11, 20), sleep_quality=2, cramps=(CALF, FOOT))
    night_save(patient=patient, record=record)
    assert night_record(patient=patient, night=date(2026, 11, 20)) == record


def test_saving_again_replaces_exactly_the_cramps(patient):
    night = date(2026, 11, 20)
    night_save(patient=patient, record=NightRecord(night=night, cramps=(CALF, FOOT, CALF)))
    replacement = NightRecord(night=night, notes="better", cramps=(FOOT,))
    night_save(patient=patient, record=replacement)
    assert night_record(patient=patient, night=night) == replacement
    assert Night.objects.count() == 1 and Cramp.objects.count() == 1


def test_saving_the_same_night_twice_changes_nothing_more(patient):
    record = NightRecord(night=date(2026, 11, 20), cramps=(CALF,))
    night_save(patient=patient, record=record)
    night_save(patient=patient, record=record)
    assert Night.objects.count() == 1 and Cramp.objects.count() == 1


def test_patients_nights_are_separate(patient, other_patient):
    night = date(2026, 11, 20)
    night_save(patient=patient, record=NightRecord(night=night, cramps=(CALF,)))
    night_save(patient=other_patient, record=NightRecord(night=night))
    assert night_record(patient=patient, night=night).cramps == (CALF,)
    assert night_record(patient=other_patient, night=night).cramps == ()


def test_deleting_makes_the_night_unlogged(patient):
    night = date(2026, 11, 20)
    night_save(patient=patient, record=NightRecord(night=night, cramps=(CALF,)))
    assert night_delete(patient=patient, night=night)
    assert night_record(patient=patient, night=night) is None
    assert not Cramp.objects.exists()
    assert not night_delete(patient=patient, night=night)


def test_a_failed_save_leaves_the_night_as_it_was(patient, monkeypatch):
    night = date(2026, 11, 20)
    original = NightRecord(night=night, cramps=(CALF,))
    night_save(patient=patient, record=original)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Cramp.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        night_save(patient=patient, record=NightRecord(night=night, notes="x", cramps=(FOOT,)))
    assert night_record(patient=patient, night=night) == original


def test_the_database_refuses_a_second_row_for_the_same_night(patient):
    Night.objects.create(patient=patient, date=date(2026, 11, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        Night.objects.create(patient=patient, date=date(2026, 11, 20))


@pytest.mark.parametrize(
    "fields",
    [{"severity": 11}, {"duration_minutes": 0}, {"duration_minutes": 241}],
)
def test_the_database_refuses_impossible_cramps(patient, fields):
    night = Night.objects.create(patient=patient, date=date(2026, 11, 20))
    values = {"muscle": "calf", "side": "left", "duration_minutes": 2, "severity": 5, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        Cramp.objects.create(night=night, **values)


def test_the_database_refuses_a_sleep_quality_of_six(patient):
    with pytest.raises(IntegrityError), transaction.atomic():
        Night.objects.create(patient=patient, date=date(2026, 11, 20), sleep_quality=6)


def test_every_vocabulary_value_has_its_column():
    from diary.models import PREVENTION_FIELDS, REMEDY_FIELDS, SYMPTOM_FIELDS

    night_columns = {f.name for f in Night._meta.get_fields()}
    cramp_columns = {f.name for f in Cramp._meta.get_fields()}
    assert set(PREVENTION_FIELDS.values()) | set(SYMPTOM_FIELDS.values()) <= night_columns
    assert set(REMEDY_FIELDS.values()) <= cramp_columns
