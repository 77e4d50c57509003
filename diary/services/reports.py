"""A patient's statistics and charts for a range of nights: what trends pages and summaries show.

Turns the patient's rows into plain records once, hands them to diary.domain.stats, and renders the
charts through the cache. A chart's key holds the patient, the chart, the format, the language
and a digest of the numbers it is drawn from: an edit shows at once, nothing stale is ever
served, and a chart the edit did not change is not drawn again. The statistics of a range
(range_report) are kept per diary version, which every change bumps. Keys also hold
CODE_VERSION, a digest of the code and templates behind them, so a deploy starts afresh.

Every entry built from a patient's diary is also listed under the patient (patient_key_remember),
so that deleting the account deletes the entries themselves (patient_cache_delete), not merely
outdates them.

Long ranges stay cheap (see docs/decisions.md, "Long ranges"): the statistics come from the
logged nights, the charts and tables from at most PERIODS_UP_TO periods (nights, ISO weeks or
calendar months, by the length of the range), and a range of months that starts long before
the diary does is drawn from the diary's first night.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from diary.domain import records, sleep, stats, verdicts, what_helps
from diary.domain.records import NightRecord
from diary.domain.sleep import SleepSummary
from diary.models import DiaryState, Night, night_records, treatment_records
from diary.output import charts
from diary.output.collector import collection_paused
from diary.services.dates import last_night, patient_today
from diary.services.treatments import treatment_results

logger = logging.getLogger(__name__)
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
    remedies: what_helps.Remedies
    habits: list[what_helps.HabitEffect]
    nights: list[NightRecord]  # the range's logged nights, oldest first (empty: range_report)
    # Set when the range starts long before the diary: the charts start at its first night.
    diary_starts: date | None = None
    periods_cut: bool = False  # whether older periods were left out (PERIODS_UP_TO)
    # Treatments taken during the range, with their verdicts as at its last night.
    treatments: tuple[verdicts.TreatmentResult, ...] = ()
    sleep: SleepSummary | None = None  # None: too few nights with sleep details

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
    itself already starts there: diary.web.forms.RangeForm.nights)."""
    return report_read(patient, _version(patient), first, last, diary_starts)


def _version(patient) -> int:
    return DiaryState.objects.filter(patient=patient).values_list("version", flat=True).first() or 0


def report_read(
    patient, version: int, first: date, last: date, diary_starts: date | None
) -> Report:
    """The report from the nights, read after the version: a change saved in between makes the
    nights newer than the version, never older, so nothing stale is kept under a new version."""
    before_first, before_last = stats.previous_range(first, last)
    rows = Night.objects.filter(patient=patient, date__range=(before_first, last))
    records = [record for _patient, record in night_records(rows)]
    current = stats.range_stats(records, first, last)
    previous = stats.range_stats(records, before_first, before_last)
    periods = stats.periods(records, first, last, most=PERIODS_UP_TO)
    taken = [t for t in treatment_records(patient) if t.taken_between(first, last)]
    return Report(
        patient_id=patient.pk,
        version=version,
        first=first,
        last=last,
        stats=current,
        previous=previous,
        change=stats.cramps_per_week_change(current, previous),
        periods=periods,
        remedies=what_helps.remedy_effects(records, first, last),
        habits=what_helps.habit_effects(records, first, last),
        nights=[record for record in records if first <= record.night <= last],
        diary_starts=diary_starts,
        periods_cut=periods[0].start > first,
        sleep=sleep.sleep_summary(records, first, last),
        treatments=tuple(treatment_results(patient, last, taken)),
    )


# What a cached report or page fragment is made from, besides the diary: this module, the
# statistics, the charts, and the templates and filters that show them.
_SOURCES = [
    Path(__file__),
    Path(__file__).with_name("summaries.py"),  # its summary_report is kept the same way
    Path(stats.__file__),
    Path(sleep.__file__),
    Path(records.__file__),
    Path(charts.__file__),
    Path(verdicts.__file__),
    Path(what_helps.__file__),
    Path(__file__).parents[1] / "templatetags" / "diary_tags.py",
    *sorted((Path(settings.BASE_DIR) / "templates" / "diary").rglob("*.html")),
]


def _code_version() -> str:
    """A digest of the code and templates a cached report or fragment comes from: a deploy that
    changes any of them makes new keys, and never shows what the old code left in the cache."""
    digest = hashlib.sha256()
    for path in _SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


def range_report(*, patient, first: date, last: date, diary_starts: date | None = None) -> Report:
    """report_for without the nights themselves (`nights` is empty): the statistics, periods
    and effects that trends pages and chart downloads show, kept in the cache per diary
    version, so that a long diary's nights are read and counted once per version and range,
    not on every request (one query when cached: the version; three when not)."""

    def read(version: int) -> Report:
        return replace(report_read(patient, version, first, last, diary_starts), nights=[])

    return version_kept(patient, "report", (first, last, diary_starts), read)


def version_kept[T](patient, name: str, parts: tuple, build: Callable[[int], T]) -> T:
    """What `build(version)` makes of the patient's diary, kept in the cache under `name`,
    `parts` (dates, or None) and the diary's version, which every change bumps: read once per
    version, whatever the diary's length (one query when kept: the version)."""
    version = _version(patient)
    shown = [part.isoformat() if part else "" for part in parts]
    key = ":".join([name, CODE_VERSION, str(patient.pk), *shown, str(version)])
    kept = cache.get(key)
    if kept is None:
        kept = build(version)
        _patient_cache_set(patient.pk, key, kept)
    return kept


def _treatment_bands(report: Report) -> list[charts.Band]:
    """The treatments drawn over the frequency chart, as far as the range shows them."""
    return [
        charts.Band(r.treatment.name, r.treatment.start, r.treatment.stop or report.last)
        for r in report.treatments
    ]


@dataclass(frozen=True)
class Chart:
    """One chart: what the URLs (its name), the pages, the PDF and the downloads read."""

    name: str  # in the address of its download, and {{ charts.<name> }} in templates
    title: Promise
    data: Callable[[Report], object]  # all it is drawn from (with the language)
    draw: Callable[[object, str], bytes]  # (its data, "svg" or "png") -> the file
    table: str  # the template of its caption and numbers on the trends page
    section: str = "charts"  # where the trends page shows it: "charts" or "what helps"


CHARTS = (
    Chart(
        "frequency",
        _("Cramps per week"),
        data=lambda report: (report.periods, _treatment_bands(report)),
        draw=lambda data, fmt: charts.frequency(data[0], fmt, data[1]),
        table="diary/includes/charts/frequency.html",
    ),
    Chart(
        "severity",
        _("How bad, and how long"),
        data=lambda report: report.periods,
        draw=lambda data, fmt: charts.severity_duration(data, fmt),
        table="diary/includes/charts/severity.html",
    ),
    Chart(
        "muscles",
        _("Muscles"),
        data=lambda report: report.stats.by_muscle_side,
        draw=lambda data, fmt: charts.muscles(data, fmt),
        table="diary/includes/charts/muscles.html",
    ),
    Chart(
        "remedies",
        _("What helped"),
        data=lambda report: report.remedies,
        draw=lambda data, fmt: charts.remedies(data, fmt),
        table="diary/includes/what_helps_tables.html",
        section="what helps",
    ),
)
CHARTS_BY_NAME = {each.name: each for each in CHARTS}
CHART_NAMES = tuple(CHARTS_BY_NAME)


def _chart(name: str) -> Chart:
    if name not in CHARTS_BY_NAME:
        raise ValueError(f"unknown chart {name!r}")
    return CHARTS_BY_NAME[name]


def _draw(report: Report, name: str, fmt: str) -> bytes:
    drawing = _chart(name)
    return drawing.draw(drawing.data(report), fmt)


def chart(report: Report, name: str, fmt: str = "svg") -> bytes:
    """The chart's bytes, drawn once for what it shows: the key holds the patient, the chart,
    the format, the language and a digest of the numbers it is drawn from (plain dataclasses,
    whose repr holds every field), so an edit that changes them draws it again at once, and
    one that does not (a night without cramps leaves "Muscles" and "What helped" as they
    were) reuses it, across ranges and versions alike."""
    numbers = hashlib.sha256(repr(_chart(name).data(report)).encode()).hexdigest()
    key = ":".join(
        [
            f"chart{charts.DRAWING_VERSION}",
            CODE_VERSION,
            str(report.patient_id),
            name,
            fmt,
            get_language() or "",
            numbers,
        ]
    )
    drawn = cache.get(key)
    if drawn is None:
        with collection_paused():
            drawn = _draw(report, name, fmt)
        _patient_cache_set(report.patient_id, key, drawn)
    return drawn


class PageCharts(Mapping):
    """A report's charts as a page uses them ({{ charts.frequency }}): each fetched from the
    cache, or drawn, only when the template reads it, and at most once a request. A page whose
    fragment comes from the cache reads none of them."""

    def __init__(self, report: Report):
        self.report = report
        self._read: dict[str, SafeString] = {}

    def __getitem__(self, name: str) -> SafeString:
        if name not in CHART_NAMES:
            raise KeyError(name)
        if name not in self._read:
            self._read[name] = self._drawn(name)
        return self._read[name]

    def _drawn(self, name: str) -> SafeString:
        # A template swallows a KeyError or ValueError raised while it looks up
        # {{ charts.frequency }} and prints nothing: a chart that failed would vanish unseen.
        # It is logged with its traceback instead, and the page says so where the chart was.
        try:
            # Our own drawing, from numbers and fixed labels only: nothing a user typed.
            return mark_safe(chart(self.report, name).decode())
        except Exception:
            logger.exception(
                "The %s chart of patient %s was not drawn", name, self.report.patient_id
            )
            return format_html(
                '<p class="chart-missing">{}</p>',
                _("This chart could not be drawn."),
            )

    def __iter__(self):
        return iter(CHART_NAMES)

    def __len__(self):
        return len(CHART_NAMES)

    @property
    def trends_charts(self) -> list[tuple[Chart, SafeString]]:
        """The trends page's "Charts" section: each chart with its drawing, in CHARTS' order."""
        return [(each, self[each.name]) for each in CHARTS if each.section == "charts"]


def charts_ahead_queue(patient) -> None:
    """After a change to the diary, once it is committed: the task worker draws the trends
    page's charts of the default range (charts_ahead_draw), so that the patient's next look
    finds them drawn rather than waiting for four drawings in the request. Only where the
    worker and the servers share the cache (CHARTS_DRAWN_AHEAD: with REDIS_URL)."""
    if settings.CHARTS_DRAWN_AHEAD:
        from diary.tasks import draw_charts_ahead  # the task module imports the services

        transaction.on_commit(lambda: draw_charts_ahead.enqueue(patient.pk))


def charts_ahead_draw(patient_id: int) -> None:
    """Draws, in the patient's language, the charts the trends page shows by default (the
    last TRENDS_DAYS nights) and the home page's into the cache; those drawn already, by an
    earlier task or a page, are not drawn again. Nothing when the account is gone."""
    from diary.services.nights import diary_start  # nights imports this module's neighbours

    patient = User.objects.filter(pk=patient_id, role="patient").first()
    if patient is None:
        return
    latest = last_night(patient_today(patient))
    starts = diary_start(patient)
    first, last, moved = stats.range_within_diary(
        latest - timedelta(days=stats.TRENDS_DAYS - 1), latest, starts
    )
    report = range_report(
        patient=patient, first=first, last=last, diary_starts=starts if moved else None
    )
    home = report_for(
        patient=patient, first=stats.home_firsts(latest, min(starts, latest))[0], last=latest
    )
    with translation.override(patient.language):
        for each in CHARTS:
            chart(report, each.name)
        chart(home, "frequency")


# --- A patient's entries, listed so that they can be deleted ---------------------------------
#
# The cache has no "keys of this patient" of its own (and a version bump would only outdate
# entries, leaving the charts with treatment names for a week). So each entry's key is also
# written into a numbered slot under the patient: a counter per patient and per period of
# CHART_SECONDS (add, then incr: atomic on Redis and in local memory), and one slot per entry.
# An entry written in one period has expired by the end of the next, so deleting reads the
# slots of the periods around now only (one beyond, for servers whose clocks differ): bounded
# by what the patient's pages wrote in two weeks, never a scan of the cache.

TREND_FRAGMENT = "trends_report"  # the {% cache %} fragment of diary/trends.html


def _period(moment: float) -> int:
    return int(moment // CHART_SECONDS)


def _counter(patient_id: int, period: int) -> str:
    return f"patient-keys:{patient_id}:{period}"


def patient_key_remember(patient_id: int, key: str) -> None:
    """Lists `key` among the patient's cache entries (see above)."""
    counter = _counter(patient_id, _period(time.time()))
    kept = 2 * CHART_SECONDS  # the slots outlive every entry they list
    cache.add(counter, 0, kept)
    try:
        slot = cache.incr(counter)
    except ValueError:  # the counter was evicted in between: start it again
        cache.add(counter, 0, kept)
        slot = cache.incr(counter)
    cache.set(f"{counter}:{slot}", key, kept)


def _patient_cache_set(patient_id: int, key: str, value) -> None:
    cache.set(key, value, CHART_SECONDS)
    patient_key_remember(patient_id, key)


def trends_fragment_remember(report: Report, query: str) -> None:
    """The trends page's fragment is the patient's too: listed before the page writes it (the
    vary-on values are the template's, in its order)."""
    vary_on = [
        report.patient_id,
        report.version,
        report.first,
        report.last,
        report.diary_starts,
        query,
        get_language(),
        CODE_VERSION,
    ]
    key = make_template_fragment_key(TREND_FRAGMENT, vary_on)
    if not cache.has_key(key):
        patient_key_remember(report.patient_id, key)


def patient_cache_delete(*, patient_id: int) -> None:
    """Deletes every cache entry built from the patient's diary, and the list of them."""
    now = _period(time.time())
    counters = [_counter(patient_id, period) for period in (now - 1, now, now + 1)]
    counts = cache.get_many(counters)
    slots = [f"{c}:{n}" for c in counters for n in range(1, int(counts.get(c, 0)) + 1)]
    keys = []
    for start in range(0, len(slots), 1000):
        keys.extend(cache.get_many(slots[start : start + 1000]).values())
    everything = [*keys, *slots, *counters]
    for start in range(0, len(everything), 1000):
        cache.delete_many(everything[start : start + 1000])
