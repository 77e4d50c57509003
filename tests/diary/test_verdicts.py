"""Treatment verdicts (diary.domain.verdicts, v3): the baseline, the rate ratio and its
quasi-Poisson interval, each check at both sides, and the hand-worked example of
docs/treatments.md number for number."""

import math
from datetime import date, timedelta
from fractions import Fraction

import pytest

from diary.domain import verdicts
from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord

START = date(2026, 3, 1)  # before: 4 January - 28 February 2026; weeks 1-4: 1-28 March
LATE = date(2026, 12, 31)
CRAMP = CrampRecord("calf", "left", 2, 5)


def nights(first: date, logged: int, cramps: int) -> list[NightRecord]:
    """`logged` nights from `first` on, with `cramps` cramps spread one a night from the start
    (and the rest on the last night)."""
    made = []
    for offset in range(logged):
        count = 1 if offset < cramps else 0
        if offset == logged - 1:
            count = max(count, cramps - (logged - 1))
        made.append(NightRecord(first + timedelta(days=offset), cramps=(CRAMP,) * count))
    return made


def magnesium(**fields) -> TreatmentRecord:
    return TreatmentRecord("Magnesium citrate", "magnesium", START, **fields)


def result(diary, treatment=None, last_night=LATE, others=()):
    return verdicts.treatment_result(treatment or magnesium(), diary, last_night, others)


def counted(first: date, counts) -> list[NightRecord]:
    """One logged night a count from `first` on, with that many cramps."""
    return [
        NightRecord(first + timedelta(days=offset), cramps=(CRAMP,) * count)
        for offset, count in enumerate(counts)
    ]


def before(logged=56, cramps=24):
    return nights(START - timedelta(days=56), logged, cramps)


def weeks_1_4(logged=28, cramps=6):
    return nights(START, logged, cramps)


def weeks_5_8(logged=28, cramps=6):
    return nights(START + timedelta(days=28), logged, cramps)


# docs/treatments.md, "A worked example": each half of the baseline holds 7 nights of 2
# cramps and 7 of 1; weeks 1-4 hold 7 nights of 1 cramp; weeks 5-8, 2 nights of 4 and 6 of 1.
HALF_BASELINE = [2, 0] * 7 + [1, 0] * 7
WORKED_BASELINE = HALF_BASELINE * 2
WORKED_WEEKS_1_4 = [1, 0, 0, 0] * 7
WORKED_WEEKS_5_8 = [4, 0, 0, 0, 0, 0, 0] * 2 + [1, 0] * 6 + [0, 0]


def worked_diary():
    return (
        counted(START - timedelta(days=56), WORKED_BASELINE)
        + counted(START, WORKED_WEEKS_1_4)
        + counted(START + timedelta(days=28), WORKED_WEEKS_5_8)
    )


def test_the_worked_example_of_the_docs():
    first, later = result(worked_diary()).verdicts
    assert (first.before.first, first.before.last) == (date(2026, 1, 4), date(2026, 2, 28))
    assert (first.after.first, first.after.last) == (date(2026, 3, 1), date(2026, 3, 28))
    assert (later.after.first, later.after.last) == (date(2026, 3, 29), date(2026, 4, 25))
    assert not first.after_spell  # 21 cramps in each half of the baseline
    assert (first.before.logged, first.before.cramps, first.before.per_week) == (56, 42, 5.25)
    # Weeks 1-4: 7 cramps in 28 nights, 1.75 a week; RR = 1/3.
    assert (first.after.cramps, first.after.per_week) == (7, 1.75)
    assert first.comparison.ratio == Fraction(1, 3)
    assert first.comparison.dispersion == 1.0  # (51.33 + 21) / 82 = 0.88, never below 1
    assert round(first.comparison.low, 4) == 0.1498 and round(first.comparison.high, 4) == 0.7420
    assert (first.change_percent, first.low_percent, first.high_percent) == (-67, -85, -26)
    assert first.verdict == verdicts.FEWER_CRAMPS
    # Weeks 5-8: 14 cramps in 28 nights, 3.5 a week; RR = 2/3, dispersion 113.33 / 82.
    assert (later.after.cramps, later.after.per_week) == (14, 3.5)
    assert later.comparison.ratio == Fraction(2, 3)
    assert round(later.comparison.dispersion, 4) == 1.3821
    assert round(later.comparison.low, 4) == 0.3274 and round(later.comparison.high, 4) == 1.3575
    assert (later.change_percent, later.low_percent, later.high_percent) == (-33, -67, 36)
    assert later.verdict == verdicts.NO_CLEAR_CHANGE


def test_the_worked_example_in_words():
    first, later = result(worked_diary()).verdicts
    assert verdicts.change_in_words(first.comparison) == (
        "\u221267%, somewhere between \u221285% and \u221226%"
    )
    assert verdicts.change_in_words(later.comparison) == (
        "\u221233%, somewhere between \u221267% and +36%"
    )


def test_a_change_that_rounds_to_0_reads_no_change_never_minus_0():
    base = [1, 0] * 28  # 28 cramps in 56 nights
    after = [1, 0] * 14  # the same rate, to the cramp
    comparison = verdicts.compare(base, after)
    assert comparison.change_percent == 0
    words = verdicts.change_in_words(comparison)
    assert words.startswith("no change, somewhere between \u2212")
    assert "\u22120%" not in words and "-0%" not in words
    # A quarter of a percent fewer still rounds to 0: 399 against 400 cramps a fortnight.
    nearly = verdicts.compare([400] * 14, [400] * 13 + [399])
    assert nearly.change_percent == 0
    assert verdicts.change_in_words(nearly).startswith("no change")


def test_the_dispersion_is_the_pearson_statistic_over_both_windows_never_below_1():
    # before mean 1: (0-1)^2 + (2-1)^2 = 2; after mean 2: (0-2)^2 / 2 + (4-2)^2 / 2 = 4; 6 / 2
    assert verdicts.dispersion([0, 2], [0, 4]) == 3.0
    assert verdicts.dispersion([0, 0], [0, 4]) == 4 / 2  # a window with mean 0 adds nothing
    assert verdicts.dispersion([1, 1, 1], [1, 1, 1]) == 1.0


def test_the_interval_is_the_quasi_poisson_one():
    base, after = [2, 0] * 28, [3, 0, 1, 0] * 7  # 56 cramps in 56 nights; 28 in 28
    comparison = verdicts.compare(base, after)
    phi = verdicts.dispersion(base, after)
    margin = 1.96 * math.sqrt(phi * (1 / 28 + 1 / 56))
    assert phi > 1
    assert comparison.ratio == 1
    assert math.isclose(comparison.low, math.exp(-margin))
    assert math.isclose(comparison.high, math.exp(margin))


def test_no_cramps_after_adds_a_half_to_both_counts_for_the_interval():
    comparison = verdicts.compare([1] * 56, [0] * 28)
    assert comparison.ratio == 0 and comparison.change_percent == -100
    centre = math.log((0.5 / 28) / (56.5 / 56))
    margin = 1.96 * math.sqrt(1 / 0.5 + 1 / 56.5)
    assert math.isclose(comparison.low, math.exp(centre - margin))
    assert math.isclose(comparison.high, math.exp(centre + margin))
    assert comparison.verdict == verdicts.FEWER_CRAMPS


@pytest.mark.parametrize(
    ("after_cramps", "verdict"),
    [
        (84, verdicts.FEWER_CRAMPS),  # RR exactly 0.75, interval below 1
        (85, verdicts.NO_CLEAR_CHANGE),  # RR 0.759: interval below 1, but not 25% fewer
    ],
)
def test_fewer_cramps_needs_rr_at_most_three_quarters(after_cramps, verdict):
    after = [3] * 27 + [after_cramps - 81]
    comparison = verdicts.compare([4] * 56, after)
    assert comparison.high < 1
    assert comparison.verdict == verdict


def test_fewer_cramps_needs_the_interval_wholly_below_1():
    """Half the cramps, but too few to tell: 2 in 28 nights against 8 in 56 spans 1."""
    halved = verdicts.compare([1, 0] * 8 + [0] * 40, [1, 0, 0, 0] * 2 + [0] * 20)
    assert halved.ratio == Fraction(1, 2) and halved.high > 1
    assert halved.verdict == verdicts.NO_CLEAR_CHANGE


@pytest.mark.parametrize(
    ("after", "verdict"),
    [
        ([2] * 14, verdicts.MORE_CRAMPS),  # 28 against 14 in 14 nights each: RR 2
        ([1] * 13 + [4], verdicts.NO_CLEAR_CHANGE),  # 17 against 14: RR 1.21, spans 1
    ],
)
def test_more_cramps_needs_the_interval_wholly_above_1(after, verdict):
    comparison = verdicts.compare([1] * 14, after)
    assert (comparison.low > 1) == (verdict == verdicts.MORE_CRAMPS)
    assert comparison.verdict == verdict


@pytest.mark.parametrize(
    ("logged_before", "logged_after", "verdict"),
    [
        (13, 28, verdicts.TOO_FEW_NIGHTS),
        (14, 28, verdicts.FEWER_CRAMPS),
        (28, 13, verdicts.TOO_FEW_NIGHTS),
        (28, 14, verdicts.FEWER_CRAMPS),
    ],
)
def test_both_windows_need_14_logged_nights(logged_before, logged_after, verdict):
    diary = counted(START - timedelta(days=logged_before), [2] * logged_before)
    diary += weeks_1_4(logged_after, 0)
    first = result(diary).first_weeks
    assert first.verdict == verdict
    assert (first.change_percent is None) == (verdict == verdicts.TOO_FEW_NIGHTS)


def test_no_cramps_before_the_start_is_said_so_but_too_few_nights_comes_first():
    assert result(before(56, 0) + weeks_1_4(28, 3)).first_weeks.verdict == (
        verdicts.NO_CRAMPS_BEFORE
    )
    assert result(before(13, 0) + weeks_1_4(28, 3)).first_weeks.verdict == (verdicts.TOO_FEW_NIGHTS)


def spell_diary(earlier_cramps: int, latest_cramps: int, earlier_logged: int = 28):
    """The baseline's halves: `earlier_cramps` in S-56 ... S-29, `latest_cramps` in S-28 ... S-1."""
    return nights(START - timedelta(days=56), earlier_logged, earlier_cramps) + nights(
        START - timedelta(days=28), 28, latest_cramps
    )


@pytest.mark.parametrize(
    ("earlier", "latest", "earlier_logged", "after_spell"),
    [
        (14, 21, 28, True),  # exactly 1.5 times the rate
        (14, 20, 28, False),  # just under
        (7, 21, 14, True),  # 14 logged nights in the earlier half are enough
        (6, 21, 13, False),  # 13 are not, though the rate would be
        (0, 10, 28, False),  # no cramp in the earlier half: no spell to speak of
    ],
)
def test_a_start_after_a_worse_spell_compares_with_the_weeks_before_it(
    earlier, latest, earlier_logged, after_spell
):
    first = result(spell_diary(earlier, latest, earlier_logged) + weeks_1_4(28, 7)).first_weeks
    assert first.after_spell == after_spell
    if after_spell:
        assert (first.before.first, first.before.last) == (date(2026, 1, 4), date(2026, 1, 31))
        assert (first.before.logged, first.before.cramps) == (earlier_logged, earlier)
    else:
        assert (first.before.first, first.before.last) == (date(2026, 1, 4), date(2026, 2, 28))
        assert first.before.cramps == earlier + latest


def test_the_latest_half_needs_14_logged_nights_for_a_worse_spell():
    diary = nights(START - timedelta(days=56), 28, 4) + nights(START - timedelta(days=13), 13, 13)
    assert not result(diary + weeks_1_4(28, 2)).first_weeks.after_spell


def test_nights_outside_the_windows_do_not_count():
    diary = before(56, 24) + weeks_1_4(28, 6)
    diary += nights(START - timedelta(days=90), 34, 34)  # long before
    first = result(diary).first_weeks
    assert (first.before.logged, first.before.cramps) == (56, 24)


def test_after_windows_end_at_the_last_night_and_at_the_stop_night():
    diary = before(56, 24) + weeks_1_4(28, 6) + weeks_5_8(28, 6)
    halfway = result(diary, last_night=START + timedelta(days=19)).verdicts
    assert halfway[0].after.last == START + timedelta(days=19)
    assert halfway[0].after.logged == 20
    assert halfway[1].after.nights == 0 and halfway[1].verdict == verdicts.TOO_FEW_NIGHTS
    stopped = result(diary, magnesium(stop=START + timedelta(days=15))).verdicts
    assert stopped[0].after.last == START + timedelta(days=15)
    assert stopped[0].after.logged == 16  # 6 cramps in 16 nights: 2.625 a week against 3
    assert (stopped[0].verdict, stopped[0].change_percent) == (verdicts.NO_CLEAR_CHANGE, -13)
    assert stopped[1].after.nights == 0 and stopped[1].verdict == verdicts.TOO_FEW_NIGHTS


def test_nights_after_the_last_night_are_never_read():
    diary = before(56, 24) + weeks_1_4(28, 28)
    first = result(diary, last_night=START - timedelta(days=1)).first_weeks
    assert first.after.logged == 0


def test_treatments_started_inside_the_windows_are_named_together():
    stretching = TreatmentRecord("Stretching", "stretching", START + timedelta(days=10))
    earlier = TreatmentRecord("Vitamin B", "vitamin_b", START - timedelta(days=56))
    long_before = TreatmentRecord("Quinine", "quinine", START - timedelta(days=57))
    later = TreatmentRecord("Other", "other", START + timedelta(days=40))
    others = [stretching, earlier, long_before, later, magnesium()]
    first, second = result([], others=others).verdicts
    assert first.alongside == (stretching, earlier)
    assert second.alongside == (stretching, earlier, later)


def test_every_treatment_gets_its_result_in_order():
    a, b = magnesium(), TreatmentRecord("Stretching", "stretching", START)
    results = verdicts.treatment_results([a, b], [], LATE)
    assert [r.treatment for r in results] == [a, b]
    assert results[0].first_weeks.alongside == (b,)


@pytest.mark.parametrize(
    ("value", "rounded"), [("12.5", 13), ("-12.5", -13), ("12.49", 12), ("-0.5", -1), ("0", 0)]
)
def test_percentages_round_half_away_from_zero(value, rounded):
    assert verdicts.round_half_away(Fraction(value)) == rounded


def test_the_nights_read_cover_both_windows():
    assert verdicts.nights_read(magnesium(), LATE) == (date(2026, 1, 4), date(2026, 4, 25))
    assert verdicts.nights_read(magnesium(stop=START), LATE) == (date(2026, 1, 4), START)
