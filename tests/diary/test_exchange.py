"""The exchange format for one night: written, read back, and bad values named plainly."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.exchange import ExchangeError, night_from_dict, night_to_dict
from diary.domain.records import CrampRecord, NightRecord
from diary.domain.vocabulary import (
    DaytimeImpairment,
    Muscle,
    Prevention,
    RedFlag,
    Relief,
    Remedy,
    Side,
    Symptom,
)
from tests.diary.examples import EXAMPLE

LATEST = date(2026, 11, 27)


def _values(choices):
    return st.sampled_from([choice.value for choice in choices])


# Text a person can type and the database can store: no NUL bytes, no lone surrogates.
_storable_text = st.text(
    st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=50
).map(str.strip)

cramps = st.builds(
    CrampRecord,
    muscle=_values(Muscle),
    side=_values(Side),
    duration_minutes=st.floats(min_value=0.01, max_value=240, allow_nan=False),
    severity=st.integers(0, 10),
    woke=st.booleans(),
    remedies=st.frozensets(_values(Remedy)),
    relief=st.sampled_from([""] + [choice.value for choice in Relief]),
)
# A substance is only given with the exposure ticked.
toxins = st.just((False, "")) | st.tuples(st.just(True), _storable_text)


@st.composite
def nights(draw):
    exposure, substance = draw(toxins)
    return NightRecord(
        night=draw(st.dates(min_value=date(2000, 1, 1), max_value=LATEST)),
        sleep_quality=draw(st.none() | st.integers(1, 5)),
        daytime_impairment=draw(
            st.sampled_from([""] + [choice.value for choice in DaytimeImpairment])
        ),
        prevention=draw(st.frozensets(_values(Prevention))),
        symptoms=draw(st.frozensets(_values(Symptom))),
        red_flags=draw(st.frozensets(_values(RedFlag))),
        toxin_exposure=exposure,
        toxin_substance=substance,
        notes=draw(_storable_text),
        cramps=tuple(draw(st.lists(cramps, max_size=4))),
    )


@given(nights())
def test_a_night_survives_the_round_trip(record):
    assert night_from_dict(night_to_dict(record), latest=LATEST) == record


def test_the_written_form_follows_the_documented_example():
    record = NightRecord(
        night=date(2026, 11, 20),
        sleep_quality=2,
        daytime_impairment="moderate",
        prevention=frozenset({"fluids"}),
        cramps=(
            CrampRecord("calf", "left", 4, 7, True, frozenset({"massage", "flex_foot"}), "some"),
        ),
    )
    assert night_to_dict(record) == EXAMPLE["nights"][0]


def test_warning_signs_and_new_symptoms_are_written_in_vocabulary_order():
    record = NightRecord(
        night=date(2026, 11, 20),
        symptoms=frozenset({"cramps_elsewhere", "twitching", "daytime_cramps"}),
        red_flags=frozenset({"dark_urine", "cramp_wont_stop", "leg_swollen", "leg_cold_pale"}),
    )
    written = night_to_dict(record)
    assert written["symptoms"] == ["twitching", "daytime_cramps", "cramps_elsewhere"]
    assert written["red_flags"] == ["cramp_wont_stop", "leg_cold_pale", "leg_swollen", "dark_urine"]
    assert night_from_dict(written, latest=LATEST) == record


def test_a_minimal_night_means_no_cramps():
    assert night_from_dict({"night": "2026-11-21", "cramps": []}, latest=LATEST) == NightRecord(
        night=date(2026, 11, 21)
    )
    assert night_from_dict({"night": "2026-11-21"}, latest=LATEST).cramps == ()


def test_a_version_1_night_reads_without_warning_signs_and_may_not_have_them():
    v1_night = {key: value for key, value in EXAMPLE["nights"][0].items() if key != "red_flags"}
    assert night_from_dict(v1_night, latest=LATEST, version=1).red_flags == frozenset()
    with pytest.raises(ExchangeError, match="night 2026-11-20: unknown field 'red_flags'"):
        night_from_dict({"night": "2026-11-20", "red_flags": []}, latest=LATEST, version=1)


GOOD_CRAMP = {"muscle": "calf", "side": "left", "duration_minutes": 2, "severity": 5}
CHOICES = "Please pick one of the choices shown."
MINUTES = "From 0.01 to 240 minutes, please: 0.5 is half a minute."
UNSTORABLE = "This text holds characters that cannot be stored. Please retype it."


@pytest.mark.parametrize(
    ("night", "message"),
    [
        ({"night": "2026-11-31"}, "night 2026-11-31, night: must be a date written YYYY-MM-DD"),
        (
            {"night": "2026-11-28"},
            "night 2026-11-28, night: This night has not happened yet: "
            "the latest night you can log is last night.",
        ),
        (
            {"night": "1899-12-31"},
            "night 1899-12-31, night: A diary starts in 1900 at the earliest.",
        ),
        (
            {"night": "2026-11-20", "sleep_quality": 6},
            f"night 2026-11-20, sleep_quality: {CHOICES}",
        ),
        (
            {"night": "2026-11-20", "sleep_quality": True},
            "night 2026-11-20, sleep_quality: must be a whole number, not true or false",
        ),
        (
            {"night": "2026-11-20", "daytime_impairment": "awful"},
            f"night 2026-11-20, daytime_impairment: {CHOICES}",
        ),
        (
            {"night": "2026-11-20", "prevention": ["yoga"]},
            "night 2026-11-20, prevention: Please pick from the choices shown.",
        ),
        (
            {"night": "2026-11-20", "symptoms": ["headache"]},
            "night 2026-11-20, symptoms: Please pick from the choices shown.",
        ),
        (
            {"night": "2026-11-20", "red_flags": ["chest_pain"]},
            "night 2026-11-20, red_flags: Please pick from the choices shown.",
        ),
        (
            {"night": "2026-11-20", "prevention": "fluids"},
            "night 2026-11-20, prevention: must be a list of names",
        ),
        (
            {"night": "2026-11-20", "red_flags": "dark_urine"},
            "night 2026-11-20, red_flags: must be a list of names",
        ),
        (
            {"night": "2026-11-20", "notes": "x" * 2001},
            "night 2026-11-20, notes: At most 2000 characters, please (this has 2001).",
        ),
        (
            {"night": "2026-11-20", "toxin_substance": "lead"},
            "night 2026-11-20, toxin_substance: Tick “I was exposed to a toxin” too, "
            "or clear the substance.",
        ),
        ({"night": "2026-11-20", "mood": "fine"}, "night 2026-11-20: unknown field 'mood'"),
        ({"night": "2026-11-20", "cramps": {}}, "night 2026-11-20, cramps: must be a list"),
        (
            {"night": "2026-11-20", "cramps": [GOOD_CRAMP, {**GOOD_CRAMP, "severity": 11}]},
            "night 2026-11-20, cramp 2, severity: Pick a number from 0 to 10.",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "severity": -1}]},
            "night 2026-11-20, cramp 1, severity: Pick a number from 0 to 10.",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "severity": 7.5}]},
            "night 2026-11-20, cramp 1, severity: must be a whole number, not a number",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "duration_minutes": 0}]},
            f"night 2026-11-20, cramp 1, duration_minutes: {MINUTES}",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "duration_minutes": 600}]},
            f"night 2026-11-20, cramp 1, duration_minutes: {MINUTES}",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "duration_minutes": 1e-9}]},
            f"night 2026-11-20, cramp 1, duration_minutes: {MINUTES}",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "duration_minutes": "2"}]},
            "night 2026-11-20, cramp 1, duration_minutes: must be a number, not text",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "muscle": "neck"}]},
            "night 2026-11-20, cramp 1, muscle: Which muscle cramped?",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "side": "middle"}]},
            "night 2026-11-20, cramp 1, side: Which side?",
        ),
        (
            {"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "relief": "lots"}]},
            f"night 2026-11-20, cramp 1, relief: {CHOICES}",
        ),
        (
            {"night": "2026-11-20", "cramps": [{"side": "left"}]},
            "night 2026-11-20, cramp 1, muscle: is missing",
        ),
        (
            {"night": "2026-11-20", "cramps": ["calf"]},
            "night 2026-11-20, cramp 1: must be an object",
        ),
        (
            {"night": "2026-11-20", "cramps": [GOOD_CRAMP] * 21},
            "night 2026-11-20, cramps: has 21 cramps; at most 20 fit",
        ),
        (
            {"night": "2026-11-20", "notes": ["a", "list"]},
            "night 2026-11-20, notes: must be text, not a list",
        ),
        ({"night": "2026-11-20", "notes": "a\x00b"}, f"night 2026-11-20, notes: {UNSTORABLE}"),
        ({"night": "2026-11-20", "notes": "a\ud800b"}, f"night 2026-11-20, notes: {UNSTORABLE}"),
        (
            {"night": "2026-11-20", "toxin_exposure": True, "toxin_substance": "le\x00ad"},
            f"night 2026-11-20, toxin_substance: {UNSTORABLE}",
        ),
        (
            {"night": "2026-11-20", "toxin_exposure": True, "toxin_substance": "le\udfffad"},
            f"night 2026-11-20, toxin_substance: {UNSTORABLE}",
        ),
        ({}, "a night, night: is missing"),
        ("2026-11-20", "a night: must be an object"),
    ],
)
def test_bad_values_are_named_with_their_night_and_field(night, message):
    with pytest.raises(ExchangeError, match=re.escape(message)):
        night_from_dict(night, latest=LATEST)


def test_the_latest_night_itself_is_allowed():
    assert night_from_dict({"night": LATEST.isoformat()}, latest=LATEST).night == LATEST
    with pytest.raises(ExchangeError):
        night_from_dict({"night": (LATEST + timedelta(days=1)).isoformat()}, latest=LATEST)
