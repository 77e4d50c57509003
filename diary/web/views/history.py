import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple

from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.access import patient_required
from diary.domain.records import NightRecord
from diary.services.dates import last_night, patient_today
from diary.services.nights import days_between, first_logged_night, nights_between

DAYS_PER_PAGE = 28
# The calendar goes back no further than the diary's floor for a night.
FIRST_MONTH = date(1900, 1, 1)
MONTH_PARAMETER = re.compile(r"([0-9]{4})-([0-9]{2})")
MONDAY_FIRST = calendar.Calendar(firstweekday=calendar.MONDAY)


@patient_required
def history(request):
    """Every night from last night back to the first one logged, unlogged ones included."""
    latest = last_night(patient_today(request.user))
    first_logged = first_logged_night(request.user)
    earliest = min(first_logged or latest, latest)
    # Page over calendar days, not rows, so that the gaps between logged nights show.
    page = Paginator(days_between(earliest, latest), DAYS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    days = list(page)
    logged = nights_between(patient=request.user, first=days[-1], last=days[0])
    return render(
        request,
        "diary/history.html",
        {
            "page": page,
            "days": [(day, logged.get(day)) for day in days],
            "latest": latest,
            "has_any": first_logged is not None,
            "older_than_page": days[-1] - timedelta(days=1),
        },
    )


class CalendarDay(NamedTuple):
    day: date
    in_month: bool
    # A night that can be logged or changed: up to last night.
    loggable: bool
    night: NightRecord | None


@patient_required
def history_calendar(request):
    """One month of nights as a Monday-first grid, in the patient's own calendar."""
    today = patient_today(request.user)
    latest = last_night(today)
    current = today.replace(day=1)
    month = _month_asked(request.GET.get("month"), current=current)
    weeks = MONDAY_FIRST.monthdatescalendar(month.year, month.month)
    month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    # One read for the month, whatever it holds (empty on the 1st of the current month).
    logged = nights_between(patient=request.user, first=month, last=min(month_end, latest))
    previous = (month - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "diary/history_calendar.html",
        {
            "month": month,
            "today": today,
            "weeks": _calendar_days(weeks, month, latest, logged),
            "nights_in_month": max(0, (min(month_end, latest) - month).days + 1),
            "nights_logged": len(logged),
            "cramp_nights": sum(1 for night in logged.values() if night.cramps),
            "previous": previous if previous >= FIRST_MONTH else None,
            "next": (month_end + timedelta(days=1)) if month < current else None,
        },
    )


def _calendar_days(weeks, month: date, latest: date, logged: dict) -> list[list[CalendarDay]]:
    return [
        [CalendarDay(day, day.month == month.month, day <= latest, logged.get(day)) for day in week]
        for week in weeks
    ]


def _month_asked(value: str | None, *, current: date) -> date:
    """The first day of the month in ?month=YYYY-MM; the current month when the value is
    malformed, before 1900 or after the current month."""
    match = MONTH_PARAMETER.fullmatch(value or "")
    if not match:
        return current
    year, month = int(match[1]), int(match[2])
    if not (FIRST_MONTH.year <= year <= current.year and 1 <= month <= 12):
        return current
    return min(date(year, month, 1), current)
