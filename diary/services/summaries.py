"""What a pre-visit summary shows, for the page (diary.web.views.summary) and for the PDF the task
worker builds (diary.services.prepared): the same contents, read from the range's first and last
night so that neither needs a request."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils import timezone

from diary.domain.records import NightRecord
from diary.domain.stats import QuietRun, night_rows
from diary.domain.vocabulary import RedFlag
from diary.models import Prompt
from diary.services.prompts import current_prompts, level_order, pressing_order
from diary.services.reports import Report, report_read, version_kept

NIGHT_TABLE_UP_TO = 92  # nights drawn; longer ranges list the chart's weeks or months instead


@dataclass(frozen=True)
class SummaryRange:
    """The nights a summary covers, as chosen on its page; stored with a file to prepare."""

    first: date
    last: date
    diary_starts: date | None = None  # set when the range asked for began before the diary
    since_appointment: bool = False

    def to_params(self) -> dict:
        return {
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "diary_starts": self.diary_starts.isoformat() if self.diary_starts else None,
            "since_appointment": self.since_appointment,
        }

    @classmethod
    def from_params(cls, params: dict) -> "SummaryRange":
        starts = params.get("diary_starts")
        return cls(
            first=date.fromisoformat(params["first"]),
            last=date.fromisoformat(params["last"]),
            diary_starts=date.fromisoformat(starts) if starts else None,
            since_appointment=bool(params.get("since_appointment")),
        )


@dataclass(frozen=True)
class WarningSign:
    """One warning sign and the nights it was ticked, as runs of consecutive nights
    (first, last): one line of the summary however many nights it covers."""

    flag: str
    label: str
    nights: int
    runs: tuple[tuple[date, date], ...]


def warning_sign_lines(nights) -> list[WarningSign]:
    """The range's warning signs, one per sign in the vocabulary's order, each with its nights
    gathered into runs of consecutive nights (`nights`: records oldest first)."""
    lines = []
    for flag in RedFlag:
        dates = [night.night for night in nights if flag.value in night.red_flags]
        if not dates:
            continue
        runs: list[list[date]] = []
        for night in dates:
            if runs and night - runs[-1][1] == timedelta(days=1):
                runs[-1][1] = night
            else:
                runs.append([night, night])
        lines.append(
            WarningSign(
                flag=flag.value,
                label=str(flag.label),
                nights=len(dates),
                runs=tuple((first, last) for first, last in runs),
            )
        )
    return lines


@dataclass(frozen=True)
class SummaryReport:
    """What a summary shows of the diary itself, kept in the cache per diary version: a long
    range's years of nights are read once per change, never on every view."""

    report: Report  # without its nights
    warning_signs: list[WarningSign]
    night_table: list[NightRecord | QuietRun] | None  # None: a range too long to list


def summary_report(*, patient, nights: SummaryRange) -> SummaryReport:
    """The range's report, warning-sign lines and nights table (three queries when the diary
    changed since they were kept, one when kept: the version)."""

    def read(version: int) -> SummaryReport:
        report = report_read(patient, version, nights.first, nights.last, nights.diary_starts)
        # Counted in nights from where the charts start (a range starting long before the
        # diary is drawn from its first night), never in periods: a year is 53 weeks.
        listed = (report.last - report.drawn_first).days + 1 <= NIGHT_TABLE_UP_TO
        return SummaryReport(
            report=replace(report, nights=[]),
            warning_signs=warning_sign_lines(report.nights),
            night_table=night_rows(report.nights) if listed else None,
        )

    parts = (nights.first, nights.last, nights.diary_starts)
    return version_kept(patient, "summary", parts, read)


def _age(born: date | None, on: date) -> int | None:
    """Whole years from a date of birth to a day (the summary's last night)."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def summary_contents(*, patient, link, nights: SummaryRange) -> dict:
    """Everything the summary page and its PDF show for the range; `link` is the clinician's
    care link, or None for the patient's own summary."""
    kept = summary_report(patient=patient, nights=nights)
    report = kept.report
    past = Prompt.objects.filter(patient=patient, ended__gte=nights.first).order_by("-ended")
    if link is None:  # the patient's own page: brought up to date for their today
        current = current_prompts(patient)
    else:  # the clinician reads the stored runs (kept current by refresh_prompts)
        current = sorted(
            Prompt.objects.filter(patient=patient, ended__isnull=True), key=pressing_order
        )
    profile = getattr(patient, "health_profile", None)
    return {
        "patient": patient,
        "profile": profile,
        # As at the summary's last night, so that an old range reads as it was then.
        "age": _age(profile and profile.date_of_birth, report.last),
        "pregnancy_lapsed": bool(profile and profile.pregnancy_lapsed(report.last)),
        "gave_birth": bool(profile and profile.to_record().gave_birth_by(report.last)),
        "link": link,
        "since_appointment": nights.since_appointment,
        "report": report,
        "current": sorted(current, key=level_order),  # by level: the clot before the visits
        "reader": "clinician" if link else "patient",
        "warning_signs": kept.warning_signs,
        "past": past,
        "night_table": kept.night_table,
        "generated": timezone.now(),
    }
