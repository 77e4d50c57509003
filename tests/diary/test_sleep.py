"""Sleep figures (diary.domain.sleep): the Consensus Sleep Diary's formulas with exact numbers, and
the weekly means that trends and summaries show. Plain records, no database."""

from datetime import date, time, timedelta

import pytest

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.sleep import (
    MIN_SLEEP_NIGHTS,
    SLEEP_WEEKS_UP_TO,
    SleepFigures,
    sleep_figures,
    sleep_summary,
)

NIGHT = date(2026, 11, 20)
CALF = CrampRecord("calf", "left", 3, 6, True)


def _night(day=NIGHT, **details) -> NightRecord:
    """docs/decisions.md's worked example, with any detail changed."""
    example = {
        "bed_time": time(22, 30),
        "try_sleep_time": time(23, 0),
        "sleep_onset_minutes": 20,
        "awakenings": 2,
        "awake_minutes": 35,
        "final_wake_time": time(6, 10),
        "out_of_bed_time": time(6, 40),
    }
    return NightRecord(day, **{**example, **details})


# One night's figures


def test_the_worked_example_gives_the_documented_figures():
    figures = sleep_figures(_night())
    assert figures.onset_latency == 20
    assert figures.wake_after_onset == 35
    assert figures.time_in_bed == 490
    assert figures.total_sleep == 375  # (06:10 − 23:00 = 430) − 20 − 35
    assert figures.efficiency == pytest.approx(375 / 490 * 100)
    assert round(figures.efficiency, 1) == 76.5


def test_times_past_midnight_are_on_the_next_day():
    figures = sleep_figures(
        _night(
            bed_time=time(22, 30),
            try_sleep_time=time(22, 30),
            sleep_onset_minutes=0,
            awake_minutes=0,
            final_wake_time=time(7, 0),
            out_of_bed_time=time(7, 0),
        )
    )
    assert figures.time_in_bed == 510
    assert figures.total_sleep == 510
    assert figures.efficiency == 100


def test_a_bed_time_after_midnight_is_the_same_day_as_the_waking():
    figures = sleep_figures(
        _night(
            bed_time=time(0, 30),
            try_sleep_time=time(0, 45),
            sleep_onset_minutes=15,
            awake_minutes=30,
            final_wake_time=time(7, 0),
            out_of_bed_time=time(7, 30),
        )
    )
    assert figures.time_in_bed == 420
    assert figures.total_sleep == 375 - 15 - 30
    assert figures.efficiency == pytest.approx(330 / 420 * 100)


def test_trying_to_sleep_after_midnight_when_into_bed_before():
    figures = sleep_figures(_night(bed_time=time(23, 50), try_sleep_time=time(0, 10)))
    assert figures.time_in_bed == 410  # 23:50 → 06:40
    assert figures.total_sleep == 360 - 20 - 35  # 00:10 → 06:10


def test_no_awakenings_and_no_minutes_is_no_wake_after_sleep_onset():
    figures = sleep_figures(_night(awakenings=0, awake_minutes=None))
    assert figures.wake_after_onset == 0
    assert figures.total_sleep == 430 - 20


def test_awakenings_without_their_minutes_leave_the_sleep_time_unknown():
    figures = sleep_figures(_night(awakenings=2, awake_minutes=None))
    assert figures.wake_after_onset is None
    assert figures.total_sleep is None and figures.efficiency is None
    assert figures.time_in_bed == 490


@pytest.mark.parametrize(
    ("missing", "unknown"),
    [
        ("bed_time", {"time_in_bed", "efficiency"}),
        ("out_of_bed_time", {"time_in_bed", "efficiency"}),
        ("try_sleep_time", {"total_sleep", "efficiency"}),
        ("final_wake_time", {"total_sleep", "efficiency"}),
        ("sleep_onset_minutes", {"onset_latency", "total_sleep", "efficiency"}),
        ("awake_minutes", {"wake_after_onset", "total_sleep", "efficiency"}),
    ],
)
def test_a_missing_detail_leaves_out_only_the_figures_that_need_it(missing, unknown):
    figures = sleep_figures(_night(**{missing: None}))
    worked_out = sleep_figures(_night())
    for name in SleepFigures.__dataclass_fields__:
        expected = None if name in unknown else getattr(worked_out, name)
        assert getattr(figures, name) == expected, name


def test_a_night_without_sleep_details_has_no_figures():
    assert sleep_figures(NightRecord(NIGHT)) == SleepFigures(None, None, None, None, None)


def test_a_sleep_time_below_zero_is_not_computable():
    # 23:00 → 06:10 is 430 minutes; 400 to fall asleep and 60 awake leave −30.
    figures = sleep_figures(_night(sleep_onset_minutes=400, awake_minutes=60))
    assert figures.total_sleep is None and figures.efficiency is None
    assert figures.time_in_bed == 490


def test_times_that_span_more_than_a_day_are_not_computable():
    # Tried to sleep "before" getting into bed: read in order, that is the next evening.
    figures = sleep_figures(_night(try_sleep_time=time(22, 0)))
    assert (figures.time_in_bed, figures.total_sleep, figures.efficiency) == (None, None, None)
    assert figures.onset_latency == 20


def test_out_of_bed_before_the_final_waking_is_not_computable():
    # Out of bed at 06:00, "before" the final waking at 06:10: read in order, the morning after.
    figures = sleep_figures(_night(out_of_bed_time=time(6, 0)))
    assert (figures.time_in_bed, figures.total_sleep, figures.efficiency) == (None, None, None)


def test_a_zero_time_in_bed_gives_no_efficiency():
    figures = sleep_figures(
        _night(
            bed_time=time(23, 0),
            try_sleep_time=time(23, 0),
            sleep_onset_minutes=0,
            awake_minutes=0,
            final_wake_time=time(23, 0),
            out_of_bed_time=time(23, 0),
        )
    )
    assert figures.time_in_bed == 0 and figures.total_sleep == 0
    assert figures.efficiency is None


# Weekly means over a range

# Monday 2 Nov 2026 to Sunday 29 Nov 2026: four ISO weeks.
FIRST, LAST = date(2026, 11, 2), date(2026, 11, 29)


def _days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def test_too_few_nights_with_a_sleep_time_give_no_summary():
    nights = [_night(day) for day in _days(FIRST, MIN_SLEEP_NIGHTS - 1)]
    nights += [NightRecord(day) for day in _days(date(2026, 11, 10), 10)]
    assert sleep_summary(nights, FIRST, LAST) is None


def test_nights_whose_sleep_time_is_not_computable_do_not_count():
    nights = [_night(day) for day in _days(FIRST, MIN_SLEEP_NIGHTS - 1)]
    nights.append(_night(date(2026, 11, 20), awake_minutes=None))
    assert sleep_summary(nights, FIRST, LAST) is None


def test_weekly_means_with_cramps_per_week_beside_them():
    # Week of 2 Nov: 3 nights of the example (375 min, 76.5%) and one of 410 min (no awakenings).
    # Week of 9 Nov: 2 nights (too few for a row). Week of 16 Nov: 3 nights, no efficiency.
    week_one = [_night(day) for day in _days(FIRST, 3)]
    week_one.append(_night(date(2026, 11, 5), awakenings=0, awake_minutes=0, cramps=(CALF,)))
    week_one.append(NightRecord(date(2026, 11, 6), cramps=(CALF, CALF)))  # logged, no details
    week_two = [_night(day) for day in _days(date(2026, 11, 9), 2)]
    week_three = [_night(day, bed_time=None) for day in _days(date(2026, 11, 16), 3)]
    summary = sleep_summary(week_one + week_two + week_three, FIRST, LAST)

    assert summary.nights == 4 + 2 + 3
    assert [(week.start, week.end) for week in summary.weeks] == [
        (date(2026, 11, 2), date(2026, 11, 8)),
        (date(2026, 11, 16), date(2026, 11, 22)),
    ]
    first, third = summary.weeks
    assert first.nights == 4
    assert first.total_sleep_mean == (3 * 375 + 410) / 4
    assert first.efficiency_mean == pytest.approx((3 * 375 / 490 + 410 / 490) * 100 / 4)
    assert first.cramps_per_week == 7 * 3 / 5  # 3 cramps on 5 logged nights
    assert third.total_sleep_mean == 375 and third.efficiency_mean is None
    assert third.cramps_per_week == 0
    assert summary.total_sleep_mean == (8 * 375 + 410) / 9
    # Efficiency over the 6 nights that have one (the third week gave no time into bed).
    assert summary.efficiency_mean == pytest.approx((5 * 375 + 410) / 490 * 100 / 6)


def test_weeks_are_clipped_to_the_range_and_nights_outside_ignored():
    nights = [_night(day) for day in _days(date(2026, 10, 28), 14)]  # Wed 28 Oct to 10 Nov
    summary = sleep_summary(nights, date(2026, 10, 29), date(2026, 11, 8))
    assert summary.nights == 11
    assert [(week.start, week.end, week.nights) for week in summary.weeks] == [
        (date(2026, 10, 29), date(2026, 11, 1), 4),
        (date(2026, 11, 2), date(2026, 11, 8), 7),
    ]


def test_only_the_most_recent_half_year_of_weeks_is_listed():
    start = date(2025, 11, 3)  # a Monday, 40 weeks of nights
    nights = [_night(day) for day in _days(start, 40 * 7)]
    summary = sleep_summary(nights, start, start + timedelta(days=40 * 7 - 1))
    assert len(summary.weeks) == SLEEP_WEEKS_UP_TO and summary.weeks_cut
    assert summary.weeks[-1].end == start + timedelta(days=40 * 7 - 1)
    assert summary.nights == 40 * 7
