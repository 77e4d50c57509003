"""The exchange format for one night: written, read back, and bad values named plainly."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.exchange import ExchangeError, night_from_dict, night_to_dict
from diary.records import CrampRecord, NightRecord
from diary.vocabulary import DaytimeImpairment, Muscle, Prevention, Relief, Remedy, Side, Symptom
from tests.diary.examples import EXAMPLE

LATEST = date(2026, 11, 27)


def _values(choices):
    return st.sampled_from([choice.value for choice in choices])


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
nights = st.builds(
    NightRecord,
    night=st.dates(min_value=date(2000, 1, 1), max_value=LATEST),
    sleep_quality=st.none() | st.integers(1, 5),
    daytime_impairment=st.sampled_from([""] + [choice.value for choice in DaytimeImpairment]),
    prevention=st.frozensets(_values(Prevention)),
    symptoms=st.frozensets(_values(Symptom)),
    toxin_exposure=st.just(False),
    toxin_substance=st.just(""),
    notes=st.text(max_size=50).map(str.strip),
    cramps=st.lists(cramps, max_size=4).map(tuple),
)


@given(nights)
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


def test_a_minimal_night_means_no_cramps():
    assert night_from_dict({"night": "2026-11-21", "cramps": []}, latest=LATEST) == NightRecord(
        night=date(2026, 11, 21)
    )
    assert night_from_dict({"night": "2026-11-21"}, latest=LATEST).cramps == ()


GOOD_CRAMP = {"muscle": "calf", "side": "left", "duration_minutes": 2, "severity": 5}


@pytest.mark.parametrize(
    ("night", "message"),
    [
        ({"night": "2026-11-31"}, "night 2026-11-31, night: must be a date"),
        ({"night": "2026-11-28"}, "night 2026-11-28, night: is in the future"),
        ({"night": "1899-12-31"}, "night 1899-12-31, night: is before 1900"),
        ({"night": "2026-11-20", "sleep_quality": 6}, "sleep_quality: must be a whole number"),
        ({"night": "2026-11-20", "sleep_quality": True}, "sleep_quality"),
        ({"night": "2026-11-20", "daytime_impairment": "awful"}, "'awful' is not one of"),
        ({"night": "2026-11-20", "prevention": ["yoga"]}, "prevention: 'yoga'"),
        ({"night": "2026-11-20", "prevention": "fluids"}, "prevention: must be a list"),
        ({"night": "2026-11-20", "notes": "x" * 2001}, "notes: is 2001 characters long"),
        ({"night": "2026-11-20", "toxin_substance": "lead"}, "toxin_exposure is not true"),
        ({"night": "2026-11-20", "mood": "fine"}, "unknown field 'mood'"),
        ({"night": "2026-11-20", "cramps": {}}, "cramps: must be a list"),
        (
            {"night": "2026-11-20", "cramps": [GOOD_CRAMP, {**GOOD_CRAMP, "severity": 11}]},
            "night 2026-11-20, cramp 2, severity: must be a whole number from 0 to 10, not 11",
        ),
        ({"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "severity": 7.5}]}, "severity"),
        ({"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "duration_minutes": 0}]}, "above 0"),
        ({"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "duration_minutes": 600}]}, "240"),
        ({"night": "2026-11-20", "cramps": [{**GOOD_CRAMP, "muscle": "neck"}]}, "muscle: 'neck'"),
        ({"night": "2026-11-20", "cramps": [{"side": "left"}]}, "cramp 1, muscle: is missing"),
        ({"night": "2026-11-20", "cramps": ["calf"]}, "cramp 1: must be an object"),
        ({}, "night: is missing"),
        ("2026-11-20", "must be an object"),
    ],
)
def test_bad_values_are_named_with_their_night_and_field(night, message):
    with pytest.raises(ExchangeError, match=message.replace("(", r"\(")):
        night_from_dict(night, latest=LATEST)


def test_the_latest_night_itself_is_allowed():
    assert night_from_dict({"night": LATEST.isoformat()}, latest=LATEST).night == LATEST
    with pytest.raises(ExchangeError):
        night_from_dict({"night": (LATEST + timedelta(days=1)).isoformat()}, latest=LATEST)
