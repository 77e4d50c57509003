"""The triage rules (DESIGN's 17 and quinine_review) at their thresholds and window edges, the
scenarios of the clinical review that motivated them, and invariants over random diaries.

Every test evaluates for TODAY with the default thresholds (settings.TRIAGE_THRESHOLDS).
`night(3, ...)` is the night dated TODAY - 3: the oldest of "the last 3 nights".
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.conf import settings
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.domain.triage import (
    LEVELS,
    RULE_IDS,
    URGENT,
    VISIT,
    HealthFacts,
    Thresholds,
    evaluate,
    level_of,
    lookback_nights,
)
from diary.domain.triage import TODAY as TODAY_LEVEL
from diary.domain.vocabulary import (
    DaytimeImpairment,
    Medication,
    Muscle,
    Prevention,
    RedFlag,
    Relief,
    Remedy,
    Side,
    Symptom,
)

TODAY = date(2026, 11, 28)
T = Thresholds(**settings.TRIAGE_THRESHOLDS)

NO_FACTS = HealthFacts()
VEINS = HealthFacts(venous_disease=True)
PAD = HealthFacts(peripheral_artery_disease=True)
PREGNANT = HealthFacts(pregnant=True)
STATIN = HealthFacts(medications=frozenset({"statin"}))
EVERY_ANSWER = HealthFacts(
    venous_disease=True,
    peripheral_artery_disease=True,
    pregnant=True,
    medications=frozenset(Medication.values),
    treatments=(TreatmentRecord("Quinine", "quinine", TODAY - timedelta(days=28)),),
)

PROLONGED = 10.0  # minutes: a cramp of 10 minutes or more is prolonged
JUST_SHORT = 9.99
LEAD = {"toxin_exposure": True, "toxin_substance": "lead"}

# DESIGN's table, in its order: the order findings of one level are shown in.
DESIGN_TABLE = {
    "severe_persistent": URGENT,
    "limb_ischaemia": URGENT,
    "dark_urine": URGENT,
    "toxin_exposure": URGENT,
    "clot_signs": TODAY_LEVEL,
    "severe_prolonged": TODAY_LEVEL,
    "pregnancy_one_sided": TODAY_LEVEL,
    "pad_rest_pain": TODAY_LEVEL,
    "prolonged_cramps": VISIT,
    "severe_frequent": VISIT,
    "persistent_cramps": VISIT,
    "daytime_impairment": VISIT,
    "weakness_atrophy": VISIT,
    "not_typical": VISIT,
    "venous_disease": VISIT,
    "artery_disease": VISIT,
    "medication_review": VISIT,
    # Added with treatments (docs/triage.md, "quinine_review").
    "quinine_review": VISIT,
}


# Helpers


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def on(*days_ago: int) -> tuple[date, ...]:
    """Evidence nights, written oldest first."""
    return tuple(ago(d) for d in days_ago)


def cramp(
    severity=5, minutes=2.0, side="left", *, muscle="calf", woke=False, relief="", remedies=()
) -> CrampRecord:
    return CrampRecord(muscle, side, minutes, severity, woke, frozenset(remedies), relief)


def night(days_ago: int, *cramps: CrampRecord, **fields) -> NightRecord:
    for name in ("prevention", "symptoms", "red_flags"):
        if name in fields:
            fields[name] = frozenset(fields[name])
    return NightRecord(night=ago(days_ago), cramps=cramps, **fields)


def quiet(*days_ago: int) -> list[NightRecord]:
    return [night(d) for d in days_ago]


def cramp_nights(*days_ago: int, **cramp_fields) -> list[NightRecord]:
    return [night(d, cramp(**cramp_fields)) for d in days_ago]


def flagged(days_ago: int, flag: str, *cramps: CrampRecord) -> NightRecord:
    return night(days_ago, *cramps, red_flags={flag})


def findings(nights, facts=NO_FACTS, today=TODAY):
    return evaluate(facts, nights, today, T)


def rules(nights, facts=NO_FACTS, today=TODAY) -> set[str]:
    return {f.rule for f in findings(nights, facts, today)}


def fires(rule: str, nights, facts=NO_FACTS) -> bool:
    return rule in rules(nights, facts)


def finding(rule: str, nights, facts=NO_FACTS):
    found = [f for f in findings(nights, facts) if f.rule == rule]
    assert found, f"{rule} did not fire"
    return found[0]


def levels(nights, facts=NO_FACTS) -> set[str]:
    return {f.level for f in findings(nights, facts)}


# The rule set as a whole


def test_the_rules_are_designs_17_and_the_quinine_review_in_order_and_levels():
    assert tuple(DESIGN_TABLE) == RULE_IDS
    assert {rule: level_of(rule) for rule in RULE_IDS} == DESIGN_TABLE
    assert LEVELS == (URGENT, TODAY_LEVEL, VISIT)


def test_the_default_thresholds_are_designs_numbers():
    assert (T.prolonged_minutes, T.severe_severity) == (10, 8)
    assert (T.cramp_wont_stop_window, T.leg_cold_pale_window, T.dark_urine_window) == (2, 2, 3)
    assert (T.toxin_window, T.toxin_days_after) == (14, 14)
    assert (T.leg_swollen_window, T.severe_prolonged_window) == (3, 3)
    assert (T.pregnancy_window, T.pregnancy_days_after_date) == (7, 42)
    assert (T.pad_rest_pain_window, T.pad_rest_pain_nights) == (7, 3)
    assert (T.prolonged_window, T.prolonged_nights) == (14, 2)
    assert (T.severe_frequent_window, T.severe_frequent_nights) == (14, 3)
    assert (T.persistent_window, T.persistent_nights, T.persistent_bother_severity) == (14, 6, 4)
    assert (T.impairment_window, T.impairment_nights) == (14, 2)
    assert tuple(T.impairment_levels) == ("moderate", "severe")
    assert (T.weakness_window, T.weakness_cramp_window) == (30, 90)
    assert (T.not_typical_window, T.not_typical_nights) == (30, 2)
    assert (T.venous_window, T.venous_nights) == (30, 2)
    assert (T.artery_window, T.artery_cramp_nights) == (14, 3)
    assert (T.medication_window, T.medication_nights) == (14, 3)
    assert T.quinine_review_after == 28
    assert lookback_nights(T) == 90


def quinine(started_ago: int, stopped_ago: int | None = None) -> HealthFacts:
    stop = None if stopped_ago is None else ago(stopped_ago)
    course = TreatmentRecord("Quinine sulfate", "quinine", ago(started_ago), stop, "200 mg")
    return HealthFacts(treatments=(course,))


QUININE = quinine(28)


# The smallest diary that fires each rule, its window, and the profile answer it needs.
EXAMPLES = {
    "severe_persistent": (NO_FACTS, [flagged(1, "cramp_wont_stop")], 2),
    "limb_ischaemia": (NO_FACTS, [flagged(1, "leg_cold_pale")], 2),
    "dark_urine": (NO_FACTS, [flagged(1, "dark_urine", cramp())], 3),
    "toxin_exposure": (NO_FACTS, [night(2, **LEAD), night(1, cramp())], 14),
    "clot_signs": (NO_FACTS, [flagged(1, "leg_swollen")], 3),
    "severe_prolonged": (NO_FACTS, [night(1, cramp(8, PROLONGED, relief="none"))], 3),
    "pregnancy_one_sided": (PREGNANT, [night(1, cramp(3, PROLONGED, "left"))], 7),
    "pad_rest_pain": (PAD, cramp_nights(1, 2, 3, severity=3, minutes=PROLONGED), 7),
    "prolonged_cramps": (NO_FACTS, cramp_nights(1, 2, severity=3, minutes=PROLONGED), 14),
    "severe_frequent": (NO_FACTS, cramp_nights(1, 2, 3, severity=8, minutes=1.0), 14),
    "persistent_cramps": (NO_FACTS, cramp_nights(1, 2, 3, 4, 5, 6, severity=4), 14),
    "daytime_impairment": (
        NO_FACTS,
        [night(d, cramp(), daytime_impairment="moderate") for d in (1, 2)],
        14,
    ),
    "weakness_atrophy": (NO_FACTS, [night(1, cramp(), symptoms={"muscle_weakness"})], 30),
    "not_typical": (NO_FACTS, [night(d, symptoms={"daytime_cramps"}) for d in (1, 2)], 30),
    "venous_disease": (VEINS, cramp_nights(1, 2), 30),
    "artery_disease": (PAD, [night(1, cramp(3, PROLONGED, "both"))], 14),
    "medication_review": (STATIN, cramp_nights(1, 2, 3), 14),
    "quinine_review": (QUININE, cramp_nights(1, 2), 28),
}
PROFILE_RULES = {"pregnancy_one_sided", "pad_rest_pain", "venous_disease", "artery_disease"}
PROFILE_RULES |= {"medication_review", "quinine_review"}


@pytest.mark.parametrize("rule", RULE_IDS)
def test_each_rules_smallest_diary_fires_it_at_its_level(rule):
    facts, nights, _window = EXAMPLES[rule]
    assert finding(rule, nights, facts).level == DESIGN_TABLE[rule]


@pytest.mark.parametrize("rule", RULE_IDS)
def test_each_finding_says_how_many_nights_of_its_window_were_logged(rule):
    facts, nights, window = EXAMPLES[rule]
    found = finding(rule, [*nights, *quiet(window, window + 1)], facts)
    assert found.figures["window"] == window
    # The quiet night today - window is in the window; today - window - 1 is not.
    assert found.figures["logged"] == len(nights) + 1


@pytest.mark.parametrize("rule", RULE_IDS)
def test_each_finding_names_logged_nights_before_today_oldest_first(rule):
    facts, nights, _window = EXAMPLES[rule]
    evidence = finding(rule, nights, facts).evidence
    assert evidence == tuple(sorted(set(evidence)))
    assert evidence and set(evidence) <= {n.night for n in nights}


@pytest.mark.parametrize("rule", sorted(PROFILE_RULES))
def test_profile_rules_need_their_profile_answer(rule):
    _facts, nights, _window = EXAMPLES[rule]
    assert not fires(rule, nights, NO_FACTS)


@pytest.mark.parametrize("rule", RULE_IDS)
@pytest.mark.parametrize("first", [0, 1], ids=["from today", "from tomorrow"])
def test_nights_dated_today_or_later_never_fire_anything(rule, first):
    facts, nights, _window = EXAMPLES[rule]
    # Mirror the diary forward: the night 1 ago lands on today + first, 2 ago on the day after...
    moved = [
        replace(n, night=TODAY + (TODAY - n.night) + timedelta(days=first - 1)) for n in nights
    ]
    assert min(n.night for n in moved) == TODAY + timedelta(days=first)
    assert findings(moved, EVERY_ANSWER) == []


def test_nothing_fires_for_an_empty_or_quiet_diary():
    assert findings([], EVERY_ANSWER) == []
    assert findings(quiet(*range(1, 120)), EVERY_ANSWER) == []


def test_all_18_rules_fire_urgent_first_then_today_then_visit_each_in_designs_order():
    bad = cramp(9, 60.0, "left", woke=True, relief="none")
    week = [
        night(d, bad, daytime_impairment="severe", symptoms={"muscle_weakness", "daytime_cramps"})
        for d in range(2, 8)
    ]
    last_night = night(1, bad, red_flags=set(RedFlag.values), **LEAD)
    found = findings([last_night, *reversed(week)], EVERY_ANSWER)
    assert [f.rule for f in found] == list(DESIGN_TABLE)
    assert [f.level for f in found] == [URGENT] * 4 + [TODAY_LEVEL] * 4 + [VISIT] * 10


def test_a_visit_finding_comes_after_a_today_finding_and_that_after_an_urgent_one():
    nights = [
        *cramp_nights(10, 11, 12, severity=8),  # severe_frequent (visit)
        flagged(2, "leg_swollen"),  # clot_signs (today)
        flagged(1, "leg_cold_pale"),  # limb_ischaemia (urgent)
    ]
    found = findings(nights)
    assert [f.rule for f in found] == ["limb_ischaemia", "clot_signs", "severe_frequent"]
    assert [f.level for f in found] == [URGENT, TODAY_LEVEL, VISIT]


# Warning signs: severe_persistent, limb_ischaemia (urgent), clot_signs (today)


WARNING_SIGN_RULES = [
    ("cramp_wont_stop", "severe_persistent", URGENT, 2),
    ("leg_cold_pale", "limb_ischaemia", URGENT, 2),
    ("leg_swollen", "clot_signs", TODAY_LEVEL, 3),
]


@pytest.mark.parametrize(("flag", "rule", "level", "window"), WARNING_SIGN_RULES)
def test_a_warning_sign_on_the_oldest_night_of_its_window_fires(flag, rule, level, window):
    found = finding(rule, [flagged(window, flag)])
    assert found.level == level
    assert found.evidence == on(window)
    assert found.figures == {"night": ago(window).isoformat(), "logged": 1, "window": window}


@pytest.mark.parametrize(("flag", "rule", "level", "window"), WARNING_SIGN_RULES)
def test_a_warning_sign_one_night_before_its_window_does_not_fire(flag, rule, level, window):
    assert rules([flagged(window + 1, flag), *quiet(*range(1, window + 1))]) == set()


@pytest.mark.parametrize(("flag", "rule", "level", "window"), WARNING_SIGN_RULES)
def test_a_warning_sign_fires_on_a_night_without_cramps_and_nothing_else(flag, rule, level, window):
    assert rules([flagged(1, flag)]) == {rule}


@pytest.mark.parametrize(("flag", "rule", "level", "window"), WARNING_SIGN_RULES)
def test_a_warning_sign_ticked_tonight_is_not_yet_evidence(flag, rule, level, window):
    assert rules([flagged(0, flag), flagged(-1, flag)]) == set()


@pytest.mark.parametrize(("flag", "rule", "level", "window"), WARNING_SIGN_RULES)
def test_a_warning_sign_on_two_nights_names_both_and_the_latest(flag, rule, level, window):
    found = finding(rule, [flagged(1, flag, cramp()), flagged(2, flag)])
    assert found.evidence == on(2, 1)
    assert found.figures["night"] == ago(1).isoformat()


# dark_urine (urgent)


@pytest.mark.parametrize(
    ("sign", "cramped", "evidence"),
    [
        (3, 3, (3,)),  # the oldest night of the last 3, with its own cramp
        (3, 1, (3, 1)),
        (1, 3, (3, 1)),  # the cramp night may come before the sign
    ],
)
def test_dark_urine_fires_with_a_cramp_night_among_the_last_3(sign, cramped, evidence):
    nights = (
        [flagged(sign, "dark_urine", cramp())]
        if sign == cramped
        else [flagged(sign, "dark_urine"), night(cramped, cramp())]
    )
    found = finding("dark_urine", nights)
    assert found.level == URGENT
    assert found.evidence == on(*evidence)
    assert found.figures["night"] == ago(sign).isoformat()
    assert found.figures["window"] == 3


@pytest.mark.parametrize(
    "nights",
    [
        [flagged(4, "dark_urine", cramp())],  # the sign is 4 nights ago
        [flagged(4, "dark_urine"), night(1, cramp())],
        [flagged(1, "dark_urine"), night(4, cramp())],  # the cramp night is 4 nights ago
        [flagged(1, "dark_urine"), *quiet(2, 3)],  # no cramp night at all
        [flagged(1, "dark_urine"), night(0, cramp())],  # the cramp night is tonight
    ],
    ids=["sign 4 ago", "sign 4 ago, cramp 1 ago", "cramp 4 ago", "no cramp", "cramp tonight"],
)
def test_dark_urine_without_a_cramp_night_among_the_last_3_does_not_fire(nights):
    assert not fires("dark_urine", nights)


# toxin_exposure (urgent)


@pytest.mark.parametrize(
    ("exposed", "cramped", "fire"),
    [
        (3, 3, True),  # the same night: N - T = 0
        (17, 3, True),  # N - T = 14 days
        (18, 3, False),  # N - T = 15 days
        (2, 5, False),  # a cramp before the exposure does not count
        (28, 14, True),  # T before the window, N the oldest of the last 14, N - T = 14
        (29, 14, False),  # N - T = 15
        (14, 14, True),  # the oldest night of the window, exposed the same night
        (15, 15, False),  # the cramp night is outside the last 14
        (20, 15, False),
    ],
)
def test_cramps_0_to_14_days_after_a_toxin_fire(exposed, cramped, fire):
    nights = (
        [night(exposed, cramp(), **LEAD)]
        if exposed == cramped
        else [night(exposed, **LEAD), night(cramped, cramp())]
    )
    assert fires("toxin_exposure", nights) is fire


def test_the_toxin_finding_names_the_exposure_and_the_cramp_nights_after_it():
    nights = [night(20, **LEAD), night(10, cramp()), night(7, cramp()), *quiet(8, 9)]
    found = finding("toxin_exposure", nights)
    assert found.level == URGENT
    assert found.evidence == on(20, 10, 7)
    assert found.figures == {
        "exposed": ago(20).isoformat(),
        "substance": "lead",
        "cramp_nights": 2,
        "days": 14,
        "logged": 4,  # the exposure night lies before the last 14
        "window": 14,
    }


def test_the_toxin_finding_names_the_latest_exposure_that_cramps_followed():
    mercury = {"toxin_exposure": True, "toxin_substance": "mercury"}
    nights = [night(10, **LEAD), night(5, **mercury), night(2, cramp())]
    found = finding("toxin_exposure", nights)
    assert found.figures["exposed"] == ago(5).isoformat()
    assert found.figures["substance"] == "mercury"
    assert found.evidence == on(10, 5, 2)


def test_an_exposure_with_no_cramp_night_after_it_does_not_fire():
    assert not fires("toxin_exposure", [night(5, **LEAD), *quiet(1, 2, 3, 4)])
    assert not fires("toxin_exposure", [night(5, cramp()), night(3, **LEAD)])


# severe_prolonged (today)


@pytest.mark.parametrize(
    ("severity", "minutes", "relief", "fire"),
    [
        (8, PROLONGED, "none", True),
        (8, PROLONGED, "some", True),
        (10, 240.0, "some", True),
        (8, PROLONGED, "full", False),  # fully relieved
        (8, PROLONGED, "", False),  # relief not given
        (7, PROLONGED, "none", False),  # not severe
        (8, JUST_SHORT, "none", False),  # not prolonged
    ],
)
def test_a_severe_prolonged_cramp_that_helped_little_fires(severity, minutes, relief, fire):
    nights = [night(2, cramp(severity, minutes, relief=relief))]
    assert fires("severe_prolonged", nights) is fire


@pytest.mark.parametrize("remedies", [(), ("massage", "flex_foot")], ids=["none tried", "tried"])
def test_severe_prolonged_reads_relief_whether_or_not_a_remedy_is_ticked(remedies):
    nights = [night(1, cramp(9, 20.0, relief="none", remedies=remedies))]
    assert fires("severe_prolonged", nights)


def test_severe_prolonged_counts_the_oldest_of_the_last_3_nights_and_not_the_4th():
    bad = cramp(8, PROLONGED, relief="some")
    assert finding("severe_prolonged", [night(3, bad)]).evidence == on(3)
    assert not fires("severe_prolonged", [night(4, bad), *quiet(1, 2, 3)])


def test_the_severe_prolonged_finding_gives_the_latest_worst_cramp():
    nights = [
        night(3, cramp(10, 30.0, relief="none")),
        night(1, cramp(8, 12.0, relief="some"), cramp(9, 15.0, relief="none")),
    ]
    found = finding("severe_prolonged", nights)
    assert found.level == TODAY_LEVEL
    assert found.evidence == on(3, 1)
    assert found.figures == {
        "night": ago(1).isoformat(),
        "severity": 9,
        "minutes": 15.0,
        "relief": "none",
        "logged": 2,
        "window": 3,
    }


# pregnancy_one_sided (today)


@pytest.mark.parametrize(
    ("cramps", "fire"),
    [
        ([cramp(3, PROLONGED, "left")], True),
        ([cramp(3, PROLONGED, "right")], True),
        ([cramp(3, PROLONGED, "both")], False),  # both legs does not count
        ([cramp(3, JUST_SHORT, "left")], False),  # not prolonged
        ([cramp(3, PROLONGED, "left"), cramp(3, PROLONGED, "right")], True),  # one of each side
        ([cramp(3, 60.0, "both"), cramp(3, 5.0, "left")], False),  # the one-sided one is short
    ],
)
def test_pregnancy_fires_on_a_prolonged_cramp_in_one_leg(cramps, fire):
    assert fires("pregnancy_one_sided", [night(2, *cramps)], PREGNANT) is fire


def test_pregnancy_counts_the_oldest_of_the_last_7_nights_and_not_the_8th():
    one_sided = cramp(3, PROLONGED, "right")
    assert finding("pregnancy_one_sided", [night(7, one_sided)], PREGNANT).evidence == on(7)
    assert not fires("pregnancy_one_sided", [night(8, one_sided)], PREGNANT)


@pytest.mark.parametrize(
    ("days_since_date", "fire"),
    [
        (-100, True),  # a due date still to come
        (0, True),
        (42, True),  # today = pregnancy_date + 42
        (43, False),  # today = pregnancy_date + 43: the answer has lapsed
    ],
)
def test_a_given_due_or_birth_date_counts_until_42_days_after_it(days_since_date, fire):
    facts = HealthFacts(pregnant=True, pregnancy_date=ago(days_since_date))
    assert fires("pregnancy_one_sided", [night(1, cramp(3, 30.0, "left"))], facts) is fire


def test_pregnancy_without_a_pregnancy_answer_does_not_fire():
    facts = HealthFacts(pregnant=False, pregnancy_date=ago(10))
    assert not fires("pregnancy_one_sided", [night(1, cramp(3, 30.0, "left"))], facts)


# pad_rest_pain (today)


@pytest.mark.parametrize(
    ("sides", "days_ago", "fire"),
    [
        (("left", "left", "left"), (1, 4, 7), True),
        (("left", "right", "left"), (1, 4, 7), True),  # not necessarily the same side
        (("left", "right", "left"), (1, 4, 8), False),  # the third is 8 nights ago
        (("left", "both", "right"), (1, 4, 7), False),  # both legs does not count
        (("left", "right"), (1, 2), False),  # 2 nights
    ],
)
def test_pad_rest_pain_needs_3_of_the_last_7_nights_with_a_one_sided_prolonged_cramp(
    sides, days_ago, fire
):
    nights = [night(d, cramp(2, PROLONGED, side)) for side, d in zip(sides, days_ago, strict=True)]
    assert fires("pad_rest_pain", nights, PAD) is fire


def test_pad_rest_pain_needs_each_nights_cramp_to_be_prolonged():
    nights = [night(d, cramp(2, PROLONGED, "left")) for d in (1, 2)]
    assert not fires("pad_rest_pain", [*nights, night(3, cramp(2, JUST_SHORT, "left"))], PAD)


def test_pad_rest_pain_counts_a_night_once_however_many_cramps():
    two_on_one_night = night(1, cramp(2, PROLONGED, "left"), cramp(2, PROLONGED, "right"))
    assert not fires("pad_rest_pain", [two_on_one_night, night(2, cramp(2, 30.0, "left"))], PAD)


def test_the_pad_rest_pain_finding_names_its_nights():
    nights = [night(d, cramp(2, 15.0, "right")) for d in (7, 5, 2)]
    found = finding("pad_rest_pain", [*nights, *quiet(1, 3)], PAD)
    assert found.level == TODAY_LEVEL
    assert found.evidence == on(7, 5, 2)
    assert found.figures == {"nights": 3, "logged": 5, "window": 7}


def test_pad_rest_pain_needs_peripheral_artery_disease():
    nights = [night(d, cramp(2, PROLONGED, "left")) for d in (1, 2, 3)]
    assert not fires("pad_rest_pain", nights, VEINS)


# prolonged_cramps (visit)


@pytest.mark.parametrize(
    ("nights", "fire"),
    [
        (cramp_nights(1, 14, minutes=PROLONGED), True),  # 2 nights, the oldest of the 14
        (cramp_nights(1, 15, minutes=PROLONGED), False),  # the second is 15 nights ago
        ([night(1, cramp(5, PROLONGED)), night(2, cramp(5, JUST_SHORT))], False),
        ([night(1, cramp(5, PROLONGED), cramp(5, 40.0))], False),  # two on one night
        ([night(14, cramp(8, PROLONGED))], True),  # 1 night with a severe prolonged cramp
        ([night(15, cramp(8, PROLONGED))], False),
        ([night(1, cramp(7, PROLONGED))], False),  # 7/10 is not severe
        ([night(1, cramp(8, JUST_SHORT))], False),  # severe but not prolonged
        ([night(1, cramp(8, 1.0), cramp(3, 30.0))], False),  # severe and prolonged, not one cramp
    ],
    ids=[
        "2 nights",
        "2nd 15 ago",
        "2nd short",
        "1 night, 2 cramps",
        "1 severe 14 ago",
        "1 severe 15 ago",
        "1 at 7/10",
        "1 severe short",
        "severe + long",
    ],
)
def test_prolonged_cramps_on_2_nights_or_1_severe_in_14(nights, fire):
    assert fires("prolonged_cramps", nights) is fire


def test_the_prolonged_cramps_finding_counts_nights_severe_nights_and_the_longest():
    nights = [
        night(12, cramp(3, 25.0)),
        night(6, cramp(9, 11.0), cramp(2, 1.0)),
        night(2, cramp(9, 1.0)),  # severe, not prolonged: not evidence
    ]
    found = finding("prolonged_cramps", nights)
    assert found.level == VISIT
    assert found.evidence == on(12, 6)
    assert found.figures == {
        "nights": 2,
        "severe_nights": 1,
        "minutes": 25.0,
        "logged": 3,
        "window": 14,
    }


# severe_frequent (visit)


@pytest.mark.parametrize(
    ("nights", "fire"),
    [
        (cramp_nights(1, 7, 14, severity=8, minutes=1.0), True),
        (cramp_nights(1, 7, 15, severity=8, minutes=1.0), False),  # the third is 15 ago
        ([*cramp_nights(1, 7, severity=8), night(14, cramp(7))], False),  # 7/10 is not severe
        ([night(1, cramp(8), cramp(9)), night(2, cramp(10))], False),  # 2 nights, 3 cramps
    ],
    ids=["3 in 14", "3rd 15 ago", "3rd at 7/10", "2 nights"],
)
def test_severe_cramps_on_3_of_the_last_14_nights(nights, fire):
    assert fires("severe_frequent", nights) is fire


def test_the_severe_frequent_finding_names_the_severe_nights():
    nights = [*cramp_nights(13, 9, 4, severity=9), *cramp_nights(3, 2, severity=2)]
    found = finding("severe_frequent", nights)
    assert found.level == VISIT
    assert found.evidence == on(13, 9, 4)
    assert found.figures == {"nights": 3, "logged": 5, "window": 14}


# persistent_cramps (visit)


def six_mild_nights(*extra: CrampRecord, oldest=6) -> list[NightRecord]:
    """Six cramp nights (1..5 and `oldest`) of 3/10 that woke nobody; `extra` on the last."""
    return [night(1, cramp(3), *extra), *cramp_nights(2, 3, 4, 5, oldest, severity=3)]


@pytest.mark.parametrize(
    ("nights", "fire"),
    [
        (six_mild_nights(), False),  # all 3/10 and none woke
        (six_mild_nights(cramp(4)), True),  # one at 4/10
        (six_mild_nights(cramp(0, woke=True)), True),  # one that woke
        (six_mild_nights(cramp(4), oldest=14), True),  # the 6th is the oldest of the 14
        (six_mild_nights(cramp(4), oldest=15), False),  # the 6th is 15 nights ago
        ([*six_mild_nights()[1:], night(1, cramp(9, woke=True))], True),
        (cramp_nights(1, 2, 3, 4, 5, severity=9, woke=True), False),  # 5 nights
        ([*six_mild_nights(), night(15, cramp(9, woke=True))], False),  # bother outside
    ],
    ids=[
        "all mild",
        "one 4/10",
        "one woke",
        "6th 14 ago",
        "6th 15 ago",
        "bother alone",
        "5 nights",
        "bother 15 ago",
    ],
)
def test_persistent_cramps_on_6_of_14_nights_with_some_bother(nights, fire):
    assert fires("persistent_cramps", nights) is fire


def test_a_cramp_night_of_any_severity_counts_toward_persistent_cramps():
    nights = [*cramp_nights(1, 2, 3, 4, 5, severity=6), night(6, cramp(0))]
    assert finding("persistent_cramps", nights).figures["nights"] == 6


def test_the_persistent_cramps_finding_names_every_cramp_night():
    nights = [*cramp_nights(14, 12, 10, 8, 6, 4, 2, severity=5), *quiet(1, 3)]
    found = finding("persistent_cramps", nights)
    assert found.level == VISIT
    assert found.evidence == on(14, 12, 10, 8, 6, 4, 2)
    assert found.figures == {"nights": 7, "logged": 9, "window": 14}


# daytime_impairment (visit)


def impaired(days_ago: int, level="moderate", *cramps: CrampRecord) -> NightRecord:
    return night(days_ago, *(cramps or (cramp(),)), daytime_impairment=level)


@pytest.mark.parametrize(
    ("nights", "fire"),
    [
        ([impaired(2), impaired(14, "severe")], True),  # the oldest night of the 14
        ([impaired(2), impaired(15)], False),  # the second is 15 nights ago
        ([impaired(2), impaired(3, "mild")], False),
        ([impaired(2), impaired(3, "none")], False),
        ([impaired(2), impaired(3, "")], False),
        ([impaired(2), night(3, daytime_impairment="severe")], False),  # not a cramp night
        ([impaired(2)], False),
        ([impaired(1, "severe", cramp(1)), impaired(2, "moderate", cramp(0))], True),
    ],
    ids=["2 in 14", "2nd 15 ago", "mild", "none", "not given", "no cramp", "1", "mild cramps"],
)
def test_daytime_impairment_on_2_cramp_nights_in_14(nights, fire):
    assert fires("daytime_impairment", nights) is fire


def test_daytime_impairment_does_not_need_a_cramp_that_woke():
    nights = [impaired(d, "moderate", cramp(woke=False)) for d in (3, 5)]
    found = finding("daytime_impairment", nights)
    assert found.level == VISIT
    assert found.evidence == on(5, 3)
    assert found.figures == {"nights": 2, "logged": 2, "window": 14}


# weakness_atrophy (visit)


@pytest.mark.parametrize("sign", ["muscle_weakness", "muscle_atrophy", "twitching"])
def test_weakness_wasting_or_twitching_in_30_nights_with_a_cramp_night_in_90(sign):
    nights = [night(30, symptoms={sign}), night(90, cramp())]
    found = finding("weakness_atrophy", nights)
    assert found.level == VISIT
    assert found.evidence == on(90, 30)
    assert found.figures["signs"] == [sign]
    assert found.figures["last_cramp_night"] == ago(90).isoformat()
    assert found.figures["window"] == 30


@pytest.mark.parametrize(
    "nights",
    [
        [night(31, symptoms={"muscle_weakness"}), night(1, cramp())],  # the sign is 31 ago
        [night(30, symptoms={"muscle_weakness"}), night(91, cramp())],  # the cramp is 91 ago
        [night(3, symptoms={"muscle_weakness"}), *quiet(1, 2, 4)],  # no cramp night
        [night(3, symptoms={"muscle_weakness"}), night(0, cramp())],  # the cramp is tonight
        [night(3, cramp(), symptoms={"daytime_cramps", "cramps_elsewhere"})],  # other symptoms
    ],
    ids=["sign 31 ago", "cramp 91 ago", "no cramp", "cramp tonight", "other symptoms"],
)
def test_weakness_atrophy_does_not_fire(nights):
    assert not fires("weakness_atrophy", nights)


def test_the_symptom_night_itself_counts_as_the_cramp_night():
    found = finding("weakness_atrophy", [night(5, cramp(), symptoms={"muscle_atrophy"})])
    assert found.evidence == on(5)
    assert found.figures["last_cramp_night"] == ago(5).isoformat()


def test_other_symptoms_on_the_weakness_night_neither_count_nor_prevent():
    nights = [night(2, cramp(), symptoms={"muscle_weakness", "daytime_cramps", "cramps_elsewhere"})]
    found = finding("weakness_atrophy", nights)
    assert found.figures["signs"] == ["muscle_weakness"]


def test_the_weakness_finding_names_every_sign_night_and_the_last_cramp_night():
    nights = [
        night(20, symptoms={"twitching"}),
        night(4, symptoms={"muscle_weakness", "muscle_atrophy"}),
        night(60, cramp()),
        night(45, cramp()),
    ]
    found = finding("weakness_atrophy", nights)
    assert found.evidence == on(45, 20, 4)
    assert found.figures["signs"] == ["muscle_atrophy", "muscle_weakness", "twitching"]
    assert found.figures["sign_nights"] == [ago(20).isoformat(), ago(4).isoformat()]
    assert found.figures["last_cramp_night"] == ago(45).isoformat()
    assert found.figures["logged"] == 2  # of the last 30 nights


# not_typical (visit)


@pytest.mark.parametrize(
    ("nights", "fire"),
    [
        ([night(30, symptoms={"daytime_cramps"}), night(1, symptoms={"cramps_elsewhere"})], True),
        ([night(31, symptoms={"daytime_cramps"}), night(1, symptoms={"cramps_elsewhere"})], False),
        ([night(d, cramp(muscle="other")) for d in (2, 9)], True),
        ([night(2, cramp(muscle="other")), night(9, symptoms={"daytime_cramps"})], True),
        # One night counts once, however many reasons it has.
        ([night(2, symptoms={"daytime_cramps", "cramps_elsewhere"})], False),
        ([night(2, cramp(muscle="other"), cramp(muscle="other"))], False),
        ([night(2, cramp(muscle="other"), symptoms={"daytime_cramps", "cramps_elsewhere"})], False),
        # Weakness and the usual muscles are not reasons.
        ([night(2, symptoms={"daytime_cramps"}), night(3, symptoms={"muscle_weakness"})], False),
        ([night(2, symptoms={"daytime_cramps"}), night(3, cramp(muscle="thigh_back"))], False),
    ],
    ids=[
        "2 in 30",
        "1st 31 ago",
        "muscle other",
        "mixed",
        "2 symptoms",
        "2 other cramps",
        "3 reasons",
        "weakness",
        "thigh",
    ],
)
def test_not_typical_on_2_of_the_last_30_nights(nights, fire):
    assert fires("not_typical", nights) is fire


def test_the_not_typical_finding_counts_each_night_once():
    nights = [
        night(20, cramp(muscle="other"), symptoms={"daytime_cramps", "cramps_elsewhere"}),
        night(8, symptoms={"cramps_elsewhere"}),
    ]
    found = finding("not_typical", nights)
    assert found.level == VISIT
    assert found.evidence == on(20, 8)
    assert found.figures == {"nights": 2, "logged": 2, "window": 30}


# venous_disease (visit)


@pytest.mark.parametrize(
    ("nights", "facts", "fire"),
    [
        (cramp_nights(30, 1), VEINS, True),
        (cramp_nights(31, 1), VEINS, False),  # the first is 31 nights ago
        (cramp_nights(1), VEINS, False),
        ([night(1, cramp()), *quiet(2, 3)], VEINS, False),
        (cramp_nights(30, 1), NO_FACTS, False),
    ],
    ids=["2 in 30", "1st 31 ago", "1 night", "quiet nights", "no venous disease"],
)
def test_venous_disease_with_2_cramp_nights_in_30(nights, facts, fire):
    assert fires("venous_disease", nights, facts) is fire


def test_the_venous_finding_names_the_cramp_nights():
    found = finding("venous_disease", [*cramp_nights(25, 3, severity=1), *quiet(4)], VEINS)
    assert found.level == VISIT
    assert found.evidence == on(25, 3)
    assert found.figures == {"nights": 2, "logged": 3, "window": 30}


# artery_disease (visit)


@pytest.mark.parametrize(
    ("nights", "fire"),
    [
        ([night(14, cramp(1, PROLONGED, "both"))], True),  # a prolonged cramp, any side
        ([night(15, cramp(1, PROLONGED))], False),
        ([night(1, cramp(1, JUST_SHORT))], False),
        (cramp_nights(1, 2, 14), True),  # 3 cramp nights
        (cramp_nights(1, 2, 15), False),
        (cramp_nights(1, 2), False),
    ],
    ids=["prolonged 14 ago", "prolonged 15 ago", "9.99 min", "3 nights", "3rd 15 ago", "2 nights"],
)
def test_artery_disease_with_a_prolonged_cramp_or_3_cramp_nights_in_14(nights, fire):
    assert fires("artery_disease", nights, PAD) is fire
    assert not fires("artery_disease", nights, VEINS)


def test_the_artery_finding_counts_cramp_nights_and_prolonged_nights():
    nights = [night(9, cramp(2, 12.0)), night(3, cramp(2, 1.0)), *quiet(1)]
    found = finding("artery_disease", nights, PAD)
    assert found.level == VISIT
    assert found.evidence == on(9, 3)
    assert found.figures == {"nights": 2, "prolonged_nights": 1, "logged": 3, "window": 14}


# medication_review (visit)


@pytest.mark.parametrize(
    ("nights", "facts", "fire"),
    [
        (cramp_nights(1, 5, 14), STATIN, True),
        (cramp_nights(1, 5), STATIN, False),  # 2 cramp nights
        (cramp_nights(1, 5, 15), STATIN, False),  # the third is 15 nights ago
        (cramp_nights(1, 5, 14), HealthFacts(medications=frozenset()), False),
    ],
    ids=["3 in 14", "2 nights", "3rd 15 ago", "no medicine"],
)
def test_a_medicine_that_causes_cramps_and_3_cramp_nights_in_14(nights, facts, fire):
    assert fires("medication_review", nights, facts) is fire


def test_the_medication_finding_names_the_medicines_in_order():
    facts = HealthFacts(medications=frozenset({"statin", "diuretic"}))
    found = finding("medication_review", cramp_nights(2, 6, 10), facts)
    assert found.level == VISIT
    assert found.evidence == on(10, 6, 2)
    assert found.figures == {
        "nights": 3,
        "medications": ["diuretic", "statin"],
        "logged": 3,
        "window": 14,
    }


# The clinical review's scenarios


def test_a_pregnant_patient_with_long_one_sided_calf_cramps_should_contact_a_doctor_today():
    nights = [
        night(6, cramp(6, 60.0, "left", relief="some")),
        night(3, cramp(6, 40.0, "left", relief="some")),
        *quiet(1, 2, 4, 5, 7),
    ]
    found = findings(nights, PREGNANT)
    assert found[0].rule == "pregnancy_one_sided"
    assert found[0].level == TODAY_LEVEL
    assert found[0].evidence == on(6, 3)
    assert found[0].figures == {"nights": 2, "minutes": 60.0, "logged": 7, "window": 7}
    assert URGENT not in levels(nights, PREGNANT)


@pytest.mark.parametrize(
    ("nights_running", "expected"),
    [
        (7, {"prolonged_cramps", "persistent_cramps"}),
        (6, {"prolonged_cramps", "persistent_cramps"}),
        (5, {"prolonged_cramps"}),
    ],
)
def test_45_minute_cramps_at_7_of_10_night_after_night_call_for_a_visit(nights_running, expected):
    nights = cramp_nights(*range(1, nights_running + 1), severity=7, minutes=45.0, relief="none")
    assert rules(nights) == expected
    assert levels(nights) == {VISIT}
    assert finding("prolonged_cramps", nights).figures["severe_nights"] == 0


def test_a_single_fully_relieved_8_of_10_cramp_of_15_minutes_is_a_visit_not_urgent():
    nights = [night(1, cramp(8, 15.0, relief="full", remedies={"flex_foot"}))]
    assert levels(nights) == {VISIT}
    assert rules(nights) == {"prolonged_cramps"}
    found = finding("prolonged_cramps", nights)
    assert found.evidence == on(1)
    assert found.figures == {
        "nights": 1,
        "severe_nights": 1,
        "minutes": 15.0,
        "logged": 1,
        "window": 14,
    }


def test_three_one_minute_cramps_at_8_of_10_in_a_week_are_a_visit_only():
    nights = [*cramp_nights(1, 4, 6, severity=8, minutes=1.0), *quiet(2, 3, 5, 7)]
    assert rules(nights) == {"severe_frequent"}
    assert levels(nights) == {VISIT}


def test_weakness_on_two_nights_with_the_last_cramp_40_nights_ago_calls_for_a_visit():
    nights = [
        night(40, cramp(5)),
        night(10, symptoms={"muscle_weakness"}),
        night(3, symptoms={"muscle_weakness"}),
        *quiet(*(d for d in range(1, 40) if d not in (10, 3))),
    ]
    assert rules(nights) == {"weakness_atrophy"}
    found = finding("weakness_atrophy", nights)
    assert found.evidence == on(40, 10, 3)
    assert found.figures["sign_nights"] == [ago(10).isoformat(), ago(3).isoformat()]
    assert found.figures["last_cramp_night"] == ago(40).isoformat()


# Invariants over random diaries


def subsets(choices) -> st.SearchStrategy[frozenset[str]]:
    """Mostly nothing ticked, as in a real diary, sometimes any combination."""
    return st.one_of(st.just(frozenset()), st.frozensets(st.sampled_from(choices.values)))


random_cramps = st.builds(
    CrampRecord,
    muscle=st.sampled_from(Muscle.values),
    side=st.sampled_from(Side.values),
    duration_minutes=st.one_of(
        st.sampled_from([0.01, 1.0, JUST_SHORT, PROLONGED, 45.0, 240.0]),
        st.floats(0.01, 240.0),
    ),
    severity=st.integers(0, 10),
    woke=st.booleans(),
    remedies=subsets(Remedy),
    relief=st.sampled_from(["", *Relief.values]),
)
past_days = st.one_of(st.integers(1, 16), st.integers(1, 95))
random_nights = st.builds(
    NightRecord,
    night=st.one_of(past_days, st.integers(-3, 0)).map(ago),
    sleep_quality=st.none() | st.integers(1, 5),
    daytime_impairment=st.sampled_from(["", *DaytimeImpairment.values]),
    prevention=subsets(Prevention),
    symptoms=subsets(Symptom),
    red_flags=subsets(RedFlag),
    toxin_exposure=st.booleans(),
    toxin_substance=st.sampled_from(["", "lead"]),
    cramps=st.lists(random_cramps, max_size=4).map(tuple),
)
diaries = st.lists(random_nights, max_size=30).map(
    # One record per night, as the database guarantees.
    lambda records: list({record.night: record for record in records}.values())
)
random_facts = st.builds(
    HealthFacts,
    venous_disease=st.booleans(),
    peripheral_artery_disease=st.booleans(),
    pregnant=st.booleans(),
    pregnancy_date=st.none() | st.integers(-280, 100).map(ago),
    medications=subsets(Medication),
)
quiet_nights = st.builds(
    NightRecord,
    night=past_days.map(ago),
    sleep_quality=st.none() | st.integers(1, 5),
    daytime_impairment=st.sampled_from(["", "none"]),
    prevention=subsets(Prevention),
    notes=st.sampled_from(["", "slept well"]),
)

PROPERTY = hypothesis_settings(max_examples=100, deadline=None)


@PROPERTY
@given(diaries, random_facts, quiet_nights)
def test_adding_a_quiet_night_never_adds_a_finding(diary, facts, quiet_night):
    assume(all(record.night != quiet_night.night for record in diary))
    before = rules(diary, facts)
    after = rules([*diary, quiet_night], facts)
    assert after <= before


@PROPERTY
@given(diaries, random_facts, st.lists(random_nights, max_size=6))
def test_nights_dated_today_or_later_never_change_the_result(diary, facts, extra):
    past = [record for record in diary if record.night < TODAY]
    later = {TODAY + timedelta(days=i % 4): record for i, record in enumerate(extra)}
    later_nights = [replace(record, night=day) for day, record in later.items()]
    assert findings(past, facts) == findings([*past, *later_nights], facts)


@PROPERTY
@given(diaries, random_facts, st.integers(-20, 20))
def test_every_finding_is_well_formed_and_its_evidence_lies_before_today(diary, facts, shift):
    today = TODAY + timedelta(days=shift)
    found = evaluate(facts, diary, today, T)
    logged = {record.night for record in diary}
    assert len({f.rule for f in found}) == len(found)
    assert [LEVELS.index(f.level) for f in found] == sorted(LEVELS.index(f.level) for f in found)
    for f in found:
        assert f.level == level_of(f.rule)
        assert f.evidence == tuple(sorted(set(f.evidence)))
        assert f.evidence and set(f.evidence) <= logged
        assert all(today - timedelta(days=lookback_nights(T)) <= d < today for d in f.evidence)
        assert 0 < f.figures["logged"] <= f.figures["window"]


@PROPERTY
@given(diaries, random_facts, st.randoms(use_true_random=False))
def test_the_order_of_the_nights_changes_nothing(diary, facts, rng):
    shuffled = list(diary)
    rng.shuffle(shuffled)
    assert findings(diary, facts) == findings(shuffled, facts)


@PROPERTY
@given(diaries, random_facts)
def test_nights_older_than_the_lookback_change_nothing(diary, facts):
    oldest = TODAY - timedelta(days=lookback_nights(T))
    recent = [record for record in diary if record.night >= oldest]
    assert findings(diary, facts) == findings(recent, facts)


# quinine_review: quinine still taken after its first 4 weeks without a response


def before_and_after(started_ago: int, cramps_before: int, cramps_after: int) -> list:
    """28 logged nights before the start with `cramps_before` cramp nights, and the 28 after
    with `cramps_after` (one cramp a cramp night)."""
    before = [started_ago + 28 - i for i in range(28)]
    after = [started_ago - i for i in range(min(28, started_ago))]
    return [night(d, cramp()) if i < cramps_before else night(d) for i, d in enumerate(before)] + [
        night(d, cramp()) if i < cramps_after else night(d) for i, d in enumerate(after)
    ]


@pytest.mark.parametrize(("started_ago", "fires_"), [(27, False), (28, True)])
def test_quinine_review_waits_for_the_first_4_weeks(started_ago, fires_):
    """Started 28 nights ago: nights S ... S+27 have all passed, the review is due."""
    assert fires("quinine_review", before_and_after(started_ago, 8, 8), quinine(started_ago)) == (
        fires_
    )


@pytest.mark.parametrize(("cramps_after", "fires_"), [(1, False), (2, True)])
def test_quinine_review_is_quiet_after_a_response(cramps_after, fires_):
    """8 cramps in the 28 nights before: 1 after is "fewer cramps" (its interval ends below 1);
    2 is "no clear change" (a quarter as many, but the interval reaches past 1)."""
    nights = before_and_after(30, 8, cramps_after)
    assert fires("quinine_review", nights, quinine(30)) == fires_


def test_quinine_review_says_why():
    found = finding("quinine_review", before_and_after(30, 8, 8), quinine(30))
    assert found.level == VISIT
    assert found.figures["verdict"] == "no_clear_change"
    assert (found.figures["before"], found.figures["after"], found.figures["change"]) == (2, 2, 0)
    assert found.figures["started"] == ago(30).isoformat()
    assert found.evidence[0] == ago(58) and found.evidence[-1] == ago(3)


@pytest.mark.parametrize(
    ("nights", "verdict"),
    [(cramp_nights(5, 6), "too_few_nights"), (before_and_after(30, 0, 3), "no_cramps_before")],
)
def test_quinine_review_fires_when_cramps_go_on_and_no_response_can_be_shown(nights, verdict):
    assert finding("quinine_review", nights, quinine(30)).figures["verdict"] == verdict


@pytest.mark.parametrize("nights", [[], quiet(*range(1, 60)), before_and_after(30, 0, 0)])
def test_quinine_review_is_quiet_without_cramps_in_its_first_4_weeks(nights):
    assert not fires("quinine_review", nights, quinine(30))


@pytest.mark.parametrize(("stopped_ago", "fires_"), [(1, False), (0, True), (None, True)])
def test_quinine_review_is_for_quinine_still_taken(stopped_ago, fires_):
    """Stopped with last night's dose: no longer taken. A last night of tonight or later is."""
    nights = before_and_after(30, 8, 8)
    assert fires("quinine_review", nights, quinine(30, stopped_ago)) == fires_


def test_quinine_review_reads_only_quinine():
    course = TreatmentRecord("Magnesium", "magnesium", ago(30))
    assert not fires(
        "quinine_review", before_and_after(30, 8, 8), HealthFacts(treatments=(course,))
    )
