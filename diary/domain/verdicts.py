"""Whether a treatment worked: cramps before its start against after, told apart from chance.

For a treatment started on night S, the baseline is nights S-56 ... S-1 (eight weeks, so that
one bad spell pulls less), *weeks 1-4* are S ... S+27 and *weeks 5-8* are S+28 ... S+55, each
after-window cut at the treatment's stop night and at the last night there is. When the four
weeks just before S had at least 1.5 times the cramp rate of the four before them (each with 14
logged nights, the earlier holding a cramp), the start came after a worse spell than usual: the
baseline is then only S-56 ... S-29, since a fall after a bad spell is partly chance.

Each after-window is compared with the baseline by the rate ratio RR = (cramps / logged nights
after) / (cramps / logged nights before) and its 95% interval from a quasi-Poisson model:
SE(log RR) = sqrt(phi * (1/a + 1/b)), a and b the cramp counts (0.5 added to each when either
is 0), phi the Pearson dispersion of the nightly counts about their window's mean, never below
1 (cramps that come in bunches widen the interval). The checks, in order: too few nights (under
14 logged before or after), no cramps before, "fewer cramps" (RR <= 0.75 and the interval wholly
below 1), "more cramps" (the interval wholly above 1), "no clear change". docs/treatments.md
works an example by hand and gives the simulated share of diaries each verdict is right in.

Plain Python: records in, figures out. `baseline` and `compare` take plain nightly counts, so
the simulation (bench/verdict_simulation.py) measures exactly the functions the pages use.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.domain.records import NightRecord, TreatmentRecord
from diary.domain.stats import round_half_away

BASELINE_NIGHTS = 56
WINDOW_NIGHTS = 28
MIN_LOGGED_NIGHTS = 14  # in the baseline and in the after-window compared
FEWER_RATIO = Fraction(3, 4)  # RR <= 0.75: trials count 25% fewer as a response
WORSE_SPELL_RATIO = Fraction(3, 2)
Z_95 = 1.96

TOO_FEW_NIGHTS = "too_few_nights"
NO_CRAMPS_BEFORE = "no_cramps_before"
FEWER_CRAMPS = "fewer_cramps"
NO_CLEAR_CHANGE = "no_clear_change"
MORE_CRAMPS = "more_cramps"
# The triage rules of the previous version read this name; it is the same verdict.
RESPONSE = FEWER_CRAMPS

VERDICT_LABELS = {
    TOO_FEW_NIGHTS: gettext_lazy("Too few nights to say"),
    NO_CRAMPS_BEFORE: gettext_lazy("No cramps before the start"),
    FEWER_CRAMPS: gettext_lazy("Fewer cramps"),
    NO_CLEAR_CHANGE: gettext_lazy("No clear change"),
    MORE_CRAMPS: gettext_lazy("More cramps"),
}


@dataclass(frozen=True)
class Window:
    """Nights first ... last (inclusive; empty when last < first) and the cramps of each night
    logged in them, oldest first."""

    first: date
    last: date
    counts: tuple[int, ...]

    @property
    def nights(self) -> int:
        return max(0, (self.last - self.first).days + 1)

    @property
    def logged(self) -> int:
        return len(self.counts)

    @property
    def cramps(self) -> int:
        return sum(self.counts)

    @property
    def rate(self) -> Fraction | None:
        """Cramps per week, exactly; None with nothing logged."""
        return Fraction(self.cramps * 7, self.logged) if self.logged else None

    @property
    def per_week(self) -> float | None:
        rate = self.rate
        return None if rate is None else float(rate)


@dataclass(frozen=True)
class Comparison:
    """An after-window against the baseline: the verdict, and the rate ratio with its 95%
    interval (all None unless both windows were compared)."""

    verdict: str
    ratio: Fraction | None = None
    low: float | None = None
    high: float | None = None
    dispersion: float | None = None

    @property
    def change_percent(self) -> int | None:
        """(RR - 1) as a whole percent, halves away from zero: -50 for half the cramps."""
        return None if self.ratio is None else round_half_away((self.ratio - 1) * 100)

    @property
    def low_percent(self) -> int | None:
        return None if self.low is None else round_half_away(Fraction(self.low - 1) * 100)

    @property
    def high_percent(self) -> int | None:
        return None if self.high is None else round_half_away(Fraction(self.high - 1) * 100)


@dataclass(frozen=True)
class Verdict:
    """One after-window (weeks 1-4 or 5-8) against the baseline."""

    before: Window  # the baseline used: S-56 ... S-1, or S-56 ... S-29 after a worse spell
    after: Window
    comparison: Comparison
    after_spell: bool  # the start came after a worse spell than usual
    alongside: tuple[TreatmentRecord, ...]  # others started inside these windows

    @property
    def verdict(self) -> str:
        return self.comparison.verdict

    @property
    def change_percent(self) -> int | None:
        return self.comparison.change_percent

    @property
    def low_percent(self) -> int | None:
        return self.comparison.low_percent

    @property
    def high_percent(self) -> int | None:
        return self.comparison.high_percent


@dataclass(frozen=True)
class TreatmentResult:
    treatment: TreatmentRecord
    first_weeks: Verdict
    later_weeks: Verdict

    @property
    def verdicts(self) -> tuple[Verdict, Verdict]:
        return (self.first_weeks, self.later_weeks)


def worse_spell(earlier: Sequence[int], latest: Sequence[int]) -> bool:
    """Whether the nights S-28 ... S-1 (`latest`, each logged night's cramps) had at least 1.5
    times the cramp rate of S-56 ... S-29 (`earlier`): both with 14 logged nights or more, and
    the earlier holding at least one cramp."""
    if len(earlier) < MIN_LOGGED_NIGHTS or len(latest) < MIN_LOGGED_NIGHTS or not sum(earlier):
        return False
    return Fraction(sum(latest), len(latest)) >= WORSE_SPELL_RATIO * Fraction(
        sum(earlier), len(earlier)
    )


def baseline(earlier: Sequence[int], latest: Sequence[int]) -> tuple[tuple[int, ...], bool]:
    """The nightly counts to compare with, and whether the start came after a worse spell:
    `earlier` alone after a worse spell, otherwise all eight weeks."""
    if worse_spell(earlier, latest):
        return tuple(earlier), True
    return (*earlier, *latest), False


def dispersion(before: Sequence[int], after: Sequence[int]) -> float:
    """The Pearson dispersion of nightly counts about each window's mean, never below 1:
    sum of (x - m)^2 / m over every logged night of both windows (a window whose mean is 0 adds
    nothing), divided by (nights before + nights after - 2)."""
    total = 0.0
    for counts in (before, after):
        mean = sum(counts) / len(counts)
        if mean:
            total += sum((x - mean) ** 2 for x in counts) / mean
    return max(1.0, total / (len(before) + len(after) - 2))


def compare(before: Sequence[int], after: Sequence[int]) -> Comparison:
    """The verdict of `after` against `before`, each the cramps of every logged night."""
    if len(before) < MIN_LOGGED_NIGHTS or len(after) < MIN_LOGGED_NIGHTS:
        return Comparison(TOO_FEW_NIGHTS)
    b, a = sum(before), sum(after)
    if b == 0:
        return Comparison(NO_CRAMPS_BEFORE)
    ratio = Fraction(a * len(before), len(after) * b)
    phi = dispersion(before, after)
    a_, b_ = (a + 0.5, b + 0.5) if a == 0 else (a, b)
    centre = math.log(a_ / len(after)) - math.log(b_ / len(before))
    margin = Z_95 * math.sqrt(phi * (1 / a_ + 1 / b_))
    low, high = math.exp(centre - margin), math.exp(centre + margin)
    if ratio <= FEWER_RATIO and high < 1:
        verdict = FEWER_CRAMPS
    elif low > 1:
        verdict = MORE_CRAMPS
    else:
        verdict = NO_CLEAR_CHANGE
    return Comparison(verdict, ratio, low, high, phi)


def _window(by_date: dict[date, NightRecord], first: date, last: date) -> Window:
    counts = tuple(len(by_date[day].cramps) for day in _days(first, last) if day in by_date)
    return Window(first, last, counts)


def _days(first: date, last: date):
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


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


def _baseline_window(by_date, start: date) -> tuple[Window, bool]:
    first = start - timedelta(days=BASELINE_NIGHTS)
    middle = start - timedelta(days=WINDOW_NIGHTS)
    earlier = _window(by_date, first, middle - timedelta(days=1))
    latest = _window(by_date, middle, start - timedelta(days=1))
    counts, after_spell = baseline(earlier.counts, latest.counts)
    return Window(first, earlier.last if after_spell else latest.last, counts), after_spell


def _result(treatment, by_date, last_night: date, others) -> TreatmentResult:
    start = treatment.start
    before, after_spell = _baseline_window(by_date, start)
    others = [other for other in others if other != treatment]
    verdicts = []
    for block in (0, 1):
        first, last = _after_window(treatment, block, last_night)
        after = _window(by_date, first, last)
        span_last = max(last, start - timedelta(days=1))
        window_first = start - timedelta(days=BASELINE_NIGHTS)
        alongside = tuple(o for o in others if window_first <= o.start <= span_last)
        comparison = compare(before.counts, after.counts)
        verdicts.append(Verdict(before, after, comparison, after_spell, alongside))
    return TreatmentResult(treatment, *verdicts)


def nights_read(treatment: TreatmentRecord, last_night: date) -> tuple[date, date]:
    """The first and last night the treatment's verdicts read."""
    first = treatment.start - timedelta(days=BASELINE_NIGHTS)
    _first, last = _after_window(treatment, 1, last_night)
    return first, max(last, treatment.start - timedelta(days=1))


# In words: the one place a verdict's change is written, for every page, the PDF and the reasons.


def signed_percent(value: int) -> str:
    """A whole percent with its sign: "−42%" (a true minus), "+13%", "0%"."""
    if value < 0:
        return f"\u2212{-value}%"
    return f"+{value}%" if value > 0 else "0%"


def change_in_words(comparison: Comparison) -> str:
    """The change with its 95% interval: "−50%, somewhere between −75% and −2%"; "no
    change, somewhere between −20% and +25%" when it rounds to 0 (never "−0%"); empty when
    the windows were not compared."""
    if comparison.ratio is None:
        return ""
    return percent_change_in_words(
        comparison.change_percent, comparison.low_percent, comparison.high_percent
    )


def percent_change_in_words(change: int, low: int, high: int) -> str:
    """change_in_words from the whole percents alone (as a prompt's stored figures hold them)."""
    figures = {"low": signed_percent(low), "high": signed_percent(high)}
    if change == 0:
        return _("no change, somewhere between %(low)s and %(high)s") % figures
    return _("%(change)s, somewhere between %(low)s and %(high)s") % {
        "change": signed_percent(change),
        **figures,
    }
