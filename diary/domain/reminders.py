"""Morning reminders: who is due at a given moment, from plain data (no database, no clock).

A patient with reminders on is due on their own local date D when the moment is at or after
their reminder time on D, in their time zone, and less than WINDOW after it; when the night of
D-1 ("last night") is not logged yet; and when no reminder was claimed for D. A scheduler runs
`send_reminders` every few minutes (README, "Reminders"), so the e-mail goes within minutes of
the reminder time; a scheduler that was down for longer than the window sends nothing that
morning rather than a reminder at lunchtime.

Clock changes: a reminder time that does not exist on D (clocks go forward through it) is
reached at the same UTC offset as before the change, so an hour later on the clock; a time
that comes twice (clocks go back) is reached the first time. Either way, once a morning.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WINDOW = timedelta(hours=3)  # how long after the reminder time a reminder may still go out


@dataclass(frozen=True)
class Candidate:
    """A patient with reminders on and a confirmed address, as the scheduler reads them."""

    patient_id: int
    time_zone: str
    reminder_time: time
    last_logged: date | None = None  # the latest night in the diary
    last_reminded: date | None = None  # the latest date a reminder was claimed for


@dataclass(frozen=True)
class Due:
    patient_id: int
    date: date  # the patient's own date; the reminder is about the night before


def reminder_moment(day: date, reminder_time: time, zone: ZoneInfo) -> datetime:
    """The moment (in UTC) the reminder time is reached on that day in that zone."""
    # fold=0: a time skipped by the clocks maps to the offset before the change (an hour
    # later on the clock), a repeated time to its first occurrence.
    return datetime.combine(day, reminder_time, tzinfo=zone).astimezone(UTC)


def due_date(now: datetime, zone: ZoneInfo, reminder_time: time) -> date | None:
    """The patient's date whose reminder is due at `now`, or None outside every window.

    Compared in UTC: aware datetimes sharing a tzinfo compare by the clock on the wall, which
    is wrong across a clock change.
    """
    now = now.astimezone(UTC)
    today = now.astimezone(zone).date()
    # A window that starts late in the evening runs past midnight into the next date.
    for day in (today, today - timedelta(days=1)):
        start = reminder_moment(day, reminder_time, zone)
        if start <= now < start + WINDOW:
            return day
    return None


def reminders_due(candidates: Iterable[Candidate], now: datetime) -> Iterator[Due]:
    """The candidates due at `now`, each with the date their reminder is for."""
    for candidate in candidates:
        day = due_date(now, ZoneInfo(candidate.time_zone), candidate.reminder_time)
        if day is None:
            continue
        last_night = day - timedelta(days=1)
        if candidate.last_logged is not None and candidate.last_logged >= last_night:
            continue  # last night is logged (a later night, after a zone change, counts too)
        if candidate.last_reminded is not None and candidate.last_reminded >= day:
            continue  # already claimed for this morning
        yield Due(candidate.patient_id, day)
