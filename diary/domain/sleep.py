"""Sleep figures from a night's sleep details (the Consensus Sleep Diary), and their weekly means.

Plain Python, like diary.domain.stats: it takes NightRecords and returns frozen dataclasses, and
never reads the clock, the database or a request. The definitions (DESIGN.md, "Sleep figures"; the
worked example is in docs/decisions.md, "Sleep details"):

- SOL, sleep-onset latency = the minutes it took to fall asleep, as given;
- WASO, wake after sleep onset = the minutes awake between falling asleep and the final
  waking, as given (0 when the patient woke 0 times and gave no minutes);
- TIB, time in bed = out of bed − into bed;
- TST, total sleep time = (final waking − tried to sleep) − SOL − WASO;
- SE, sleep efficiency = TST ÷ TIB × 100%.

Times are local times of day in the night's order (into bed, tried to sleep, final waking, out
of bed): a time earlier than the one before it is on the next day, so 22:30 into bed and 07:00
out of bed is 510 minutes. A figure whose inputs are missing is None, and so is one that comes
out impossible: a TST below 0 or above the TIB, or times that span more than a day.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from diary.domain import stats
from diary.domain.records import NightRecord

MINUTES_A_DAY = 24 * 60
# A range shows sleep figures from this many nights with a total sleep time, and a week its
# means from this many such nights (docs/decisions.md, "Sleep details").
MIN_SLEEP_NIGHTS = 7
MIN_SLEEP_NIGHTS_A_WEEK = 3
SLEEP_WEEKS_UP_TO = 26  # the table shows at most the most recent half year of weeks


@dataclass(frozen=True)
class SleepFigures:
    """One night's figures, in minutes (efficiency in percent); None: not computable."""

    onset_latency: int | None  # SOL
    wake_after_onset: int | None  # WASO
    time_in_bed: int | None  # TIB
    total_sleep: int | None  # TST
    efficiency: float | None  # SE, 0..100


@dataclass(frozen=True)
class SleepWeek:
    start: date  # the Monday, or the range's first night
    end: date  # the Sunday, or the range's last night
    nights: int  # nights with a total sleep time
    total_sleep_mean: float  # minutes
    efficiency_mean: float | None  # percent, over the nights of the week that have one
    cramps_per_week: float | None  # over every logged night of the week (diary.domain.stats)


@dataclass(frozen=True)
class SleepSummary:
    """The sleep figures of a range with enough nights (sleep_summary)."""

    nights: int  # nights in the range with a total sleep time
    total_sleep_mean: float  # minutes
    efficiency_mean: float | None  # percent
    weeks: list[SleepWeek]  # weeks with enough nights, oldest first
    weeks_cut: bool = False  # whether older weeks were left out (SLEEP_WEEKS_UP_TO)

    @property
    def week_threshold(self) -> int:
        """How many nights with a total sleep time a week needs for its row."""
        return MIN_SLEEP_NIGHTS_A_WEEK


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _timeline(times: Iterable[time | None]) -> list[int | None] | None:
    """Minutes from the first given time to each time (None stays None), each time after the
    one before it (on the next day when earlier on the clock); None when they span more than
    a day."""
    placed, previous, day = [], None, 0
    for moment in times:
        if moment is None:
            placed.append(None)
            continue
        clock = _minutes(moment)
        if previous is not None and clock < previous:
            day += MINUTES_A_DAY
        previous = clock
        placed.append(clock + day)
    given = [minute for minute in placed if minute is not None]
    if given and given[-1] - given[0] > MINUTES_A_DAY:
        return None
    return placed


def _between(start: int | None, end: int | None) -> int | None:
    return None if start is None or end is None else end - start


def sleep_figures(night: NightRecord) -> SleepFigures:
    """The night's SOL, WASO, TIB, TST and SE; each None when it cannot be worked out."""
    onset = night.sleep_onset_minutes
    waso = night.awake_minutes
    if waso is None and night.awakenings == 0:
        waso = 0  # no awakenings: no minutes awake
    timeline = _timeline(
        (night.bed_time, night.try_sleep_time, night.final_wake_time, night.out_of_bed_time)
    )
    if timeline is None:
        return SleepFigures(onset, waso, None, None, None)
    bed, tried, woke, up = timeline
    in_bed = _between(bed, up)
    asleep = _between(tried, woke)
    total = None if asleep is None or onset is None or waso is None else asleep - onset - waso
    if total is not None and (total < 0 or (in_bed is not None and total > in_bed)):
        total = None
    efficiency = total / in_bed * 100 if total is not None and in_bed else None
    return SleepFigures(onset, waso, in_bed, total, efficiency)


def _mean(values: list[float]) -> float | None:
    return float(statistics.fmean(values)) if values else None


def _week_start(night: date) -> date:
    return night - timedelta(days=night.weekday())


def sleep_summary(nights: Iterable[NightRecord], first: date, last: date) -> SleepSummary | None:
    """Mean total sleep time and sleep efficiency over first..last and per ISO week (Monday
    first, clipped to the range), with each week's cramps per week; None when fewer than
    MIN_SLEEP_NIGHTS nights of the range have a total sleep time. Weeks with fewer than
    MIN_SLEEP_NIGHTS_A_WEEK such nights are left out, and only the most recent
    SLEEP_WEEKS_UP_TO are kept. The work grows with the logged nights, not the calendar."""
    logged = [night for night in nights if first <= night.night <= last]
    by_week: dict[date, list[NightRecord]] = defaultdict(list)
    figures: dict[date, SleepFigures] = {}
    for night in logged:
        by_week[_week_start(night.night)].append(night)
        if night.has_sleep_details:
            figures[night.night] = sleep_figures(night)
    slept = [f for f in figures.values() if f.total_sleep is not None]
    if len(slept) < MIN_SLEEP_NIGHTS:
        return None
    weeks = []
    for monday in sorted(by_week):
        week = [figures[n.night] for n in by_week[monday] if n.night in figures]
        week = [f for f in week if f.total_sleep is not None]
        if len(week) < MIN_SLEEP_NIGHTS_A_WEEK:
            continue
        start, end = max(monday, first), min(monday + timedelta(days=6), last)
        weeks.append(
            SleepWeek(
                start=start,
                end=end,
                nights=len(week),
                total_sleep_mean=_mean([f.total_sleep for f in week]),
                efficiency_mean=_mean([f.efficiency for f in week if f.efficiency is not None]),
                cramps_per_week=stats.range_stats(by_week[monday], start, end).cramps_per_week,
            )
        )
    return SleepSummary(
        nights=len(slept),
        total_sleep_mean=_mean([f.total_sleep for f in slept]),
        efficiency_mean=_mean([f.efficiency for f in slept if f.efficiency is not None]),
        weeks=weeks[-SLEEP_WEEKS_UP_TO:],
        weeks_cut=len(weeks) > SLEEP_WEEKS_UP_TO,
    )
