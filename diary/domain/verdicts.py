"""Whether a treatment worked: cramps per week before its start and after, and the verdict.

DESIGN "Treatment verdict": for a treatment started on night S, *before* is nights S-28 ... S-1,
*weeks 1-4* are S ... S+27 and *weeks 5-8* are S+28 ... S+55, each after-window cut at the
treatment's stop night and at the last night there is. Cramps per week in each window are
counted as everywhere else (cramps / logged nights x 7, so unlogged nights do not count as
none). A response is 25% fewer cramps a week or better (Cochrane reviews of magnesium and
quinine count it so over about 4 weeks). The checks run in DESIGN's order: too few nights, no
cramps before, then response or no change. Another treatment started inside a verdict's
windows is named beside it, never left out: the change may be theirs together.

Plain Python: records in, figures out. Exact fractions, so that a window landing right on 25%
fewer is a response whatever the floating point.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from diary.domain.records import NightRecord, TreatmentRecord

WINDOW_NIGHTS = 28
MIN_LOGGED_NIGHTS = 14  # in each of the two windows compared
RESPONSE_RATIO = Fraction(3, 4)  # after <= 3/4 of before: 25% fewer cramps a week, or better

TOO_FEW_NIGHTS = "too_few_nights"
NO_CRAMPS_BEFORE = "no_cramps_before"
RESPONSE = "response"
NO_CHANGE = "no_change"


@dataclass(frozen=True)
class Window:
    """Nights first ... last (inclusive; empty when last < first) and what was logged in them."""

    first: date
    last: date
    logged: int
    cramps: int

    @property
    def nights(self) -> int:
        return max(0, (self.last - self.first).days + 1)

    @property
    def rate(self) -> Fraction | None:
        """Cramps per week, exactly; None with nothing logged."""
        return Fraction(self.cramps * 7, self.logged) if self.logged else None

    @property
    def per_week(self) -> float | None:
        rate = self.rate
        return None if rate is None else float(rate)


@dataclass(frozen=True)
class Verdict:
    """One after-window (weeks 1-4 or 5-8) against the four weeks before the start."""

    before: Window
    after: Window
    verdict: str  # one of the constants above
    change_percent: int | None  # whole percent, negative for fewer; None unless compared
    alongside: tuple[TreatmentRecord, ...]  # others started inside these windows


@dataclass(frozen=True)
class TreatmentResult:
    treatment: TreatmentRecord
    first_weeks: Verdict
    later_weeks: Verdict

    @property
    def verdicts(self) -> tuple[Verdict, Verdict]:
        return (self.first_weeks, self.later_weeks)


def round_half_away(value: Fraction) -> int:
    """Rounds to a whole number, halves away from zero (DESIGN: -12.5% is -13%)."""
    whole = int(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


def _window(by_date: dict[date, NightRecord], first: date, last: date) -> Window:
    logged = [by_date[day] for day in _days(first, last) if day in by_date]
    return Window(first, last, len(logged), sum(len(night.cramps) for night in logged))


def _days(first: date, last: date):
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _verdict(before: Window, after: Window) -> tuple[str, int | None]:
    if before.logged < MIN_LOGGED_NIGHTS or after.logged < MIN_LOGGED_NIGHTS:
        return TOO_FEW_NIGHTS, None
    if before.cramps == 0:
        return NO_CRAMPS_BEFORE, None
    change = round_half_away((after.rate - before.rate) / before.rate * 100)
    return (RESPONSE if after.rate <= RESPONSE_RATIO * before.rate else NO_CHANGE), change


def _after_window(treatment: TreatmentRecord, block: int, last_night: date) -> tuple[date, date]:
    """Weeks 1-4 (block 0) or 5-8 (block 1) after the start, cut at the last nights."""
    first = treatment.start + timedelta(days=WINDOW_NIGHTS * block)
    last = first + timedelta(days=WINDOW_NIGHTS - 1)
    ends = [last, last_night, *([treatment.stop] if treatment.stop else [])]
    return first, min(ends)


def treatment_result(
    treatment: TreatmentRecord,
    nights: Iterable[NightRecord],
    last_night: date,
    others: Iterable[TreatmentRecord] = (),
) -> TreatmentResult:
    """The verdicts for weeks 1-4 and 5-8 of `treatment`, from the logged nights up to
    `last_night` (the last night that has passed). `others`: the patient's other treatments,
    named beside a verdict when they started inside its windows."""
    return _result(treatment, _by_date(nights, last_night), last_night, others)


def treatment_results(
    treatments: Iterable[TreatmentRecord], nights: Iterable[NightRecord], last_night: date
) -> list[TreatmentResult]:
    """Every treatment's result, in the order given."""
    treatments = list(treatments)
    by_date = _by_date(nights, last_night)
    return [_result(t, by_date, last_night, treatments) for t in treatments]


def _by_date(nights: Iterable[NightRecord], last_night: date) -> dict[date, NightRecord]:
    return {night.night: night for night in nights if night.night <= last_night}


def _result(treatment, by_date, last_night: date, others) -> TreatmentResult:
    start = treatment.start
    before = _window(by_date, start - timedelta(days=WINDOW_NIGHTS), start - timedelta(days=1))
    others = [other for other in others if other != treatment]
    verdicts = []
    for block in (0, 1):
        first, last = _after_window(treatment, block, last_night)
        after = _window(by_date, first, last)
        verdict, change = _verdict(before, after)
        span_last = max(last, start - timedelta(days=1))
        alongside = tuple(o for o in others if before.first <= o.start <= span_last)
        verdicts.append(Verdict(before, after, verdict, change, alongside))
    return TreatmentResult(treatment, *verdicts)


def nights_read(treatment: TreatmentRecord, last_night: date) -> tuple[date, date]:
    """The first and last night the treatment's verdicts read."""
    first = treatment.start - timedelta(days=WINDOW_NIGHTS)
    _first, last = _after_window(treatment, 1, last_night)
    return first, max(last, treatment.start - timedelta(days=1))
