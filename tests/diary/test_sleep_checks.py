"""The rules of the sleep details, checked once in diary.domain.checks.night_problems (the log
form, the importer and the undo all use it), and held by the database too."""

from datetime import date, time

import pytest
from django.db import IntegrityError

from diary.domain.checks import night_problems
from diary.domain.records import NightRecord
from diary.domain.vocabulary import AWAKENINGS_MAX, SLEEP_MINUTES_MAX
from diary.models import Night

NIGHT = date(2026, 11, 20)
LATEST = date(2026, 11, 27)


def _problems(**details) -> dict[str, str]:
    problems = night_problems(NightRecord(NIGHT, **details), latest=LATEST)
    return {problem.field: str(problem.message) for problem in problems}


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("sleep_onset_minutes", SLEEP_MINUTES_MAX),
        ("awakenings", AWAKENINGS_MAX),
        ("awake_minutes", SLEEP_MINUTES_MAX),
    ],
)
def test_each_count_is_allowed_from_0_to_its_limit_and_no_further(field, limit):
    assert _problems(**{field: 0}) == {}
    assert _problems(**{field: limit}) == {}
    assert list(_problems(**{field: limit + 1})) == [field]
    assert list(_problems(**{field: -1})) == [field]


def test_the_bounds_are_12_hours_of_minutes_and_50_awakenings():
    assert (SLEEP_MINUTES_MAX, AWAKENINGS_MAX) == (720, 50)


def test_each_field_says_plainly_what_fits():
    problems = _problems(sleep_onset_minutes=721, awakenings=51, awake_minutes=-1)
    assert problems == {
        "sleep_onset_minutes": "Minutes to fall asleep: from 0 to 720 (12 hours), please.",
        "awakenings": "Times you woke: from 0 to 50, please.",
        "awake_minutes": "Minutes awake in the night: from 0 to 720 (12 hours) in all, please.",
    }


@pytest.mark.parametrize("value", [1.5, True, "20"])
def test_a_count_must_be_a_whole_number(value):
    (message,) = _problems(awakenings=value).values()
    assert message == "Type how many times you woke as a whole number, such as 2."


def test_a_time_must_be_a_time_of_day():
    assert _problems(bed_time="22:30") == {
        "bed_time": "Type the time as hours and minutes, such as 22:30."
    }
    assert _problems(bed_time=time(22, 30), out_of_bed_time=time(6, 40)) == {}


def test_a_night_with_only_sleep_details_is_something_to_keep():
    assert NightRecord(NIGHT, bed_time=time(22, 30)).has_answers
    assert NightRecord(NIGHT, awakenings=0).has_sleep_details
    assert not NightRecord(NIGHT).has_sleep_details


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sleep_onset_minutes", SLEEP_MINUTES_MAX + 1),
        ("awakenings", AWAKENINGS_MAX + 1),
        ("awake_minutes", SLEEP_MINUTES_MAX + 1),
    ],
)
def test_the_database_refuses_what_the_checks_refuse(patient, field, value):
    with pytest.raises(IntegrityError):
        Night.objects.create(patient=patient, date=NIGHT, **{field: value})
