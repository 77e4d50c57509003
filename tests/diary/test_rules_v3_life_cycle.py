"""The life cycle rules version 3 changed: a visit run ends after 7 days without firing counting
only days after a logged night; "My doctor already knows about this" and "A doctor has already
checked this"; a review of quinine is a fact the rules receive, and ends its run; and the
migration ends only the acknowledged and visit runs of the redefined rules."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from diary.domain import runs
from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.domain.runs import Run, plan, visit_run_over
from diary.domain.triage import Finding
from diary.models import Acknowledgement, EndReason, Prompt
from diary.services.nights import night_save
from diary.services.prompt_refresh import quinine_reviewed
from diary.services.prompts import (
    current_prompts,
    prompt_acknowledge,
    prompt_assess,
    prompts_refresh,
)
from diary.services.treatments import treatment_save

TODAY = date(2026, 11, 28)
SEVERE_LONG = CrampRecord("calf", "left", 15, 9, True)  # prolonged_cramps (visit)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


@pytest.fixture
def on(clock):
    def set_day(when: date) -> date:
        clock(datetime(when.year, when.month, when.day, 9, 0, tzinfo=UTC))
        return when

    set_day(TODAY)
    return set_day


# The domain: 7 days whose previous night was logged


def _logged(*offsets: int) -> set[date]:
    return {day(offset) for offset in offsets}


def test_seven_days_after_logged_nights_end_a_visit_run():
    # Last fired on day 0; days 1..7 follow the nights 0..6.
    assert visit_run_over(day(0), day(7), _logged(*range(0, 7)))
    assert not visit_run_over(day(0), day(7), _logged(*range(1, 7)))  # night 0 not logged
    assert not visit_run_over(day(0), day(6), _logged(*range(0, 7)))  # 6 days


def test_unlogged_days_do_not_count_however_many():
    assert not visit_run_over(day(0), day(60), _logged(0, 10, 20, 30, 40, 50))
    assert visit_run_over(day(0), day(60), _logged(0, 10, 20, 30, 40, 50, 59))


def test_plan_keeps_a_visit_run_while_the_diary_is_not_logged():
    run = Run(1, "prolonged_cramps", runs.VISIT, day(0), False)
    kept = plan([run], [], today=day(20), logged=_logged(1, 2, 3))
    assert kept.lapse == [run] and kept.end == []
    ended = plan([run], [], today=day(20), logged=_logged(*range(5, 12)))
    assert ended.end == [(run, runs.NO_LONGER_FIRES)]


def test_plan_ends_a_reviewed_run_once_its_rule_no_longer_fires():
    run = Run(1, "quinine_review", runs.VISIT, day(0), True)
    ended = plan([run], [], today=day(0), logged=set(), end_when_reviewed={"quinine_review"})
    assert ended.end == [(run, runs.NO_LONGER_FIRES)]
    not_dealt_with = Run(1, "quinine_review", runs.VISIT, day(0), False)
    kept = plan([not_dealt_with], [], today=day(0), logged=set(), end_when_reviewed={"x"})
    assert kept.lapse == [not_dealt_with]
    finding = Finding(runs.VISIT, "quinine_review", (), {})
    assert plan([run], [finding], today=day(0), end_when_reviewed={"quinine_review"}).update


# The stored runs


def test_a_visit_run_stays_while_the_diary_is_left_unlogged(patient, on):
    night_save(patient=patient, record=NightRecord(day(-1), cramps=(SEVERE_LONG,)))
    for offset in (13, 14, 30, 60):
        on(day(offset))
        prompts_refresh(patient=patient, today=day(offset))
    run = Prompt.objects.get(patient=patient, rule="prolonged_cramps")
    assert run.ended is None and run.last_fired == day(13) and not run.firing


def test_a_visit_run_ends_after_7_logged_days_among_gaps(patient, on):
    night_save(patient=patient, record=NightRecord(day(-1), cramps=(SEVERE_LONG,)))
    on(day(13))
    prompts_refresh(patient=patient, today=day(13))
    for night in (13, 15, 17, 19, 21, 23):  # six logged nights: days 14, 16, ... 24 count
        on(day(night + 1))
        night_save(patient=patient, record=NightRecord(day(night)))
    run = Prompt.objects.get(patient=patient, rule="prolonged_cramps")
    assert run.ended is None
    on(day(26))
    night_save(patient=patient, record=NightRecord(day(25)))
    run.refresh_from_db()
    assert run.ended == day(26) and run.end_reason == EndReason.NO_LONGER_FIRES


def test_my_doctor_already_knows_holds_a_visit_rule_back_like_a_booked_visit(patient, on):
    night_save(patient=patient, record=NightRecord(day(-1), cramps=(SEVERE_LONG,)))
    run = Prompt.objects.get(patient=patient, rule="prolonged_cramps")
    assert [choice.value for choice in run.acknowledgement_choices] == [
        "booked_visit",
        "doctor_knows",
    ]
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="doctor_knows")
    on(day(13))
    prompts_refresh(patient=patient, today=day(13))
    for offset in range(14, 21):
        on(day(offset))
        night_save(patient=patient, record=NightRecord(day(offset - 1)))
    run.refresh_from_db()
    assert run.ended == day(20) and run.acknowledgement == Acknowledgement.DOCTOR_KNOWS
    night_save(patient=patient, record=NightRecord(day(19), cramps=(SEVERE_LONG,)))
    assert not Prompt.objects.filter(patient=patient, ended__isnull=True).exists()
    on(day(49))  # 29 days after the run ended
    night_save(patient=patient, record=NightRecord(day(48), cramps=(SEVERE_LONG,)))
    (again,) = current_prompts(patient)
    assert again.rule == "prolonged_cramps" and again.first_raised == day(49)


def _swollen(night: date) -> NightRecord:
    return NightRecord(night, red_flags=frozenset({"leg_swollen"}))


def test_a_doctor_has_already_checked_this_acts_as_sought_care(patient, on):
    night_save(patient=patient, record=_swollen(day(-1)))
    run = Prompt.objects.get(patient=patient, rule="clot_signs")
    assert [choice.value for choice in run.acknowledgement_choices] == [
        "sought_care",
        "doctor_checked",
    ]
    with pytest.raises(ValueError):
        prompt_acknowledge(patient=patient, run_id=run.pk, answer="passed")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="doctor_checked")
    # A new warning sign is new evidence: a new, unanswered run.
    on(day(1))
    night_save(patient=patient, record=_swollen(day(0)))
    run.refresh_from_db()
    assert run.end_reason == EndReason.NEW_EVIDENCE
    fresh = Prompt.objects.get(patient=patient, rule="clot_signs", ended__isnull=True)
    assert fresh.acknowledged_at is None
    # Answered once its rule no longer fires: it ends, as "I have sought care" would.
    on(day(5))
    current_prompts(patient)
    prompt_acknowledge(patient=patient, run_id=fresh.pk, answer="doctor_checked")
    fresh.refresh_from_db()
    assert fresh.ended == day(5) and fresh.end_reason == EndReason.ACKNOWLEDGED


# A review of quinine


def _quinine(patient, started: date) -> None:
    record = TreatmentRecord("Quinine sulfate", "quinine", started, None, "200 mg")
    treatment_save(patient=patient, record=record, today=TODAY)


def test_quinine_taken_since_before_the_diary_is_reviewed(patient, on):
    _quinine(patient, day(-40))
    (run,) = current_prompts(patient)
    assert run.rule == "quinine_review" and run.figures["verdict"] == "too_few_nights"
    assert quinine_reviewed(patient) is None


def test_answering_a_quinine_review_ends_it_and_counts_as_the_review(patient, on):
    _quinine(patient, day(-40))
    (run,) = current_prompts(patient)
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="doctor_knows")
    run.refresh_from_db()
    assert run.ended == TODAY and run.end_reason == EndReason.ACKNOWLEDGED
    assert quinine_reviewed(patient) == TODAY
    for offset in (1, 30, 84):
        on(day(offset))
        assert current_prompts(patient) == [], offset
    on(day(85))
    (again,) = current_prompts(patient)
    assert again.rule == "quinine_review" and again.figures["reviewed"] == TODAY.isoformat()


def test_a_clinician_assessing_a_quinine_review_ends_it_and_counts_as_the_review(
    patient, clinician, on
):
    _quinine(patient, day(-40))
    (run,) = current_prompts(patient)
    on(day(3))
    prompt_assess(clinician=clinician, patient=patient, run_id=run.pk)
    run.refresh_from_db()
    assert run.ended == day(3) and run.end_reason == EndReason.NO_LONGER_FIRES
    assert quinine_reviewed(patient) == day(3)
    on(day(4))
    assert current_prompts(patient) == []


def test_an_answer_that_is_no_review_leaves_quinine_unreviewed(patient, on):
    _quinine(patient, day(-40))
    (run,) = current_prompts(patient)
    Prompt.objects.filter(pk=run.pk).update(
        acknowledgement="sought_care", acknowledged_at=datetime(2026, 11, 28, tzinfo=UTC)
    )
    assert quinine_reviewed(patient) is None


# The migration to rules version 3

BEFORE = [("diary", "0012_rules_v3_symptoms_and_heart_failure")]
AFTER = [("diary", "0013_prompt_answers_rules_v3")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Whatever the test did, the database ends at the latest migrations, as later tests expect
    (a schema left at 0013 lacks the columns added since)."""
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_ends_only_acknowledged_and_visit_runs_of_redefined_rules(back_to_latest):
    old = _migrate(BEFORE)
    user = old.get_model("accounts", "User").objects.create(
        email="runs@example.org", full_name="Ru Ns", role="patient", password="!"
    )
    old_prompt = old.get_model("diary", "Prompt")
    old.get_model("diary", "DiaryState").objects.create(
        patient_id=user.pk, prompts_evaluated_for=TODAY
    )
    now = datetime(2026, 11, 20, tzinfo=UTC)
    cases = {
        # (rule, level, acknowledged, assessed, ended): ends as "the rules changed"?
        ("dark_urine", "urgent", False, False): False,  # unanswered urgent: stays
        ("toxin_exposure", "urgent", True, False): True,
        ("pregnancy_one_sided", "today", False, False): False,
        ("pad_rest_pain", "today", True, False): True,
        ("prolonged_cramps", "visit", False, False): True,
        ("quinine_review", "visit", False, True): True,
        ("not_typical", "visit", True, False): True,
        ("severe_persistent", "urgent", True, False): False,  # unchanged rule
        ("clot_signs", "today", False, False): False,
        ("persistent_cramps", "visit", False, False): False,
        ("medication_review", "visit", True, False): False,
    }
    ids = {}
    for rule, level, acknowledged, assessed in cases:
        ids[rule] = old_prompt.objects.create(
            patient_id=user.pk,
            rule=rule,
            level=level,
            rules_version=2,
            first_raised=date(2026, 11, 20),
            last_fired=date(2026, 11, 27),
            acknowledged_at=now if acknowledged else None,
            acknowledgement=("booked_visit" if level == "visit" else "sought_care")
            if acknowledged
            else "",
            assessed_at=now if assessed else None,
        ).pk
    ended_before = old_prompt.objects.create(
        patient_id=user.pk,
        rule="dark_urine",
        level="urgent",
        first_raised=date(2026, 10, 1),
        last_fired=date(2026, 10, 2),
        ended=date(2026, 10, 3),
        end_reason="no_longer_fires",
    ).pk

    new = _migrate(AFTER)

    prompt = new.get_model("diary", "Prompt")
    for (rule, *_), ends in cases.items():
        row = prompt.objects.get(pk=ids[rule])
        assert (row.end_reason == "rules_changed") is ends, rule
        assert (row.ended is not None) is ends, rule
    assert prompt.objects.get(pk=ended_before).end_reason == "no_longer_fires"
    state = new.get_model("diary", "DiaryState").objects.get(patient_id=user.pk)
    assert state.prompts_evaluated_for is None  # refresh_prompts evaluates everyone afresh
