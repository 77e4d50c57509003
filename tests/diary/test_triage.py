"""The triage rules (version 3: 22 rules) at their thresholds and window edges, the scenarios
of the clinical reviews that motivated them, and invariants over random diaries.

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
    kidney_disease=True,
    date_of_birth=date(2012, 6, 1),  # 14 years old
    medications=frozenset(Medication.values),
    treatments=(TreatmentRecord("Quinine", "quinine", TODAY - timedelta(days=28)),),
)
# Every answer that needs nights to fire (quinine alone fires quinine_pregnancy and
# quinine_review, whatever the nights).
EVERY_NIGHT_ANSWER = replace(EVERY_ANSWER, treatments=())
KIDNEY = HealthFacts(kidney_disease=True)
DIURETIC = HealthFacts(medications=frozenset({"diuretic"}))
YOUNG = HealthFacts(date_of_birth=date(2012, 6, 1))

PROLONGED = 10.0  # minutes: a cramp of 10 minutes or more is prolonged
JUST_SHORT = 9.99
LEAD = {"toxin_exposure": True, "toxin_substance": "lead"}

# DESIGN's table, in its order: the order findings of one level are shown in.
DESIGN_TABLE = {
    "severe_persistent": URGENT,
    "limb_ischaemia": URGENT,
    "dark_urine": URGENT,
    "toxin_exposure": URGENT,
    "toxin_exposure_earlier": TODAY_LEVEL,
    "clot_signs": TODAY_LEVEL,
    "severe_prolonged": TODAY_LEVEL,
    "pregnancy_one_sided": TODAY_LEVEL,
    "pad_rest_pain": TODAY_LEVEL,
    "young_one_sided_pain": TODAY_LEVEL,
    "electrolyte_risk": TODAY_LEVEL,
    "quinine_pregnancy": TODAY_LEVEL,
    "prolonged_cramps": VISIT,
    "severe_frequent": VISIT,
    "persistent_cramps": VISIT,
    "daytime_impairment": VISIT,
    "weakness_atrophy": VISIT,
    "not_typical": VISIT,
    "venous_disease": VISIT,
    "artery_disease": VISIT,
    "medication_review": VISIT,
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


def test_the_rules_are_version_3s_22_in_order_and_levels():
    assert tuple(DESIGN_TABLE) == RULE_IDS
    assert {rule: level_of(rule) for rule in RULE_IDS} == DESIGN_TABLE
    assert LEVELS == (URGENT, TODAY_LEVEL, VISIT)


def test_the_default_thresholds_are_designs_numbers():
    assert (T.prolonged_minutes, T.severe_severity) == (10, 8)
    assert (T.cramp_wont_stop_window, T.leg_cold_pale_window, T.dark_urine_window) == (2, 2, 3)
    assert T.dark_urine_muscle_window == 7
    assert (T.toxin_window, T.toxin_days_after, T.toxin_recent_window) == (14, 14, 3)
    assert (T.leg_swollen_window, T.severe_prolonged_window) == (3, 3)
    assert (T.pregnancy_window, T.pregnancy_nights, T.pregnancy_days_after_date) == (7, 2, 84)
    assert (T.pad_rest_pain_window, T.pad_rest_pain_nights) == (14, 3)
    assert (T.young_window, T.young_nights, T.young_age) == (14, 3, 18)
    assert (T.electrolyte_weakness_window, T.electrolyte_cramp_window) == (3, 7)
    assert (T.prolonged_window, T.prolonged_nights) == (14, 2)
    assert (T.severe_frequent_window, T.severe_frequent_nights) == (14, 3)
    assert T.severe_frequent_minutes == 2
    assert (T.persistent_window, T.persistent_nights, T.persistent_bother_severity) == (14, 6, 4)
    assert (T.impairment_window, T.impairment_nights) == (14, 2)
    assert tuple(T.impairment_levels) == ("moderate", "severe")
    assert (T.weakness_window, T.weakness_cramp_window, T.weakness_twitching_nights) == (30, 90, 2)
    assert (T.not_typical_window, T.not_typical_nights) == (30, 2)
    assert (T.venous_window, T.venous_nights, T.venous_bother_severity) == (30, 2, 4)
    assert (T.artery_window, T.artery_cramp_nights) == (14, 3)
    assert (T.medication_window, T.medication_nights) == (14, 3)
    assert (T.quinine_review_after, T.quinine_reviewed_within) == (28, 84)
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
    "toxin_exposure_earlier": (NO_FACTS, [night(5, **LEAD), night(1, cramp())], 14),
    "clot_signs": (NO_FACTS, [flagged(1, "leg_swollen")], 3),
    "severe_prolonged": (NO_FACTS, [night(1, cramp(8, PROLONGED, relief="none"))], 3),
    "pregnancy_one_sided": (PREGNANT, [night(1, cramp(3, PROLONGED, "left"))], 7),
    "pad_rest_pain": (PAD, cramp_nights(1, 2, 3, severity=3, minutes=PROLONGED), 14),
    "young_one_sided_pain": (YOUNG, cramp_nights(1, 2, 3, severity=3, minutes=PROLONGED), 14),
    "electrolyte_risk": (KIDNEY, [night(1, cramp(), symptoms={"muscle_weakness"})], 7),
    "prolonged_cramps": (NO_FACTS, cramp_nights(1, 2, severity=3, minutes=PROLONGED), 14),
    "severe_frequent": (NO_FACTS, cramp_nights(1, 2, 3, severity=8, minutes=1.0), 14),
    "persistent_cramps": (NO_FACTS, cramp_nights(1, 2, 3, 4, 5, 6, severity=4), 14),
    "daytime_impairment": (
        NO_FACTS,
        [night(d, cramp(), daytime_impairment="moderate") for d in (1, 2)],
        14,
    ),
    "weakness_atrophy": (NO_FACTS, [night(1, cramp(), symptoms={"muscle_atrophy"})], 30),
    "not_typical": (NO_FACTS, [night(d, symptoms={"daytime_cramps"}) for d in (1, 2)], 30),
    "venous_disease": (VEINS, cramp_nights(1, 2), 30),
    "artery_disease": (PAD, [night(1, cramp(3, PROLONGED, "both"))], 14),
    "medication_review": (STATIN, cramp_nights(1, 2, 3), 14),
}
# Rules whose evidence is a treatment, not a window of nights.
TREATMENT_EXAMPLES = {
    "quinine_pregnancy": (replace(QUININE, pregnant=True), []),
    "quinine_review": (QUININE, cramp_nights(1, 2)),
}
PROFILE_RULES = {"pregnancy_one_sided", "pad_rest_pain", "venous_disease", "artery_disease"}
PROFILE_RULES |= {"medication_review", "young_one_sided_pain", "electrolyte_risk"}
WINDOW_RULES = tuple(rule for rule in RULE_IDS if rule in EXAMPLES)


def test_every_rule_has_an_example():
    assert set(EXAMPLES) | set(TREATMENT_EXAMPLES) == set(RULE_IDS)


@pytest.mark.parametrize("rule", RULE_IDS)
def test_each_rules_smallest_diary_fires_it_at_its_level(rule):
    facts, nights = EXAMPLES[rule][:2] if rule in EXAMPLES else TREATMENT_EXAMPLES[rule]
    assert finding(rule, nights, facts).level == DESIGN_TABLE[rule]


@pytest.mark.parametrize("rule", WINDOW_RULES)
def test_each_finding_says_how_many_nights_of_its_window_were_logged(rule):
    facts, nights, window = EXAMPLES[rule]
    found = finding(rule, [*nights, *quiet(window, window + 1)], facts)
    assert found.figures["window"] == window
    # The quiet night today - window is in the window; today - window - 1 is not.
    assert found.figures["logged"] == len(nights) + 1


@pytest.mark.parametrize("rule", WINDOW_RULES)
def test_each_finding_names_logged_nights_before_today_oldest_first(rule):
    facts, nights, _window = EXAMPLES[rule]
    evidence = finding(rule, nights, facts).evidence
    assert evidence == tuple(sorted(set(evidence)))
    assert evidence and set(evidence) <= {n.night for n in nights}


@pytest.mark.parametrize("rule", sorted(PROFILE_RULES))
def test_profile_rules_need_their_profile_answer(rule):
    _facts, nights, _window = EXAMPLES[rule]
    assert not fires(rule, nights, NO_FACTS)


@pytest.mark.parametrize("rule", WINDOW_RULES)
@pytest.mark.parametrize("first", [0, 1], ids=["from today", "from tomorrow"])
def test_nights_dated_today_or_later_never_fire_anything(rule, first):
    facts, nights, _window = EXAMPLES[rule]
    # Mirror the diary forward: the night 1 ago lands on today + first, 2 ago on the day after...
    moved = [
        replace(n, night=TODAY + (TODAY - n.night) + timedelta(days=first - 1)) for n in nights
    ]
    assert min(n.night for n in moved) == TODAY + timedelta(days=first)
    assert findings(moved, EVERY_NIGHT_ANSWER) == []


def test_nothing_fires_for_an_empty_or_quiet_diary():
    assert findings([], EVERY_NIGHT_ANSWER) == []
    assert findings(quiet(*range(1, 120)), EVERY_NIGHT_ANSWER) == []


def test_quinine_fires_its_two_rules_on_a_quiet_diary_with_every_answer():
    assert rules(quiet(*range(1, 120)), EVERY_ANSWER) == {"quinine_pregnancy", "quinine_review"}


def test_all_rules_but_the_older_exposure_fire_urgent_first_then_today_then_visit_in_order():
    bad = cramp(9, 60.0, "left", woke=True, relief="none")
    week = [
        night(d, bad, daytime_impairment="severe", symptoms={"muscle_weakness", "daytime_cramps"})
        for d in range(2, 8)
    ]
    last_night = night(1, bad, red_flags=set(RedFlag.values), **LEAD)
    found = findings([last_night, *reversed(week)], EVERY_ANSWER)
    # toxin_exposure_earlier fires only when toxin_exposure does not.
    assert [f.rule for f in found] == [r for r in DESIGN_TABLE if r != "toxin_exposure_earlier"]
    assert [f.level for f in found] == [URGENT] * 4 + [TODAY_LEVEL] * 7 + [VISIT] * 10


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


# dark_urine (urgent): the sign in the last 3 nights, a cramp night or muscle weakness in the
# last 7 (muscle breakdown shows in the urine 1-3 days after the injury)


@pytest.mark.parametrize(
    ("sign", "muscle", "evidence"),
    [
        (3, 3, (3,)),  # the oldest night of the last 3, with its own cramp
        (3, 1, (3, 1)),
        (1, 3, (3, 1)),  # the cramp night may come before the sign
        (1, 7, (7, 1)),  # the oldest of the last 7
    ],
)
def test_dark_urine_fires_with_a_cramp_night_among_the_last_7(sign, muscle, evidence):
    nights = (
        [flagged(sign, "dark_urine", cramp())]
        if sign == muscle
        else [flagged(sign, "dark_urine"), night(muscle, cramp())]
    )
    found = finding("dark_urine", nights)
    assert found.level == URGENT
    assert found.evidence == on(*evidence)
    assert found.figures["night"] == ago(sign).isoformat()
    assert found.figures["window"] == 3


@pytest.mark.parametrize("weak", [7, 2])
def test_dark_urine_fires_with_muscle_weakness_and_no_cramp(weak):
    nights = [flagged(1, "dark_urine"), night(weak, symptoms={"muscle_weakness"})]
    assert fires("dark_urine", nights)
    same_night = night(1, symptoms={"muscle_weakness"}, red_flags={"dark_urine"})
    assert fires("dark_urine", [same_night])


@pytest.mark.parametrize(
    "nights",
    [
        [flagged(4, "dark_urine", cramp())],  # the sign is 4 nights ago
        [flagged(4, "dark_urine"), night(1, cramp())],
        [flagged(1, "dark_urine"), night(8, cramp())],  # the cramp night is 8 nights ago
        [flagged(1, "dark_urine"), night(8, symptoms={"muscle_weakness"})],
        [flagged(1, "dark_urine"), night(2, symptoms={"twitching", "muscle_atrophy"})],
        [flagged(1, "dark_urine"), *quiet(2, 3, 4, 5, 6, 7)],  # no cramp night at all
        [flagged(1, "dark_urine"), night(0, cramp())],  # the cramp night is tonight
    ],
    ids=[
        "sign 4 ago",
        "sign 4 ago, cramp 1 ago",
        "cramp 8 ago",
        "weakness 8 ago",
        "other symptoms",
        "no cramp",
        "cramp tonight",
    ],
)
def test_dark_urine_without_a_cramp_or_weakness_in_the_last_7_does_not_fire(nights):
    assert not fires("dark_urine", nights)


# toxin_exposure (urgent) and toxin_exposure_earlier (today): a cramp night 0-14 days after an
# exposure; urgent when the exposure is one of the last 3 nights or muscle or nerve signs or dark
# urine followed it, "today" otherwise.

TOXIN_RULES = {"toxin_exposure", "toxin_exposure_earlier"}


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
def test_cramps_0_to_14_days_after_a_toxin_fire_one_of_the_toxin_rules(exposed, cramped, fire):
    nights = (
        [night(exposed, cramp(), **LEAD)]
        if exposed == cramped
        else [night(exposed, **LEAD), night(cramped, cramp())]
    )
    assert len(rules(nights) & TOXIN_RULES) == (1 if fire else 0)


@pytest.mark.parametrize(
    ("exposed", "rule"),
    [(2, "toxin_exposure"), (3, "toxin_exposure"), (4, "toxin_exposure_earlier")],
)
def test_an_exposure_in_the_last_3_nights_is_urgent_an_older_one_today(exposed, rule):
    assert rules([night(exposed, **LEAD), night(1, cramp())]) & TOXIN_RULES == {rule}
    assert rules([night(exposed, cramp(), **LEAD)]) & TOXIN_RULES == {rule}


@pytest.mark.parametrize(
    ("sign_night", "fields", "rule"),
    [
        (12, {"symptoms": {"muscle_weakness"}}, "toxin_exposure"),  # the exposure night itself
        (5, {"symptoms": {"twitching"}}, "toxin_exposure"),
        (1, {"red_flags": {"dark_urine"}}, "toxin_exposure"),
        (13, {"symptoms": {"muscle_weakness"}}, "toxin_exposure_earlier"),  # before the exposure
        (5, {"symptoms": {"muscle_atrophy"}}, "toxin_exposure_earlier"),  # not a toxin sign
        (0, {"symptoms": {"twitching"}}, "toxin_exposure_earlier"),  # tonight: not yet evidence
    ],
)
def test_an_older_exposure_is_urgent_with_signs_from_it_on(sign_night, fields, rule):
    nights = {n.night: n for n in [night(12, **LEAD), night(10, cramp(3, 1.0))]}
    signed = night(sign_night, **fields)
    if signed.night in nights:
        signed = replace(nights[signed.night], **{k: signed.__dict__[k] for k in fields})
    nights[signed.night] = signed
    assert rules(list(nights.values())) & TOXIN_RULES == {rule}


def test_the_toxin_finding_names_the_exposure_and_the_cramp_nights_after_it():
    nights = [night(20, **LEAD), night(10, cramp()), night(7, cramp()), *quiet(8, 9)]
    found = finding("toxin_exposure_earlier", nights)
    assert found.level == TODAY_LEVEL
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
    nights = [night(10, **LEAD), night(2, **mercury), night(1, cramp())]
    found = finding("toxin_exposure", nights)
    assert found.figures["exposed"] == ago(2).isoformat()
    assert found.figures["substance"] == "mercury"
    assert found.evidence == on(2, 1)


def test_an_exposure_with_no_cramp_night_after_it_does_not_fire():
    assert not rules([night(5, **LEAD), *quiet(1, 2, 3, 4)]) & TOXIN_RULES
    assert not rules([night(5, cramp()), night(3, **LEAD)]) & TOXIN_RULES


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


# pregnancy_one_sided (today): a prolonged one-sided cramp not fully relieved, or such cramps
# on 2 nights, in the last 7, while pregnant or up to 84 days after a given date


@pytest.mark.parametrize(
    ("cramps", "fire"),
    [
        ([cramp(3, PROLONGED, "left")], True),  # relief not given
        ([cramp(3, PROLONGED, "right", relief="some")], True),
        ([cramp(3, PROLONGED, "right", relief="none")], True),
        ([cramp(3, PROLONGED, "left", relief="full")], False),  # one night, fully eased
        ([cramp(3, PROLONGED, "both")], False),  # both legs does not count
        ([cramp(3, JUST_SHORT, "left")], False),  # not prolonged
        ([cramp(3, PROLONGED, "left"), cramp(3, PROLONGED, "right")], True),  # one of each side
        ([cramp(3, 60.0, "both"), cramp(3, 5.0, "left")], False),  # the one-sided one is short
    ],
)
def test_pregnancy_fires_on_a_prolonged_cramp_in_one_leg_not_fully_eased(cramps, fire):
    assert fires("pregnancy_one_sided", [night(2, *cramps)], PREGNANT) is fire


@pytest.mark.parametrize(("days_ago", "fire"), [((2, 7), True), ((2, 8), False), ((2,), False)])
def test_pregnancy_fires_on_2_nights_of_fully_eased_long_one_sided_cramps(days_ago, fire):
    nights = [night(d, cramp(3, PROLONGED, "left", relief="full")) for d in days_ago]
    assert fires("pregnancy_one_sided", nights, PREGNANT) is fire


def test_pregnancy_counts_the_oldest_of_the_last_7_nights_and_not_the_8th():
    one_sided = cramp(3, PROLONGED, "right")
    assert finding("pregnancy_one_sided", [night(7, one_sided)], PREGNANT).evidence == on(7)
    assert not fires("pregnancy_one_sided", [night(8, one_sided)], PREGNANT)


@pytest.mark.parametrize(
    ("days_since_date", "fire"),
    [
        (-100, True),  # a due date still to come
        (0, True),
        (84, True),  # today = pregnancy_date + 84
        (85, False),  # today = pregnancy_date + 85: the answer has lapsed
    ],
)
def test_a_given_due_or_birth_date_counts_until_84_days_after_it(days_since_date, fire):
    facts = HealthFacts(pregnant=True, pregnancy_date=ago(days_since_date))
    assert fires("pregnancy_one_sided", [night(1, cramp(3, 30.0, "left"))], facts) is fire


@pytest.mark.parametrize(("days_since_date", "after"), [(-1, False), (0, False), (1, True)])
def test_the_pregnancy_finding_says_whether_the_date_has_passed(days_since_date, after):
    facts = HealthFacts(pregnant=True, pregnancy_date=ago(days_since_date))
    found = finding("pregnancy_one_sided", [night(1, cramp(3, 30.0, "left"))], facts)
    assert found.figures["after_birth"] is after
    assert (
        finding("pregnancy_one_sided", [night(1, cramp(3, 30.0, "left"))], PREGNANT).figures[
            "after_birth"
        ]
        is False
    )


def test_pregnancy_without_a_pregnancy_answer_does_not_fire():
    facts = HealthFacts(pregnant=False, pregnancy_date=ago(10))
    assert not fires("pregnancy_one_sided", [night(1, cramp(3, 30.0, "left"))], facts)


# pad_rest_pain (today): 3 of the last 14 nights with a one-sided prolonged cramp


@pytest.mark.parametrize(
    ("sides", "days_ago", "fire"),
    [
        (("left", "left", "left"), (1, 4, 7), True),
        (("left", "right", "left"), (2, 5, 8), True),  # not necessarily the same side
        (("left", "right", "left"), (1, 4, 14), True),  # the oldest of the last 14
        (("left", "right", "left"), (1, 4, 15), False),  # the third is 15 nights ago
        (("left", "both", "right"), (1, 4, 7), False),  # both legs does not count
        (("left", "right"), (1, 2), False),  # 2 nights
    ],
)
def test_pad_rest_pain_needs_3_of_the_last_14_nights_with_a_one_sided_prolonged_cramp(
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
    assert found.figures == {"nights": 3, "logged": 5, "window": 14}


def test_pad_rest_pain_needs_peripheral_artery_disease():
    nights = [night(d, cramp(2, PROLONGED, "left")) for d in (1, 2, 3)]
    assert not fires("pad_rest_pain", nights, VEINS)


# young_one_sided_pain (today): under 18, 3 of the last 14 nights with a one-sided prolonged
# cramp (NICE NG12)


def born_years_ago(years: int, days: int = 0) -> HealthFacts:
    return HealthFacts(date_of_birth=TODAY.replace(year=TODAY.year - years) + timedelta(days=days))


@pytest.mark.parametrize(
    ("facts", "fire"),
    [
        (born_years_ago(14), True),
        (born_years_ago(18, days=1), True),  # 18 tomorrow: 17 today
        (born_years_ago(18), False),  # 18 today
        (NO_FACTS, False),  # no date of birth
    ],
    ids=["14", "17 until tomorrow", "18 today", "no date of birth"],
)
def test_young_one_sided_pain_is_for_under_18s(facts, fire):
    nights = [night(d, cramp(6, 30.0, "right", woke=True)) for d in (1, 5, 9)]
    assert fires("young_one_sided_pain", nights, facts) is fire


@pytest.mark.parametrize(
    ("days_ago", "side", "minutes", "fire"),
    [
        ((1, 5, 14), "right", PROLONGED, True),  # the oldest of the last 14
        ((1, 5, 15), "right", PROLONGED, False),
        ((1, 5), "right", PROLONGED, False),  # 2 nights
        ((1, 5, 9), "both", PROLONGED, False),
        ((1, 5, 9), "left", JUST_SHORT, False),
    ],
)
def test_young_one_sided_pain_needs_3_of_14_nights(days_ago, side, minutes, fire):
    nights = [night(d, cramp(3, minutes, side)) for d in days_ago]
    assert fires("young_one_sided_pain", nights, YOUNG) is fire


def test_the_young_one_sided_pain_finding_gives_the_age():
    nights = [night(d, cramp(6, 40.0, "right")) for d in (1, 5, 9)]
    found = finding("young_one_sided_pain", nights, YOUNG)
    assert found.evidence == on(9, 5, 1)
    assert found.figures == {"nights": 3, "age": 14, "logged": 3, "window": 14}


# electrolyte_risk (today): a diuretic or kidney disease, muscle weakness in the last 3 nights
# and a cramp night in the last 7


@pytest.mark.parametrize("facts", [KIDNEY, DIURETIC], ids=["kidney disease", "diuretic"])
@pytest.mark.parametrize(
    ("weak", "cramped", "fire"),
    [
        (3, 7, True),  # both at the oldest night of their window
        (1, 1, True),
        (4, 1, False),  # the weakness is 4 nights ago
        (1, 8, False),  # the cramp night is 8 nights ago
        (0, 1, False),  # the weakness is tonight
    ],
)
def test_electrolyte_risk_windows(facts, weak, cramped, fire):
    nights = {weak: night(weak, symptoms={"muscle_weakness"})}
    nights[cramped] = replace(nights.get(cramped, night(cramped)), cramps=(cramp(),))
    assert fires("electrolyte_risk", list(nights.values()), facts) is fire


def test_electrolyte_risk_needs_a_diuretic_or_kidney_disease():
    nights = [night(1, cramp(), symptoms={"muscle_weakness"})]
    assert not fires("electrolyte_risk", nights, STATIN)
    assert not fires("electrolyte_risk", nights, HealthFacts(heart_failure=True))


def test_the_electrolyte_finding_names_the_causes():
    nights = [night(2, symptoms={"muscle_weakness"}), *cramp_nights(1, 5)]
    facts = HealthFacts(kidney_disease=True, medications=frozenset({"diuretic", "statin"}))
    found = finding("electrolyte_risk", nights, facts)
    assert found.evidence == on(5, 2, 1)
    assert found.figures["causes"] == ["diuretic", "kidney_disease"]
    assert (found.figures["night"], found.figures["cramp_nights"]) == (ago(2).isoformat(), 2)


# quinine_pregnancy (today): quinine current today while pregnant, before any given date


@pytest.mark.parametrize(
    ("facts", "fire"),
    [
        (HealthFacts(pregnant=True), True),
        (HealthFacts(pregnant=True, pregnancy_date=ago(0)), True),  # due today
        (HealthFacts(pregnant=True, pregnancy_date=ago(-30)), True),
        (HealthFacts(pregnant=True, pregnancy_date=ago(1)), False),  # after the birth
        (HealthFacts(pregnant=False), False),
    ],
    ids=["no date", "due today", "due in 30 days", "born yesterday", "not pregnant"],
)
def test_quinine_pregnancy_while_pregnant(facts, fire):
    facts = replace(facts, treatments=quinine(0).treatments)  # started today
    assert fires("quinine_pregnancy", [], facts) is fire


@pytest.mark.parametrize(
    ("started", "stopped", "fire"),
    [(0, None, True), (-1, None, False), (20, 0, True), (20, 1, False)],
    ids=["started today", "starts tomorrow", "last taken today", "stopped yesterday"],
)
def test_quinine_pregnancy_needs_quinine_current_today(started, stopped, fire):
    facts = replace(quinine(started, stopped), pregnant=True)
    assert fires("quinine_pregnancy", [], facts) is fire


def test_quinine_pregnancy_reads_only_quinine():
    course = TreatmentRecord("Magnesium", "magnesium", ago(20))
    assert not fires("quinine_pregnancy", [], HealthFacts(pregnant=True, treatments=(course,)))


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


@pytest.mark.parametrize(
    ("nights", "facts", "fire"),
    [
        ([night(14, cramp(3, PROLONGED, "left", relief="full"))], PREGNANT, True),
        ([night(15, cramp(3, PROLONGED, "left", relief="full"))], PREGNANT, False),
        ([night(1, cramp(3, PROLONGED, "both"))], PREGNANT, False),
        ([night(1, cramp(3, JUST_SHORT, "left"))], PREGNANT, False),
        ([night(1, cramp(3, PROLONGED, "left"))], NO_FACTS, False),
        (
            [night(1, cramp(3, PROLONGED, "left"))],
            HealthFacts(pregnant=True, pregnancy_date=ago(85)),
            False,
        ),
        (
            [night(1, cramp(3, PROLONGED, "left"))],
            HealthFacts(pregnant=True, pregnancy_date=ago(84)),
            True,
        ),
    ],
    ids=["14 ago", "15 ago", "both legs", "short", "not pregnant", "lapsed", "84 days after"],
)
def test_one_prolonged_one_sided_cramp_in_pregnancy_calls_for_a_visit(nights, facts, fire):
    assert fires("prolonged_cramps", nights, facts) is fire


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


@pytest.mark.parametrize(
    ("minutes", "relief", "fire"),
    [
        (1.99, "full", False),  # brief and fully relieved: benign
        (2.0, "full", True),
        (1.0, "some", True),
        (1.0, "none", True),
        (1.0, "", True),  # relief not given
    ],
)
def test_severe_frequent_counts_a_cramp_of_2_minutes_or_one_not_fully_relieved(
    minutes, relief, fire
):
    nights = [night(d, cramp(9, minutes, relief=relief)) for d in (1, 5, 9)]
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


@pytest.mark.parametrize(
    ("nights", "fire"),
    [
        # Cramp nights 9, 6, 3; the day after rated on the next morning's log (nights 8, 5, 2).
        ([*cramp_nights(9, 6, 3), *(night(d, daytime_impairment="severe") for d in (8, 5))], True),
        # The night before the oldest of the 14 may lie outside the window.
        ([night(15, cramp()), night(14, daytime_impairment="moderate"), impaired(3)], True),
        ([night(16, cramp()), night(14, daytime_impairment="moderate"), impaired(3)], False),
        ([night(4, cramp()), night(2, daytime_impairment="moderate"), impaired(9)], False),
        ([night(3), night(2, daytime_impairment="moderate"), impaired(9)], False),  # 3 quiet
    ],
    ids=["next morning", "before the window", "two nights after", "gap", "quiet night before"],
)
def test_daytime_impairment_counts_a_day_after_a_cramp_night(nights, fire):
    assert fires("daytime_impairment", nights) is fire


def test_a_day_after_a_cramp_night_names_both_nights():
    nights = [night(6, cramp()), night(5, daytime_impairment="severe"), impaired(2)]
    assert finding("daytime_impairment", nights).evidence == on(6, 5, 2)


def test_daytime_impairment_does_not_need_a_cramp_that_woke():
    nights = [impaired(d, "moderate", cramp(woke=False)) for d in (3, 5)]
    found = finding("daytime_impairment", nights)
    assert found.level == VISIT
    assert found.evidence == on(5, 3)
    assert found.figures == {"nights": 2, "logged": 2, "window": 14}


# weakness_atrophy (visit)


@pytest.mark.parametrize("sign", ["muscle_weakness", "muscle_atrophy"])
def test_weakness_or_wasting_in_30_nights_with_a_cramp_night_in_90(sign):
    nights = [night(30, symptoms={sign}), night(90, cramp())]
    found = finding("weakness_atrophy", nights)
    assert found.level == VISIT
    assert found.evidence == on(90, 30)
    assert found.figures["signs"] == [sign]
    assert found.figures["last_cramp_night"] == ago(90).isoformat()
    assert found.figures["window"] == 30


@pytest.mark.parametrize(("twitching", "fire"), [((30, 2), True), ((31, 2), False), ((5,), False)])
def test_twitching_counts_on_2_nights_of_the_last_30(twitching, fire):
    nights = [*(night(d, symptoms={"twitching"}) for d in twitching), night(40, cramp(2, 0.5))]
    assert fires("weakness_atrophy", nights) is fire


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
        night(25, symptoms={"twitching"}),
        night(20, symptoms={"twitching"}),
        night(4, symptoms={"muscle_weakness", "muscle_atrophy"}),
        night(60, cramp()),
        night(45, cramp()),
    ]
    found = finding("weakness_atrophy", nights)
    assert found.evidence == on(45, 25, 20, 4)
    assert found.figures["signs"] == ["muscle_atrophy", "muscle_weakness", "twitching"]
    assert found.figures["sign_nights"] == [ago(d).isoformat() for d in (25, 20, 4)]
    assert found.figures["last_cramp_night"] == ago(45).isoformat()
    assert found.figures["logged"] == 3  # of the last 30 nights


def test_one_night_of_twitching_beside_weakness_is_not_named():
    nights = [night(20, symptoms={"twitching"}), night(4, cramp(), symptoms={"muscle_weakness"})]
    found = finding("weakness_atrophy", nights)
    assert found.figures["signs"] == ["muscle_weakness"]
    assert found.evidence == on(4)


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
        # Since version 3: numbness or tingling, an urge to move, pain on walking.
        ([night(d, cramp(4, muscle="foot"), symptoms={"numbness_tingling"}) for d in (3, 9)], True),
        ([night(3, symptoms={"urge_to_move"}), night(30, symptoms={"pain_on_walking"})], True),
        ([night(3, symptoms={"urge_to_move"}), night(31, symptoms={"pain_on_walking"})], False),
        ([night(3, symptoms={"numbness_tingling", "urge_to_move", "pain_on_walking"})], False),
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
        "numbness",
        "urge and walking",
        "walking 31 ago",
        "3 new on 1 night",
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
    assert found.figures == {
        "nights": 2,
        "signs": ["cramps_elsewhere", "daytime_cramps", "other_muscle"],
        "logged": 2,
        "window": 30,
    }


# venous_disease (visit)


@pytest.mark.parametrize(
    ("nights", "facts", "fire"),
    [
        (cramp_nights(30, 1), VEINS, True),
        (cramp_nights(31, 1), VEINS, False),  # the first is 31 nights ago
        (cramp_nights(1), VEINS, False),
        ([night(1, cramp()), *quiet(2, 3)], VEINS, False),
        (cramp_nights(30, 1), NO_FACTS, False),
        # Since version 3 each night needs a cramp of 4/10 or more or one that woke.
        (cramp_nights(30, 1, severity=3), VEINS, False),
        (cramp_nights(30, 1, severity=3, woke=True), VEINS, True),
        ([night(30, cramp(4)), night(1, cramp(3))], VEINS, False),
        ([night(30, cramp(4)), night(1, cramp(1), cramp(4))], VEINS, True),
    ],
    ids=[
        "2 in 30",
        "1st 31 ago",
        "1 night",
        "quiet nights",
        "no venous disease",
        "3/10",
        "3/10 woke",
        "one night 3/10",
        "two cramps",
    ],
)
def test_venous_disease_with_2_cramp_nights_in_30(nights, facts, fire):
    assert fires("venous_disease", nights, facts) is fire


def test_the_venous_finding_names_the_cramp_nights():
    nights = [*cramp_nights(25, 3, severity=4), night(9, cramp(1)), *quiet(4)]
    found = finding("venous_disease", nights, VEINS)
    assert found.level == VISIT
    assert found.evidence == on(25, 3)
    assert found.figures == {"nights": 2, "logged": 4, "window": 30}


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
    assert found[0].figures == {
        "nights": 2,
        "minutes": 60.0,
        "after_birth": False,
        "logged": 7,
        "window": 7,
    }
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
    kidney_disease=st.booleans(),
    date_of_birth=st.none() | st.sampled_from([date(2012, 6, 1), date(1950, 1, 1)]),
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


# quinine_review: quinine taken 28 nights or more and not reviewed in the last 84 days,
# whatever the verdict (the reason quotes it)


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


@pytest.mark.parametrize(
    ("nights", "verdict"),
    [
        (before_and_after(30, 8, 1), "fewer_cramps"),
        (before_and_after(30, 8, 7), "no_clear_change"),
        (before_and_after(30, 2, 20), "more_cramps"),
        (cramp_nights(5, 6), "too_few_nights"),
        ([], "too_few_nights"),  # started before the diary
        (before_and_after(30, 0, 3), "no_cramps_before"),
        (before_and_after(30, 0, 0), "no_cramps_before"),
    ],
)
def test_quinine_review_fires_whatever_the_verdict_and_quotes_it(nights, verdict):
    assert finding("quinine_review", nights, quinine(30)).figures["verdict"] == verdict


def test_quinine_review_says_why():
    found = finding("quinine_review", before_and_after(30, 8, 8), quinine(30))
    assert found.level == VISIT
    assert found.figures["verdict"] == "no_clear_change"
    assert found.figures["weeks"] == "1-4"
    assert (found.figures["before"], found.figures["after"], found.figures["change"]) == (2, 2, 0)
    assert found.figures["started"] == ago(30).isoformat()
    assert found.figures["reviewed"] is None
    assert found.evidence[0] == ago(58) and found.evidence[-1] == ago(3)


@pytest.mark.parametrize(("started_ago", "weeks"), [(55, "1-4"), (56, "5-8"), (175, "5-8")])
def test_quinine_review_quotes_weeks_5_to_8_once_they_are_over(started_ago, weeks):
    found = finding("quinine_review", quiet(*range(1, 60)), quinine(started_ago))
    assert found.figures["weeks"] == weeks


@pytest.mark.parametrize(
    ("reviewed_ago", "fires_"),
    [(None, True), (85, True), (84, False), (1, False), (0, False)],
    ids=["never", "85 days ago", "84 days ago", "yesterday", "today"],
)
def test_quinine_review_is_quiet_for_84_days_after_a_review(reviewed_ago, fires_):
    reviewed = None if reviewed_ago is None else ago(reviewed_ago)
    facts = replace(quinine(175), quinine_reviewed=reviewed)
    assert fires("quinine_review", quiet(*range(1, 57)), facts) is fires_


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


@pytest.mark.parametrize(
    ("after", "said"),
    [
        (8, "before the start: no clear change (no change, somewhere between"),
        (1, "before the start: fewer cramps (\u221288%, somewhere between"),
    ],
)
def test_the_quinine_reason_quotes_the_v3_verdict_with_its_interval(after, said):
    from diary.domain import reasons

    found = finding("quinine_review", before_and_after(30, 8, after), quinine(30))
    for reader in (reasons.PATIENT, reasons.CLINICIAN):
        assert said in reasons.reason("quinine_review", found.figures, reader=reader)


def test_a_quinine_run_stored_under_v2_still_reads():
    """Runs ended when the rules changed keep their v2 figures, and /prompts/ still lists them."""
    from diary.domain import reasons

    found = finding("quinine_review", before_and_after(30, 8, 8), quinine(30))
    old = {k: v for k, v in found.figures.items() if k not in ("low", "high")}
    assert "25% fewer" in reasons.reason("quinine_review", {**old, "verdict": "no_change"})
