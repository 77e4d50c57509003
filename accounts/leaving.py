"""Leaving: a patient's account goes with everything about it."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from accounts.models import CareLink, LinkStatus, Role


@transaction.atomic
def account_erase(*, patient) -> None:
    """Deletes the patient and everything about them, in one transaction.

    The database cascades take the nights and their cramps, the prompts, the diary state, a
    waiting import, the health profile, the care links with the clinicians' notes on them,
    and the record of clinicians' views. What names the patient only by e-mail goes too:
    invitations they answered, and the sign-in log.
    """
    CareLink.objects.filter(
        patient=None, invited_email=patient.email, asked_by=Role.CLINICIAN
    ).exclude(status=LinkStatus.PENDING).delete()
    for log in (AccessAttempt, AccessFailureLog, AccessLog):
        log.objects.filter(username=patient.email).delete()
    patient.delete()
