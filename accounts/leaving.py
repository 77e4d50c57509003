"""Leaving: an account goes with everything about it, wherever it is kept.

The database cascades take the rows that point at the account: a patient's nights and their
cramps, prompts, diary state, a waiting import, the health profile, treatments, reminders, undo
records, prepared files, the care links with the clinicians' notes on them, the record of
clinicians' views, and every session of the account (accounts.UserSession), so every device is
signed out. What names the account in other ways is deleted here by name: invitations it
answered, django-axes' sign-in records, its finished reminder tasks, its entries in the cache,
and its name in the admin log.
"""

import re

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from accounts.models import CareLink, LinkStatus, Role, User
from accounts.signals import account_leaving

SHORTEST_NAME_SEARCHED = 3  # a full name shorter than this would match too much of the log


def log_name(pk) -> str:
    """How the admin log names an account: by number only, as it is kept for ever."""
    return f"Account {pk}"


@transaction.atomic
def account_erase(*, user) -> None:
    """Deletes the account (a patient's or a clinician's) and everything about it, in one
    transaction; its cache entries once that has committed (by the diary, through
    account_leaving), so that nothing reads them back."""
    pk, email, name = user.pk, user.email, user.full_name.strip()
    # The diary's lock (diary.services.prompts.diary_lock takes the same row): a save or import
    # running now finishes first, and none starts until the account is gone.
    list(User.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))
    CareLink.objects.filter(patient=None, invited_email=email, asked_by=Role.CLINICIAN).exclude(
        status=LinkStatus.PENDING
    ).delete()
    for log in (AccessAttempt, AccessFailureLog, AccessLog):
        log.objects.filter(username__iexact=email).delete()
    # The diary deletes its own traces (its finished reminder tasks; its cache entries once
    # this has committed): accounts/signals.py.
    account_leaving.send(sender=User, user=user)
    _admin_log_unname(pk, email, name)
    user.delete()


def _admin_log_unname(pk, email: str, name: str) -> None:
    """The admin log's entries about the account name it by number (older entries named it by
    name); any other entry that names it (a sign-in record deleted in the admin, say) no longer
    does."""
    user_type = ContentType.objects.get_for_model(User, for_concrete_model=False)
    LogEntry.objects.filter(content_type=user_type, object_id=str(pk)).update(
        object_repr=log_name(pk)
    )
    names = [email] + ([name] if len(name) >= SHORTEST_NAME_SEARCHED else [])
    naming = Q()
    for text in names:
        naming |= Q(object_repr__icontains=text)
    # Whole words only: deleting "Ann Lee" must not blank an entry about "Joann Leeds".
    whole = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)", re.IGNORECASE)
    named = [
        entry
        for entry, text in LogEntry.objects.filter(naming).values_list("pk", "object_repr")
        if whole.search(text)
    ]
    LogEntry.objects.filter(pk__in=named).update(object_repr="–")
