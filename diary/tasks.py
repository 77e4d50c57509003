"""Work for the task worker (Django's task framework): the morning reminders, and the files
that take too long to make in a request (the summary PDF, the FHIR export: diary.services.prepared).

Prepared files: `prepared_file_queue` claims the file and queues its id in one transaction
(the queue is a table of the same database), so a claimed file always has its task; the task
holds the file's id only, never health data.

Reminders: queueing them, and the task that sends one.

`reminders_queue` (the `send_reminders` command, run by a scheduler every few minutes) finds
who is due (diary/domain/reminders.py), claims each patient's morning by inserting a Reminder row
(unique per patient and date), and queues one `send_reminder` task per claim it won. Claims and
tasks are written in one transaction: the queue is a table of the same database
(django-tasks-db), so a claim never exists without its task, nor a task without its claim.
Two schedulers at once: both try to insert the same claims; the database lets one win each
(the other's insert waits, then does nothing), and each run queues only the claims it won.

Exactly once, as far as mail allows: `send_reminder` marks the reminder sent, and commits,
before it hands the e-mail to the mail server. A worker that dies after that point, or a
task run twice, never sends a second e-mail; the price is that a worker dying, or the mail
server refusing, between the commit and the hand-over loses that morning's e-mail (the task
shows as failed in the admin). A missed reminder is a small loss; a patient nagged twice, or
at every retry, learns to ignore them.
"""

import email.policy
import logging
from datetime import timedelta
from itertools import batched

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.tasks import TaskResultStatus, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from accounts.models import Role, User
from diary.domain.reminders import WINDOW, Candidate, reminders_due
from diary.models import Night, Reminder
from diary.services.prepared import prepared_file_build, prepared_file_claim
from diary.services.reminder_links import Action, reminder_url
from diary.services.reports import charts_ahead_draw

logger = logging.getLogger(__name__)

BATCH = 500  # claims inserted, and tasks queued, per statement and per transaction
KEEP_CLAIMS = 30  # days a reminder row is kept (its links work for 7)


def _candidates() -> list[Candidate]:
    """Everyone who may get a reminder, with their latest logged night and latest claim: one
    query (the two subqueries each read one index entry per patient)."""
    latest_night = Night.objects.filter(patient=OuterRef("pk")).order_by("-date").values("date")
    latest_claim = Reminder.objects.filter(patient=OuterRef("pk")).order_by("-date")
    rows = (
        User.objects.filter(
            role=Role.PATIENT,
            is_active=True,
            reminders_on=True,
            email_verified_at__isnull=False,
        )
        .annotate(
            last_logged=Subquery(latest_night[:1]),
            last_reminded=Subquery(latest_claim.values("date")[:1]),
        )
        .order_by("pk")  # claims are inserted in one order by every run: no deadlocks
        .values_list("pk", "time_zone", "reminder_time", "last_logged", "last_reminded")
    )
    return [Candidate(*row) for row in rows]


def reminders_queue(now=None) -> int:
    """Claims and queues the reminders due at `now` (default: now). Returns how many it queued;
    safe to run on several servers at once."""
    now = now or timezone.now()
    due = list(reminders_due(_candidates(), now))
    cutoff = timezone.localdate(now) - timedelta(days=KEEP_CLAIMS)
    Reminder.objects.filter(date__lt=cutoff).delete()
    queued = 0
    for batch in batched(due, BATCH):
        claims = [Reminder(patient_id=d.patient_id, date=d.date, queued_at=now) for d in batch]
        try:
            queued += _claim_and_queue(claims)
        except IntegrityError:  # an account deleted since the candidates were read
            logger.info("A patient left while reminders were queued; queueing the others.")
            still_here = set(
                User.objects.filter(pk__in=[c.patient_id for c in claims]).values_list(
                    "pk", flat=True
                )
            )
            queued += _claim_and_queue([c for c in claims if c.patient_id in still_here])
    return queued


@transaction.atomic
def _claim_and_queue(claims: list[Reminder]) -> int:
    # ignore_conflicts: a claim another run holds is skipped (PostgreSQL: ON CONFLICT DO
    # NOTHING, which waits for that run's transaction first), so it cannot fail the batch.
    Reminder.objects.bulk_create(claims, ignore_conflicts=True)
    won = list(
        Reminder.objects.filter(task_id__in=[claim.task_id for claim in claims]).values_list(
            "pk", "task_id"
        )
    )
    _enqueue(won)
    return len(won)


def _enqueue(claims: list[tuple[int, object]]) -> None:
    """One send_reminder task per claim: with the database queue, one INSERT for the batch,
    each task taking its claim's task_id as its id; with any other backend, one enqueue each,
    once the claims are committed."""
    backend = send_reminder.get_backend()
    if isinstance(backend, DatabaseBackend):
        # What DatabaseBackend.enqueue writes for one task (tests/diary/test_reminders.py
        # checks the two agree), bar the task_enqueued signal, which only logs at debug level.
        DBTaskResult.objects.bulk_create(
            DBTaskResult(
                id=task_id,
                args_kwargs={"args": [pk], "kwargs": {}},
                priority=send_reminder.priority,
                task_path=send_reminder.module_path,
                queue_name=send_reminder.queue_name,
                run_after=get_date_max(),  # what its pre_save signal sets for "now"
                backend_name=backend.alias,
            )
            for pk, task_id in claims
        )
    else:
        for pk, _task_id in claims:
            transaction.on_commit(lambda pk=pk: send_reminder.enqueue(pk))


def _not_sendable(reminder: Reminder, patient: User, now) -> str:
    """Why the reminder must not go now after all (things change while it waits), or ""."""
    if not (patient.is_active and patient.is_patient and patient.reminders_on):
        return "reminders are off"
    if not patient.email_verified:
        return "address not confirmed"
    if Night.objects.filter(patient=patient, date__gte=reminder.night).exists():
        return "last night is logged"
    if now >= reminder.queued_at + WINDOW:
        return "too late for this morning"
    return ""


class ReminderMessage(EmailMessage):
    """Writes each header on one line (up to the 998 characters mail allows). The long
    List-Unsubscribe URL has no space to fold at, and folded to 78 characters the mail library
    would RFC 2047-encode it, which mail programs cannot read as a URL (RFC 2047, section 5)."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def reminder_message(reminder: Reminder, patient: User) -> EmailMessage:
    """The e-mail: a greeting and three links, no health details."""
    unsubscribe = reminder_url(reminder, Action.UNSUBSCRIBE)
    context = {
        "name": patient.get_short_name(),
        "log_url": settings.SITE_URL.rstrip("/") + reverse("log"),
        "no_cramps_url": reminder_url(reminder, Action.NO_CRAMPS),
        "unsubscribe_url": unsubscribe,
    }
    with translation.override(patient.language):
        subject = render_to_string("diary/email/reminder_subject.txt", context).strip()
        body = render_to_string("diary/email/reminder.txt", context)
    return ReminderMessage(
        subject=subject,
        body=body,
        to=[patient.email],
        # One-click unsubscribe in the mail program itself (RFC 8058).
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@task
def send_reminder(reminder_id: int) -> str:
    """Sends one claimed reminder, at most once. Returns what it did (kept with the task)."""
    now = timezone.now()
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
        if reminder is None:
            return "not sent: the account is gone"
        if reminder.sent_at is not None:
            return "not sent: sent already"
        patient = User.objects.get(pk=reminder.patient_id)
        reason = _not_sendable(reminder, patient, now)
        if reason:
            return f"not sent: {reason}"
        reminder.sent_at = now
        reminder.save(update_fields=["sent_at"])
    # Committed: from here on this reminder counts as sent, whatever happens next.
    try:
        reminder_message(reminder, patient).send()
    except Exception as error:
        # The task's row keeps the error's traceback for ever; the mail library's errors name
        # the address ("SMTPRecipientsRefused: {'alice@…': …}"): keep only the kind of error.
        raise ReminderNotSent(type(error).__name__) from None
    return "sent"


class ReminderNotSent(Exception):
    """A reminder the mail server did not take, named by the error's class only."""


def reminder_tasks_delete(*, patient) -> None:
    """Deletes the patient's reminder tasks that no worker is running (those ids would lead
    nowhere once the account is gone); a running one finds the account gone."""
    DBTaskResult.objects.filter(
        id__in=Reminder.objects.filter(patient=patient).values("task_id"),
        status__in=[TaskResultStatus.READY, TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
    ).delete()


@transaction.atomic
def prepared_file_queue(*, requested_by, patient, kind: str, params: dict):
    """The file for this request, queued for the worker unless the same one is waiting
    already. Raises diary.services.prepared.TooManyWaiting when the asker has too many waiting."""
    file, new = prepared_file_claim(
        requested_by=requested_by, patient=patient, kind=kind, params=params
    )
    if new:
        prepare_file.enqueue(str(file.pk))
    return file


@task
def draw_charts_ahead(patient_id: int) -> None:
    """The trends page's charts drawn after a change to the diary (holds the patient's id only:
    diary.services.reports.charts_ahead_draw)."""
    charts_ahead_draw(patient_id)


@task
def prepare_file(file_id: str) -> str:
    """Builds one prepared file (diary.services.prepared.prepared_file_build)."""
    return prepared_file_build(file_id)
