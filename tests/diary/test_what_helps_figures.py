"""What seems to help (diary.domain.what_helps): remedies against cramps with no remedy (Wilson
intervals), habits by Mantel-Haenszel stratified by the night before (Greenland-Robins
interval), on the numbers worked by hand in docs/treatments.md, and invariants over random
diaries. No database."""

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.vocabulary import Prevention
from diary.domain.what_helps import (
    FEWER,
    MIN_EVIDENCE,
    MORE,
    NO_REMEDY,
    UNCLEAR,
    Stratum,
    habit_effects,
    mantel_haenszel,
    remedy_effects,
    wilson_interval,
)

FIRST = date(2026, 11, 1)
LAST = date(2027, 12, 31)


def cramp(remedies=(), relief="full") -> CrampRecord:
    return CrampRecord("calf", "left", 2.0, 5, remedies=frozenset(remedies), relief=relief)


def cramps(remedies, full: int, other: int, other_relief="some") -> list[CrampRecord]:
    return [cramp(remedies)] * full + [cramp(remedies, other_relief)] * other


def remedies_of(*cramps_on_one_night):
    return remedy_effects([NightRecord(FIRST, cramps=tuple(cramps_on_one_night))], FIRST, LAST)


# The remedy: Wilson score interval


def test_wilson_for_6_of_8_is_41_to_93_percent():
    low, high = wilson_interval(6, 8)
    assert (round(low, 3), round(high, 3)) == (0.409, 0.929)


def test_wilson_ends_exactly_at_0_and_1_for_none_and_all():
    assert wilson_interval(0, 7)[0] == 0.0 and wilson_interval(7, 7)[1] == 1.0
    assert round(wilson_interval(0, 7)[1], 3) == 0.354


@pytest.mark.parametrize(("successes", "trials"), [(0, 0), (-1, 7), (8, 7)])
def test_wilson_refuses_what_is_not_a_share(successes, trials):
    with pytest.raises(ValueError):
        wilson_interval(successes, trials)


# Remedies against no remedy


def test_the_hand_worked_remedy_is_helpful_against_no_remedy():
    """docs/treatments.md: massage eased 17 of 20 cramps fully (64% to 95%); with no remedy,
    3 of 12 (9% to 53%). 64% lies above 53%: helpful."""
    found = remedies_of(*cramps({"massage"}, 17, 3), *cramps((), 3, 9, "none"))
    massage = found.effects[1]
    assert (massage.remedy, massage.tries, massage.eased, massage.share) == (
        "massage",
        20,
        17,
        0.85,
    )
    assert (round(massage.low, 4), round(massage.high, 4)) == (0.6396, 0.9476)
    none = found.no_remedy
    assert (none.remedy, none.tries, none.eased, none.share) == (NO_REMEDY, 12, 3, 0.25)
    assert (round(none.low, 4), round(none.high, 4)) == (0.0889, 0.5323)
    assert found.comparable and massage.helpful


def test_a_remedy_whose_interval_overlaps_no_remedys_is_not_helpful():
    """14 of 20 (48% to 85%) against 6 of 10 (31% to 83%): the ranges overlap."""
    found = remedies_of(*cramps({"ice"}, 14, 6), *cramps((), 6, 4))
    ice = found.effects[2]
    assert (ice.eased, ice.tries) == (14, 20) and ice.low < found.no_remedy.high
    assert not ice.helpful


def test_helpful_needs_the_lower_end_above_the_no_remedy_upper_end():
    # 17 of 20 (low 0.6396) against 4 of 12 (high 0.6143): helpful; against 5 of 12 (high
    # 0.6921): not.
    assert remedies_of(*cramps({"massage"}, 17, 3), *cramps((), 4, 8)).effects[1].helpful
    assert not remedies_of(*cramps({"massage"}, 17, 3), *cramps((), 5, 7)).effects[1].helpful


def test_every_remedy_that_eases_every_cramp_is_not_helpful_when_cramps_ease_anyway():
    """The issue's "helped 26 of 26": with no remedy 10 of 10 eased fully too."""
    found = remedies_of(*cramps({"flex_foot"}, 26, 0), *cramps((), 10, 0))
    assert found.effects[0].share == 1.0 and not found.effects[0].helpful


@pytest.mark.parametrize(("without", "comparable"), [(6, False), (7, True)])
def test_fewer_than_7_cramps_without_a_remedy_compare_nothing(without, comparable):
    found = remedies_of(*cramps({"massage"}, 20, 0), *cramps((), 0, without, "none"))
    assert found.comparable == comparable
    assert found.effects[1].helpful == comparable  # 20 of 20 against 0 of 7 is helpful


def test_cramps_with_no_relief_given_count_in_neither():
    found = remedies_of(*cramps({"massage"}, 7, 0), cramp({"massage"}, ""), cramp((), ""))
    assert found.effects[1].tries == 7 and found.no_remedy.tries == 0


@pytest.mark.parametrize(("tries", "has_share"), [(6, False), (7, True)])
def test_a_remedy_needs_7_tries_for_a_share(tries, has_share):
    massage = remedies_of(*cramps({"massage"}, tries, 0), *cramps((), 0, 9)).effects[1]
    assert MIN_EVIDENCE == 7
    assert (massage.share is not None) == has_share
    assert (massage.low is not None) == has_share and massage.helpful == has_share


def test_remedies_come_in_vocabulary_order_and_ignore_nights_outside_the_range():
    nights = [
        NightRecord(FIRST - timedelta(days=1), cramps=tuple(cramps({"ice"}, 9, 0))),
        NightRecord(FIRST, cramps=tuple(cramps({"ice"}, 2, 0))),
    ]
    found = remedy_effects(nights, FIRST, LAST)
    assert [e.remedy for e in found.effects][:3] == ["flex_foot", "massage", "ice"]
    assert found.effects[2].tries == 2


# Habits: Mantel-Haenszel by the night before

HAND_WORKED_STRATA = (Stratum(6, 10, 4, 5), Stratum(1, 6, 6, 20))


def test_mantel_haenszel_as_worked_by_hand():
    """docs/treatments.md: after a cramp night, stretching on 10 nights (6 cramp nights) and
    not on 5 (4); after a night without cramps, stretching on 6 (1) and not on 20 (6)."""
    ratio, low, high = mantel_haenszel(HAND_WORKED_STRATA)
    r = 6 * 5 / 15 + 1 * 20 / 26  # 2.7692
    s = 4 * 10 / 15 + 6 * 6 / 26  # 4.0513
    assert ratio == pytest.approx(r / s) and round(ratio, 4) == 0.6835
    variance = ((10 * 5 * 10 - 6 * 4 * 15) / 225 + (6 * 20 * 7 - 1 * 6 * 26) / 676) / (r * s)
    assert round(variance, 4) == 0.1457
    assert (round(low, 4), round(high, 4)) == (0.3235, 1.4442)
    assert low == pytest.approx(ratio * math.exp(-1.96 * math.sqrt(variance)))


def diary_from_strata(after_cramps: Stratum, after_quiet: Stratum) -> list[NightRecord]:
    """Nights in pairs: a night before (a cramp night or not, no habit) and the night counted
    (stretching or not, a cramp night or not), then an unlogged night so that the next
    night before counts nothing itself."""
    nights, day = [], FIRST
    for stratum, before_cramped in ((after_cramps, True), (after_quiet, False)):
        counted = (
            [(True, True)] * stratum.cramp_nights_with
            + [(True, False)] * (stratum.nights_with - stratum.cramp_nights_with)
            + [(False, True)] * stratum.cramp_nights_without
            + [(False, False)] * (stratum.nights_without - stratum.cramp_nights_without)
        )
        for stretched, cramped in counted:
            nights.append(NightRecord(day, cramps=(cramp(),) if before_cramped else ()))
            nights.append(
                NightRecord(
                    day + timedelta(days=1),
                    prevention=frozenset({"stretching"} if stretched else ()),
                    cramps=(cramp(),) if cramped else (),
                )
            )
            day += timedelta(days=3)
    return nights


def stretching_in(nights, first=FIRST, last=LAST):
    return habit_effects(nights, first, last)[Prevention.values.index("stretching")]


def test_the_hand_worked_habit_from_a_diary():
    nights = diary_from_strata(*HAND_WORKED_STRATA)
    stretching = stretching_in(nights)
    assert stretching.strata == HAND_WORKED_STRATA
    # The plain comparison: 7 of 16 against 10 of 25, 1.09 times as many.
    assert (stretching.cramp_nights_with, stretching.nights_with) == (7, 16)
    assert (stretching.cramp_nights_without, stretching.nights_without) == (10, 25)
    assert (round(stretching.ratio, 4), round(stretching.ratio_low, 4)) == (0.6835, 0.3235)
    assert stretching.direction == UNCLEAR


def test_the_night_before_counts_only_when_logged():
    nights = diary_from_strata(*HAND_WORKED_STRATA)
    befores = {n.night for n in nights[::2]}
    without_befores = [n for n in nights if n.night not in befores]
    stretching = stretching_in(without_befores)
    assert stretching.nights_with + stretching.nights_without == 0


def test_the_night_before_may_lie_before_the_range():
    nights = [
        NightRecord(FIRST - timedelta(days=1), cramps=(cramp(),)),
        NightRecord(FIRST, prevention=frozenset({"stretching"})),
    ]
    stretching = stretching_in(nights)
    assert stretching.after_cramp_night == Stratum(0, 1, 0, 0)


def test_stretching_after_bad_nights_is_not_blamed_for_them():
    """The issue's bias: stretching on the evenings after cramp nights, doing nothing. Within
    each stratum stretching changes nothing, so the ratio is 1, though the plain shares
    (12 of 20 with, 9 of 30 without) make it look like twice the cramp nights."""
    strata = (Stratum(12, 20, 3, 5), Stratum(0, 0, 6, 25))
    stretching = stretching_in(diary_from_strata(*strata))
    assert (stretching.rate_with, stretching.rate_without) == (0.6, 0.3)
    assert stretching.ratio == pytest.approx(1.0)
    assert stretching.direction == UNCLEAR


def test_no_stratum_with_both_sides_is_we_cant_tell_yet():
    strata = (Stratum(5, 10, 0, 0), Stratum(0, 0, 2, 10))
    assert mantel_haenszel(strata) is None
    stretching = stretching_in(diary_from_strata(*strata))
    assert stretching.enough and stretching.ratio is None
    assert stretching.direction == UNCLEAR


@pytest.mark.parametrize(
    ("strata", "direction"),
    [
        ((Stratum(2, 20, 10, 20), Stratum(1, 10, 5, 10)), FEWER),
        ((Stratum(10, 20, 2, 20), Stratum(5, 10, 1, 10)), MORE),
        (HAND_WORKED_STRATA, UNCLEAR),
    ],
)
def test_a_habit_points_one_way_only_when_the_whole_interval_does(strata, direction):
    stretching = stretching_in(diary_from_strata(*strata))
    assert stretching.direction == direction
    assert (stretching.ratio_high < 1) == (direction == FEWER)
    assert (stretching.ratio_low > 1) == (direction == MORE)


@pytest.mark.parametrize(("with_habit", "without", "enough"), [(6, 7, False), (7, 7, True)])
def test_a_habit_needs_7_nights_each_way(with_habit, without, enough):
    strata = (Stratum(3, with_habit, 3, without), Stratum(0, 0, 0, 0))
    stretching = stretching_in(diary_from_strata(*strata))
    assert stretching.enough == enough
    assert (stretching.direction is None) == (not enough)
    assert (stretching.rate_with is None) == (not enough)


def test_a_range_that_ends_before_it_starts_is_an_error():
    for function in (remedy_effects, habit_effects):
        with pytest.raises(ValueError):
            function([], FIRST, FIRST - timedelta(days=1))


# Invariants

reliefs = st.sampled_from(["", "none", "some", "full"])
random_cramps = st.builds(
    cramp, st.frozensets(st.sampled_from(["flex_foot", "massage", "ice"])), reliefs
)
random_nights = st.lists(
    st.builds(
        NightRecord,
        st.integers(0, 60).map(lambda d: FIRST + timedelta(days=d)),
        prevention=st.frozensets(st.sampled_from(Prevention.values)),
        cramps=st.lists(random_cramps, max_size=3).map(tuple),
    ),
    max_size=60,
    unique_by=lambda night: night.night,
)


@given(st.integers(1, 1000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_the_wilson_interval_lies_in_0_to_1_and_holds_the_share(pair):
    successes, trials = pair
    low, high = wilson_interval(successes, trials)
    assert 0.0 <= low <= successes / trials <= high <= 1.0


@given(random_nights)
def test_the_strata_hold_the_nights_whose_night_before_was_logged(nights):
    dates = {night.night for night in nights}
    counted = sum(night.night - timedelta(days=1) in dates for night in nights)
    for effect in habit_effects(nights, FIRST, LAST):
        assert effect.nights_with + effect.nights_without == counted
        if effect.ratio is not None:
            assert 0 < effect.ratio_low <= effect.ratio <= effect.ratio_high


@given(random_nights)
def test_remedies_count_only_cramps_with_relief_given(nights):
    found = remedy_effects(nights, FIRST, LAST)
    rated = [c for n in nights for c in n.cramps if c.relief]
    assert found.no_remedy.tries == sum(not c.remedies for c in rated)
    for effect in found.effects:
        assert effect.eased <= effect.tries
        assert (effect.share is None) == (effect.tries < MIN_EVIDENCE)
        assert not effect.helpful or effect.low > found.no_remedy.high
