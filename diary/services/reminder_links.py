"""The two links in a morning reminder: "no cramps last night" and "stop these reminders".

Each link carries a signed token naming the reminder and the action, valid for VALID_FOR. The
link opens a page with one button, because mail scanners open links; only the button's POST
acts. Neither needs the patient to be signed in: the token is the proof.

- "No cramps last night" is single use: the first press logs the night of the reminder as a
  night without cramps, and marks that morning's reminder used; it never changes a night that
  is already logged. Later presses change nothing and say why.
- "Stop these reminders" turns reminders off. Pressing it again changes nothing (they are off
  already). It also answers mail programs' one-click unsubscribe (RFC 8058), which POST to
  the link without a form of ours, hence no CSRF token (see diary/web/views/reminders.py).
"""

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from diary.domain.records import NightRecord
from diary.models import Night, Reminder
from diary.services.nights import night_save
from diary.services.prompts import diary_lock

SALT = "diary.reminder-link"
VALID_FOR = timedelta(days=7)


class Action(StrEnum):
    NO_CRAMPS = "no_cramps"
    UNSUBSCRIBE = "unsubscribe"


class Outcome(StrEnum):
    ASK = "ask"  # GET: the page with the button
    SAVED = "saved"  # logged as a night without cramps
    USED = "used"  # the link was used already: nothing changed
    LOGGED = "logged"  # the night was logged some other way: nothing changed
    STOPPED = "stopped"  # reminders are now off
    ALREADY_OFF = "already_off"  # they were off: nothing changed


_URL_NAMES = {Action.NO_CRAMPS: "reminder_no_cramps", Action.UNSUBSCRIBE: "reminder_unsubscribe"}


def reminder_token(reminder: Reminder, action: Action) -> str:
    payload = {"r": reminder.pk, "p": reminder.patient_id, "a": str(action)}
    return signing.dumps(payload, salt=SALT, compress=True)


def reminder_url(reminder: Reminder, action: Action) -> str:
    """The absolute link for the e-mail (written outside any request, hence SITE_URL)."""
    path = reverse(_URL_NAMES[action], kwargs={"token": reminder_token(reminder, action)})
    return settings.SITE_URL.rstrip("/") + path


def reminder_for_token(token: str, action: Action) -> Reminder | None:
    """The reminder a link is for, or None when it is forged, expired, for the other action, or
    its account is gone."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("a") != action:
        return None
    return (
        Reminder.objects.select_related("patient")
        .filter(pk=data.get("r"), patient_id=data.get("p"), patient__is_active=True)
        .first()
    )


def no_cramps_state(reminder: Reminder) -> Outcome:
    """What the page shows before the button is pressed."""
    if reminder.used_at is not None:
        return Outcome.USED
    if Night.objects.filter(patient_id=reminder.patient_id, date=reminder.night).exists():
        return Outcome.LOGGED
    return Outcome.ASK


@transaction.atomic
def no_cramps_log(reminder: Reminder) -> Outcome:
    """Logs the reminder's night as "no cramps", once, and only if it is not logged yet."""
    patient = reminder.patient
    diary_lock(patient)  # first, as every diary write does: a save of that night waits for us
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.used_at is not None:
        return Outcome.USED
    if Night.objects.filter(patient=patient, date=reminder.night).exists():
        return Outcome.LOGGED
    night_save(patient=patient, record=NightRecord(night=reminder.night))
    reminder.used_at = timezone.now()
    reminder.save(update_fields=["used_at"])
    return Outcome.SAVED


def reminders_stop(reminder: Reminder) -> Outcome:
    changed = User.objects.filter(pk=reminder.patient_id, reminders_on=True).update(
        reminders_on=False
    )
    return Outcome.STOPPED if changed else Outcome.ALREADY_OFF
