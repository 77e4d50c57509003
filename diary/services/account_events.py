"""The diary's answers to what accounts tells it (accounts/signals.py), connected in
diary/apps.py: accounts stays below the diary and imports nothing from it."""

from django.db import transaction

from diary.models import HealthProfile
from diary.services.reports import patient_cache_delete
from diary.tasks import reminder_tasks_delete


def health_profile_create(sender, *, patient, **kwargs) -> None:
    """Every patient has a health profile from the start (all answers "no")."""
    HealthProfile.objects.create(patient=patient)


def diary_forget(sender, *, user, **kwargs) -> None:
    """What names a leaving account outside the database cascades: its finished reminder tasks
    now, its cache entries once the deletion has committed, so that a request still reading
    the rows cannot put an entry back (a cache that fails then is logged, and its entries
    expire within their week)."""
    pk = user.pk
    reminder_tasks_delete(patient=user)
    transaction.on_commit(lambda: patient_cache_delete(patient_id=pk), robust=True)
