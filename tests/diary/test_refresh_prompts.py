"""`manage.py refresh_prompts`: stored runs brought up to date for each patient's own day."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from diary.domain.exchange import Diary
from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.models import DiaryState, Prompt
from diary.services.dates import patient_today
from diary.services.nights import diary_import, night_save
from diary.services.prompts import prompts_refresh, prompts_refresh_stale

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


SEVERE_LONG = CrampRecord("calf", "left", 15, 9, True)  # prolonged_cramps (a visit rule)
QUININE = TreatmentRecord("Quinine sulfate", "quinine", date(2026, 8, 1), None, "200 mg")
ZONES = ("Europe/London", "Pacific/Auckland", "America/New_York")


def _clinic(clock, count: int, name: str) -> list:
    """`count` patients of two kinds, taking turns, whose refresh goes down every branch that
    reads more: the first kind takes quinine whose review is due (its review runs and verdict
    nights), with cramp nights and a warning sign last night (the runs that ended lately); the
    second logged nothing since a visit run fired in May (the nights logged since it, and the
    last night logged further back than the rules' window)."""
    patients = []
    for number in range(count):
        patient = User.objects.create_user(
            email=f"{name}{number}@example.org",
            full_name=f"Patient {number}",
            time_zone=ZONES[number % len(ZONES)],
        )
        if number % 2 == 0:
            clock(MORNING)
            first = date(2026, 10, 20)
            nights = [
                NightRecord(first + timedelta(days=n), cramps=(SEVERE_LONG,)) for n in range(38)
            ]
            nights.append(NightRecord(date(2026, 11, 27), red_flags=WONT_STOP))
            diary = Diary(nights=tuple(nights), treatments=(QUININE,))
        else:
            clock(datetime(2026, 5, 20, 9, 0, tzinfo=UTC))
            first = date(2026, 5, 1)
            nights = [
                NightRecord(first + timedelta(days=n), cramps=(SEVERE_LONG,)) for n in range(18)
            ]
            diary = Diary(nights=tuple(nights))
        diary_import(patient=patient, diary=diary)
        patients.append(patient)
    clock(MORNING)
    return patients


# The most a batch can take: its diary locks; the profiles, treatments and quinine reviews; the
# current runs; the nights and their cramps; the nights logged since a lapsed visit run; the
# held-back rules; the runs ended, updated, lapsed and started; the dashboard's states, the
# runs ended lately (for a warning sign), the last night logged further back, and the states
# written (two statements when some are new); and the test's transaction wraps each batch in
# a savepoint (two more). The last batch finds nobody: its lock, and its savepoint.
BATCH_MOST = 20


def _queries_of_refresh(**options) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        prompts_refresh_stale(**options)
    return [query["sql"] for query in queries.captured_queries]


def test_a_refresh_reads_and_writes_in_queries_a_batch_not_a_patient(db, clock):
    _clinic(clock, 3, "few")
    few = _queries_of_refresh(on=date(2026, 12, 2))
    _clinic(clock, 30, "many")
    many = _queries_of_refresh(on=date(2026, 12, 2))
    assert DiaryState.objects.exclude(prompts_evaluated_for=date(2026, 12, 2)).count() == 0
    assert len(few) == len(many) <= BATCH_MOST + 3
    # All 33 in batches of 10: four batches, and the last one, which finds nobody.
    _queries_of_refresh(on=date(2026, 12, 3))  # both groups the same again
    assert len(_queries_of_refresh(on=date(2026, 12, 4), batch_size=10)) <= 4 * BATCH_MOST + 3


def test_the_clinic_refresh_goes_down_every_branch_that_reads_more(db, clock):
    patients = _clinic(clock, 2, "both")
    assert prompts_refresh_stale(on=date(2026, 12, 2)) == 2
    taker, lapsed = patients
    assert Prompt.objects.filter(patient=taker, rule="quinine_review", ended__isnull=True)
    assert DiaryState.objects.get(patient=taker).unruled_warning_sign is False  # in a run
    # Not a day since it stopped firing counts: no night was logged after it (read for it).
    assert (
        Prompt.objects.get(patient=lapsed, rule="prolonged_cramps", ended__isnull=True).firing
        is False
    )
    assert DiaryState.objects.get(patient=lapsed).last_logged == date(2026, 5, 18)


def _outcome() -> dict:
    prompts = Prompt.objects.order_by("patient_id", "rule", "first_raised").values_list(
        "patient_id",
        "rule",
        "level",
        "figures",
        "evidence",
        "first_raised",
        "last_fired",
        "firing",
        "ended",
        "end_reason",
    )
    states = DiaryState.objects.order_by("patient_id").values_list(
        "patient_id",
        "prompts_evaluated_for",
        "top_state",
        "top_level",
        "unruled_warning_sign",
        "recent_nights_logged",
        "recent_cramp_nights",
        "last_logged",
    )
    return {"prompts": list(prompts), "states": list(states)}


def test_patients_refreshed_in_one_batch_get_what_each_would_get_alone(db, clock):
    patients = _clinic(clock, 6, "batch")
    clock(datetime(2026, 12, 2, 11, 30, tzinfo=UTC))  # Auckland's today is already the 3rd
    with transaction.atomic():
        assert prompts_refresh_stale() == 6
        together = _outcome()
        transaction.set_rollback(True)
    for patient in patients:
        prompts_refresh(patient=patient, today=patient_today(patient))
    assert together == _outcome()
    assert {state[1] for state in together["states"]} == {date(2026, 12, 2), date(2026, 12, 3)}


def test_processes_must_be_one_or_more():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 or more"):
        _run("--processes", "0")


def test_processes_are_refused_where_row_locks_cannot_be_skipped(db, monkeypatch):
    from django.core.management.base import CommandError

    # SQLite's answer, on every database the suite runs on.
    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", False)

    with pytest.raises(CommandError, match="PostgreSQL"):
        _run("--processes", "2")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_refresh_each_patient_exactly_once(clock, monkeypatch):
    from diary.management.commands import refresh_prompts

    _clinic(clock, 40, "shared")
    # Batches of 4, so that the two processes take turns through the 40 patients.
    monkeypatch.setattr(
        refresh_prompts,
        "prompts_refresh_stale",
        lambda on: prompts_refresh_stale(on=on, batch_size=4),
    )
    said = _run("--on", "2026-12-02", "--processes", "2")
    # Each patient once: counted twice, the sum would be over 40; missed, a state stays behind.
    assert said.startswith("Prompts brought up to date for 40 patients (")
    assert "by 2 processes" in said
    assert DiaryState.objects.exclude(prompts_evaluated_for=date(2026, 12, 2)).count() == 0
    assert not Prompt.objects.filter(patient__email__startswith="shared").exclude(
        last_fired__lte=date(2026, 12, 2)
    )
