"""A patient's own calendar: which night is "last night" where they are."""

from datetime import date, datetime, timedelta

from django.utils import timezone


def patient_today(patient, now: datetime | None = None) -> date:
    """The patient's own calendar date, in their time zone."""
    return timezone.localtime(now or timezone.now(), patient.zone).date()


def last_night(today: date) -> date:
    """The night that began the evening before today: the latest night that can be logged."""
    return today - timedelta(days=1)


def patient_hour(patient, now: datetime | None = None) -> int:
    """The hour on the patient's own clock, 0-23."""
    return timezone.localtime(now or timezone.now(), patient.zone).hour
