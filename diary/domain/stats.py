"""Diary statistics: how often cramps came, how bad they were, and what seemed to help.

Plain Python: it takes NightRecords and a range of nights (`first` .. `last`, both inclusive,
plain dates) and returns frozen dataclasses. It never reads the clock, the database or a
request. Every page and export uses these definitions, so that they agree:

- cramps per week = cramps / logged nights * 7: unlogged nights do not count as zero;
- weeks are ISO weeks, Monday first;
- a cramp-free run is broken by a cramp night and by an unlogged night;
- changes are whole percents, halves rounded away from zero.

What seems to help (remedies and habits) is diary.domain.what_helps.
"""

import math
import statistics
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from operator import attrgetter

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.vocabulary import DaytimeImpairment, Muscle, Side

NIGHTLY_UP_TO = 31  # periods are nights up to this many nights,
WEEKLY_UP_TO = 731  # ISO weeks up to about two years, calendar months beyond
ONE_NIGHT = timedelta(days=1)
IMPAIRED = (
    DaytimeImpairment.MILD.value,
    DaytimeImpairment.MODERATE.value,
    DaytimeImpairment.SEVERE.value,
)
MIN_NIGHTS_FOR_A_RATE = 7  # below this, pages say "too few nights yet" instead of a rate


@dataclass(frozen=True)
class RangeStats:
    """What range_stats says about the nights first..last."""

    first: date  # inclusive
    last: date  # inclusive
    nights_in_range: int  # calendar nights
    nights_logged: int
    nights_not_logged: int
    cramp_nights: int  # logged nights with at least one cramp
    cramps: int
    cramps_per_week: float | None  # None when nothing was logged
    cramp_nights_per_week: float | None
    severity_mean: float | None  # over all cramps; None when there were none
    severity_worst: int | None
    severity_median: float | None  # "typical severity"
    duration_median: float | None  # minutes
    duration_longest: float | None
    duration_total: float
    by_muscle: dict[str, int]  # most cramps first, ties in vocabulary order
    by_side: dict[str, int]  # vocabulary order
    by_muscle_side: dict[tuple[str, str], int]  # muscles as in by_muscle, then side order
    nights_woken: int
    times_woken: int
    sleep_quality_mean: float | None
    impairment_days: int  # nights with mild, moderate or severe daytime impairment
    impairment_by_level: dict[str, int]  # always "mild", "moderate" and "severe"
    longest_cramp_free_run: int  # logged cramp-free nights in a row

    @property
    def rate_known(self) -> bool:
        """Enough logged nights for a rate per week to mean something: two logged nights are
        not "7.0 cramps a week"."""
        return self.nights_logged >= MIN_NIGHTS_FOR_A_RATE


@dataclass(frozen=True)
class Change:
    current: float | None  # cramps per week
    previous: float | None
    difference: float | None  # current - previous
    percent: int | None  # difference / previous as a whole percent; None when previous is 0


@dataclass(frozen=True)
class Period:
    start: date  # clipped to the range
    end: date
    nights: int  # calendar nights
    nights_logged: int
    cramp_nights: int
    cramps: int
    severity_worst: int | None
    severity_mean: float | None
    duration_total: float
    duration_longest: float | None

    @property
    def logged(self) -> bool:
        return self.nights_logged > 0

    @property
    def cramps_per_week(self) -> float | None:
        return _per_week(self.cramps, self.nights_logged)

    @property
    def cramp_nights_per_week(self) -> float | None:
        return _per_week(self.cramp_nights, self.nights_logged)


def _check(first: date, last: date) -> None:
    if first > last:
        raise ValueError(f"The range starts ({first}) after it ends ({last}).")


def _logged(nights: Iterable[NightRecord], first: date, last: date) -> dict[date, NightRecord]:
    """The logged nights first..last by date, oldest first; ValueError when first > last."""
    _check(first, last)
    inside = (night for night in nights if first <= night.night <= last)
    return {night.night: night for night in sorted(inside, key=attrgetter("night"))}


def _cramps(nights: Iterable[NightRecord]) -> list[CrampRecord]:
    return [cramp for night in nights for cramp in night.cramps]


def _per_week(count: int, nights_logged: int) -> float | None:
    # 7 * count / nights rather than count / nights * 7: one rounding instead of two.
    return 7 * count / nights_logged if nights_logged else None


def _mean(values: list[float]) -> float | None:
    return float(statistics.mean(values)) if values else None


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _vocabulary_order(vocabulary: Iterable[str]):
    """A sort key: vocabulary values in their order, then any other value alphabetically."""
    rank = {value: index for index, value in enumerate(vocabulary)}
    return lambda value: (rank.get(value, len(rank)), value)


_muscle_order = _vocabulary_order(Muscle.values)
_side_order = _vocabulary_order(Side.values)


def _longest_cramp_free_run(by_date: dict[date, NightRecord]) -> int:
    """Over the logged nights (oldest first): a gap in the dates is an unlogged night."""
    longest = run = 0
    previous = None
    for day, night in by_date.items():
        if night.cramps:
            run = 0
        elif previous is not None and day - previous == ONE_NIGHT:
            run += 1
        else:
            run = 1
        previous = day
        longest = max(longest, run)
    return longest


def range_stats(nights: Iterable[NightRecord], first: date, last: date) -> RangeStats:
    """The statistics of the nights first..last (inclusive); nights outside are ignored.

    Raises ValueError when first > last.
    """
    by_date = _logged(nights, first, last)
    logged = list(by_date.values())
    cramps = _cramps(logged)
    severities = [cramp.severity for cramp in cramps]
    durations = [cramp.duration_minutes for cramp in cramps]
    nights_in_range = (last - first).days + 1
    cramp_nights = sum(night.is_cramp_night for night in logged)

    muscles = Counter(cramp.muscle for cramp in cramps)
    muscle_order = sorted(muscles, key=lambda muscle: (-muscles[muscle], _muscle_order(muscle)))
    muscle_rank = {muscle: index for index, muscle in enumerate(muscle_order)}
    sides = Counter(cramp.side for cramp in cramps)
    muscle_sides = Counter((cramp.muscle, cramp.side) for cramp in cramps)
    qualities = [night.sleep_quality for night in logged if night.sleep_quality is not None]
    impairments = Counter(night.daytime_impairment for night in logged)

    return RangeStats(
        first=first,
        last=last,
        nights_in_range=nights_in_range,
        nights_logged=len(logged),
        nights_not_logged=nights_in_range - len(logged),
        cramp_nights=cramp_nights,
        cramps=len(cramps),
        cramps_per_week=_per_week(len(cramps), len(logged)),
        cramp_nights_per_week=_per_week(cramp_nights, len(logged)),
        severity_mean=_mean(severities),
        severity_worst=max(severities, default=None),
        severity_median=_median(severities),
        duration_median=_median(durations),
        duration_longest=max(durations, default=None),
        duration_total=math.fsum(durations),
        by_muscle={muscle: muscles[muscle] for muscle in muscle_order},
        by_side={side: sides[side] for side in sorted(sides, key=_side_order)},
        # Muscles in by_muscle's order, then sides in vocabulary order: rows of one table.
        by_muscle_side={
            pair: muscle_sides[pair]
            for pair in sorted(muscle_sides, key=lambda p: (muscle_rank[p[0]], _side_order(p[1])))
        },
        nights_woken=sum(any(cramp.woke for cramp in night.cramps) for night in logged),
        times_woken=sum(night.times_woken for night in logged),
        sleep_quality_mean=_mean(qualities),
        impairment_days=sum(impairments[level] for level in IMPAIRED),
        impairment_by_level={level: impairments[level] for level in IMPAIRED},
        longest_cramp_free_run=_longest_cramp_free_run(by_date),
    )


TRENDS_DAYS = 30  # the nights the trends page shows unless another range is chosen
GLANCE_NIGHTS = 7  # the home page's tiles


def home_firsts(latest: date, starts: date) -> tuple[date, date]:
    """The first night of the home page's chart (up to eight whole weeks, Monday first, ending
    with this week) and of its tiles: never before the diary's first night."""
    monday = latest - timedelta(days=latest.weekday())
    return max(monday - timedelta(weeks=7), starts), max(
        latest - timedelta(days=GLANCE_NIGHTS - 1), starts
    )


def range_within_diary(
    first: date, last: date, diary_starts: date | None
) -> tuple[date, date, bool]:
    """The range from `first` to `last`, never starting before the diary does: its first and
    last night, and whether it was moved to the diary's first night."""
    moved = bool(diary_starts and first < diary_starts <= last)
    if diary_starts:
        first = min(max(first, diary_starts), last)
    return first, last, moved


def previous_range(first: date, last: date) -> tuple[date, date]:
    """The range of the same length just before first..last: (first - n, first - 1)."""
    _check(first, last)
    length = timedelta(days=(last - first).days + 1)
    return first - length, first - timedelta(days=1)


def cramps_per_week_change(current: RangeStats, previous: RangeStats) -> Change:
    """Cramps per week in `current` against `previous`; no percentage from a previous of 0."""
    now, before = current.cramps_per_week, previous.cramps_per_week
    if now is None or before is None:
        return Change(now, before, None, None)
    difference = now - before
    percent = round_half_away(Fraction(difference) / Fraction(before) * 100) if before else None
    return Change(now, before, difference, percent)


def round_half_away(value: Fraction) -> int:
    """Rounds to a whole number, halves away from zero (-12.5% is -13%)."""
    whole = int(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


def _period(logged: list[NightRecord], days: list[date], start: date, end: date) -> Period:
    """The period start..end of the logged nights (oldest first, `days` their dates)."""
    inside = logged[bisect_left(days, start) : bisect_right(days, end)]
    cramps = _cramps(inside)
    severities = [cramp.severity for cramp in cramps]
    durations = [cramp.duration_minutes for cramp in cramps]
    return Period(
        start=start,
        end=end,
        nights=(end - start).days + 1,
        nights_logged=len(inside),
        cramp_nights=sum(night.is_cramp_night for night in inside),
        cramps=len(cramps),
        severity_worst=max(severities, default=None),
        severity_mean=_mean(severities),
        duration_total=math.fsum(durations),
        duration_longest=max(durations, default=None),
    )


def _period_start(end: date, unit: str) -> date:
    if unit == "night":
        return end
    if unit == "week":
        return end - timedelta(days=end.weekday())
    return end.replace(day=1)


def _split(
    nights: Iterable[NightRecord], first: date, last: date, unit: str, most: int | None = None
) -> list[Period]:
    """Periods of one unit covering first..last, oldest first, clipped to the range; with
    `most`, only the most recent `most` of them. The work grows with the periods made and the
    nights logged, never with the calendar nights of the range."""
    by_date = _logged(nights, first, last)
    logged, days = list(by_date.values()), list(by_date)
    spans = []
    end = last
    while end >= first and (most is None or len(spans) < most):
        start = max(_period_start(end, unit), first)
        spans.append((start, end))
        end = start - ONE_NIGHT
    return [_period(logged, days, start, end) for start, end in reversed(spans)]


def weekly_periods(nights: Iterable[NightRecord], first: date, last: date) -> list[Period]:
    """ISO weeks (Monday first) covering first..last, oldest first; the first and last week
    are clipped to the range."""
    return _split(nights, first, last, "week")


def monthly_periods(nights: Iterable[NightRecord], first: date, last: date) -> list[Period]:
    """Calendar months covering first..last, oldest first, the first and last clipped."""
    return _split(nights, first, last, "month")


def nightly_periods(nights: Iterable[NightRecord], first: date, last: date) -> list[Period]:
    """One Period per calendar night first..last, oldest first."""
    return _split(nights, first, last, "night")


def period_unit(first: date, last: date) -> str:
    """What periods() splits first..last into: "night", "week" or "month"."""
    length = (last - first).days + 1
    if length <= NIGHTLY_UP_TO:
        return "night"
    return "week" if length <= WEEKLY_UP_TO else "month"


def unit_of(periods: list[Period]) -> str:
    """Which unit a list of periods is in: "night", "week" or "month" (weeks when empty)."""
    if periods and all(period.nights == 1 for period in periods):
        return "night"
    weeks = (period.start.isocalendar()[:2] != period.end.isocalendar()[:2] for period in periods)
    return "month" if any(weeks) else "week"


def periods(
    nights: Iterable[NightRecord], first: date, last: date, most: int | None = None
) -> list[Period]:
    """Nightly periods for ranges of up to NIGHTLY_UP_TO nights, ISO weeks up to WEEKLY_UP_TO,
    calendar months for longer ones; with `most`, only the most recent `most` periods."""
    _check(first, last)
    return _split(nights, first, last, period_unit(first, last), most)


@dataclass(frozen=True)
class QuietRun:
    """Consecutive logged nights with nothing to note but how the patient slept: no cramp,
    warning sign, symptom, toxin, note or daytime impairment (`is_quiet`). A nights table
    lists such a run as one row, so that the nights with something to read stand out."""

    first: date
    last: date
    nights: int
    sleep_low: int | None  # the range of the sleep quality given, if any
    sleep_high: int | None

    is_quiet_run = True  # what a template tells it from a NightRecord by


QUIET_RUN_FROM = 2  # nights: a single quiet night keeps its own row


def is_quiet(night: NightRecord) -> bool:
    return not (
        night.cramps
        or night.red_flags
        or night.symptoms
        or night.toxin_exposure
        or night.toxin_substance
        or night.notes
        or night.daytime_impairment in IMPAIRED
    )


def night_rows(nights: Iterable[NightRecord]) -> list[NightRecord | QuietRun]:
    """The rows of a nights table, newest first: each night with something to note, and each
    run of QUIET_RUN_FROM or more consecutive quiet nights as one QuietRun. An unlogged night
    ends a run, so the table still shows where the diary has gaps."""
    rows: list[NightRecord | QuietRun] = []
    run: list[NightRecord] = []

    def close_run() -> None:
        if len(run) >= QUIET_RUN_FROM:
            given = [night.sleep_quality for night in run if night.sleep_quality is not None]
            rows.append(
                QuietRun(
                    first=run[-1].night,
                    last=run[0].night,
                    nights=len(run),
                    sleep_low=min(given, default=None),
                    sleep_high=max(given, default=None),
                )
            )
        else:
            rows.extend(run)
        run.clear()

    for night in sorted(nights, key=attrgetter("night"), reverse=True):
        quiet = is_quiet(night)
        if run and (not quiet or run[-1].night - night.night != ONE_NIGHT):
            close_run()
        (run if quiet else rows).append(night)
    close_run()
    return rows
