"""How sure "what helps" can be: the Wilson interval of a remedy's share and the risk ratio of a
habit with its Katz log interval, on the numbers worked by hand in docs/decisions.md, and
invariants over random tables. No database."""

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.stats import (
    FEWER,
    MIN_EVIDENCE,
    MORE,
    UNCLEAR,
    HabitEffect,
    RemedyEffect,
    habit_effects,
    remedy_effects,
    risk_ratio_interval,
    wilson_interval,
)

FIRST = date(2026, 11, 1)
LAST = date(2026, 12, 31)


def _habit_diary(with_habit: int, cramp_with: int, without: int, cramp_without: int):
    """Stretching on `with_habit` nights from 1 Nov, the first `cramp_with` of them cramp
    nights; then `without` nights without it, the first `cramp_without` of them cramp nights."""
    calf = CrampRecord("calf", "left", 2.0, 5)
    nights = []
    for index in range(with_habit + without):
        stretched = index < with_habit
        cramped = index < cramp_with if stretched else index - with_habit < cramp_without
        nights.append(
            NightRecord(
                FIRST + timedelta(days=index),
                prevention=frozenset({"stretching"} if stretched else ()),
                cramps=(calf,) if cramped else (),
            )
        )
    return nights


def _stretching(*counts: int) -> HabitEffect:
    return habit_effects(_habit_diary(*counts), FIRST, LAST)[1]


def _massage(helped: int, tries: int) -> RemedyEffect:
    """One night with `tries` massaged cramps, `helped` of them with some relief."""
    cramps = [
        CrampRecord("calf", "left", 2.0, 5, remedies=frozenset({"massage"}), relief=relief)
        for relief in ["some"] * helped + ["none"] * (tries - helped)
    ]
    return remedy_effects([NightRecord(FIRST, cramps=tuple(cramps))], FIRST, LAST)[1]


# The remedy: Wilson score interval


def test_wilson_for_6_of_8_is_41_to_93_percent():
    low, high = wilson_interval(6, 8)
    assert (round(low, 3), round(high, 3)) == (0.409, 0.929)
    # As worked by hand: centre 0.9901 / 1.4802 = 0.6689, margin 1.3242 * 0.1961 = 0.2596.
    assert low == pytest.approx(0.6689 - 0.2596, abs=1e-4)
    assert high == pytest.approx(0.6689 + 0.2596, abs=1e-4)


def test_wilson_ends_exactly_at_0_and_1_for_none_and_all():
    assert wilson_interval(0, 7)[0] == 0.0 and wilson_interval(7, 7)[1] == 1.0
    assert round(wilson_interval(0, 7)[1], 3) == 0.354


@pytest.mark.parametrize(("successes", "trials"), [(0, 0), (-1, 7), (8, 7)])
def test_wilson_refuses_what_is_not_a_share(successes, trials):
    with pytest.raises(ValueError):
        wilson_interval(successes, trials)


def test_a_remedy_tried_7_times_has_an_interval_and_6_times_none():
    six, seven = _massage(5, 6), _massage(5, 7)
    assert MIN_EVIDENCE == 7
    assert (six.share, six.low, six.high) == (None, None, None)
    assert seven.share == 5 / 7
    assert (seven.low, seven.high) == wilson_interval(5, 7)
    assert seven.low < seven.share < seven.high


def test_a_remedy_carries_the_hand_worked_interval():
    massage = _massage(6, 8)
    assert (massage.tries, massage.helped, massage.share) == (8, 6, 0.75)
    assert (round(massage.low, 3), round(massage.high, 3)) == (0.409, 0.929)


# The habit: risk ratio and Katz log interval


def test_risk_ratio_for_3_of_10_against_8_of_12_as_worked_by_hand():
    ratio, low, high = risk_ratio_interval(3, 7, 8, 4)
    assert ratio == 0.45  # (3/10) / (8/12)
    assert round(math.log(ratio), 2) == -0.80
    standard_error = math.sqrt(1 / 3 - 1 / 10 + 1 / 8 - 1 / 12)
    assert round(standard_error, 2) == 0.52
    assert (round(low, 2), round(high, 2)) == (0.16, 1.26)


def test_a_zero_cell_adds_a_half_to_every_cell_of_the_table():
    # No cramp night in 10 with the habit, 8 in 12 without: worked as 0.5/11 against 8.5/13.
    assert risk_ratio_interval(0, 10, 8, 4) == risk_ratio_interval(0.5, 10.5, 8.5, 4.5)
    ratio, low, high = risk_ratio_interval(0, 10, 8, 4)
    assert (round(ratio, 3), round(low, 4), round(high, 2)) == (0.070, 0.0045, 1.07)


def test_a_zero_anywhere_corrects_the_whole_table():
    # Every night without the habit was a cramp night (d = 0).
    assert risk_ratio_interval(3, 7, 12, 0) == risk_ratio_interval(3.5, 7.5, 12.5, 0.5)
    # No cell is 0: no correction.
    assert risk_ratio_interval(1, 9, 1, 9)[0] == 1.0


@pytest.mark.parametrize("table", [(0, 0, 3, 4), (3, 4, 0, 0), (-1, 4, 3, 4)])
def test_risk_ratio_refuses_an_empty_row_or_a_negative_count(table):
    with pytest.raises(ValueError):
        risk_ratio_interval(*table)


def test_a_habit_carries_the_hand_worked_ratio_and_interval():
    stretching = _stretching(10, 3, 12, 8)
    assert (stretching.nights_with, stretching.cramp_nights_with) == (10, 3)
    assert (stretching.nights_without, stretching.cramp_nights_without) == (12, 8)
    assert stretching.ratio == 0.45
    assert (round(stretching.ratio_low, 2), round(stretching.ratio_high, 2)) == (0.16, 1.26)


def test_a_habit_with_no_cramp_night_with_it_uses_the_corrected_table():
    stretching = _stretching(10, 0, 12, 8)
    assert stretching.rate_with == 0.0
    expected = risk_ratio_interval(0.5, 10.5, 8.5, 4.5)
    assert (stretching.ratio, stretching.ratio_low, stretching.ratio_high) == expected
    assert stretching.direction == UNCLEAR  # 0.0045 to 1.07: ten nights do not settle it


@pytest.mark.parametrize(
    ("counts", "direction"),
    [
        ((20, 5, 20, 15), FEWER),  # 0.33, could be 0.15 to 0.74
        ((20, 15, 20, 5), MORE),  # 3.0, could be 1.35 to 6.68
        ((10, 3, 12, 8), UNCLEAR),  # 0.45 but could be 0.16 to 1.26: spans 1 from below
        ((10, 6, 10, 4), UNCLEAR),  # 1.5 but could be 0.60 to 3.74: spans 1 from above
    ],
)
def test_a_habit_points_one_way_only_when_the_whole_interval_does(counts, direction):
    stretching = _stretching(*counts)
    assert stretching.direction == direction
    assert (stretching.ratio_high < 1) == (direction == FEWER)
    assert (stretching.ratio_low > 1) == (direction == MORE)


@pytest.mark.parametrize(("with_habit", "without"), [(6, 7), (7, 6), (6, 6)])
def test_below_7_nights_either_way_a_habit_has_no_ratio(with_habit, without):
    stretching = _stretching(with_habit, 2, without, 5)
    assert stretching.ratio is None and stretching.ratio_low is None
    assert stretching.ratio_high is None and stretching.direction is None


def test_at_7_nights_each_way_a_habit_has_its_ratio():
    stretching = _stretching(7, 2, 7, 5)
    assert stretching.ratio == pytest.approx(0.4)  # (2/7) / (5/7)
    assert (round(stretching.ratio_low, 2), round(stretching.ratio_high, 2)) == (0.11, 1.41)
    assert stretching.direction == UNCLEAR


# Invariants

counts = st.integers(0, 400)


@given(st.integers(1, 1000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_wilson_interval_lies_in_0_to_1_and_holds_the_share(pair):
    successes, trials = pair
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0


@given(counts, counts, counts, counts)
def test_the_risk_ratio_interval_holds_the_ratio(a, b, c, d):
    if a + b == 0 or c + d == 0:
        return
    ratio, low, high = risk_ratio_interval(a, b, c, d)
    assert 0 < low <= ratio <= high
    if 0 not in (a, b, c, d):
        assert ratio == pytest.approx((a / (a + b)) / (c / (c + d)))


@given(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12), st.integers(0, 12))
def test_a_habit_has_a_ratio_exactly_when_it_has_rates(nights_with, cramp_with, without, cramp):
    stretching = _stretching(nights_with, cramp_with, without, cramp)
    assert (stretching.ratio is None) == (not stretching.enough)
    if stretching.enough:
        assert stretching.ratio_low <= stretching.ratio <= stretching.ratio_high
