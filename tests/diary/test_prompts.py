"""The prompt life cycle: raised, kept current, acknowledged, ended, raised again."""

from datetime import UTC, date, datetime, timedelta

import pytest

from diary.models import DiaryState, Prompt
from diary.nights import night_delete, night_save
from diary.prompts import current_prompts, prompts_refresh
from diary.records import CrampRecord, NightRecord

SEVERE_LONG = CrampRecord("calf", "left", 15, 9, True)
MILD = CrampRecord("calf", "left", 2, 3)


def morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


@pytest.fixture
def today(clock):
    day = date(2026, 11, 28)
    clock(morning(day))
    return day


def test_saving_a_severe_long_cramp_raises_an_urgent_prompt_at_once(patient, today):
    night_save(
        patient=patient, record=NightRecord(today - timedelta(days=1), cramps=(SEVERE_LONG,))
    )
    (prompt,) = Prompt.objects.filter(patient=patient)
    assert (prompt.rule, prompt.level, prompt.first_raised) == (
        "severe_persistent",
        "urgent",
        today,
    )
    assert prompt.evidence == ["2026-11-27"] and prompt.ended is None


def test_new_evidence_keeps_the_first_raised_date_and_the_acknowledgement(patient, today, clock):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    Prompt.objects.update(acknowledged_at=morning(today))
    clock(morning(today + timedelta(days=1)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 28), cramps=(SEVERE_LONG,)))
    (prompt,) = Prompt.objects.filter(patient=patient)
    assert prompt.first_raised == today and prompt.acknowledged_at is not None
    assert prompt.evidence == ["2026-11-27", "2026-11-28"]
    assert prompt.last_fired == today + timedelta(days=1)


def test_a_prompt_ends_when_its_rule_stops_firing_and_a_new_run_starts_later(patient, today, clock):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    # Eight days later the severe night has left the 7-night window: the run ends.
    clock(morning(today + timedelta(days=8)))
    assert current_prompts(patient) == []
    ended = Prompt.objects.get()
    assert ended.ended == today + timedelta(days=8)

    clock(morning(today + timedelta(days=9)))
    night_save(patient=patient, record=NightRecord(date(2026, 12, 6), cramps=(SEVERE_LONG,)))
    runs = list(Prompt.objects.order_by("first_raised"))
    assert len(runs) == 2 and runs[0].ended and runs[1].ended is None
    assert runs[1].first_raised == today + timedelta(days=9)


def test_deleting_the_evidence_ends_the_prompt(patient, today):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    night_delete(patient=patient, night=date(2026, 11, 27))
    assert Prompt.objects.get().ended == today
    assert current_prompts(patient) == []


def test_stale_prompts_are_evaluated_again_for_the_patients_today(patient, today, clock):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(MILD,)))
    assert DiaryState.objects.get(patient=patient).prompts_evaluated_for == today
    clock(morning(today + timedelta(days=3)))
    current_prompts(patient)
    assert DiaryState.objects.get(patient=patient).prompts_evaluated_for == today + timedelta(3)


def test_the_health_profile_counts_as_soon_as_it_is_saved(patient_client, patient, today):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), cramps=(MILD,)))
    assert current_prompts(patient) == []
    patient_client.post(
        "/accounts/profile/",
        {
            "account-full_name": patient.full_name,
            "account-time_zone": patient.time_zone,
            "health-venous_disease": "on",
        },
    )
    assert [prompt.rule for prompt in current_prompts(patient)] == ["venous_disease"]


def test_every_change_bumps_the_diary_version(patient, today):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27)))
    first = DiaryState.objects.get(patient=patient).version
    night_save(patient=patient, record=NightRecord(date(2026, 11, 26)))
    night_delete(patient=patient, night=date(2026, 11, 26))
    assert DiaryState.objects.get(patient=patient).version == first + 2


def test_refreshing_twice_changes_nothing(patient, today):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    before = list(Prompt.objects.values())
    prompts_refresh(patient=patient, today=today)
    assert list(Prompt.objects.values()) == before


def test_each_patient_has_their_own_prompts(patient, other_patient, today):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    assert current_prompts(other_patient) == []
    assert len(current_prompts(patient)) == 1


def test_a_prompt_that_stops_and_fires_again_the_same_day_is_one_run(patient, today):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    Prompt.objects.update(acknowledged_at=morning(today))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(MILD,)))
    assert Prompt.objects.get().ended == today
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(SEVERE_LONG,)))
    (run,) = Prompt.objects.all()
    assert run.ended is None and run.acknowledged_at is not None
