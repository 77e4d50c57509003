"""Stored prompt runs (diary.services.prompts): raised, kept current, acknowledged, assessed,
ended."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.http import Http404
from django.template.loader import render_to_string

from diary.domain.records import CrampRecord, NightRecord
from diary.models import Acknowledgement, DiaryState, EndReason, Prompt
from diary.services.nights import night_delete, night_save
from diary.services.prompt_refresh import prompts_firing
from diary.services.prompts import (
    current_prompts,
    prompt_acknowledge,
    prompt_assess,
    prompt_box,
    prompts_refresh,
)

TODAY = date(2026, 11, 28)
YESTERDAY = TODAY - timedelta(days=1)
MILD = CrampRecord("calf", "left", 2, 3)
# Severe and prolonged, with no relief given: prolonged_cramps (visit) only.
SEVERE_LONG = CrampRecord("calf", "left", 15, 9, True)
PROLONGED = CrampRecord("calf", "left", 12, 5)


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def morning(when: date) -> datetime:
    return datetime(when.year, when.month, when.day, 9, 0, tzinfo=UTC)


@pytest.fixture
def on(clock):
    """on(day): it is now the morning of that day (the patient lives in London)."""

    def set_day(when: date) -> date:
        clock(morning(when))
        return when

    set_day(TODAY)
    return set_day


def red_flag_night(night: date, *flags: str, cramps=(MILD,)) -> NightRecord:
    return NightRecord(night, red_flags=frozenset(flags or {"cramp_wont_stop"}), cramps=cramps)


def refresh(patient, on, when: date) -> None:
    """The day moved on (refresh_prompts): the clock and the stored runs."""
    on(when)
    prompts_refresh(patient=patient, today=when)


def refresh_logged(patient, on, first: int, last: int) -> None:
    """Days first ... last go by, each morning logging last night with no cramps (a visit run's
    7 days without firing count only days whose previous night was logged)."""
    for offset in range(first, last + 1):
        on(day(offset))
        night_save(patient=patient, record=NightRecord(day(offset - 1)))


def the_run(patient, rule: str) -> Prompt:
    return Prompt.objects.get(patient=patient, rule=rule, ended__isnull=True)


def test_a_red_flag_raises_an_urgent_run_at_once(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    (run,) = Prompt.objects.filter(patient=patient)
    assert (run.rule, run.level, run.first_raised, run.last_fired) == (
        "severe_persistent",
        "urgent",
        TODAY,
        TODAY,
    )
    assert run.firing and run.ended is None and run.end_reason == ""
    assert run.evidence == ["2026-11-27"] and run.figures["night"] == "2026-11-27"
    assert run.acknowledged_at is None and run.state == "new"
    assert run.patient_reason == (
        "On the night of 27 Nov you noted a severe cramp that would not stop."
    )


def test_a_visit_run_keeps_its_first_raised_date_and_acknowledgement_as_evidence_arrives(
    patient, on
):
    night_save(patient=patient, record=NightRecord(day(-3), cramps=(PROLONGED,)))
    night_save(patient=patient, record=NightRecord(day(-2), cramps=(PROLONGED,)))
    run = the_run(patient, "prolonged_cramps")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="booked_visit")
    acknowledged_at = morning(TODAY)

    on(day(1))
    night_save(patient=patient, record=NightRecord(TODAY, cramps=(PROLONGED,)))
    (run,) = Prompt.objects.filter(patient=patient)
    assert run.ended is None and run.first_raised == TODAY and run.last_fired == day(1)
    assert run.acknowledgement == "booked_visit" and run.acknowledged_at == acknowledged_at
    assert run.evidence == ["2026-11-25", "2026-11-26", "2026-11-28"]
    assert run.figures["nights"] == 3
    assert run.seen_evidence == ["2026-11-25", "2026-11-26"]


def test_an_unacknowledged_urgent_run_stays_current_in_the_past_tense(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    on(day(7))
    (run,) = current_prompts(patient)
    assert run.rule == "severe_persistent" and run.ended is None
    assert not run.firing and run.is_past and run.last_fired == TODAY
    assert "you reported a severe cramp" in run.patient_reason
    assert run.action_line == (
        "If it is still happening, call %(number)s or go to an emergency department now. "
        "Otherwise, tell us below what you did."
    )
    assert "you noted" not in run.patient_reason
    assert DiaryState.objects.get(patient=patient).prompts_evaluated_for == day(7)


def test_acknowledging_passed_on_a_lapsed_run_ends_it_as_acknowledged(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    refresh(patient, on, day(7))
    run = the_run(patient, "severe_persistent")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="passed")
    run.refresh_from_db()
    assert run.ended == day(7) and run.end_reason == EndReason.ACKNOWLEDGED
    assert run.acknowledgement == Acknowledgement.PASSED
    assert run.acknowledged_at == morning(day(7))
    assert current_prompts(patient) == []


def test_acknowledging_a_run_that_still_fires_keeps_it_current(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    run = the_run(patient, "severe_persistent")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="sought_care")
    run.refresh_from_db()
    assert run.ended is None and run.firing and run.state == "acknowledged"
    assert run.acknowledgement == "sought_care" and run.acknowledged_at == morning(TODAY)
    assert run.seen_evidence == ["2026-11-27"]
    assert current_prompts(patient) == [run]


def test_acknowledging_twice_keeps_the_first_answer(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    run = the_run(patient, "severe_persistent")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="sought_care")
    on(day(1))
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="passed")
    run.refresh_from_db()
    assert run.acknowledgement == "sought_care" and run.acknowledged_at == morning(TODAY)


def test_an_acknowledged_urgent_run_ends_when_its_rule_stops_firing(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    run = the_run(patient, "severe_persistent")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="sought_care")
    refresh(patient, on, day(1))
    assert the_run(patient, "severe_persistent").pk == run.pk  # the night is still in the last 2
    refresh(patient, on, day(2))
    run.refresh_from_db()
    assert run.ended == day(2) and run.end_reason == EndReason.NO_LONGER_FIRES
    assert not run.firing


def test_a_red_flag_on_a_new_night_restarts_an_acknowledged_urgent_run(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    old = the_run(patient, "severe_persistent")
    prompt_acknowledge(patient=patient, run_id=old.pk, answer="sought_care")

    on(day(1))
    night_save(patient=patient, record=red_flag_night(TODAY))
    old.refresh_from_db()
    assert old.ended == day(1) and old.end_reason == EndReason.NEW_EVIDENCE
    new = the_run(patient, "severe_persistent")
    assert new.pk != old.pk and new.first_raised == day(1)
    assert new.acknowledged_at is None and new.acknowledgement == "" and new.state == "new"
    assert new.evidence == ["2026-11-27", "2026-11-28"] and new.seen_evidence == []
    assert new.figures["night"] == "2026-11-28"


def test_saving_the_same_night_again_does_not_restart_an_acknowledged_run(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    run = the_run(patient, "severe_persistent")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="sought_care")
    night_save(patient=patient, record=red_flag_night(YESTERDAY, cramps=(MILD, MILD)))
    (current,) = Prompt.objects.filter(patient=patient)
    assert current.pk == run.pk and current.ended is None and current.state == "acknowledged"


def test_a_red_flag_on_a_new_night_restarts_an_assessed_run(patient, clinician, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY, "leg_swollen"))
    old = the_run(patient, "clot_signs")
    prompt_assess(clinician=clinician, patient=patient, run_id=old.pk)
    on(day(1))
    night_save(patient=patient, record=red_flag_night(TODAY, "leg_swollen"))
    old.refresh_from_db()
    assert old.end_reason == EndReason.NEW_EVIDENCE
    new = the_run(patient, "clot_signs")
    assert new.state == "new" and new.assessed_at is None and new.assessed_by is None


def test_an_acknowledged_run_that_ended_and_fires_again_starts_a_fresh_run(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    old = the_run(patient, "severe_persistent")
    prompt_acknowledge(patient=patient, run_id=old.pk, answer="sought_care")
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(MILD,)))
    old.refresh_from_db()
    assert old.ended == TODAY and old.end_reason == EndReason.NO_LONGER_FIRES
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    new = the_run(patient, "severe_persistent")
    assert new.pk != old.pk and new.state == "new"


def test_deleting_the_evidence_ends_an_unacknowledged_urgent_run(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    night_delete(patient=patient, night=YESTERDAY)
    run = Prompt.objects.get(patient=patient)
    assert run.ended == TODAY and run.end_reason == EndReason.DIARY_CHANGED
    assert current_prompts(patient) == []


def test_unticking_the_warning_sign_ends_an_unacknowledged_urgent_run(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(MILD,)))
    assert Prompt.objects.get(patient=patient).end_reason == EndReason.DIARY_CHANGED


def test_a_lapsed_run_ends_when_the_diary_change_takes_its_evidence_away(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    on(day(7))
    current_prompts(patient)
    night_delete(patient=patient, night=YESTERDAY)
    run = Prompt.objects.get(patient=patient)
    assert run.ended == day(7) and run.end_reason == EndReason.DIARY_CHANGED


def test_changing_another_night_keeps_a_lapsed_unacknowledged_run(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    on(day(7))
    current_prompts(patient)
    night_save(patient=patient, record=NightRecord(day(6), cramps=(MILD,)))
    night_save(patient=patient, record=NightRecord(day(-10), cramps=(MILD,)))
    night_delete(patient=patient, night=day(6))
    (run,) = current_prompts(patient)
    assert run.rule == "severe_persistent" and run.is_past


def test_a_booked_visit_holds_back_a_new_run_for_28_days_after_it_ends(patient, on):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)))
    first = the_run(patient, "prolonged_cramps")
    prompt_acknowledge(patient=patient, run_id=first.pk, answer="booked_visit")
    refresh_logged(patient, on, 1, 20)
    first.refresh_from_db()
    # The night leaves the last 14 on day 14; 7 days without firing end the run on day 20.
    assert first.last_fired == day(13)
    assert first.ended == day(20) and first.end_reason == EndReason.NO_LONGER_FIRES

    on(day(40))
    night_save(patient=patient, record=NightRecord(day(39), cramps=(SEVERE_LONG,)))
    for offset in range(40, 49):  # up to 28 days after the run ended
        refresh(patient, on, day(offset))
        assert [f.rule for f in prompts_firing(patient=patient, today=day(offset))] == [
            "prolonged_cramps"
        ]
        assert current_prompts(patient) == []
    refresh(patient, on, day(49))  # day 29
    (second,) = current_prompts(patient)
    assert second.rule == "prolonged_cramps" and second.first_raised == day(49)
    assert second.state == "new"


def test_a_visit_run_not_booked_holds_nothing_back(patient, on):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)))
    first = the_run(patient, "prolonged_cramps")
    refresh(patient, on, day(13))
    refresh_logged(patient, on, 14, 20)
    first.refresh_from_db()
    assert first.ended == day(20) and first.acknowledgement == ""
    night_save(patient=patient, record=NightRecord(day(19), cramps=(SEVERE_LONG,)))
    (second,) = current_prompts(patient)
    assert second.rule == "prolonged_cramps" and second.first_raised == day(20)


def test_a_visit_run_survives_six_days_without_firing(patient, on):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)))
    refresh(patient, on, day(13))
    refresh(patient, on, day(19))
    run = the_run(patient, "prolonged_cramps")
    assert not run.firing and run.last_fired == day(13)


def test_a_lapsed_unacknowledged_run_that_fires_again_is_the_same_run(patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    run = the_run(patient, "severe_persistent")
    on(day(7))
    night_save(patient=patient, record=red_flag_night(day(6)))
    (again,) = current_prompts(patient)
    assert again.pk == run.pk and again.first_raised == TODAY
    assert again.firing and again.last_fired == day(7) and again.figures["night"] == "2026-12-04"
    assert again.evidence == ["2026-12-04"] and "you noted" in again.patient_reason


def test_booking_a_visit_in_the_grace_days_keeps_the_run_until_the_seventh_day(patient, on):
    """DESIGN: "An acknowledged run stays current as one line until it ends"; a visit run ends
    after 7 days without firing, and the hold-back counts from then."""
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)))
    refresh(patient, on, day(13))
    refresh_logged(patient, on, 14, 15)  # no longer fires since day 14: in its 7 grace days
    run = the_run(patient, "prolonged_cramps")
    prompt_acknowledge(patient=patient, run_id=run.pk, answer="booked_visit")
    run.refresh_from_db()
    assert run.ended is None and run.state == "acknowledged"
    refresh_logged(patient, on, 16, 20)
    run.refresh_from_db()
    assert run.ended == day(20) and run.end_reason == EndReason.NO_LONGER_FIRES


@pytest.mark.parametrize(
    ("make", "answer"),
    [
        (lambda: red_flag_night(YESTERDAY), "booked_visit"),
        (lambda: NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)), "passed"),
        (lambda: NightRecord(YESTERDAY, cramps=(SEVERE_LONG,)), "sought_care"),
        (lambda: red_flag_night(YESTERDAY), ""),
        (lambda: red_flag_night(YESTERDAY), "yes"),
    ],
)
def test_an_answer_the_run_does_not_offer_is_refused(patient, on, make, answer):
    night_save(patient=patient, record=make())
    (run,) = Prompt.objects.filter(patient=patient)
    with pytest.raises(ValueError):
        prompt_acknowledge(patient=patient, run_id=run.pk, answer=answer)
    run.refresh_from_db()
    assert run.acknowledged_at is None and run.acknowledgement == ""


def test_nobody_acknowledges_another_patients_run_or_one_that_ended(patient, other_patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    run = Prompt.objects.get(patient=patient)
    with pytest.raises(Http404):
        prompt_acknowledge(patient=other_patient, run_id=run.pk, answer="passed")
    night_delete(patient=patient, night=YESTERDAY)
    with pytest.raises(Http404):
        prompt_acknowledge(patient=patient, run_id=run.pk, answer="passed")
    run.refresh_from_db()
    assert run.acknowledged_at is None


def test_a_run_a_clinician_assessed_leaves_the_patients_box(patient, clinician, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    run = the_run(patient, "severe_persistent")
    on(day(1))
    prompt_assess(clinician=clinician, patient=patient, run_id=run.pk)
    run.refresh_from_db()
    assert run.assessed_at == morning(day(1)) and run.assessed_by == clinician
    assert run.assessed_by_name == "Dr Carol Jones" and run.state == "assessed"
    assert run.seen_evidence == ["2026-11-27"] and run.ended is None

    box = prompt_box(current_prompts(patient))
    assert not box
    html = render_to_string("diary/includes/prompt.html", {"prompt": run})
    assert "Dr Carol Jones has seen this on 29 Nov." in html


def test_an_assessed_urgent_run_ends_when_its_rule_stops_firing(patient, clinician, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    run = the_run(patient, "severe_persistent")
    prompt_assess(clinician=clinician, patient=patient, run_id=run.pk)
    refresh(patient, on, day(2))
    run.refresh_from_db()
    assert run.end_reason == EndReason.NO_LONGER_FIRES


def test_the_health_profile_counts_as_soon_as_it_is_saved(patient_client, patient, on):
    painful = CrampRecord("calf", "left", 2, 4)  # venous_disease counts 4/10 or more
    night_save(patient=patient, record=NightRecord(day(-8), cramps=(painful,)))
    night_save(patient=patient, record=NightRecord(day(-4), cramps=(painful,)))
    assert current_prompts(patient) == []
    patient_client.post(
        "/accounts/profile/",
        {
            "account-full_name": patient.full_name,
            "account-time_zone": patient.time_zone,
            "health-venous_disease": "on",
        },
    )
    assert [run.rule for run in current_prompts(patient)] == ["venous_disease"]


def test_stale_runs_are_brought_up_to_date_for_the_patients_today(patient, on):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(MILD,)))
    assert DiaryState.objects.get(patient=patient).prompts_evaluated_for == TODAY
    on(day(3))
    current_prompts(patient)
    assert DiaryState.objects.get(patient=patient).prompts_evaluated_for == day(3)


def test_every_change_bumps_the_diary_version(patient, on):
    night_save(patient=patient, record=NightRecord(YESTERDAY))
    first = DiaryState.objects.get(patient=patient).version
    night_save(patient=patient, record=NightRecord(day(-2)))
    night_delete(patient=patient, night=day(-2))
    assert DiaryState.objects.get(patient=patient).version == first + 2


def test_refreshing_twice_changes_nothing(patient, on):
    night_save(
        patient=patient,
        record=red_flag_night(YESTERDAY, "cramp_wont_stop", "leg_swollen", cramps=(SEVERE_LONG,)),
    )
    prompts_refresh(patient=patient, today=TODAY)
    before = list(Prompt.objects.order_by("pk").values())
    prompts_refresh(patient=patient, today=TODAY)
    assert list(Prompt.objects.order_by("pk").values()) == before

    refresh(patient, on, day(7))
    later = list(Prompt.objects.order_by("pk").values())
    prompts_refresh(patient=patient, today=day(7))
    assert list(Prompt.objects.order_by("pk").values()) == later


def test_each_patient_has_their_own_runs(patient, other_patient, on):
    night_save(patient=patient, record=red_flag_night(YESTERDAY))
    night_save(patient=other_patient, record=NightRecord(day(-2), cramps=(SEVERE_LONG,)))
    assert [run.rule for run in current_prompts(patient)] == ["severe_persistent"]
    assert [run.rule for run in current_prompts(other_patient)] == ["prolonged_cramps"]
    night_delete(patient=other_patient, night=day(-2))
    assert [run.rule for run in current_prompts(patient)] == ["severe_persistent"]


def test_the_prompt_box_shows_the_most_pressing_level_not_yet_answered(patient, on):
    night_save(
        patient=patient,
        record=red_flag_night(YESTERDAY, "cramp_wont_stop", "leg_swollen", cramps=(SEVERE_LONG,)),
    )
    box = prompt_box(current_prompts(patient))
    assert box.box.level == "urgent"
    assert [run.rule for _action, run in box.lines] == ["severe_persistent"]
    assert [(other.level, other.count) for other in box.box.others] == [("today", 1), ("visit", 1)]

    urgent = the_run(patient, "severe_persistent")
    prompt_acknowledge(patient=patient, run_id=urgent.pk, answer="sought_care")
    box = prompt_box(current_prompts(patient))
    assert box.box.level == "today"
    assert [run.rule for _action, run in box.lines] == ["clot_signs"]
    assert [choice.value for choice in box.choices] == ["sought_care", "doctor_checked"]

    for rule, answer in (("clot_signs", "doctor_checked"), ("prolonged_cramps", "booked_visit")):
        prompt_acknowledge(patient=patient, run_id=the_run(patient, rule).pk, answer=answer)
    assert not prompt_box(current_prompts(patient))


def test_no_runs_no_prompt_box(patient, on):
    night_save(patient=patient, record=NightRecord(YESTERDAY, cramps=(MILD,)))
    box = prompt_box(current_prompts(patient))
    assert not box and box.box is None and box.lines == []
