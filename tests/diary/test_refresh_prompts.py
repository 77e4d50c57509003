"""`manage.py refresh_prompts`: stored runs brought up to date for each patient's own day."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from diary.domain.records import NightRecord
from diary.models import DiaryState, Prompt
from diary.services.nights import night_save
from diary.services.prompts import prompts_refresh_stale

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
WONT_STOP = frozenset({"cramp_wont_stop"})


@pytest.fixture
def urgent(patient, clock):
    clock(MORNING)
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), red_flags=WONT_STOP))
    return Prompt.objects.get(patient=patient, ended__isnull=True)


def _run(*args) -> str:
    out = StringIO()
    call_command("refresh_prompts", *args, stdout=out)
    return out.getvalue()


def test_a_day_later_the_unacknowledged_urgent_run_stays_current_in_the_past_tense(urgent):
    assert urgent.firing
    assert "1 patients" in _run("--on", "2026-12-02")
    urgent.refresh_from_db()
    assert urgent.ended is None and not urgent.firing
    assert "you reported" in urgent.patient_reason
    assert urgent.action_line.startswith("If it is still happening, call %(number)s")
    state = DiaryState.objects.get(patient=urgent.patient)
    assert state.prompts_evaluated_for == date(2026, 12, 2)


def test_patients_already_up_to_date_are_left_alone(urgent, other_patient):
    night_save(patient=other_patient, record=NightRecord(date(2026, 11, 26)))
    assert prompts_refresh_stale(on=date(2026, 11, 28)) == 0  # both done today already
    assert prompts_refresh_stale(on=date(2026, 11, 29)) == 2
    assert prompts_refresh_stale(on=date(2026, 11, 29)) == 0


def test_without_a_date_each_patient_is_brought_to_their_own_today(urgent, clock):
    DiaryState.objects.update(prompts_evaluated_for=None)  # as after the rules changed
    clock(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    assert prompts_refresh_stale() == 1
    state = DiaryState.objects.get(patient=urgent.patient)
    assert state.prompts_evaluated_for == date(2026, 11, 30)  # Europe/London


def test_a_bad_date_is_refused_with_a_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--on", "tomorrow")
