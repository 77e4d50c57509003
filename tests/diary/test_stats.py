"""Statistics over hand-built diaries with numbers worked out by hand, and invariants over
random diaries. No database."""

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.stats import (
    NIGHTLY_UP_TO,
    Change,
    Period,
    RangeStats,
    cramps_per_week_change,
    nightly_periods,
    periods,
    previous_range,
    range_stats,
    weekly_periods,
)
from diary.domain.vocabulary import DaytimeImpairment, Muscle, Prevention, Relief, Remedy, Side


def nov(day: int) -> date:
    """A night in November 2026 (the 2nd, 9th, 16th, 23rd and 30th are Mondays)."""
    return date(2026, 11, day)


def cramp(severity=5, minutes=2.0, muscle="calf", side="left", **fields) -> CrampRecord:
    return CrampRecord(muscle, side, minutes, severity, **fields)


def night(day: date, *cramps: CrampRecord, **fields) -> NightRecord:
    return NightRecord(night=day, cramps=cramps, **fields)


def quiet(*days: date) -> list[NightRecord]:
    return [night(day) for day in days]


# A fortnight's diary, 2-11 November: 8 logged nights, the 6th and the 10th not logged.
DIARY = [
    night(nov(2), sleep_quality=4, daytime_impairment="none"),
    night(
        nov(3),
        cramp(6, 2.0, "calf", "left", woke=True),
        cramp(3, 1.0, "foot", "right"),
        sleep_quality=2,
        daytime_impairment="moderate",
    ),
    night(nov(4), sleep_quality=5),
    night(nov(5)),
    night(nov(7)),
    night(
        nov(8),
        cramp(8, 12.0, "calf", "both", woke=True),
        cramp(4, 0.5, "calf", "left", woke=True),
        sleep_quality=1,
        daytime_impairment="severe",
    ),
    night(nov(9), daytime_impairment="mild"),
    night(nov(11), cramp(5, 3.5, "thigh_back", "right")),
]


def test_a_diary_range_adds_up_as_worked_out_by_hand():
    stats = range_stats(DIARY, nov(2), nov(11))
    assert stats == RangeStats(
        first=nov(2),
        last=nov(11),
        nights_in_range=10,
        nights_logged=8,
        nights_not_logged=2,
        cramp_nights=3,
        cramps=5,
        cramps_per_week=4.375,  # 5 / 8 * 7
        cramp_nights_per_week=2.625,  # 3 / 8 * 7
        severity_mean=5.2,  # (6 + 3 + 8 + 4 + 5) / 5
        severity_worst=8,
        severity_median=5.0,  # 3 4 [5] 6 8
        duration_median=2.0,  # 0.5 1 [2] 3.5 12
        duration_longest=12.0,
        duration_total=19.0,
        by_muscle={"calf": 3, "foot": 1, "thigh_back": 1},
        by_side={"left": 2, "right": 2, "both": 1},
        by_muscle_side={
            ("calf", "left"): 2,
            ("calf", "both"): 1,
            ("foot", "right"): 1,
            ("thigh_back", "right"): 1,
        },
        nights_woken=2,
        times_woken=3,
        sleep_quality_mean=3.0,  # (4 + 2 + 5 + 1) / 4; nights without a rating are left out
        impairment_days=3,
        impairment_by_level={"mild": 1, "moderate": 1, "severe": 1},
        longest_cramp_free_run=2,  # the 4th and 5th; the 6th was not logged
    )
    assert list(stats.by_side) == ["left", "right", "both"]
    assert list(stats.by_muscle_side) == [
        ("calf", "left"),
        ("calf", "both"),
        ("foot", "right"),
        ("thigh_back", "right"),
    ]


def test_muscles_are_ordered_by_count_then_by_vocabulary():
    nights = [
        night(nov(2), cramp(muscle="other"), cramp(muscle="toes"), cramp(muscle="calf")),
        night(nov(3), cramp(muscle="foot"), cramp(muscle="calf")),
    ]
    by_muscle = range_stats(nights, nov(2), nov(3)).by_muscle
    assert list(by_muscle.items()) == [("calf", 2), ("foot", 1), ("toes", 1), ("other", 1)]


def test_an_empty_diary_gives_zero_counts_and_no_rates():
    assert range_stats([], nov(2), nov(8)) == RangeStats(
        first=nov(2),
        last=nov(8),
        nights_in_range=7,
        nights_logged=0,
        nights_not_logged=7,
        cramp_nights=0,
        cramps=0,
        cramps_per_week=None,
        cramp_nights_per_week=None,
        severity_mean=None,
        severity_worst=None,
        severity_median=None,
        duration_median=None,
        duration_longest=None,
        duration_total=0.0,
        by_muscle={},
        by_side={},
        by_muscle_side={},
        nights_woken=0,
        times_woken=0,
        sleep_quality_mean=None,
        impairment_days=0,
        impairment_by_level={"mild": 0, "moderate": 0, "severe": 0},
        longest_cramp_free_run=0,
    )


def test_a_range_with_nothing_logged_has_no_rates_though_other_nights_do():
    stats = range_stats(DIARY, nov(20), nov(26))
    assert (stats.nights_in_range, stats.nights_logged, stats.nights_not_logged) == (7, 0, 7)
    assert stats.cramps_per_week is None and stats.cramp_nights_per_week is None
    assert stats.longest_cramp_free_run == 0


def test_logged_nights_without_cramps_give_zero_per_week_and_no_severity():
    stats = range_stats(quiet(nov(2), nov(3)), nov(2), nov(8))
    assert stats.cramps_per_week == 0.0 and stats.cramp_nights_per_week == 0.0
    assert stats.severity_mean is None and stats.duration_median is None
    assert stats.duration_total == 0.0 and stats.longest_cramp_free_run == 2


def test_a_single_night_with_one_cramp():
    stats = range_stats([night(nov(5), cramp(7, 4.0, woke=True))], nov(5), nov(5))
    assert (stats.nights_in_range, stats.nights_logged, stats.cramp_nights) == (1, 1, 1)
    assert stats.cramps_per_week == 7.0 and stats.cramp_nights_per_week == 7.0
    assert (stats.severity_mean, stats.severity_median, stats.severity_worst) == (7.0, 7.0, 7)
    assert (stats.duration_median, stats.duration_longest, stats.duration_total) == (4.0,) * 3
    assert (stats.nights_woken, stats.times_woken) == (1, 1)
    assert stats.longest_cramp_free_run == 0


def test_a_single_quiet_night_is_a_cramp_free_run_of_one():
    stats = range_stats(quiet(nov(5)), nov(5), nov(5))
    assert stats.longest_cramp_free_run == 1 and stats.cramps_per_week == 0.0


def test_cramps_per_week_ignores_unlogged_nights():
    # 14 nights, 7 logged, 3 cramps on 2 nights: 3 a week, not 1.5.
    nights = [
        night(nov(2), cramp(), cramp()),
        night(nov(4), cramp()),
        *quiet(nov(6), nov(8), nov(10), nov(12), nov(14)),
    ]
    stats = range_stats(nights, nov(2), nov(15))
    assert (stats.nights_in_range, stats.nights_logged, stats.cramps) == (14, 7, 3)
    assert stats.cramps_per_week == 3.0
    assert stats.cramp_nights_per_week == 2.0


def test_a_range_across_the_clocks_going_forward_has_8_nights():
    # Europe moves its clocks on Sunday 29 March 2026; nights are dates, so nothing changes.
    first, last = date(2026, 3, 25), date(2026, 4, 1)
    nights = [
        night(first + timedelta(days=i), *([cramp()] if 3 <= i <= 5 else [])) for i in range(8)
    ]
    stats = range_stats(nights, first, last)
    assert (stats.nights_in_range, stats.nights_logged, stats.nights_not_logged) == (8, 8, 0)
    assert stats.cramps_per_week == 2.625  # 3 / 8 * 7
    assert len(nightly_periods(nights, first, last)) == 8
    weeks = weekly_periods(nights, first, last)
    assert [(w.start, w.end, w.nights, w.cramps) for w in weeks] == [
        (date(2026, 3, 25), date(2026, 3, 29), 5, 2),
        (date(2026, 3, 30), date(2026, 4, 1), 3, 1),
    ]
    assert previous_range(first, last) == (date(2026, 3, 17), date(2026, 3, 24))


def test_the_cramp_free_run_is_broken_by_an_unlogged_night():
    nights = quiet(nov(2), nov(3), nov(4), nov(6), nov(7))
    assert range_stats(nights, nov(2), nov(7)).longest_cramp_free_run == 3
    filled = [*nights, night(nov(5))]
    assert range_stats(filled, nov(2), nov(7)).longest_cramp_free_run == 6


def test_the_cramp_free_run_is_broken_by_a_cramp_night_and_clipped_to_the_range():
    nights = [*quiet(nov(1), nov(2), nov(3)), night(nov(4), cramp(0)), *quiet(nov(5), nov(6))]
    assert range_stats(nights, nov(1), nov(6)).longest_cramp_free_run == 3
    assert range_stats(nights, nov(2), nov(6)).longest_cramp_free_run == 2


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    nights = [
        night(nov(2), cramp(9, 10.0), cramp(2, 1.0)),
        night(nov(3), cramp(7, 4.0), cramp(3, 2.0)),
    ]
    stats = range_stats(nights, nov(2), nov(3))
    assert stats.severity_median == 5.0  # 2 [3 7] 9
    assert stats.duration_median == 3.0  # 1 [2 4] 10
    assert stats.severity_mean == 5.25 and stats.duration_total == 17.0


def test_nights_outside_the_range_are_ignored():
    outside = [
        night(nov(1), cramp(10, 200.0, "shin", "both", woke=True), daytime_impairment="severe"),
        night(nov(12), cramp(9, 30.0), prevention=frozenset({"fluids"})),
    ]
    assert range_stats(DIARY + outside, nov(2), nov(11)) == range_stats(DIARY, nov(2), nov(11))
    assert range_stats(DIARY + outside, nov(2), nov(11)).cramps == 5


def test_a_range_that_ends_before_it_starts_is_an_error():
    for function in (range_stats, weekly_periods, periods):
        with pytest.raises(ValueError):
            function(DIARY, nov(5), nov(4))
    with pytest.raises(ValueError):
        previous_range(nov(5), nov(4))


# Comparing with the range before


@pytest.mark.parametrize(
    ("first", "last", "before"),
    [
        (nov(8), nov(14), (nov(1), nov(7))),
        (nov(5), nov(5), (nov(4), nov(4))),
        (date(2026, 1, 1), date(2026, 1, 31), (date(2025, 12, 1), date(2025, 12, 31))),
    ],
)
def test_the_previous_range_is_as_long_and_ends_the_night_before(first, last, before):
    assert previous_range(first, last) == before


def _week(cramps: int, logged: int = 7) -> RangeStats:
    """The week 2-8 November: `logged` nights logged, `cramps` cramps on the first of them."""
    nights = [night(nov(2 + i), *([cramp()] * cramps if i == 0 else [])) for i in range(logged)]
    return range_stats(nights, nov(2), nov(8))


def test_cramps_per_week_change_gives_the_difference_and_percent():
    assert cramps_per_week_change(_week(14), _week(7)) == Change(14.0, 7.0, 7.0, 100.0)
    assert cramps_per_week_change(_week(1, logged=2), _week(7)) == Change(3.5, 7.0, -3.5, -50.0)


@pytest.mark.parametrize(
    ("now", "before", "percent"),
    [(3.39, 3.4, 0), (3.383, 3.4, 0), (3.38, 3.4, -1), (7, 8, -13), (9, 8, 13)],
)
def test_the_change_is_a_whole_percent_rounded_half_away_from_zero(now, before, percent):
    """3.39 against 3.4 is -0.3%: 0, never "-0"; -12.5% is -13%."""
    current = _week_rate(now)
    previous = _week_rate(before)
    assert cramps_per_week_change(current, previous).percent == percent


def _week_rate(per_week: float) -> RangeStats:
    return replace(_week(0), cramps_per_week=per_week)


@pytest.mark.parametrize(
    ("now", "before", "words"),
    [
        (3.39, 3.4, "no change from 3.4"),
        (3.0, 3.4, "down from 3.4 (\u221212%)"),
        (3.9, 3.4, "up from 3.4 (+15%)"),
        (3.4, 3.4, "the same as the range before"),
    ],
)
def test_the_change_in_words_never_reads_minus_0(now, before, words):
    from django.template.loader import render_to_string

    change = cramps_per_week_change(_week_rate(now), _week_rate(before))
    shown = " ".join(render_to_string("diary/includes/change.html", {"change": change}).split())
    assert words in shown
    assert "-0" not in shown and "\u22120" not in shown


def test_cramps_per_week_change_has_no_percent_from_a_previous_zero():
    assert cramps_per_week_change(_week(7), _week(0)) == Change(7.0, 0.0, 7.0, None)
    assert cramps_per_week_change(_week(0), _week(0)) == Change(0.0, 0.0, 0.0, None)


def test_cramps_per_week_change_has_no_difference_when_a_range_was_not_logged():
    assert cramps_per_week_change(_week(7), _week(0, logged=0)) == Change(7.0, None, None, None)
    assert cramps_per_week_change(_week(0, logged=0), _week(7)) == Change(None, 7.0, None, None)


# Periods for charts


def test_weekly_periods_are_iso_weeks_clipped_at_both_ends():
    nights = [
        night(nov(3), cramp(10, 60.0)),  # outside the range
        night(nov(4), cramp(3, 1.0)),
        night(nov(8), cramp(7, 5.0), cramp(5, 2.0)),
        night(nov(18), cramp(9, 15.0)),
        night(nov(19), cramp(10, 60.0)),  # outside the range
    ]
    weeks = weekly_periods(nights, nov(4), nov(18))  # Wednesday to Wednesday
    # start, end, nights, logged, cramp nights, cramps, worst, mean, total and longest minutes
    assert weeks == [
        Period(nov(4), nov(8), 5, 2, 2, 3, 7, 5.0, 8.0, 5.0),
        Period(nov(9), nov(15), 7, 0, 0, 0, None, None, 0.0, None),
        Period(nov(16), nov(18), 3, 1, 1, 1, 9, 9.0, 15.0, 15.0),
    ]
    assert [week.cramps_per_week for week in weeks] == [10.5, None, 7.0]
    assert [week.cramp_nights_per_week for week in weeks] == [7.0, None, 7.0]
    assert [week.logged for week in weeks] == [True, False, True]


def test_a_range_starting_on_a_monday_has_no_clipped_first_week():
    weeks = weekly_periods([], nov(9), nov(22))
    assert [(week.start, week.end, week.nights) for week in weeks] == [
        (nov(9), nov(15), 7),
        (nov(16), nov(22), 7),
    ]


def test_nightly_periods_give_one_period_per_night():
    nights = [night(nov(3), cramp(4, 1.5), cramp(6, 0.5)), night(nov(4))]
    assert nightly_periods(nights, nov(2), nov(4)) == [
        Period(nov(2), nov(2), 1, 0, 0, 0, None, None, 0.0, None),
        Period(nov(3), nov(3), 1, 1, 1, 2, 6, 5.0, 2.0, 1.5),
        Period(nov(4), nov(4), 1, 1, 0, 0, None, None, 0.0, None),
    ]
    assert nightly_periods(nights, nov(4), nov(4))[0].cramps_per_week == 0.0


def test_periods_are_nightly_up_to_31_nights_and_weekly_beyond():
    assert NIGHTLY_UP_TO == 31
    month = periods([], nov(1), date(2026, 12, 1))
    assert len(month) == 31 and all(period.nights == 1 for period in month)
    # Sunday 1 November, then five Mondays: 1 | 2-8 | 9-15 | 16-22 | 23-29 | 30-2 Dec.
    longer = periods([], nov(1), date(2026, 12, 2))
    assert [period.nights for period in longer] == [1, 7, 7, 7, 7, 3]


# Invariants over random diaries

START = date(2026, 10, 1)
SPAN = 70


def _day(offset: int) -> date:
    return START + timedelta(days=offset)


cramps = st.builds(
    CrampRecord,
    muscle=st.sampled_from(Muscle.values),
    side=st.sampled_from(Side.values),
    duration_minutes=st.sampled_from([0.5, 1.0, 2.5, 10.0, 240.0]),
    severity=st.integers(0, 10),
    woke=st.booleans(),
    remedies=st.frozensets(st.sampled_from(Remedy.values), max_size=3),
    relief=st.sampled_from(["", *Relief.values]),
)
nights = st.builds(
    NightRecord,
    night=st.integers(0, SPAN).map(_day),
    sleep_quality=st.one_of(st.none(), st.integers(1, 5)),
    daytime_impairment=st.sampled_from(["", *DaytimeImpairment.values]),
    prevention=st.frozensets(st.sampled_from(Prevention.values)),
    cramps=st.lists(cramps, max_size=3).map(tuple),
)
# One record per night, as the database guarantees.
diaries = st.lists(nights, max_size=40).map(
    lambda records: list({record.night: record for record in records}.values())
)
ranges = st.lists(st.integers(0, SPAN), min_size=2, max_size=2).map(
    lambda pair: (_day(min(pair)), _day(max(pair)))
)


@given(diaries, ranges)
def test_logged_and_unlogged_nights_make_up_the_range(diary, dates):
    stats = range_stats(diary, *dates)
    assert stats.nights_logged + stats.nights_not_logged == stats.nights_in_range
    assert stats.nights_in_range == (dates[1] - dates[0]).days + 1
    assert stats.cramp_nights <= stats.nights_logged
    assert stats.longest_cramp_free_run <= stats.nights_logged - stats.cramp_nights
    assert sum(stats.impairment_by_level.values()) == stats.impairment_days


@given(diaries, ranges)
def test_counts_by_muscle_and_side_add_up_to_the_cramps(diary, dates):
    stats = range_stats(diary, *dates)
    assert sum(stats.by_muscle.values()) == stats.cramps
    assert sum(stats.by_side.values()) == stats.cramps
    assert sum(stats.by_muscle_side.values()) == stats.cramps
    assert list(stats.by_muscle.values()) == sorted(stats.by_muscle.values(), reverse=True)


@hypothesis_settings(max_examples=150)
@given(diaries, ranges)
def test_weekly_and_nightly_periods_add_up_to_the_range(diary, dates):
    stats = range_stats(diary, *dates)
    for split in (weekly_periods(diary, *dates), nightly_periods(diary, *dates)):
        assert sum(period.nights for period in split) == stats.nights_in_range
        assert sum(period.nights_logged for period in split) == stats.nights_logged
        assert sum(period.cramp_nights for period in split) == stats.cramp_nights
        assert sum(period.cramps for period in split) == stats.cramps
        assert sum(period.duration_total for period in split) == pytest.approx(stats.duration_total)
        worst = [period.severity_worst for period in split if period.severity_worst is not None]
        assert max(worst, default=None) == stats.severity_worst


@given(ranges)
def test_weekly_periods_run_monday_to_sunday_without_gaps(dates):
    weeks = weekly_periods([], *dates)
    assert weeks[0].start == dates[0] and weeks[-1].end == dates[1]
    for week, following in pairwise(weeks):
        assert week.end.weekday() == 6 and following.start.weekday() == 0
        assert following.start == week.end + timedelta(days=1)
    assert all(week.start.isocalendar()[:2] == week.end.isocalendar()[:2] for week in weeks)


@given(diaries, ranges, st.randoms())
def test_the_order_of_the_nights_changes_nothing(diary, dates, rng):
    shuffled = list(diary)
    rng.shuffle(shuffled)
    for function in (range_stats, periods, weekly_periods):
        assert function(diary, *dates) == function(shuffled, *dates)
    before, after = range_stats(diary, *dates), range_stats(shuffled, *dates)
    assert list(before.by_muscle_side) == list(after.by_muscle_side)
    assert list(before.by_muscle) == list(after.by_muscle)


@given(diaries, ranges)
def test_nights_outside_the_range_change_nothing(diary, dates):
    first, last = dates
    inside = [record for record in diary if first <= record.night <= last]
    for function in (range_stats, periods):
        assert function(diary, first, last) == function(inside, first, last)
