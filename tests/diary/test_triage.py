"""Every rule at its boundaries, and invariants over random diaries."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from diary.records import CrampRecord, NightRecord
from diary.triage import URGENT, HealthFacts, Thresholds, evaluate

TODAY = date(2026, 11, 28)
T = Thresholds(**settings.TRIAGE_THRESHOLDS)
NO_FACTS = HealthFacts()
VEINS = HealthFacts(venous_disease=True)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def cramp(severity=5, minutes=2.0, woke=False) -> CrampRecord:
    return CrampRecord("calf", "left", minutes, severity, woke)


def night(days_ago: int, *cramps: CrampRecord, **fields) -> NightRecord:
    return NightRecord(night=ago(days_ago), cramps=cramps, **fields)


def quiet(*days_ago: int) -> list[NightRecord]:
    return [night(d) for d in days_ago]


def rules(nights, facts=NO_FACTS, today=TODAY) -> set[str]:
    return {prompt.rule for prompt in evaluate(facts, nights, today, T)}


def fired(rule, nights, facts=NO_FACTS):
    return next(p for p in evaluate(facts, nights, TODAY, T) if p.rule == rule)


# severe_persistent


def test_a_severe_long_cramp_is_urgent_at_8_of_10_and_10_minutes():
    nights = [night(3, cramp(8, 10.0))]
    prompt = fired("severe_persistent", nights)
    assert prompt.level == URGENT and prompt.evidence == (ago(3),)
    assert "8/10 lasting 10 minutes" in prompt.reason


@pytest.mark.parametrize(("severity", "minutes"), [(7, 30.0), (8, 9.9), (10, 9.99)])
def test_a_cramp_just_below_either_limit_is_not_urgent(severity, minutes):
    assert "severe_persistent" not in rules([night(3, cramp(severity, minutes))])


def test_severe_long_cramp_counts_only_in_the_last_7_nights():
    assert "severe_persistent" in rules([night(7, cramp(9, 12.0))])
    assert "severe_persistent" not in rules([night(8, cramp(9, 12.0))])


def test_a_night_dated_today_is_ignored():
    assert rules([night(0, cramp(10, 60.0))]) == set()
    assert rules([night(-1, cramp(10, 60.0))]) == set()


def test_three_severe_nights_in_a_week_are_urgent_and_two_are_not():
    two = [night(1, cramp(8)), night(5, cramp(9))]
    assert "severe_persistent" not in rules(two)
    three = [*two, night(7, cramp(8))]
    prompt = fired("severe_persistent", three)
    assert prompt.evidence == (ago(7), ago(5), ago(1))
    assert "8/10 or worse on 3 of the last 7 nights" in prompt.reason


def test_two_severe_cramps_on_one_night_count_as_one_night():
    nights = [night(1, cramp(8), cramp(9)), night(2, cramp(8))]
    assert "severe_persistent" not in rules(nights)


def test_a_sparse_week_says_how_few_nights_were_logged():
    reason = fired("severe_persistent", [night(2, cramp(9, 15.0))]).reason
    assert "Only 1 of the last 7 nights logged" in reason
    full_week = [night(2, cramp(9, 15.0)), *quiet(1, 3, 4)]
    assert "Only" not in fired("severe_persistent", full_week).reason


# toxin_exposure


LEAD = {"toxin_exposure": True, "toxin_substance": "lead"}


@pytest.mark.parametrize(
    ("exposed", "cramped", "fires"),
    [
        (3, 3, True),  # the same night: N - T = 0
        (17, 3, True),  # N - T = 14 days
        (18, 3, False),  # N - T = 15 days
        (2, 5, False),  # cramps before the exposure do not count
        (20, 14, True),  # the cramp night is the oldest of the last 14
        (20, 15, False),  # the cramp night is outside the last 14
    ],
)
def test_cramps_within_14_days_after_a_toxin_are_urgent(exposed, cramped, fires):
    nights = (
        [night(exposed, **LEAD), night(cramped, cramp())]
        if exposed != cramped
        else [night(exposed, cramp(), **LEAD)]
    )
    assert ("toxin_exposure" in rules(nights)) is fires


def test_the_toxin_prompt_names_the_substance_and_the_nights():
    prompt = fired("toxin_exposure", [night(6, **LEAD), night(3, cramp())])
    assert prompt.level == URGENT
    assert "lead" in prompt.reason and prompt.evidence == (ago(6), ago(3))


# persistent_cramps


def _weeks(recent: int, before: int) -> list[NightRecord]:
    return [night(d, cramp()) for d in range(1, 1 + recent)] + [
        night(d, cramp()) for d in range(8, 8 + before)
    ]


@pytest.mark.parametrize(
    ("recent", "before", "fires"),
    [
        (3, 3, True),
        (2, 3, False),
        (3, 2, False),
        (7, 7, True),
    ],
)
def test_persistent_cramps_need_3_cramp_nights_in_each_of_two_weeks(recent, before, fires):
    assert ("persistent_cramps" in rules(_weeks(recent, before))) is fires


def test_persistent_cramps_weeks_split_between_night_7_and_night_8():
    # Nights 5, 6, 7 are this week; 8, 9, 10 the week before.
    nights = [night(d, cramp()) for d in (5, 6, 7, 8, 9, 10)]
    assert "persistent_cramps" in rules(nights)
    shifted = [night(d, cramp()) for d in (6, 7, 8, 9, 10, 11)]  # only 2 in this week
    assert "persistent_cramps" not in rules(shifted)


def test_persistent_cramps_ignore_nights_15_or_more_ago():
    nights = [night(d, cramp()) for d in (1, 2, 3, 8, 9, 15)]
    assert "persistent_cramps" not in rules(nights)


# daytime_impairment


def _impaired(days_ago, level="moderate", woke=True):
    return night(days_ago, cramp(woke=woke), daytime_impairment=level)


def test_two_woken_nights_with_moderate_or_severe_days_call_for_a_visit():
    prompt = fired("daytime_impairment", [_impaired(2), _impaired(14, "severe")])
    assert prompt.evidence == (ago(14), ago(2))


@pytest.mark.parametrize(
    "nights",
    [
        [_impaired(2)],  # only one
        [_impaired(2), _impaired(15)],  # the second is 15 nights ago
        [_impaired(2), _impaired(3, "mild")],  # mild does not count
        [_impaired(2), _impaired(3, woke=False)],  # a cramp that did not wake the patient
        [_impaired(2), night(3, daytime_impairment="severe")],  # no cramp that night
    ],
)
def test_daytime_impairment_boundaries(nights):
    assert "daytime_impairment" not in rules(nights)


# weakness_atrophy


def test_weakness_and_a_cramp_night_in_30_nights_call_for_a_visit():
    weak = {"symptoms": frozenset({"muscle_weakness"})}
    assert "weakness_atrophy" in rules([night(30, **weak), night(1, cramp())])
    assert "weakness_atrophy" in rules([night(4, cramp(), symptoms=frozenset({"muscle_atrophy"}))])
    assert "weakness_atrophy" not in rules([night(31, **weak), night(1, cramp())])
    assert "weakness_atrophy" not in rules([night(3, **weak), night(31, cramp())])
    assert "weakness_atrophy" not in rules([night(3, **weak)])


# venous_disease


def test_venous_disease_with_a_cramp_night_in_30_nights_calls_for_a_visit():
    assert "venous_disease" in rules([night(30, cramp())], VEINS)
    assert "venous_disease" not in rules([night(31, cramp())], VEINS)
    assert "venous_disease" not in rules([night(3, cramp())], NO_FACTS)
    assert "venous_disease" not in rules(quiet(1, 2, 3), VEINS)


def test_nothing_fires_for_an_empty_or_quiet_diary():
    assert evaluate(VEINS, [], TODAY, T) == []
    assert evaluate(VEINS, quiet(*range(1, 40)), TODAY, T) == []


def test_urgent_prompts_come_first():
    nights = [night(1, cramp(9, 20.0)), *[night(d, cramp()) for d in (2, 3, 8, 9, 10)]]
    levels = [prompt.level for prompt in evaluate(VEINS, nights, TODAY, T)]
    assert levels[0] == URGENT and levels.count(URGENT) == 1 and len(levels) == 3


# Invariants over random diaries


cramps = st.builds(
    CrampRecord,
    muscle=st.just("calf"),
    side=st.just("left"),
    duration_minutes=st.sampled_from([0.5, 2.0, 9.9, 10.0, 30.0]),
    severity=st.integers(0, 10),
    woke=st.booleans(),
)
nights = st.builds(
    NightRecord,
    night=st.integers(-3, 35).map(ago),
    daytime_impairment=st.sampled_from(["", "none", "mild", "moderate", "severe"]),
    symptoms=st.sampled_from([frozenset(), frozenset({"muscle_weakness"})]),
    toxin_exposure=st.booleans(),
    cramps=st.lists(cramps, max_size=3).map(tuple),
)


def _diaries():
    # One record per night, as the database guarantees.
    return st.lists(nights, max_size=25).map(
        lambda records: list({record.night: record for record in records}.values())
    )


facts = st.builds(HealthFacts, venous_disease=st.booleans())


@hypothesis_settings(max_examples=150)
@given(_diaries(), facts, st.integers(1, 35))
def test_adding_a_cramp_free_night_never_raises_a_prompt(diary, health, days_ago):
    if any(record.night == ago(days_ago) for record in diary):
        return
    before = rules(diary, health)
    after = rules([*diary, night(days_ago)], health)
    assert after <= before


@hypothesis_settings(max_examples=150)
@given(_diaries(), facts, st.data())
def test_raising_a_severity_never_removes_an_urgent_prompt(diary, health, data):
    with_cramps = [record for record in diary if record.cramps]
    if not with_cramps:
        return
    target = data.draw(st.sampled_from(with_cramps))
    index = data.draw(st.integers(0, len(target.cramps) - 1))
    raised = replace(target.cramps[index], severity=10)
    changed = replace(target, cramps=target.cramps[:index] + (raised,) + target.cramps[index + 1 :])
    urgent = lambda prompts: {p.rule for p in prompts if p.level == URGENT}  # noqa: E731
    before = urgent(evaluate(health, diary, TODAY, T))
    after = urgent(evaluate(health, [changed if r is target else r for r in diary], TODAY, T))
    assert before <= after


@given(_diaries(), facts, st.randoms())
def test_the_order_of_the_nights_changes_nothing(diary, health, rng):
    shuffled = list(diary)
    rng.shuffle(shuffled)
    assert evaluate(health, diary, TODAY, T) == evaluate(health, shuffled, TODAY, T)


@given(_diaries(), facts, st.lists(nights, max_size=5))
def test_nights_dated_today_or_later_change_nothing(diary, health, extra):
    past = [record for record in diary if record.night < TODAY]
    later = [replace(record, night=TODAY + timedelta(days=i % 3)) for i, record in enumerate(extra)]
    assert evaluate(health, past, TODAY, T) == evaluate(health, past + later, TODAY, T)
