"""Reading a diary file for a patient, for the web import and the import_diary command alike."""

import zoneinfo
from datetime import datetime

from django.utils import timezone

from accounts.time_zones import time_zone_names
from diary.domain.exchange import Diary, diary_from_data, file_data, file_time_zone
from diary.models import PendingImport
from diary.services.dates import last_night


def diary_read(*, patient, text: str, now: datetime | None = None) -> Diary:
    """The file's diary, checked as of today where the file's nights were kept: in the time
    zone its profile gives (importing the file makes that zone the account's), else in the
    account's own. A file from a zone ahead of the account's may so hold its last night.
    Raises ExchangeError naming what is wrong."""
    names = time_zone_names()
    data = file_data(text)
    zone = zoneinfo.ZoneInfo(file_time_zone(data, names) or patient.time_zone)
    today = timezone.localtime(now or timezone.now(), zone).date()
    return diary_from_data(data, latest=last_night(today), today=today, time_zones=names)


def import_keep(*, patient, text: str) -> None:
    """Keeps a checked file's text until the patient confirms (one file waits per patient)."""
    PendingImport.objects.update_or_create(patient=patient, defaults={"payload": text})


def import_waiting(*, patient) -> str | None:
    """The text of the file waiting for the patient's confirmation, if any."""
    pending = PendingImport.objects.filter(patient=patient).first()
    return pending.payload if pending else None


def import_drop(*, patient) -> None:
    PendingImport.objects.filter(patient=patient).delete()
