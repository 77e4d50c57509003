"""A patient's statistics and charts for a range of nights: what trends pages and summaries show.

Turns the patient's rows into plain records once, hands them to diary.stats, and renders the
charts through the cache. The cache key holds the patient, the chart, the resolved dates of
the range, the format, the language and the diary version, which every change bumps: an edit
shows at once, and nothing stale is ever served.

Long ranges stay cheap (see docs/decisions.md, "Long ranges"): the statistics come from the
logged nights, the charts and tables from at most PERIODS_UP_TO periods (nights, ISO weeks or
calendar months, by the length of the range), and a range of months that starts long before
the diary does is drawn from the diary's first night.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.core.cache import cache
from django.utils.translation import get_language

from diary import charts, stats
from diary.models import DiaryState, Night, night_records
from diary.records import NightRecord

CHART_NAMES = ("frequency", "severity", "muscles", "remedies")
CHART_SECONDS = 7 * 24 * 3600  # a new version makes a new key; old ones simply expire
PERIODS_UP_TO = 150  # charts and their tables show at most the most recent 150 periods


@dataclass(frozen=True)
class Report:
    patient_id: int
    version: int
    first: date
    last: date
    stats: stats.RangeStats
    previous: stats.RangeStats
    change: stats.Change
    periods: list[stats.Period]
    remedies: list[stats.RemedyEffect]
    habits: list[stats.HabitEffect]
    nights: list[NightRecord]  # the range's logged nights, oldest first
    # Set when the range starts long before the diary: the charts start at its first night.
    diary_starts: date | None = None
    periods_cut: bool = False  # whether older periods were left out (PERIODS_UP_TO)

    @cached_property
    def unit(self) -> str:
        """What the charts show a bar for: "night", "week" or "month"."""
        return stats.unit_of(self.periods)

    @property
    def nightly(self) -> bool:
        """Whether the charts show each night (short ranges) rather than each week or month."""
        return self.unit == "night"

    @property
    def drawn_first(self) -> date:
        """The first night the charts and their tables show."""
        return self.periods[0].start


def report_for(*, patient, first: date, last: date, diary_starts: date | None = None) -> Report:
    """Everything about the range and the range before it (three queries). `diary_starts`:
    given when the range asked for began before the diary, which starts then (the range
    itself already starts there: diary.forms.RangeForm.nights)."""
    before_first, before_last = stats.previous_range(first, last)
    rows = Night.objects.filter(patient=patient, date__range=(before_first, last))
    records = [record for _patient, record in night_records(rows)]
    version = (
        DiaryState.objects.filter(patient=patient).values_list("version", flat=True).first() or 0
    )
    current = stats.range_stats(records, first, last)
    previous = stats.range_stats(records, before_first, before_last)
    periods = stats.periods(records, first, last, most=PERIODS_UP_TO)
    return Report(
        patient_id=patient.pk,
        version=version,
        first=first,
        last=last,
        stats=current,
        previous=previous,
        change=stats.cramps_per_week_change(current, previous),
        periods=periods,
        remedies=stats.remedy_effects(records, first, last),
        habits=stats.habit_effects(records, first, last),
        nights=[record for record in records if first <= record.night <= last],
        diary_starts=diary_starts,
        periods_cut=periods[0].start > first,
    )


def _draw(report: Report, name: str, fmt: str) -> bytes:
    if name == "frequency":
        return charts.frequency(report.periods, fmt)
    if name == "severity":
        return charts.severity_duration(report.periods, fmt)
    if name == "muscles":
        return charts.muscles(report.stats.by_muscle_side, fmt)
    if name == "remedies":
        return charts.remedies(report.remedies, fmt)
    raise ValueError(f"unknown chart {name!r}")


def chart(report: Report, name: str, fmt: str = "svg") -> bytes:
    """The chart's bytes, drawn once per diary version, range, format and language."""
    key = ":".join(
        [
            f"chart{charts.DRAWING_VERSION}",
            str(report.patient_id),
            name,
            report.first.isoformat(),
            report.last.isoformat(),
            fmt,
            get_language() or "",
            str(report.version),
        ]
    )
    drawn = cache.get(key)
    if drawn is None:
        drawn = _draw(report, name, fmt)
        cache.set(key, drawn, CHART_SECONDS)
    return drawn
