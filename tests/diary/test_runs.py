"""The prompt life cycle as plain data (diary.domain.runs.plan): no database, no clock."""

from datetime import date, timedelta

import pytest

from diary.domain import runs
from diary.domain.runs import Plan, Run, plan
from diary.domain.triage import TODAY as TODAY_LEVEL
from diary.domain.triage import URGENT, VISIT, Finding

TODAY = date(2026, 11, 28)
YESTERDAY = date(2026, 11, 27)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def finding(rule="severe_persistent", level=URGENT, *evidence: date) -> Finding:
    evidence = evidence or (YESTERDAY,)
    return Finding(level, rule, tuple(evidence), {"night": evidence[-1].isoformat()})


def run(
    rule="severe_persistent",
    level=URGENT,
    *,
    last_fired=YESTERDAY,
    dealt_with=False,
    seen=(),
    id=1,
) -> Run:
    return Run(id, rule, level, last_fired, dealt_with, frozenset(seen))


def test_a_run_starts_when_its_rule_fires():
    fires = finding()
    assert plan([], [fires], today=TODAY) == Plan(start=[fires])


def test_nothing_to_do_without_runs_or_findings():
    assert plan([], [], today=TODAY) == Plan()
    assert plan([], [], today=TODAY, diary_changed=True) == Plan()


@pytest.mark.parametrize("level", [URGENT, TODAY_LEVEL, VISIT])
def test_firing_again_updates_the_current_run_and_starts_nothing(level):
    current = run("some_rule", level)
    fires = finding("some_rule", level, TODAY - days(2), TODAY - days(1))
    result = plan([current], [fires], today=TODAY)
    assert result == Plan(update=[(current, fires)])


def test_an_unacknowledged_run_firing_on_a_new_night_is_updated_not_restarted():
    current = run(seen=())
    fires = finding("severe_persistent", URGENT, TODAY - days(2), TODAY - days(1))
    assert plan([current], [fires], today=TODAY) == Plan(update=[(current, fires)])


def test_a_dealt_with_run_firing_on_the_nights_it_has_seen_is_updated():
    night = TODAY - days(1)
    current = run(dealt_with=True, seen={night})
    fires = finding("severe_persistent", URGENT, night)
    assert plan([current], [fires], today=TODAY) == Plan(update=[(current, fires)])


@pytest.mark.parametrize("level", [URGENT, TODAY_LEVEL])
@pytest.mark.parametrize("diary_changed", [False, True])
def test_an_unacknowledged_urgent_or_today_run_stays_current_when_its_rule_stops(
    level, diary_changed
):
    current = run("some_rule", level, last_fired=TODAY - days(7))
    result = plan(
        [current],
        [],
        today=TODAY,
        diary_changed=diary_changed,
        still_fired_when_last_seen={"some_rule"} if diary_changed else (),
    )
    assert result == Plan(lapse=[current])


@pytest.mark.parametrize("level", [URGENT, TODAY_LEVEL])
def test_a_diary_change_that_takes_away_the_evidence_ends_an_unacknowledged_run(level):
    current = run("some_rule", level, last_fired=TODAY)
    result = plan([current], [], today=TODAY, diary_changed=True, still_fired_when_last_seen=())
    assert result == Plan(end=[(current, runs.DIARY_CHANGED)])


def test_a_diary_change_ends_only_the_runs_that_no_longer_fired_when_last_seen():
    kept = run("severe_persistent", URGENT, id=1)
    gone = run("clot_signs", TODAY_LEVEL, id=2)
    result = plan(
        [kept, gone],
        [],
        today=TODAY,
        diary_changed=True,
        still_fired_when_last_seen={"severe_persistent"},
    )
    assert result == Plan(lapse=[kept], end=[(gone, runs.DIARY_CHANGED)])


@pytest.mark.parametrize("level", [URGENT, TODAY_LEVEL])
@pytest.mark.parametrize("diary_changed", [False, True])
def test_an_acknowledged_urgent_or_today_run_ends_when_its_rule_stops(level, diary_changed):
    current = run("some_rule", level, dealt_with=True, seen={TODAY - days(2)})
    result = plan(
        [current],
        [],
        today=TODAY,
        diary_changed=diary_changed,
        still_fired_when_last_seen={"some_rule"},
    )
    assert result == Plan(end=[(current, runs.NO_LONGER_FIRES)])


@pytest.mark.parametrize("level", [URGENT, TODAY_LEVEL])
def test_new_evidence_ends_a_dealt_with_urgent_or_today_run_and_starts_a_new_one(level):
    seen = TODAY - days(2)
    current = run("some_rule", level, dealt_with=True, seen={seen})
    fires = finding("some_rule", level, seen, TODAY - days(1))
    result = plan([current], [fires], today=TODAY)
    assert result == Plan(end=[(current, runs.NEW_EVIDENCE)], start=[fires])


def test_new_evidence_on_a_dealt_with_visit_run_just_updates_it():
    seen = TODAY - days(5)
    current = run("prolonged_cramps", VISIT, dealt_with=True, seen={seen})
    fires = finding("prolonged_cramps", VISIT, seen, TODAY - days(1))
    assert plan([current], [fires], today=TODAY) == Plan(update=[(current, fires)])


@pytest.mark.parametrize("diary_changed", [False, True])
@pytest.mark.parametrize("dealt_with", [False, True])
def test_a_visit_run_survives_six_days_without_firing(diary_changed, dealt_with):
    current = run("prolonged_cramps", VISIT, last_fired=TODAY - days(6), dealt_with=dealt_with)
    result = plan([current], [], today=TODAY, diary_changed=diary_changed)
    assert result == Plan(lapse=[current])


@pytest.mark.parametrize("dealt_with", [False, True])
def test_a_visit_run_ends_on_the_seventh_day_without_firing(dealt_with):
    current = run("prolonged_cramps", VISIT, last_fired=TODAY - days(7), dealt_with=dealt_with)
    result = plan([current], [], today=TODAY)
    assert result == Plan(end=[(current, runs.NO_LONGER_FIRES)])
    later = plan([current], [], today=TODAY + days(3))
    assert later == Plan(end=[(current, runs.NO_LONGER_FIRES)])


def test_a_visit_run_that_fires_again_within_its_grace_is_updated():
    current = run("prolonged_cramps", VISIT, last_fired=TODAY - days(6))
    fires = finding("prolonged_cramps", VISIT)
    assert plan([current], [fires], today=TODAY) == Plan(update=[(current, fires)])


def test_the_hold_back_blocks_a_new_visit_run():
    fires = finding("prolonged_cramps", VISIT)
    assert plan([], [fires], today=TODAY, held_back={"prolonged_cramps"}) == Plan()


def test_the_hold_back_blocks_only_its_own_rule():
    held = finding("prolonged_cramps", VISIT)
    other = finding("severe_frequent", VISIT)
    result = plan([], [held, other], today=TODAY, held_back={"prolonged_cramps"})
    assert result == Plan(start=[other])


def test_the_hold_back_never_blocks_an_urgent_or_today_run():
    urgent = finding("severe_persistent", URGENT)
    today = finding("clot_signs", TODAY_LEVEL)
    result = plan([], [urgent, today], today=TODAY, held_back={"severe_persistent", "clot_signs"})
    assert result == Plan(start=[urgent, today])


def test_the_hold_back_does_not_touch_a_current_run_of_its_rule():
    current = run("prolonged_cramps", VISIT)
    fires = finding("prolonged_cramps", VISIT)
    result = plan([current], [fires], today=TODAY, held_back={"prolonged_cramps"})
    assert result == Plan(update=[(current, fires)])


def test_each_rule_follows_its_own_life_cycle():
    updated = run("severe_persistent", URGENT, id=1)
    lapsed = run("clot_signs", TODAY_LEVEL, id=2)
    ended = run("prolonged_cramps", VISIT, last_fired=TODAY - days(7), id=3)
    fires = finding("severe_persistent", URGENT)
    new = finding("severe_frequent", VISIT)
    result = plan([updated, lapsed, ended], [fires, new], today=TODAY)
    assert result == Plan(
        update=[(updated, fires)],
        lapse=[lapsed],
        end=[(ended, runs.NO_LONGER_FIRES)],
        start=[new],
    )
