"""The 14 stories of the clinician's review behind rules version 3, each written as a diary
("n4" is the night 4 nights before the evaluation day), each raising its expected top level.
STORIES is also what the change's closing note prints as a table of the rules that fired."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.domain.rules import Thresholds, evaluate
from diary.domain.runs import LEVELS, TODAY, URGENT, VISIT

DAY = date(2026, 11, 28)  # the evaluation day
NONE = "none"


def n(nights_before: int) -> date:
    return DAY - timedelta(days=nights_before)


def cramp(severity, minutes, side="left", muscle="calf", *, woke=False, relief="") -> CrampRecord:
    return CrampRecord(muscle, side, minutes, severity, woke, frozenset(), relief)


def logged(nights_before: int, *cramps, **fields) -> NightRecord:
    for name in ("symptoms", "red_flags"):
        if name in fields:
            fields[name] = frozenset(fields[name])
    return NightRecord(night=n(nights_before), cramps=cramps, **fields)


def quiet(*nights_before: int) -> list[NightRecord]:
    return [logged(d) for d in nights_before]


def quinine(started_nights_before: int) -> TreatmentRecord:
    return TreatmentRecord("Quinine sulfate", "quinine", n(started_nights_before), None, "200 mg")


@dataclass(frozen=True)
class Story:
    name: str
    facts: dict
    nights: list
    expected: str  # the top level, or NONE


def _marathon():
    return [
        logged(4, *(cramp(7, m, "right", "thigh_front") for m in (5, 6, 8))),
        logged(2, symptoms={"muscle_weakness"}, red_flags={"dark_urine"}),
        logged(1, symptoms={"muscle_weakness"}, red_flags={"dark_urine"}),
    ]


def _second_diuretic():
    weak = {"muscle_weakness"}
    return [logged(d, cramp(5, 3), symptoms=weak if d <= 2 else set()) for d in range(6, 0, -1)]


def _teenager():
    cramp_nights = (14, 13, 12, 10, 9, 8, 7, 5, 4, 2, 1)  # 11 of the last 14
    return [
        logged(d, cramp(6, 30 + (d % 4) * 5, "right", "shin", woke=True)) for d in cramp_nights
    ] + quiet(11, 6, 3)


def _long_quinine_course():
    # 56 nights logged, 2 short cramps a week (on the week's 2nd and 5th nights).
    return [logged(d, cramp(4, 1)) if d % 7 in (2, 5) else logged(d) for d in range(56, 0, -1)]


def _hard_day_next_morning():
    return [logged(d, cramp(6, 3, woke=True)) for d in (9, 6, 3)] + [
        logged(d, daytime_impairment=level)
        for d, level in ((8, "moderate"), (5, "severe"), (2, "moderate"))
    ]


def _footballer():
    return [
        logged(d, cramp(severity, 1, "right", relief="full"))
        for d, severity in ((12, 8), (8, 9), (3, 9))
    ] + quiet(13, 11, 9, 7, 6, 5, 4, 2, 1)


def _toe_twinges():
    return [logged(d, cramp(s, 1 / 3, "left", "toes")) for d, s in ((27, 1), (15, 2), (4, 1))]


def _neuropathy():
    tingling = {"numbness_tingling"}
    return [logged(d, cramp(4, 2, "both", "foot"), symptoms=tingling) for d in (13, 9, 6, 2)]


STORIES = [
    Story("muscle breakdown after a marathon", {}, _marathon(), URGENT),
    Story(
        "second diuretic",
        {
            "date_of_birth": date(1942, 3, 1),
            "kidney_disease": True,
            "medications": frozenset({"diuretic"}),
        },
        _second_diuretic(),
        TODAY,
    ),
    Story(
        "teenager's shin",
        {"date_of_birth": date(2012, 11, 28)},  # born 14 years ago
        _teenager(),
        TODAY,
    ),
    Story(
        "quinine in pregnancy",
        {"pregnant": True, "treatments": (quinine(20),)},
        quiet(*range(1, 21)),
        TODAY,
    ),
    Story(
        "after the birth",
        {"pregnant": True, "pregnancy_date": n(48)},
        [logged(d, cramp(6, 20, "left", relief="some")) for d in (5, 2)],
        TODAY,
    ),
    Story(
        "PAD rest pain",
        {"peripheral_artery_disease": True},
        [logged(d, cramp(7, 20, side)) for d, side in ((8, "left"), (5, "right"), (2, "left"))],
        TODAY,
    ),
    Story(
        "long quinine course",
        {"treatments": (quinine(175),)},
        _long_quinine_course(),
        VISIT,
    ),
    Story("hard day rated next morning", {}, _hard_day_next_morning(), VISIT),
    Story(
        "old lead exposure",
        {},
        [logged(12, toxin_exposure=True, toxin_substance="lead"), logged(10, cramp(3, 1))],
        TODAY,
    ),
    Story(
        "one eased cramp in pregnancy",
        {"pregnant": True, "pregnancy_date": DAY + timedelta(weeks=16)},  # 24 weeks pregnant
        [logged(3, cramp(6, 12, "left", relief="full"))],
        VISIT,
    ),
    Story("footballer", {}, _footballer(), NONE),
    Story(
        "one night of twitching",
        {"date_of_birth": date(1997, 5, 1)},  # 29
        [logged(40, cramp(2, 0.5)), logged(5, symptoms={"twitching"})],
        NONE,
    ),
    Story("toe twinges", {"venous_disease": True}, _toe_twinges(), NONE),
    Story("neuropathy", {}, _neuropathy(), VISIT),
]


def fired(story: Story) -> list:
    from diary.domain.rules.base import HealthFacts

    return evaluate(HealthFacts(**story.facts), story.nights, DAY, Thresholds())


def top_level(findings) -> str:
    return min((f.level for f in findings), key=LEVELS.index, default=NONE)


# What fired in each story (the table in the change's closing note): the rules, in order.
EXPECTED_RULES = {
    "muscle breakdown after a marathon": ["dark_urine", "weakness_atrophy"],
    "second diuretic": [
        "electrolyte_risk",
        "persistent_cramps",
        "weakness_atrophy",
        "medication_review",
    ],
    "teenager's shin": ["young_one_sided_pain", "prolonged_cramps", "persistent_cramps"],
    "quinine in pregnancy": ["quinine_pregnancy"],
    "after the birth": ["pregnancy_one_sided", "prolonged_cramps"],
    "PAD rest pain": ["pad_rest_pain", "prolonged_cramps", "artery_disease"],
    "long quinine course": ["quinine_review"],
    "hard day rated next morning": ["daytime_impairment"],
    "old lead exposure": ["toxin_exposure_earlier"],
    "one eased cramp in pregnancy": ["prolonged_cramps"],
    "footballer": [],
    "one night of twitching": [],
    "toe twinges": [],
    "neuropathy": ["not_typical"],
}


def test_every_story_is_written_once():
    assert [story.name for story in STORIES] == list(EXPECTED_RULES)
    for story in STORIES:
        dates = [night.night for night in story.nights]
        assert len(dates) == len(set(dates)) and max(dates) < DAY, story.name


@pytest.mark.parametrize("story", STORIES, ids=[story.name for story in STORIES])
def test_each_story_raises_its_expected_top_level(story):
    findings = fired(story)
    assert top_level(findings) == story.expected
    assert [f.rule for f in findings] == EXPECTED_RULES[story.name]
