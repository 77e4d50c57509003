"""Treatment verdicts (diary.domain.verdicts) against DESIGN "Treatment verdict", with exact
numbers, including the hand-worked example of docs/treatments.md."""

from datetime import date, timedelta

import pytest

from diary.domain import verdicts
from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord

START = date(2026, 3, 1)  # before: 1-28 February 2026; weeks 1-4: 1-28 March
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


def before(logged=28, cramps=12):
    return nights(START - timedelta(days=28), logged, cramps)


def weeks_1_4(logged=28, cramps=6):
    return nights(START, logged, cramps)


def weeks_5_8(logged=28, cramps=6):
    return nights(START + timedelta(days=28), logged, cramps)


def test_the_worked_example_of_the_docs():
    """docs/treatments.md: 12 cramps in 28 logged nights before (3 a week); 5 in 20 logged
    nights of weeks 1-4 (1.75 a week: -42%, a response); 6 in 14 of weeks 5-8 (3 a week)."""
    diary = before(28, 12) + weeks_1_4(20, 5) + weeks_5_8(14, 6)
    first, later = result(diary).verdicts
    assert (first.before.first, first.before.last) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (first.after.first, first.after.last) == (date(2026, 3, 1), date(2026, 3, 28))
    assert (later.after.first, later.after.last) == (date(2026, 3, 29), date(2026, 4, 25))
    assert first.before.per_week == 3.0
    assert first.after.per_week == 1.75
    assert (first.verdict, first.change_percent) == (verdicts.RESPONSE, -42)
    assert later.after.per_week == 3.0
    assert (later.verdict, later.change_percent) == (verdicts.NO_CHANGE, 0)


@pytest.mark.parametrize(
    ("after_cramps", "verdict", "change"),
    [
        (12, verdicts.RESPONSE, -25),  # 3 a week after 4: exactly 25% fewer
        (13, verdicts.NO_CHANGE, -19),  # 3.25 a week: 18.75% fewer
        (14, verdicts.NO_CHANGE, -13),  # -12.5% rounds away from zero
        (18, verdicts.NO_CHANGE, 13),  # +12.5% likewise
        (0, verdicts.RESPONSE, -100),
    ],
)
def test_a_response_is_25_percent_fewer_cramps_a_week_or_better(after_cramps, verdict, change):
    first = result(before(28, 16) + weeks_1_4(28, after_cramps)).first_weeks
    assert first.before.per_week == 4.0
    assert (first.verdict, first.change_percent) == (verdict, change)


@pytest.mark.parametrize(
    ("after_cramps", "verdict", "change"),
    [
        (16, verdicts.NO_CHANGE, -20),  # 4 a week after 5: 20% fewer is not a response
        (15, verdicts.RESPONSE, -25),  # 3.75 a week after 5: exactly 25% fewer
    ],
)
def test_20_percent_fewer_is_not_yet_a_response(after_cramps, verdict, change):
    first = result(before(28, 20) + weeks_1_4(28, after_cramps)).first_weeks
    assert first.before.per_week == 5.0
    assert (first.verdict, first.change_percent) == (verdict, change)


def test_the_rate_counts_logged_nights_only():
    """6 cramps in 14 logged nights of the 28 is 3 a week, not 1.5."""
    first = result(before(28, 16) + weeks_1_4(14, 6)).first_weeks
    assert first.after.logged == 14 and first.after.nights == 28
    assert first.after.per_week == 3.0
    assert (first.verdict, first.change_percent) == (verdicts.RESPONSE, -25)


@pytest.mark.parametrize(
    ("logged_before", "logged_after", "verdict"),
    [
        (13, 28, verdicts.TOO_FEW_NIGHTS),
        (14, 28, verdicts.RESPONSE),
        (28, 13, verdicts.TOO_FEW_NIGHTS),
        (28, 14, verdicts.RESPONSE),
    ],
)
def test_both_windows_need_14_logged_nights(logged_before, logged_after, verdict):
    diary = nights(START - timedelta(days=logged_before), logged_before, 10)
    diary += weeks_1_4(logged_after, 0)
    first = result(diary).first_weeks
    assert first.verdict == verdict
    assert (first.change_percent is None) == (verdict == verdicts.TOO_FEW_NIGHTS)


def test_no_cramps_before_the_start_is_said_so_but_too_few_nights_comes_first():
    assert result(before(28, 0) + weeks_1_4(28, 3)).first_weeks.verdict == (
        verdicts.NO_CRAMPS_BEFORE
    )
    assert result(before(13, 0) + weeks_1_4(28, 3)).first_weeks.verdict == (verdicts.TOO_FEW_NIGHTS)


def test_nights_outside_the_windows_do_not_count():
    diary = before(28, 12) + weeks_1_4(28, 6)
    diary += nights(START - timedelta(days=60), 30, 30)  # long before
    first = result(diary).first_weeks
    assert (first.before.logged, first.before.cramps) == (28, 12)


def test_after_windows_end_at_the_last_night_and_at_the_stop_night():
    diary = before(28, 12) + weeks_1_4(28, 6) + weeks_5_8(28, 6)
    halfway = result(diary, last_night=START + timedelta(days=19)).verdicts
    assert halfway[0].after.last == START + timedelta(days=19)
    assert halfway[0].after.logged == 20
    assert halfway[1].after.nights == 0 and halfway[1].verdict == verdicts.TOO_FEW_NIGHTS
    stopped = result(diary, magnesium(stop=START + timedelta(days=15))).verdicts
    assert stopped[0].after.last == START + timedelta(days=15)
    assert stopped[0].after.logged == 16  # 6 cramps in 16 nights: 2.625 a week against 3
    assert (stopped[0].verdict, stopped[0].change_percent) == (verdicts.NO_CHANGE, -13)
    assert stopped[1].after.nights == 0 and stopped[1].verdict == verdicts.TOO_FEW_NIGHTS


def test_nights_after_the_last_night_are_never_read():
    diary = before(28, 12) + weeks_1_4(28, 28)
    first = result(diary, last_night=START - timedelta(days=1)).first_weeks
    assert first.after.logged == 0


def test_treatments_started_inside_the_windows_are_named_together():
    stretching = TreatmentRecord("Stretching", "stretching", START + timedelta(days=10))
    earlier = TreatmentRecord("Vitamin B", "vitamin_b", START - timedelta(days=28))
    long_before = TreatmentRecord("Quinine", "quinine", START - timedelta(days=29))
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
    from fractions import Fraction

    assert verdicts.round_half_away(Fraction(value)) == rounded


def test_the_nights_read_cover_both_windows():
    assert verdicts.nights_read(magnesium(), LATE) == (date(2026, 2, 1), date(2026, 4, 25))
    assert verdicts.nights_read(magnesium(stop=START), LATE) == (date(2026, 2, 1), START)
